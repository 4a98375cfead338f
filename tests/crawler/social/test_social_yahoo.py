from __future__ import annotations

import pytest
from social_helpers import body, ctx

from crawler.platforms import yahoo
from crawler.platforms.common import ParseError

HOST = "news.yahoo.co.jp"
ART = "a8f3c2d1e0b94f6a7c5e2d1b0a9f8e7d6c5b4a31"
THREAD = f"https://news.yahoo.co.jp/articles/{ART}/comments"


def page(n: int):
    q = {"page": str(n)} if n > 1 else {}
    url = f"http://{HOST}/articles/{ART}/comments" + (f"?page={n}" if n > 1 else "")
    return yahoo.parse_comments(body(HOST, f"/articles/{ART}/comments", **q), ctx("yahoo"), url, n)


def test_comments_with_replies() -> None:
    items = page(1).items
    top = items[0]
    assert top.body == "制度の抜け穴を塞ぐのは当然。むしろ遅すぎたくらい。"
    assert top.url.startswith(THREAD + "#comment-") and top.parent_url is None
    assert [i.parent_url for i in items[1:3]] == [top.url, top.url]
    assert top.metrics["replies"] == 2 and "likes" in top.metrics and "dislikes" in top.metrics


def test_discusses_the_original_outlet_article() -> None:
    assert {i.discusses_url for i in page(1).items} == {"http://news.toto-hoso.test/news/20250615/t250615.html"}


def test_paging_and_deleted_comment() -> None:
    assert [r.meta["page"] for r in page(1).requests] == [2]
    p2 = page(2)
    assert p2.skipped == 1 and not p2.requests


def test_posted_time_to_utc() -> None:
    assert page(1).items[0].published_at.endswith("+00:00")


def test_page_without_state_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        yahoo.parse_comments("<html><body>Access Denied</body></html>", ctx("yahoo"), THREAD, 1)
