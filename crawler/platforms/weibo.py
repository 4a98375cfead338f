"""Weibo mobile web JSON (m.weibo.cn): keyword search and hot comments.

Search:   /api/container/getIndex?containerid=100103type%3D1%26q%3D<q>&page_type=searchall&page=N
          {"ok":1,"data":{"cards":[{"card_type":9,"mblog":{...}} | {"card_type":11,"card_group":[...]}]}}
Comments: /comments/hotflow?id=<id>&mid=<mid>&max_id_type=0[&max_id=M]
          {"ok":1,"data":{"data":[comment...],"max_id":M,"max_id_type":0}}; max_id 0 = last page.
Errors:   {"ok":0,"msg":"..."}: "请求过于频繁" / errno 100005 = rate limit; anything else = no (more) data.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from crawler.items import DocumentItem
from crawler.platforms.common import (
    Context,
    NextRequest,
    PageResult,
    ParseError,
    RateLimited,
    html_to_text,
    int_or_zero,
    to_utc_iso,
)

PLATFORM = "weibo"
BASE = "https://m.weibo.cn"
DELETED_MARKERS = ("此微博已被作者删除", "此微博已被删除", "该评论已被删除")


def search_url(query: str, page: int = 1, base: str = BASE) -> str:
    containerid = f"100103type=1&q={query}"
    params = {"containerid": containerid, "page_type": "searchall", "page": str(page)}
    return f"{base}/api/container/getIndex?{urlencode(params, quote_via=quote)}"


def comments_url(mid: str, max_id: int | None = None, base: str = BASE) -> str:
    params = {"id": mid, "mid": mid, "max_id_type": "0"}
    if max_id:
        params["max_id"] = str(max_id)
    return f"{base}/comments/hotflow?{urlencode(params)}"


def post_url(mid: str) -> str:
    return f"{BASE}/detail/{mid}"


def parse_date(value: str) -> str:
    """'Mon Jul 21 12:34:56 +0800 2025' -> UTC ISO."""
    try:
        return to_utc_iso(datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y"))
    except (TypeError, ValueError) as exc:
        raise ParseError(f"weibo date {value!r}") from exc


def _load(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"weibo: malformed JSON ({exc.msg} at {exc.pos})") from exc
    if not isinstance(data, dict):
        raise ParseError("weibo: top level is not an object")
    if data.get("ok") != 1:
        msg = str(data.get("msg", ""))
        if "频繁" in msg or str(data.get("errno")) == "100005":
            raise RateLimited(f"weibo: {msg}")
    return data


def _is_deleted(mblog: dict[str, Any]) -> bool:
    text = str(mblog.get("text", ""))
    return not mblog.get("user") or any(m in text for m in DELETED_MARKERS)


def _mblogs(cards: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        if card.get("card_type") == 9 and isinstance(card.get("mblog"), dict):
            out.append(card["mblog"])
        for sub in card.get("card_group") or []:
            if isinstance(sub, dict) and sub.get("card_type") == 9 and isinstance(sub.get("mblog"), dict):
                out.append(sub["mblog"])
    return out


def parse_search(text: str, ctx: Context, query: str, page: int, base: str = BASE) -> PageResult:
    data = _load(text)
    result = PageResult()
    if data.get("ok") != 1:  # "这里还没有内容": the end of the results
        return result
    mblogs = _mblogs((data.get("data") or {}).get("cards") or [])
    for mblog in mblogs:
        if _is_deleted(mblog):
            result.skipped += 1
            continue
        try:
            item = _post_item(mblog, ctx)
        except (ParseError, KeyError):
            result.skipped += 1
            continue
        result.items.append(item)
        if int_or_zero(mblog.get("comments_count")) > 0:
            result.requests.append(
                NextRequest(comments_url(str(mblog["mid"]), base=base), "comments",
                            {"mid": str(mblog["mid"]), "post_url": item.canonical_url})
            )
    # cardlistInfo.page is the next page number, null on the last page.
    info = (data.get("data") or {}).get("cardlistInfo") or {}
    has_next = info.get("page") is not None if "page" in info else bool(mblogs)
    if has_next and page < ctx.max_pages:
        result.requests.append(
            NextRequest(search_url(query, page + 1, base), "search", {"query": query, "page": page + 1})
        )
    return result


def _post_item(mblog: dict[str, Any], ctx: Context) -> DocumentItem:
    mid = str(mblog.get("mid") or mblog["id"])
    body = html_to_text(mblog.get("text"))
    retweeted = mblog.get("retweeted_status")
    if isinstance(retweeted, dict) and not _is_deleted(retweeted):
        parent = post_url(str(retweeted.get("mid") or retweeted.get("id")))
    else:
        parent = None
    page_info = mblog.get("page_info") or {}
    discusses = page_info.get("page_url") if page_info.get("type") in {"webpage", "article"} else None
    handle = (mblog.get("user") or {}).get("screen_name")
    return ctx.post(
        PLATFORM,
        url=post_url(mid),
        body=body,
        handle=handle,
        default_lang="zh-Hans",
        kind="post",
        published_at=parse_date(mblog["created_at"]),
        parent_url=parent,
        discusses_url=discusses,
        metrics={
            "reposts": int_or_zero(mblog.get("reposts_count")),
            "replies": int_or_zero(mblog.get("comments_count")),
            "likes": int_or_zero(mblog.get("attitudes_count")),
        },
    )


def parse_comments(text: str, ctx: Context, mid: str, post: str, base: str = BASE) -> PageResult:
    data = _load(text)
    result = PageResult()
    if data.get("ok") != 1:  # no comments (or no more)
        return result
    payload = data.get("data") or {}
    for comment in payload.get("data") or []:
        _comment_items(comment, ctx, post, post, result)
    max_id = int_or_zero(payload.get("max_id"))
    if max_id:
        result.requests.append(
            NextRequest(comments_url(mid, max_id, base), "comments", {"mid": mid, "post_url": post})
        )
    return result


def _comment_items(comment: Any, ctx: Context, post: str, parent: str, result: PageResult) -> None:
    if not isinstance(comment, dict):
        result.skipped += 1
        return
    cid = str(comment.get("id", ""))
    body = html_to_text(comment.get("text"))
    if not cid or not body or any(m in body for m in DELETED_MARKERS):
        result.skipped += 1
        return
    url = f"{post}#comment-{cid}"
    try:
        published = parse_date(comment["created_at"])
    except (KeyError, ParseError):
        result.skipped += 1
        return
    result.items.append(
        ctx.post(
            PLATFORM,
            url=url,
            body=body,
            handle=(comment.get("user") or {}).get("screen_name"),
            default_lang="zh-Hans",
            kind="comment",
            published_at=published,
            parent_url=parent,
            metrics={"likes": int_or_zero(comment.get("like_count")),
                     "replies": int_or_zero(comment.get("total_number"))},
        )
    )
    for reply in comment.get("comments") or []:  # false when there are none
        _comment_items(reply, ctx, post, url, result)
