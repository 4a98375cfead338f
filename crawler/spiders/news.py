"""The generic news spider: one source file drives it (feeds, sitemaps, listings, search pages).

    scrapy crawl news -a source=ja_tokyo_keizai -a sources_dir=corpus/sources/offline
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import scrapy
from scrapy.http import Response

from crawler.extraction.feeds import looks_like_feed, parse_feed
from crawler.extraction.relevance import load_lexicon
from crawler.extraction.sitemaps import parse_sitemap
from crawler.sources import Source, load_sources
from crawler.spiders.base import ArticleSpider

DEFAULT_SOURCES_DIR = Path(__file__).resolve().parents[2] / "corpus" / "sources"


def search_queries(spec: dict[str, Any], source: Source) -> list[str]:
    """Search terms for one [[search]] block: the lexicon's `search` lists of its languages."""
    lex = load_lexicon()
    langs = spec.get("languages") or ([source.language] if source.language != "multi" else list(lex.search))
    out: list[str] = []
    for lang in langs:
        for q in lex.search.get(lang, []):
            if q not in out:
                out.append(q)
    return out


def search_url(template: str, query: str, encoding: str = "utf-8") -> str:
    return template.replace("{query}", quote(query, safe="", encoding=encoding, errors="xmlcharrefreplace"))


def listing_links(response: Response, css: str | None) -> list[str]:
    hrefs = response.css(css).getall() if css else response.css("a::attr(href)").getall()
    return [urljoin(response.url, h.strip()) for h in hrefs if h and h.strip()
            and not h.strip().startswith(("javascript:", "mailto:", "#"))]


class NewsSpider(ArticleSpider):
    name = "news"

    def __init__(self, source: str | Source | None = None, sources_dir: str | None = None,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if source is None:
            raise ValueError("news spider needs -a source=ID")
        if isinstance(source, str):
            folder = Path(sources_dir) if sources_dir else DEFAULT_SOURCES_DIR
            source = load_sources(folder, [source], recursive=True)[0]
        self.source: Source = source
        self.source_id = source.id
        self.language = None if source.language == "multi" else source.language
        self.timezone = source.timezone
        self.selectors = source.selectors
        self.site_name = source.name
        self._hosts = source.hosts

    def accept_link(self, url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        if self.source.kind != "aggregator" and urlsplit(url).hostname not in self._hosts:
            return False
        return self.source.is_article_url(url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        src = self.source
        for url in src.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, priority=10)
        for url in src.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=10)
        for spec in src.listings:
            yield scrapy.Request(spec["url"], callback=self.parse_listing, errback=self.on_error,
                                 cb_kwargs={"spec": spec, "page": 1}, priority=5)
        for spec in src.search:
            for query in search_queries(spec, src):
                url = search_url(spec["url"], query, spec.get("encoding", "utf-8"))
                yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                     cb_kwargs={"spec": spec, "page": 1}, priority=5)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = parse_feed(response.body, response.url)
        if not entries:
            self.stat("errors/bad_feed")
        yield from self.article_requests((e.url, e.published) for e in entries)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        kind, entries = parse_sitemap(response.body, response.url)
        if kind == "index":
            for e in entries:
                yield scrapy.Request(e.url, callback=self.parse_sitemap, errback=self.on_error, priority=10)
        elif kind == "urlset":
            yield from self.article_requests((e.url, e.published or e.lastmod) for e in entries)
        else:
            self.stat("errors/bad_sitemap")

    def parse_listing(self, response: Response, spec: dict[str, Any], page: int) -> Iterator[scrapy.Request]:
        if looks_like_feed(response.body):  # search pages of aggregators answer with RSS
            yield from self.article_requests((e.url, e.published) for e in parse_feed(response.body, response.url))
            return
        yield from self.article_requests((u, None) for u in listing_links(response, spec.get("links")))
        if spec.get("next") and page < int(spec.get("max_pages", 1)):
            nxt = response.css(spec["next"]).get()
            if nxt:
                yield scrapy.Request(urljoin(response.url, nxt.strip()), callback=self.parse_listing,
                                     errback=self.on_error, cb_kwargs={"spec": spec, "page": page + 1}, priority=5)
