from __future__ import annotations

import pytest
from social_helpers import WEB, ctx

from crawler.platforms import fivech

HOST = WEB / "asahi.5ch.net"
THREAD = "https://asahi.5ch.net/test/read.cgi/newsplus/1748422931/"


def thread(key: str = "1748422931"):
    raw = (HOST / "test" / "read.cgi" / "newsplus" / key / "index.html").read_bytes()
    return fivech.parse_thread(raw, ctx("5ch"), f"http://asahi.5ch.net/test/read.cgi/newsplus/{key}/")


def test_fixtures_really_are_shift_jis() -> None:
    raw = (HOST / "newsplus" / "subject.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_subject_txt() -> None:
    threads = fivech.parse_subject((HOST / "newsplus" / "subject.txt").read_bytes())
    assert len(threads) == 6
    assert threads[0].key == "1748422931" and threads[0].count == 32
    assert threads[0].title.startswith("【経営管理ビザ】資本金要件")


def test_first_post_is_the_post_with_title_and_article_link() -> None:
    first = thread().items[0]
    assert first.kind == "post" and first.title.startswith("【経営管理ビザ】")
    assert first.url == "https://asahi.5ch.net/test/read.cgi/newsplus/1748422931/1"
    assert first.discusses_url == "http://jp.kasei-news.test/news/2025-06/250625.html"
    assert first.encoding == "cp932"


def test_aborn_posts_are_skipped() -> None:
    result = thread()
    assert result.skipped == 2 and len(result.items) == 30
    assert not any("あぼーん" in i.body for i in result.items)


def test_anchor_gives_parent_otherwise_thread_start() -> None:
    by_no = {i.metrics["number"]: i for i in thread().items}
    assert by_no[4].body == ">>3\n500万って中国の中産層でも出せる額だしな"
    assert by_no[4].parent_url == THREAD + "3"
    assert by_no[2].parent_url == THREAD + "1"
    assert by_no[3].metrics["replies"] == 1


def test_emoji_from_numeric_reference() -> None:
    by_no = {i.metrics["number"]: i for i in thread().items}
    assert by_no[15].body == "円安のせいで日本安すぎるからな\U0001F602"


def test_date_with_weekday_and_centiseconds_is_jst() -> None:
    assert fivech.parse_date("2025/07/21(月) 12:34:56.78") == "2025-07-21T03:34:56+00:00"


def test_id_is_hashed_author() -> None:
    items = thread().items
    assert all(i.author and i.author.startswith("h:") for i in items)
    assert len({i.author for i in items}) > 3
