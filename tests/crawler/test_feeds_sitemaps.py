from __future__ import annotations

from crawler.extraction.feeds import looks_like_feed, parse_feed
from crawler.extraction.sitemaps import parse_sitemap
from tests.conftest import FIXTURE_WEB

RDF = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<item rdf:about="http://a.test/1"><title>one</title><link>http://a.test/1</link><dc:date>2023-04-01T09:00:00+09:00</dc:date></item>
</rdf:RDF>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>
<link rel="alternate" href="/posts/2"/><updated>2023-04-02T00:00:00Z</updated></entry></feed>"""


def test_rss2_from_fixture():
    body = (FIXTURE_WEB / "news.fixture.test" / "rss.xml").read_bytes()
    entries = parse_feed(body, "http://news.fixture.test/rss.xml")
    assert looks_like_feed(body)
    assert entries[0].url == "http://news.fixture.test/articles/1.html?utm_source=rss"
    assert entries[0].published == "Sat, 01 Apr 2023 01:30:00 GMT"
    assert len(entries) == 6


def test_rss1_rdf_and_atom():
    (e,) = parse_feed(RDF, "http://a.test/rss.rdf")
    assert (e.url, e.title, e.published) == ("http://a.test/1", "one", "2023-04-01T09:00:00+09:00")
    (a,) = parse_feed(ATOM, "http://b.test/atom.xml")
    assert a.url == "http://b.test/posts/2" and a.published == "2023-04-02T00:00:00Z"


def test_shift_jis_feed():
    body = ('<?xml version="1.0" encoding="Shift_JIS"?><rss><channel><item><title>潤日</title>'
            "<link>http://a.test/1</link></item></channel></rss>").encode("cp932")
    assert parse_feed(body, "http://a.test/")[0].title == "潤日"


def test_garbage_feed_is_empty():
    assert parse_feed(b"<html><body>not a feed", "http://a.test/") == []
    assert parse_feed(b"", "http://a.test/") == []


def test_sitemap_index_and_news_urlset():
    kind, entries = parse_sitemap((FIXTURE_WEB / "news.fixture.test" / "sitemap_index.xml").read_bytes(), "http://x/")
    assert kind == "index" and entries[0].url == "http://news.fixture.test/sitemap_news.xml"
    kind, entries = parse_sitemap((FIXTURE_WEB / "news.fixture.test" / "sitemap_news.xml").read_bytes(), "http://x/")
    assert kind == "urlset"
    assert entries[0].published == "2022-06-01T08:00:00+09:00" and entries[0].title == "旧"
    assert parse_sitemap(b"<html/>", "http://x/") == ("invalid", [])
