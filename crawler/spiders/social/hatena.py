"""Hatena Bookmark: comments on news URLs, found by keyword search or listed in the source file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import hatena
from crawler.platforms.common import PageResult
from crawler.spiders.social.base import SocialSpider


class HatenaSpider(SocialSpider):
    name = "hatena"
    platform = "hatena"

    async def start(self) -> AsyncIterator[Any]:
        base = self.base_url(hatena.BASE)
        for query in self.config.get("queries", []):
            yield self.request(hatena.search_url(query, base), "search", {"page": 1})
        for url in self.config.get("urls", []):
            yield self.request(hatena.entry_url(url, base), "entry", {"news_url": url})

    def parse_search(self, response: Response, page: int) -> PageResult:
        return hatena.parse_search(response.text, self.ctx(), response.url, page, self.base_url(hatena.BASE))

    def parse_entry(self, response: Response, news_url: str) -> PageResult:
        return hatena.parse_entry(response.text, self.ctx(), news_url)
