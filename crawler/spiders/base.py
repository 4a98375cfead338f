"""What every article spider shares: scheduling article requests (filtered, deduplicated,
incremental), turning an article response into a DocumentItem, and counting errors by kind."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.extraction import ExtractOptions, extract_document, page_to_item
from crawler.extraction.canonical import canonicalize_url
from crawler.pipelines import _STATS

_HTML_TYPES = (b"text/html", b"application/xhtml", b"text/plain")


def header_charset(response: Response) -> str | None:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
    m = re.search(r"charset\s*=\s*[\"']?([\w\-]+)", ctype, re.IGNORECASE)
    return m.group(1) if m else None


def error_kind(failure: Failure) -> str:
    """A short, stable name for a failed request: http_404, timeout, dns, robots, ..."""
    from scrapy.exceptions import IgnoreRequest

    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout"
    if failure.check(IgnoreRequest):
        return "robots" if "robots" in str(failure.value).lower() else "ignored"
    return failure.type.__name__ if failure.type else "unknown"


class ArticleSpider(scrapy.Spider):
    """Base class: subclasses decide where article links come from."""

    source_id = "adhoc"
    language: str | None = None
    timezone: str | None = None
    selectors: dict[str, str] = {}
    site_name: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheduled: set[str] = set()

    def known_urls(self, urls: list[str]) -> set[str]:
        """Replaced by StorePipeline.open_spider with the store's check (incremental crawls)."""
        return set()

    def remember_urls(self, rows: list[tuple[str, str, str | None]]) -> None:
        """Replaced by StorePipeline.open_spider: URLs to skip next time (aliases, irrelevant pages)."""

    def stat(self, key: str, n: int = 1) -> None:
        _STATS[self.source_id][key] += n

    def accept_link(self, url: str) -> bool:
        return url.startswith(("http://", "https://"))

    def article_requests(self, links: Iterable[tuple[str, str | None]]) -> Iterator[scrapy.Request]:
        """One request per new article link: canonical duplicates, already stored URLs and
        links that are not articles of this source are skipped before any fetch."""
        fresh: dict[str, tuple[str, str | None]] = {}
        for url, date_hint in links:
            if not self.accept_link(url):
                continue
            canonical = canonicalize_url(url)
            if canonical in self.scheduled or canonical in fresh:
                continue
            fresh[canonical] = (url, date_hint)
        known = self.known_urls(list(fresh)) if fresh else set()
        for canonical, (url, date_hint) in fresh.items():
            self.scheduled.add(canonical)
            if canonical in known:
                self.stat("skipped_known")
                continue
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 cb_kwargs={"date_hint": date_hint}, meta={"runri_article": True})

    def extract_options(self, date_hint: str | None) -> ExtractOptions:
        return ExtractOptions(selectors=dict(self.selectors or {}), timezone=self.timezone,
                              language=self.language, site_name=self.site_name, date_hint=date_hint)

    def parse_article(self, response: Response, date_hint: str | None = None) -> Iterator[Any]:
        ctype = response.headers.get(b"Content-Type", b"text/html").lower()
        if not ctype.startswith(_HTML_TYPES):
            self.stat("errors/not_html")
            return
        try:
            article, codec = extract_document(response.body, response.url, header_charset(response),
                                              self.extract_options(date_hint))
        except (ValueError, TypeError, LookupError) as exc:
            # Garbage bytes served as HTML (lxml refuses control characters, NULs): costs the page only.
            self.logger.warning("unparseable page %s: %s", response.url, str(exc)[:120])
            self.stat("errors/unparseable")
            return
        if not article.title and not article.body:
            self.stat("errors/empty")
            return
        item, _ = page_to_item(article, self.source_id, codec)
        # Links that led here under another URL (redirects, tracking/AMP variants) are aliases:
        # remembered so that the next incremental crawl does not fetch them again.
        aliases = {canonicalize_url(u) for u in response.meta.get("redirect_urls", [])}
        aliases.add(canonicalize_url(response.url))
        aliases.discard(article.canonical_url)
        if aliases:
            self.remember_urls([(u, "alias", article.canonical_url) for u in aliases])
        if article.canonical_url in self.scheduled and aliases:
            self.stat("duplicate_url")
        self.scheduled.add(article.canonical_url)
        self.stat("articles")
        yield item

    def on_error(self, failure: Failure) -> None:
        kind = error_kind(failure)
        self.stat("robots_forbidden" if kind == "robots" else f"errors/{kind}")

    def closed(self, reason: str) -> None:
        if reason != "finished":
            self.stat("spider_failed")
        stats = self.crawler.stats
        self.stat("requests", int(stats.get_value("downloader/request_count", 0) or 0))
        self.stat("responses", int(stats.get_value("downloader/response_count", 0) or 0))
        ok = sum(int(v or 0) for k, v in stats.get_stats().items()
                 if k.startswith("downloader/response_status_count/") and int(k.rsplit("/", 1)[1]) < 400)
        self.stat("ok_responses", ok)
        forbidden = int(stats.get_value("robotstxt/forbidden", 0) or 0)
        if forbidden and not _STATS[self.source_id].get("robots_forbidden"):
            self.stat("robots_forbidden", forbidden)
