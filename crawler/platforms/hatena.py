"""Hatena Bookmark: comments on a news URL (entry JSON) and keyword search (HTML).

Entry:  /entry/jsonlite/?url=<news url>
        {"eid","title","url","entry_url","count","bookmarks":[{"user","comment","timestamp"
        "2025/07/21 12:34" (JST),"tags":[...]}]}; the body is the literal `null` for unknown URLs.
Search: /q/<query>?target=text&sort=recent[&page=N]  (HTML list of bookmarked entries; each entry
        is followed to its jsonlite; the search page itself yields no documents).
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote, urlencode, urljoin

from parsel import Selector

from crawler.platforms.common import (
    JST,
    Context,
    NextRequest,
    PageResult,
    ParseError,
    to_utc_iso,
)

PLATFORM = "hatena"
BASE = "https://b.hatena.ne.jp"


def entry_url(news_url: str, base: str = BASE) -> str:
    return f"{base}/entry/jsonlite/?{urlencode({'url': news_url})}"


def search_url(query: str, base: str = BASE) -> str:
    return f"{base}/q/{quote(query)}?target=text&sort=recent"


def parse_date(value: str) -> str:
    try:
        return to_utc_iso(datetime.strptime(value, "%Y/%m/%d %H:%M").replace(tzinfo=JST))
    except (TypeError, ValueError) as exc:
        raise ParseError(f"hatena timestamp {value!r}") from exc


def parse_entry(text: str, ctx: Context, news_url: str) -> PageResult:
    """Bookmarks with a comment become comments that discuss `news_url`; bare bookmarks are counted."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"hatena: malformed JSON ({exc.msg})") from exc
    result = PageResult()
    if data is None:  # Hatena answers `null` for a URL nobody bookmarked
        return result
    if not isinstance(data, dict):
        raise ParseError("hatena: top level is not an object")
    eid = str(data.get("eid", ""))
    discusses = data.get("url") or news_url
    for mark in data.get("bookmarks") or []:
        comment = (mark.get("comment") or "").strip() if isinstance(mark, dict) else ""
        if not comment or not mark.get("user"):
            result.skipped += 1
            continue
        try:
            published = parse_date(mark.get("timestamp"))
        except ParseError:
            result.skipped += 1
            continue
        author = ctx.policy.author(PLATFORM, mark["user"])
        if ctx.policy.keep_handles:  # the real permalink carries the handle
            day = datetime.fromisoformat(published).astimezone(JST).strftime("%Y%m%d")
            url = f"{BASE}/{mark['user']}/{day}#bookmark-{eid}"
        else:
            url = f"{BASE}/entry/{eid}#bookmark-{(author or '')[2:]}"
        result.items.append(
            ctx.post(
                PLATFORM,
                url=url,
                body=comment,
                handle=mark["user"],
                default_lang="ja",
                kind="comment",
                published_at=published,
                discusses_url=discusses,
                metrics={"tags": list(mark.get("tags") or []), "entry_bookmarks": int(data.get("count") or 0)},
            )
        )
    return result


def parse_search(text: str, ctx: Context, page_url: str, page: int, base: str = BASE) -> PageResult:
    sel = Selector(text=text)
    result = PageResult()
    for href in sel.css(".centerarticle-entry-title a::attr(href)").getall():
        result.requests.append(NextRequest(entry_url(href, base), "entry", {"news_url": href}))
    nxt = sel.css("a.centerarticle-pager-next::attr(href)").get()
    if nxt and page < ctx.max_pages:
        result.requests.append(NextRequest(urljoin(page_url, nxt), "search", {"page": page + 1}))
    return result
