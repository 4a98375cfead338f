"""Weibo mobile JSON: keyword search and hot comments. Needs a login cookie on the real site."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import weibo
from crawler.platforms.common import PageResult
from crawler.spiders.social.base import SocialSpider

log = logging.getLogger(__name__)


class WeiboSpider(SocialSpider):
    name = "weibo"
    platform = "weibo"
    default_lang = "zh-Hans"

    async def start(self) -> AsyncIterator[Any]:
        if not self.credential("cookie_env") and not self.offline:
            log.warning("weibo: %s is not set; m.weibo.cn answers search without a login cookie (SUB=...) "
                        "with ok:0 or a login page, so expect few or no results",
                        self.config.get("cookie_env", "RUNRI_WEIBO_COOKIE"))
            self.stat("missing_credentials")
        base = self.base_url(weibo.BASE)
        for query in self.config.get("queries", []):
            yield self.request(weibo.search_url(query, 1, base), "search", {"query": query, "page": 1})

    def headers(self) -> dict[str, str]:
        cookie = self.credential("cookie_env")
        headers = {"Referer": "https://m.weibo.cn/", "X-Requested-With": "XMLHttpRequest"}
        if cookie:
            headers["Cookie"] = cookie
        return headers

    def parse_search(self, response: Response, query: str, page: int) -> PageResult:
        return weibo.parse_search(response.text, self.ctx(), query, page, self.base_url(weibo.BASE))

    def parse_comments(self, response: Response, mid: str, post_url: str) -> PageResult:
        return weibo.parse_comments(response.text, self.ctx(), mid, post_url, self.base_url(weibo.BASE))
