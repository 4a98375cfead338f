"""Mastodon: hashtag timelines and status search on (Japanese) instances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import mastodon
from crawler.platforms.common import PageResult, offline_url
from crawler.spiders.social.base import SocialSpider


class MastodonSpider(SocialSpider):
    name = "mastodon"
    platform = "mastodon"

    async def start(self) -> AsyncIterator[Any]:
        for inst in self.config.get("instances", []):
            base = offline_url(f"https://{inst['host']}", self.offline)
            limit = int(inst.get("limit", 40))
            for tag in inst.get("tags", []):
                yield self.request(mastodon.tag_url(base, tag, limit), "timeline", {"limit": limit, "page": 1})
            for query in inst.get("search", []):
                yield self.request(mastodon.search_url(base, query, limit), "search")

    def headers(self) -> dict[str, str]:
        # Full-text status search needs a user token on most instances; hashtags are public.
        token = self.credential("token_env")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def parse_timeline(self, response: Response, limit: int, page: int) -> PageResult:
        link = response.headers.get(b"Link", b"").decode("latin-1") or None
        return mastodon.parse_timeline(response.text, self.ctx(), response.url, link, limit, page)

    def parse_search(self, response: Response) -> PageResult:
        return mastodon.parse_search(response.text, self.ctx(), response.url)
