"""Downloader middlewares: the offline-web proxy switch and retries with exponential backoff."""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater


class OfflineWebMiddleware:
    """Send every request through the offline web server when RUNRI_OFFLINE_PROXY is set.

    Scrapy's HttpProxyMiddleware then sends absolute-form requests to the proxy, so each site
    keeps its own host name (robots.txt, per-domain throttling and canonical URLs stay real).
    """

    def __init__(self, proxy: str | None) -> None:
        self.proxy = proxy.rstrip("/") if proxy else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineWebMiddleware:
        return cls(crawler.settings.get("RUNRI_OFFLINE_PROXY"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.proxy and request.url.startswith("http://"):
            request.meta.setdefault("proxy", self.proxy)
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits base * 2**(n-1) seconds (capped) before the n-th retry."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RUNRI_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RUNRI_RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, request: Request) -> float:
        n = request.meta.get("retry_times", 0) + 1
        return min(self.cap, self.base * 2 ** (n - 1))

    async def process_response(self, request: Request, response: Response, spider: Spider | None = None):
        result = super().process_response(request, response)
        return await self._later(result, request)

    async def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None):
        result = super().process_exception(request, exception)
        return await self._later(result, request)

    async def _later(self, result: Any, request: Request) -> Any:
        if isinstance(result, Request) and self.base > 0:
            from twisted.internet import reactor  # never at import time: Scrapy installs its reactor first

            await maybe_deferred_to_future(deferLater(reactor, self._delay(request), lambda: None))
        return result


__all__ = ["OfflineWebMiddleware", "BackoffRetryMiddleware"]
