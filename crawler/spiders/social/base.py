"""What every platform spider shares: its source file, offline-mode URLs, rate-limit backoff,
skipping malformed responses, and per-source counters.

A platform spider only says where to start (`start`) and maps each step name to a pure parser
in crawler.platforms (`parse_<step>` methods returning a PageResult).
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater
from twisted.python.failure import Failure

from crawler.platforms.common import (
    AuthorPolicy,
    Context,
    PageResult,
    ParseError,
    RateLimited,
    now_utc,
    offline_url,
)
from crawler.spiders.base import error_kind

log = logging.getLogger(__name__)

SOCIAL_SOURCES_DIR = Path(__file__).resolve().parents[3] / "corpus" / "sources" / "social"


def load_config(source: str, sources_dir: str | Path | None = None) -> dict[str, Any]:
    path = Path(sources_dir or SOCIAL_SOURCES_DIR) / f"{source}.toml"
    if not path.is_file():
        raise ValueError(f"no source file {path} for social source {source!r}")
    return tomllib.loads(path.read_text(encoding="utf-8"))


class SocialSpider(scrapy.Spider):
    """Base class of the platform spiders (name = platform = default source id)."""

    platform = "social"
    default_lang = "ja"
    # A platform keyword search is already filtered; comments are context for their post.
    relevance_filter = False

    def __init__(self, source: str | None = None, sources_dir: str | None = None,
                 config: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config if config is not None else load_config(source or self.name, sources_dir)
        self.source_id = str(self.config.get("id") or source or self.name)
        self.offline = False
        self.policy = AuthorPolicy.from_env()
        self.backoff_base = 30.0
        self.backoff_max = 600.0
        self.max_attempts = 4
        self.fetched_at = now_utc()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SocialSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.offline = bool(s.get("RUNRI_OFFLINE_PROXY") or os.environ.get("RUNRI_OFFLINE_PROXY"))
        keep = s.getbool("RUNRI_KEEP_HANDLES") or spider.policy.keep_handles
        spider.policy = AuthorPolicy(salt=s.get("RUNRI_AUTHOR_SALT") or spider.policy.salt, keep_handles=keep)
        # Platform rate limits (HTTP 200 with an error JSON) back off much longer than network retries.
        # Offline fixtures only simulate limits, so the demo need not wait 30 s (env wins for tests).
        default = os.environ.get("RUNRI_SOCIAL_BACKOFF") or (0.5 if spider.offline else 30.0)
        spider.backoff_base = s.getfloat("RUNRI_SOCIAL_BACKOFF", float(default))
        spider.backoff_max = s.getfloat("RUNRI_SOCIAL_BACKOFF_MAX", 600.0)
        spider.max_attempts = s.getint("RUNRI_SOCIAL_MAX_ATTEMPTS", 4)
        return spider

    # -- helpers for subclasses ----------------------------------------------------------------
    @property
    def max_pages(self) -> int:
        return int(self.config.get("max_pages", 5))

    def ctx(self) -> Context:
        return Context(self.source_id, self.policy, self.fetched_at, self.max_pages, self.default_lang)

    def base_url(self, real: str) -> str:
        """The platform's base URL: config `base_url`, else the real https one (http offline)."""
        return offline_url(str(self.config.get("base_url") or real).rstrip("/"), self.offline)

    def credential(self, env_name_key: str) -> str | None:
        """A secret named in the source file (e.g. cookie_env = "RUNRI_WEIBO_COOKIE"), read from env."""
        name = self.config.get(env_name_key)
        return os.environ.get(name) if name else None

    def headers(self) -> dict[str, str]:
        return {}

    def request(self, url: str, step: str, args: dict[str, Any] | None = None) -> scrapy.Request:
        return scrapy.Request(offline_url(url, self.offline), callback=self.on_response, errback=self.on_error,
                              cb_kwargs={"step": step, "args": dict(args or {})}, headers=self.headers())

    def stat(self, key: str, n: int = 1) -> None:
        from crawler.pipelines import _STATS

        if n:
            _STATS[self.source_id][key] += n

    # -- the one callback ----------------------------------------------------------------------
    async def on_response(self, response: Response, step: str, args: dict[str, Any]) -> AsyncIterator[Any]:
        parser = getattr(self, f"parse_{step}")
        try:
            result: PageResult = parser(response, **args)
        except RateLimited as exc:
            retry = await self._backoff(response, str(exc))
            if retry is not None:
                yield retry
            return
        except ParseError as exc:  # malformed JSON / unexpected shape: log, count, go on
            log.warning("%s: skipped %s: %s", self.source_id, response.url, exc)
            self.stat("errors/parse")
            return
        for item in self._finish(result):
            yield item
        for nxt in result.requests:
            yield self.request(nxt.url, nxt.callback, nxt.meta)

    def _finish(self, result: PageResult) -> Iterator[Any]:
        from crawler.extraction.relevance import is_relevant

        self.stat("skipped", result.skipped)
        for item in result.items:
            _, item.matched_terms = is_relevant(f"{item.title}\n{item.body}")
            self.stat(f"{item.kind}s")
            yield item

    async def _backoff(self, response: Response, reason: str) -> scrapy.Request | None:
        attempt = int(response.request.meta.get("runri_social_attempt", 0)) + 1
        self.stat("rate_limited")
        if attempt >= self.max_attempts:
            log.error("%s: still rate limited after %d attempts, giving up on %s (%s)", self.source_id,
                      attempt, response.url, reason)
            self.stat("errors/rate_limited")
            return None
        delay = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        log.warning("%s: rate limited (%s); waiting %.1fs before retry %d of %s", self.source_id, reason,
                    delay, attempt, response.url)
        if delay > 0:
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        # Fresh meta: download internals (latency, proxy auth) must not be copied into the retry.
        return response.request.replace(dont_filter=True, meta={"runri_social_attempt": attempt})

    def on_error(self, failure: Failure) -> None:
        kind = error_kind(failure)
        log.warning("%s: %s on %s", self.source_id, kind, getattr(failure.request, "url", "?"))
        self.stat("robots_forbidden" if kind == "robots" else f"errors/{kind}")

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        self.stat("requests", int(stats.get_value("downloader/request_count", 0) or 0))
        self.stat("responses", int(stats.get_value("downloader/response_count", 0) or 0))
