"""Yahoo! News (news.yahoo.co.jp) comment pages, where reachable.

/articles/<id>/comments[?page=N] is an HTML page whose data sits in an embedded script:
    window.__PRELOADED_STATE__ = {"articleDetail": {"id","title","url","originalUrl"},
      "commentsList": {"comments": [{"id","body","user":{"name"},"postedTime" ISO,
        "empathyCount","understandCount","disagreementCount","replyCount","replies":[...]}],
        "paging": {"page","totalPages"}}};
The real page changes often and may block scripts; treat this as best effort.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.platforms.common import (
    Context,
    NextRequest,
    PageResult,
    ParseError,
    int_or_zero,
    to_utc_iso,
)

PLATFORM = "yahoo"
BASE = "https://news.yahoo.co.jp"
_STATE = re.compile(r"window\.__PRELOADED_STATE__\s*=\s*(\{.*?\})\s*;?\s*</script>", re.S)


def comments_url(article_id: str, page: int = 1, base: str = BASE) -> str:
    url = f"{base}/articles/{article_id}/comments"
    return url if page == 1 else f"{url}?page={page}"


def parse_comments(text: str, ctx: Context, url: str, page: int) -> PageResult:
    m = _STATE.search(text)
    if not m:
        raise ParseError("yahoo: no __PRELOADED_STATE__ in page")
    try:
        state = json.loads(m.group(1))
    except json.JSONDecodeError as exc:
        raise ParseError(f"yahoo: malformed state JSON ({exc.msg})") from exc
    article = state.get("articleDetail") or {}
    listing = state.get("commentsList") or {}
    path = urlsplit(url).path
    thread = f"{BASE}{path}"  # canonical: https, no ?page
    discusses = article.get("originalUrl") or article.get("url")
    result = PageResult()
    for comment in listing.get("comments") or []:
        _items(comment, ctx, thread, None, discusses, result)
    paging = listing.get("paging") or {}
    if page < min(int_or_zero(paging.get("totalPages")), ctx.max_pages):
        base = url.split("?")[0]
        result.requests.append(NextRequest(f"{base}?page={page + 1}", "comments", {"page": page + 1}))
    return result


def _items(comment: Any, ctx: Context, thread: str, parent: str | None, discusses: str | None,
           result: PageResult) -> None:
    if not isinstance(comment, dict) or not comment.get("id") or not comment.get("body"):
        result.skipped += 1  # deleted comments come back without a body
        return
    try:
        published = to_utc_iso(datetime.fromisoformat(comment["postedTime"]))
    except (KeyError, TypeError, ValueError, ParseError):
        result.skipped += 1
        return
    url = f"{thread}#comment-{comment['id']}"
    body = str(comment["body"]).strip()
    result.items.append(
        ctx.post(
            PLATFORM,
            url=url,
            body=body,
            handle=(comment.get("user") or {}).get("name"),
            default_lang="ja",
            kind="comment",
            published_at=published,
            parent_url=parent,
            discusses_url=discusses,
            metrics={
                "likes": int_or_zero(comment.get("empathyCount")),
                "understand": int_or_zero(comment.get("understandCount")),
                "dislikes": int_or_zero(comment.get("disagreementCount")),
                "replies": int_or_zero(comment.get("replyCount")),
            },
        )
    )
    for reply in comment.get("replies") or []:
        _items(reply, ctx, thread, url, discusses, result)
