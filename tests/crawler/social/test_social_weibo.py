from __future__ import annotations

import pytest
from social_helpers import WEB, body, ctx, fetch, load_json

from crawler.platforms import weibo
from crawler.platforms.common import ParseError, RateLimited
from runri_monitor.webserver import OfflineWeb

HOST = "m.weibo.cn"
SEARCH = "/api/container/getIndex"
Q = "100103type=1&q=润日"


def search(page: int):
    text = body(HOST, SEARCH, containerid=Q, page_type="searchall", page=str(page))
    return weibo.parse_search(text, ctx("weibo", "zh-Hans"), "润日", page)


def test_search_url_matches_the_real_endpoint() -> None:
    url = weibo.search_url("润日", 2)
    assert url.startswith("https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D")
    assert url.endswith("&page_type=searchall&page=2")


def test_first_answer_is_rate_limited_then_data() -> None:
    web = OfflineWeb(WEB)
    _, first = fetch(HOST, SEARCH, web, containerid=Q, page="1")
    with pytest.raises(RateLimited):
        weibo.parse_search(first.decode(), ctx("weibo"), "润日", 1)
    _, second = fetch(HOST, SEARCH, web, containerid=Q, page="1")
    assert weibo.parse_search(second.decode(), ctx("weibo"), "润日", 1).items


def test_deleted_mblog_is_skipped() -> None:
    result = search(1)
    assert result.skipped == 1
    assert not any("删除" in item.body for item in result.items)
    assert len(result.items) == 9


def test_post_fields() -> None:
    item = search(1).items[0]
    assert item.kind == "post" and item.platform == "weibo" and item.lang == "zh-Hans"
    assert item.url.startswith("https://m.weibo.cn/detail/")
    assert "#润日#" in item.body and "<a" not in item.body
    assert item.author.startswith("h:")
    assert set(item.metrics) == {"reposts", "replies", "likes"}


def test_emoticon_alt_text_is_kept() -> None:
    assert search(1).items[1].body.endswith("[允悲]")


def test_discusses_url_from_page_info() -> None:
    items = search(1).items
    assert items[1].discusses_url == "http://news.shenzhou-wang.test/a/20250612/6318423.html"


def test_repost_of_deleted_post_has_no_parent_and_repost_links_original() -> None:
    p1, p2 = search(1).items, search(2).items
    assert p1[3].body.startswith("这条怎么删了") and p1[3].parent_url is None
    repost = next(i for i in p2 if i.body.startswith("说得太对了"))
    assert repost.parent_url == p2[1].url


def test_paging_stops_on_last_page() -> None:
    assert any(r.callback == "search" and r.meta["page"] == 2 for r in search(1).requests)
    assert not any(r.callback == "search" for r in search(2).requests)


def test_created_at_to_utc() -> None:
    assert weibo.parse_date("Mon Jul 21 12:34:56 +0800 2025") == "2025-07-21T04:34:56+00:00"
    with pytest.raises(ParseError):
        weibo.parse_date("3分钟前")


def comments_for(index: int):
    data = load_json(HOST, SEARCH, containerid=Q, page="1")
    mblogs = weibo._mblogs(data["data"]["cards"])
    mid = mblogs[index]["mid"]
    return mid, weibo.post_url(mid)


def test_comments_with_nested_replies_and_max_id_paging() -> None:
    mid, post = comments_for(1)  # the business-manager visa post: two pages of comments
    p1 = weibo.parse_comments(body(HOST, "/comments/hotflow", id=mid), ctx("weibo"), mid, post)
    nxt = [r for r in p1.requests if r.callback == "comments"]
    assert len(nxt) == 1 and "max_id=" in nxt[0].url
    top = p1.items[0]
    assert top.kind == "comment" and top.parent_url == post and top.url.startswith(post + "#comment-")
    nested = [i for i in p1.items if i.parent_url == top.url]
    assert [i.body for i in nested] == ["对普通小老板来说就是门槛了", "还要雇全职员工，这个才是难点"]
    max_id = nxt[0].url.split("max_id=")[1].split("&")[0]
    p2 = weibo.parse_comments(body(HOST, "/comments/hotflow", id=mid, max_id=max_id), ctx("weibo"), mid, post)
    assert p2.items and not p2.requests


def test_malformed_json_raises_parse_error() -> None:
    text = body(HOST, SEARCH, containerid="100103type=1&q=润去日本", page="1")
    with pytest.raises(ParseError, match="malformed"):
        weibo.parse_search(text, ctx("weibo"), "润去日本", 1)


def test_no_more_results_is_not_an_error() -> None:
    assert weibo.parse_search('{"ok":0,"msg":"这里还没有内容"}', ctx("weibo"), "x", 3).items == []
