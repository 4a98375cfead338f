"""5ch (2ch): board subject lists and thread pages, both Shift_JIS (decoded as CP932).

subject.txt: one thread a line, "1721532896.dat<>スレタイ (123)".
read.cgi:    /test/read.cgi/<board>/<key>/ ; each post is
             <div class="post" id="N" data-userid="ID:xxxx"><div class="meta"><span class="number">N</span>
             <span class="name"><b>名無し</b></span><span class="date">2025/07/21(月) 12:34:56.78</span>
             <span class="uid">ID:xxxx</span></div><div class="message"><span class="escaped">...</span></div></div>
Deleted posts read "あぼーん" in name, date and body. ">>12" anchors give reply parents.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from parsel import Selector

from crawler.platforms.common import (
    JST,
    Context,
    PageResult,
    ParseError,
    html_to_text,
    int_or_zero,
    to_utc_iso,
)

PLATFORM = "5ch"
ENCODING = "cp932"  # Shift_JIS as Windows writes it (①, ～, NEC specials)
ABORN = "あぼーん"
_SUBJECT = re.compile(r"^(\d+)\.dat<>(.*)\s\((\d+)\)\s*$")
_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\([^)]*\)\s*(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?")
_ANCHOR = re.compile(r">>(\d{1,4})")
_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class Thread:
    key: str
    title: str
    count: int


def parse_subject(raw: bytes) -> list[Thread]:
    text = raw.decode(ENCODING, errors="replace")
    threads = []
    for line in text.splitlines():
        m = _SUBJECT.match(line.strip())
        if m:
            threads.append(Thread(m.group(1), html.unescape(m.group(2)).strip(), int(m.group(3))))
    return threads


def thread_url(server_base: str, board: str, key: str) -> str:
    return f"{server_base}/test/read.cgi/{board}/{key}/"


def parse_date(value: str) -> str:
    m = _DATE.search(value)
    if not m:
        raise ParseError(f"5ch date {value!r}")
    y, mo, d, h, mi, s = (int(g) for g in m.groups())
    return to_utc_iso(datetime(y, mo, d, h, mi, s, tzinfo=JST))


def parse_thread(raw: bytes, ctx: Context, url: str) -> PageResult:
    """One thread page: post 1 is the post, the rest are comments (parent: first >>N, else post 1)."""
    sel = Selector(text=raw.decode(ENCODING, errors="replace"))
    parts = urlsplit(url)
    base = f"https://{parts.netloc}{parts.path.rstrip('/')}"  # canonical: https, no trailing slash
    title = html_to_text(sel.css("h1.title").get() or sel.css("title").get() or "")
    result = PageResult()
    discusses = None
    for post in sel.css("div.post"):
        number = int_or_zero(post.css(".number::text").get() or post.attrib.get("id"))
        body = html_to_text(post.css(".message").get())
        date_text = post.css(".date::text").get() or ""
        if not number or ABORN in date_text or body == ABORN:
            result.skipped += 1  # deleted by a moderator ("あぼーん")
            continue
        try:
            published = parse_date(date_text)
        except ParseError:
            result.skipped += 1
            continue
        if number == 1:
            links = [u for u in _LINK.findall(body) if ".5ch.net" not in u]
            discusses = links[0] if links else None
        anchors = [int(a) for a in _ANCHOR.findall(body) if 0 < int(a) < number]
        parent = anchors[0] if anchors else (1 if number > 1 else None)
        uid = (post.attrib.get("data-userid") or post.css(".uid::text").get() or "").strip()
        result.items.append(
            ctx.post(
                PLATFORM,
                url=f"{base}/{number}",
                body=body,
                handle=uid.removeprefix("ID:") or None,
                default_lang="ja",
                kind="post" if number == 1 else "comment",
                title=title if number == 1 else "",
                published_at=published,
                parent_url=f"{base}/{parent}" if parent else None,
                discusses_url=discusses,
                metrics={"number": number, "replies": 0},
                encoding=ENCODING,
            )
        )
    # Reply counts: how many later posts anchor to each post (5ch has no likes).
    by_url = {item.canonical_url: item for item in result.items}
    for item in result.items:
        if item.parent_url in by_url and item.canonical_url != item.parent_url:
            by_url[item.parent_url].metrics["replies"] += 1
    return result
