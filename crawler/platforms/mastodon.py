"""Mastodon REST API on Japanese instances (mstdn.jp, fedibird.com ...).

Hashtag: /api/v1/timelines/tag/<tag>?limit=N[&max_id=ID]  -> JSON array of statuses
Search:  /api/v2/search?q=<q>&type=statuses&limit=N         -> {"statuses": [...]}
Paging:  the Link header (rel="next"); without one, a full page means "ask again with max_id".
Errors:  HTTP 429 with {"error":"Too many requests"} (the spider backs off using X-RateLimit-Reset).
Statuses are stored under https://<instance>/web/statuses/<id>, which needs no handle, so that
in_reply_to_id links up to the same URL and hashed authors are not undone by the URL.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from crawler.platforms.common import (
    Context,
    NextRequest,
    PageResult,
    ParseError,
    guess_lang,
    html_to_text,
    int_or_zero,
    to_utc_iso,
)

PLATFORM = "mastodon"
_LINK_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
LANGS = {"ja": "ja", "zh": "zh-Hans", "zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant"}


def tag_url(base: str, tag: str, limit: int = 40, max_id: str | None = None) -> str:
    params = {"limit": str(limit)}
    if max_id:
        params["max_id"] = max_id
    return f"{base}/api/v1/timelines/tag/{quote(tag)}?{urlencode(params)}"


def search_url(base: str, query: str, limit: int = 40) -> str:
    return f"{base}/api/v2/search?{urlencode({'q': query, 'type': 'statuses', 'limit': str(limit)})}"


def status_url(instance: str, status_id: str) -> str:
    return f"https://{instance}/web/statuses/{status_id}"


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"mastodon: malformed JSON ({exc.msg})") from exc


def parse_timeline(text: str, ctx: Context, url: str, link_header: str | None, limit: int,
                   page: int) -> PageResult:
    data = _load(text)
    if not isinstance(data, list):
        raise ParseError(f"mastodon: expected a list of statuses, got {type(data).__name__}")
    result = _statuses(data, ctx, urlsplit(url).netloc)
    m = _LINK_NEXT.search(link_header or "")
    nxt = m.group(1) if m else None
    if nxt is None and len(data) >= limit and data:  # no Link header (some proxies drop it)
        base = url.split("?")[0]
        nxt = f"{base}?{urlencode({'limit': str(limit), 'max_id': str(data[-1].get('id'))})}"
    if nxt and page < ctx.max_pages:
        result.requests.append(NextRequest(nxt, "timeline", {"page": page + 1, "limit": limit}))
    return result


def parse_search(text: str, ctx: Context, url: str) -> PageResult:
    data = _load(text)
    if not isinstance(data, dict):
        raise ParseError("mastodon: search answer is not an object")
    return _statuses(data.get("statuses") or [], ctx, urlsplit(url).netloc)


def _statuses(statuses: list[Any], ctx: Context, instance: str) -> PageResult:
    result = PageResult()
    for status in statuses:
        if not isinstance(status, dict):
            result.skipped += 1
            continue
        if isinstance(status.get("reblog"), dict):  # a boost: store the original once
            status = status["reblog"]
        try:
            result.items.append(_item(status, ctx, instance))
        except (KeyError, ValueError, ParseError):
            result.skipped += 1
    return result


def _item(status: dict[str, Any], ctx: Context, instance: str):
    body = html_to_text(status.get("content"))
    if status.get("spoiler_text"):
        body = f"{status['spoiler_text']}\n{body}"
    url = status_url(instance, str(status["id"]))
    parent = status.get("in_reply_to_id")
    card = status.get("card") or {}
    lang = LANGS.get(str(status.get("language") or ""), None) or guess_lang(body, ctx.default_lang)
    return ctx.post(
        PLATFORM,
        url=url,
        body=body,
        handle=(status.get("account") or {}).get("acct"),
        default_lang=lang,
        lang=lang,
        kind="comment" if parent else "post",
        published_at=to_utc_iso(datetime.fromisoformat(status["created_at"].replace("Z", "+00:00"))),
        parent_url=status_url(instance, str(parent)) if parent else None,
        discusses_url=card.get("url") if card.get("type") == "link" else None,
        metrics={
            "likes": int_or_zero(status.get("favourites_count")),
            "reposts": int_or_zero(status.get("reblogs_count")),
            "replies": int_or_zero(status.get("replies_count")),
        },
    )
