"""Bilibili: video search and video comments (web API JSON)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import bilibili
from crawler.platforms.common import PageResult
from crawler.spiders.social.base import SocialSpider


class BilibiliSpider(SocialSpider):
    name = "bilibili"
    platform = "bilibili"
    default_lang = "zh-Hans"

    async def start(self) -> AsyncIterator[Any]:
        base = self.base_url(bilibili.BASE)
        for query in self.config.get("queries", []):
            yield self.request(bilibili.search_url(query, 1, base), "search", {"query": query, "page": 1})

    def headers(self) -> dict[str, str]:
        # The search API answers -412 to clients without a buvid3 cookie and a bilibili Referer.
        headers = {"Referer": "https://search.bilibili.com/"}
        cookie = self.credential("cookie_env")
        if cookie:
            headers["Cookie"] = cookie
        return headers

    def parse_search(self, response: Response, query: str, page: int) -> PageResult:
        return bilibili.parse_search(response.text, self.ctx(), query, page, self.base_url(bilibili.BASE))

    def parse_replies(self, response: Response, aid: int, video_url: str, page: int) -> PageResult:
        return bilibili.parse_replies(response.text, self.ctx(), aid, video_url, page,
                                      self.base_url(bilibili.BASE))
