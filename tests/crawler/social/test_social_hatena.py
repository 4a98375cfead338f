from __future__ import annotations

from social_helpers import body, ctx

from crawler.platforms import hatena

HOST = "b.hatena.ne.jp"
NEWS = "http://jp.kasei-news.test/news/2025-06/250625.html"


def entry(url: str, keep: bool = False):
    return hatena.parse_entry(body(HOST, "/entry/jsonlite/", url=url), ctx("hatena", keep_handles=keep), url)


def test_entry_url_is_the_jsonlite_endpoint() -> None:
    assert hatena.entry_url(NEWS) == ("https://b.hatena.ne.jp/entry/jsonlite/?url=http%3A%2F%2Fjp.kasei-news.test"
                                      "%2Fnews%2F2025-06%2F250625.html")


def test_comments_discuss_the_news_url_and_bare_bookmarks_are_skipped() -> None:
    result = entry(NEWS)
    assert len(result.items) == 10 and result.skipped == 2
    assert all(i.discusses_url == NEWS and i.kind == "comment" and i.parent_url is None for i in result.items)
    assert "500万で家族ごと移住できてたのが異常だった。遅すぎ" in {i.body for i in result.items}


def test_timestamp_is_jst() -> None:
    assert hatena.parse_date("2025/05/28 19:05") == "2025-05-28T10:05:00+00:00"


def test_hashed_author_url_has_no_handle_and_keep_handles_gives_permalink() -> None:
    hashed = entry(NEWS).items[0]
    assert hashed.url.startswith("https://b.hatena.ne.jp/entry/") and hashed.author.startswith("h:")
    kept = entry(NEWS, keep=True).items[0]
    assert kept.url == f"https://b.hatena.ne.jp/{kept.author}/{kept.url.split('/')[4]}"
    assert "#bookmark-" in kept.url


def test_url_nobody_bookmarked_answers_null() -> None:
    result = entry("http://jp.kasei-news.test/news/2022-10/221025.html")
    assert result.items == [] and result.requests == []


def test_search_pages_lead_to_entries_and_next_page() -> None:
    p1 = hatena.parse_search(body(HOST, "/q/潤日", target="text", sort="recent"), ctx("hatena"),
                             "http://b.hatena.ne.jp/q/%E6%BD%A4%E6%97%A5?target=text&sort=recent", 1)
    entries = [r for r in p1.requests if r.callback == "entry"]
    assert [r.meta["news_url"] for r in entries][0] == NEWS and len(entries) == 3
    nxt = [r for r in p1.requests if r.callback == "search"]
    assert nxt[0].url.endswith("page=2")
    p2 = hatena.parse_search(body(HOST, "/q/潤日", target="text", sort="recent", page="2"), ctx("hatena"),
                             nxt[0].url, 2)
    assert len(p2.requests) == 4 and all(r.callback == "entry" for r in p2.requests)
