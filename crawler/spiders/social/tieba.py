"""Baidu Tieba: forum thread lists (threads whose title matches a keyword) and thread pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response

from crawler.platforms import tieba
from crawler.platforms.common import PageResult
from crawler.spiders.social.base import SocialSpider


class TiebaSpider(SocialSpider):
    name = "tieba"
    platform = "tieba"
    default_lang = "zh-Hans"

    async def start(self) -> AsyncIterator[Any]:
        base = self.base_url(tieba.BASE)
        for forum in self.config.get("forums", []):
            url = f"{base}/f?{urlencode({'kw': forum['kw'], 'ie': 'utf-8'})}"
            yield self.request(url, "forum", {"keywords": list(forum.get("keywords", []))})
        for tid in self.config.get("threads", []):
            yield self.request(tieba.thread_url(tid, 1, base), "thread", {"tid": str(tid), "page": 1})

    def parse_forum(self, response: Response, keywords: list[str]) -> PageResult:
        return tieba.parse_forum(response.text, self.ctx(), response.url, keywords)

    def parse_thread(self, response: Response, tid: str, page: int) -> PageResult:
        return tieba.parse_thread(response.text, self.ctx(), tid, page, response.url)
