"""5ch: board subject lists (threads whose title matches a keyword) and thread pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Response

from crawler.platforms import fivech
from crawler.platforms.common import NextRequest, PageResult, offline_url
from crawler.spiders.social.base import SocialSpider


class FivechSpider(SocialSpider):
    name = "5ch"
    platform = "5ch"

    async def start(self) -> AsyncIterator[Any]:
        for board in self.config.get("boards", []):
            base = offline_url(board["server"].rstrip("/"), self.offline)  # e.g. https://asahi.5ch.net
            yield self.request(f"{base}/{board['board']}/subject.txt", "subject",
                               {"server": board["server"], "board": board["board"],
                                "keywords": list(board.get("keywords", [])),
                                "max_threads": int(board.get("max_threads", 20))})
        for url in self.config.get("threads", []):
            yield self.request(url, "thread")

    def parse_subject(self, response: Response, server: str, board: str, keywords: list[str],
                      max_threads: int) -> PageResult:
        result = PageResult()
        base = offline_url(server.rstrip("/"), self.offline)
        threads = [t for t in fivech.parse_subject(response.body)
                   if not keywords or any(k in t.title for k in keywords)]
        for thread in threads[:max_threads]:
            result.requests.append(NextRequest(fivech.thread_url(base, board, thread.key), "thread"))
        return result

    def parse_thread(self, response: Response) -> PageResult:
        return fivech.parse_thread(response.body, self.ctx(), response.url)
