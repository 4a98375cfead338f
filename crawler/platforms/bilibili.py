"""Bilibili web API (api.bilibili.com): video search and video comments.

Search:  /x/web-interface/search/type?search_type=video&keyword=<q>&page=N
         {"code":0,"data":{"page":1,"numPages":3,"result":[{"bvid","aid","title" (with <em class="keyword">),
         "description","author","pubdate" epoch,"play","like","review","favorites","arcurl"}]}}
Replies: /x/v2/reply?type=1&oid=<aid>&pn=N&sort=0
         {"code":0,"data":{"page":{"num","size","count"},"replies":[{"rpid","parent","ctime","like",
         "member":{"uname"},"content":{"message"},"replies":[...]}]}}
Errors:  code -412 (request intercepted) and -509 / -799 = rate limit; other non-zero codes = no data.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from crawler.platforms.common import (
    Context,
    NextRequest,
    PageResult,
    ParseError,
    RateLimited,
    epoch_to_iso,
    guess_lang,
    html_to_text,
    int_or_zero,
)

PLATFORM = "bilibili"
BASE = "https://api.bilibili.com"
RATE_LIMIT_CODES = {-412, -509, -799}


def search_url(query: str, page: int = 1, base: str = BASE) -> str:
    params = {"search_type": "video", "keyword": query, "page": str(page)}
    return f"{base}/x/web-interface/search/type?{urlencode(params)}"


def reply_url(aid: int | str, page: int = 1, base: str = BASE) -> str:
    return f"{base}/x/v2/reply?{urlencode({'type': '1', 'oid': str(aid), 'pn': str(page), 'sort': '0'})}"


def video_url(bvid: str) -> str:
    return f"https://www.bilibili.com/video/{bvid}"


def _load(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"bilibili: malformed JSON ({exc.msg} at {exc.pos})") from exc
    if not isinstance(data, dict):
        raise ParseError("bilibili: top level is not an object")
    code = data.get("code")
    if code in RATE_LIMIT_CODES:
        raise RateLimited(f"bilibili: code {code} {data.get('message', '')}")
    return data


def parse_search(text: str, ctx: Context, query: str, page: int, base: str = BASE) -> PageResult:
    data = _load(text)
    result = PageResult()
    if data.get("code") != 0:
        return result
    payload = data.get("data") or {}
    for video in payload.get("result") or []:
        if not isinstance(video, dict) or video.get("type", "video") != "video" or not video.get("bvid"):
            result.skipped += 1
            continue
        title = html_to_text(video.get("title"))
        body = html_to_text(video.get("description"))
        url = video_url(video["bvid"])
        result.items.append(
            ctx.post(
                PLATFORM,
                url=url,
                body=body,
                handle=video.get("author"),
                default_lang="zh-Hans",
                kind="post",
                title=title,
                lang=guess_lang(title + body, "zh-Hans"),
                published_at=epoch_to_iso(video.get("pubdate")),
                metrics={
                    "views": int_or_zero(video.get("play")),
                    "likes": int_or_zero(video.get("like")),
                    "replies": int_or_zero(video.get("review")),
                    "favorites": int_or_zero(video.get("favorites")),
                    "danmaku": int_or_zero(video.get("video_review")),
                },
            )
        )
        if int_or_zero(video.get("review")) > 0 and video.get("aid"):
            result.requests.append(
                NextRequest(reply_url(video["aid"], 1, base), "replies",
                            {"aid": video["aid"], "video_url": url, "page": 1})
            )
    num_pages = int_or_zero(payload.get("numPages"))
    if page < min(num_pages, ctx.max_pages):
        result.requests.append(
            NextRequest(search_url(query, page + 1, base), "search", {"query": query, "page": page + 1})
        )
    return result


def parse_replies(text: str, ctx: Context, aid: int | str, video: str, page: int,
                  base: str = BASE) -> PageResult:
    data = _load(text)
    result = PageResult()
    if data.get("code") != 0:  # 12002: comments closed, etc.
        return result
    payload = data.get("data") or {}
    for reply in payload.get("replies") or []:
        _reply_items(reply, ctx, video, result)
    info = payload.get("page") or {}
    size, count = int_or_zero(info.get("size")) or 20, int_or_zero(info.get("count"))
    if page * size < count and page < ctx.max_pages:
        result.requests.append(
            NextRequest(reply_url(aid, page + 1, base), "replies",
                        {"aid": aid, "video_url": video, "page": page + 1})
        )
    return result


def _reply_items(reply: Any, ctx: Context, video: str, result: PageResult) -> None:
    if not isinstance(reply, dict) or not reply.get("rpid"):
        result.skipped += 1
        return
    body = html_to_text((reply.get("content") or {}).get("message"))
    if not body:
        result.skipped += 1
        return
    url = f"{video}#reply{reply['rpid']}"
    parent = int_or_zero(reply.get("parent"))
    result.items.append(
        ctx.post(
            PLATFORM,
            url=url,
            body=body,
            handle=(reply.get("member") or {}).get("uname"),
            default_lang="zh-Hans",
            kind="comment",
            published_at=epoch_to_iso(reply.get("ctime")),
            parent_url=f"{video}#reply{parent}" if parent else video,
            metrics={"likes": int_or_zero(reply.get("like")),
                     "replies": int_or_zero(reply.get("rcount"))},
        )
    )
    for sub in reply.get("replies") or []:  # null when there are none
        _reply_items(sub, ctx, video, result)
