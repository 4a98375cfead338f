from __future__ import annotations

import pytest
from social_helpers import WEB, body, ctx, fetch

from crawler.platforms import bilibili
from crawler.platforms.common import ParseError, RateLimited
from runri_monitor.webserver import OfflineWeb

HOST = "api.bilibili.com"
SEARCH = "/x/web-interface/search/type"


def search(page: int):
    text = body(HOST, SEARCH, search_type="video", keyword="润日", page=str(page))
    return bilibili.parse_search(text, ctx("bilibili", "zh-Hans"), "润日", page)


def replies(aid: int, video: str, page: int):
    text = body(HOST, "/x/v2/reply", type="1", oid=str(aid), pn=str(page), sort="0")
    return bilibili.parse_replies(text, ctx("bilibili", "zh-Hans"), aid, video, page)


def test_code_412_is_a_rate_limit_then_search_answers() -> None:
    web = OfflineWeb(WEB)
    _, first = fetch(HOST, SEARCH, web, search_type="video", keyword="润日", page="1")
    with pytest.raises(RateLimited, match="-412"):
        bilibili.parse_search(first.decode(), ctx("bilibili"), "润日", 1)
    _, second = fetch(HOST, SEARCH, web, search_type="video", keyword="润日", page="1")
    assert len(bilibili.parse_search(second.decode(), ctx("bilibili"), "润日", 1).items) == 6


def test_video_fields() -> None:
    video = search(1).items[0]
    assert video.title == "【润日vlog】裸辞来东京的第一年，我后悔了吗？"  # <em class="keyword"> removed
    assert video.url.startswith("https://www.bilibili.com/video/BV1")
    assert video.kind == "post" and video.lang == "zh-Hans"
    assert video.published_at.endswith("+00:00")
    assert {"views", "likes", "replies", "favorites"} <= set(video.metrics)


def test_search_paging_follows_num_pages() -> None:
    assert [r.meta["page"] for r in search(1).requests if r.callback == "search"] == [2]
    assert not [r for r in search(2).requests if r.callback == "search"]


def test_reply_requests_only_for_videos_with_comments() -> None:
    reqs = [r for r in search(1).requests if r.callback == "replies"]
    assert len(reqs) == 4
    assert all("type=1" in r.url and "sort=0" in r.url and "pn=1" in r.url for r in reqs)


def first_video():
    req = next(r for r in search(1).requests if r.callback == "replies")
    return req.meta["aid"], req.meta["video_url"]


def test_replies_nested_and_paged() -> None:
    aid, video = first_video()
    p1 = replies(aid, video, 1)
    root = p1.items[0]
    assert root.kind == "comment" and root.parent_url == video and root.url.startswith(video + "#reply")
    children = [i for i in p1.items if i.parent_url == root.url]
    assert [c.body for c in children] == ["真的，我找了二十多家", "找中国人开的中介会好一点"]
    assert [r.meta["page"] for r in p1.requests] == [2]
    p2 = replies(aid, video, 2)
    assert {i.body for i in p2.items} >= {"同在东京，握爪🤝", "过了！去年12月考的"} and not p2.requests


def test_malformed_reply_page_raises_parse_error() -> None:
    reqs = [r for r in search(1).requests if r.callback == "replies"]
    last = reqs[-1]  # the "避坑指南" video has a truncated reply page
    with pytest.raises(ParseError):
        replies(last.meta["aid"], last.meta["video_url"], 1)
