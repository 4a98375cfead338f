"""Baidu Tieba thread pages (tieba.baidu.com/p/<tid>?pn=N) and forum lists (/f?kw=<forum>).

Each floor is <div class="l_post j_l_post" data-field='{"author":{"user_name"},"content":{"post_id",
"post_no","date","comment_num"}}'> holding <div id="post_content_<pid>" class="d_post_content
j_d_post_content">text</div> and <span class="tail-info">2024-03-05 21:13</span> (China time).
Folded floors ("该楼层疑似违规已被系统折叠") have no content and are skipped. Floor 1 is the post,
other floors are comments on it (楼中楼 sub-replies are a separate API, not fetched here).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urljoin

from parsel import Selector

from crawler.platforms.common import (
    CST,
    Context,
    NextRequest,
    PageResult,
    ParseError,
    html_to_text,
    int_or_zero,
    to_utc_iso,
)

PLATFORM = "tieba"
BASE = "https://tieba.baidu.com"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
_TID = re.compile(r"/p/(\d+)")


def thread_url(tid: str | int, page: int = 1, base: str = BASE) -> str:
    return f"{base}/p/{tid}" if page == 1 else f"{base}/p/{tid}?pn={page}"


def parse_date(value: str) -> str:
    m = _DATE.search(value or "")
    if not m:
        raise ParseError(f"tieba date {value!r}")
    return to_utc_iso(datetime.strptime(m.group(0), "%Y-%m-%d %H:%M").replace(tzinfo=CST))


def parse_forum(text: str, ctx: Context, page_url: str, keywords: list[str]) -> PageResult:
    """Forum list: follow threads whose title contains one of `keywords` (all when empty)."""
    sel = Selector(text=text)
    result = PageResult()
    for a in sel.css("a.j_th_tit"):
        title = a.attrib.get("title") or a.css("::text").get() or ""
        m = _TID.search(a.attrib.get("href", ""))
        if m and (not keywords or any(k in title for k in keywords)):
            result.requests.append(NextRequest(urljoin(page_url, f"/p/{m.group(1)}"), "thread",
                                               {"tid": m.group(1), "page": 1}))
    return result


def parse_thread(text: str, ctx: Context, tid: str, page: int, page_url: str) -> PageResult:
    sel = Selector(text=text)
    title = (sel.css("h3.core_title_txt::attr(title)").get()
             or sel.css("h3.core_title_txt::text").get() or "").strip()
    root = thread_url(tid)
    result = PageResult()
    for floor in sel.css("div.l_post"):
        try:
            field = json.loads(floor.attrib.get("data-field") or "{}")
        except json.JSONDecodeError:
            result.skipped += 1
            continue
        content = field.get("content") or {}
        pid = str(content.get("post_id") or "")
        node = floor.css(".j_d_post_content")
        if not pid or not node:
            result.skipped += 1  # folded / deleted floor
            continue
        body = html_to_text(node.get())
        tails = floor.css(".tail-info::text").getall()
        try:
            published = parse_date(content.get("date") or (tails[-1] if tails else ""))
        except ParseError:
            result.skipped += 1
            continue
        floor_no = int_or_zero(content.get("post_no"))
        url = root if floor_no == 1 else f"{root}?pid={pid}#{pid}"
        result.items.append(
            ctx.post(
                PLATFORM,
                url=url,
                body=body,
                handle=(field.get("author") or {}).get("user_name"),
                default_lang="zh-Hans",
                kind="post" if floor_no == 1 else "comment",
                title=title if floor_no == 1 else "",
                published_at=published,
                parent_url=None if floor_no == 1 else root,
                metrics={"floor": floor_no, "replies": int_or_zero(content.get("comment_num"))},
            )
        )
    nxt = sel.css("li.pb_list_pager a:contains('下一页')::attr(href)").get()
    if nxt and page < ctx.max_pages:
        result.requests.append(NextRequest(urljoin(page_url, nxt), "thread", {"tid": tid, "page": page + 1}))
    return result
