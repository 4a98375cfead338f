from __future__ import annotations

from social_helpers import body, ctx

from crawler.platforms import tieba

HOST = "tieba.baidu.com"


def thread(tid: str, page: int = 1):
    q = {"pn": str(page)} if page > 1 else {}
    url = f"http://{HOST}/p/{tid}" + (f"?pn={page}" if page > 1 else "")
    return tieba.parse_thread(body(HOST, f"/p/{tid}", **q), ctx("tieba", "zh-Hans"), tid, page, url)


def test_forum_list_follows_matching_titles_only() -> None:
    result = tieba.parse_forum(body(HOST, "/f", kw="日本", ie="utf-8"), ctx("tieba"),
                               "http://tieba.baidu.com/f?kw=%E6%97%A5%E6%9C%AC", ["润", "签证", "移民"])
    assert sorted(r.meta["tid"] for r in result.requests) == ["8765432109", "8912345678", "9034567812"]


def test_first_floor_is_the_post() -> None:
    first = thread("8912345678").items[0]
    assert first.kind == "post" and first.title == "润日两年，说说在东京的真实生活"
    assert first.url == "https://tieba.baidu.com/p/8912345678" and first.parent_url is None
    assert first.body.startswith("坐标东京江东区")


def test_floors_are_comments_on_the_thread_and_folded_floor_is_skipped() -> None:
    result = thread("8912345678")
    assert result.skipped == 1 and len(result.items) == 9
    reply = result.items[1]
    assert reply.kind == "comment" and reply.parent_url == "https://tieba.baidu.com/p/8912345678"
    assert "?pid=" in reply.url and reply.metrics["floor"] == 2


def test_pager_next_page() -> None:
    assert [r.url for r in thread("8912345678").requests] == ["http://tieba.baidu.com/p/8912345678?pn=2"]
    p2 = thread("8912345678", 2)
    assert not p2.requests and p2.items[0].metrics["floor"] == 11


def test_date_is_china_time() -> None:
    assert tieba.parse_date("2024-06-02 21:15") == "2024-06-02T13:15:00+00:00"
