"""Ad-hoc crawls without a source file: `runri crawl --feed URL` and `runri crawl --url URL ...`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.extraction.feeds import parse_feed
from crawler.spiders.base import ArticleSpider


class AdhocSpider(ArticleSpider):
    name = "adhoc"
    source_id = "adhoc"

    def __init__(self, feed: str | None = None, urls: str | list[str] | None = None,
                 source_id: str = "adhoc", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feeds = [feed] if isinstance(feed, str) and feed else list(feed or [])
        self.urls = urls.split(",") if isinstance(urls, str) else list(urls or [])
        self.source_id = source_id

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error)
        for req in self.article_requests((u, None) for u in self.urls):
            yield req

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self.article_requests((e.url, e.published) for e in parse_feed(response.body, response.url))
