from __future__ import annotations

import pytest

from crawler.extraction.canonical import canonicalize_url, choose_canonical, same_site


@pytest.mark.parametrize("url,want", [
    ("HTTP://WWW.Example.JP:80/a/b/?utm_source=x&id=3&fbclid=1#frag", "http://www.example.jp/a/b?id=3"),
    ("http://m.example.jp/articles/12/amp", "http://www.example.jp/articles/12"),
    ("http://www.example.jp/amp/articles/12", "http://www.example.jp/articles/12"),
    ("http://www.example.jp/articles/12.amp.html", "http://www.example.jp/articles/12.html"),
    ("http://www.example.jp/articles/12/index.html", "http://www.example.jp/articles/12"),
    ("http://www.example.jp/a?amp=1&b=2&a=1", "http://www.example.jp/a?a=1&b=2"),
    ("http://example.jp/", "http://example.jp/"),
    ("https://news.example.cn/a/1.html?spm=a2c4&from=timeline", "https://news.example.cn/a/1.html"),
])
def test_canonicalize(url, want):
    assert canonicalize_url(url) == want


def test_variants_collapse_to_one_key():
    variants = ["http://www.ex.jp/articles/9/", "http://www.ex.jp/articles/9?utm_medium=rss",
                "http://sp.ex.jp/articles/9", "http://www.ex.jp/articles/9#comments"]
    assert len({canonicalize_url(v) for v in variants}) == 1


def test_choose_canonical_only_trusts_same_site():
    page = "http://www.ex.co.jp/articles/9?x=1"
    assert choose_canonical(page, ["/articles/9"]) == "http://www.ex.co.jp/articles/9"
    assert choose_canonical(page, ["http://spam.example.com/x"]) == "http://www.ex.co.jp/articles/9?x=1"
    assert same_site("http://a.ex.co.jp/", "http://b.ex.co.jp/")
    assert not same_site("http://a.ex.co.jp/", "http://a.other.co.jp/")
