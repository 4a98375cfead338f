"""Yahoo! News comment pages (where reachable: the real site changes often and may block bots)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import yahoo
from crawler.platforms.common import PageResult
from crawler.spiders.social.base import SocialSpider


class YahooSpider(SocialSpider):
    name = "yahoo"
    platform = "yahoo"

    async def start(self) -> AsyncIterator[Any]:
        base = self.base_url(yahoo.BASE)
        for article_id in self.config.get("articles", []):
            yield self.request(yahoo.comments_url(article_id, 1, base), "comments", {"page": 1})

    def parse_comments(self, response: Response, page: int) -> PageResult:
        return yahoo.parse_comments(response.text, self.ctx(), response.url, page)
