"""Extraction without Scrapy: bytes of a page in, a DocumentItem out (the facade spiders and
`runri eval extraction` share). One module per concern: encoding, article, dates, canonical,
dedup, relevance, feeds, sitemaps, language."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extraction.article import Article, ExtractOptions, extract_article
from crawler.extraction.encoding import decode_html
from crawler.extraction.relevance import is_relevant
from crawler.items import DocumentItem

__all__ = ["Article", "ExtractOptions", "extract_article", "decode_html", "extract_document", "page_to_item"]


def extract_document(body: bytes, url: str, header_charset: str | None = None,
                     options: ExtractOptions | None = None) -> tuple[Article, str]:
    """Decode (header -> meta -> detection, mojibake-checked) and extract. Returns (article, codec)."""
    text, codec = decode_html(body, header_charset)
    return extract_article(text, url, options), codec


def page_to_item(article: Article, source_id: str, codec: str | None) -> tuple[DocumentItem, bool]:
    """The item to store and whether it passes the relevance filter (matched terms recorded)."""
    relevant, terms = is_relevant(article.title + "\n" + article.body)
    item = DocumentItem(
        url=article.url, canonical_url=article.canonical_url, source_id=source_id, kind="article",
        title=article.title, body=article.body, lang=article.lang, author=article.author,
        published_at=article.published_at, fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        platform="web", matched_terms=terms, encoding=codec,
    )
    return item, relevant
