"""XML sitemaps: sitemap indexes and urlsets, aware of Google News (news:news) entries."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

__all__ = ["SitemapEntry", "parse_sitemap"]


@dataclass
class SitemapEntry:
    url: str
    lastmod: str | None = None
    title: str | None = None  # news:title
    published: str | None = None  # news:publication_date


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[SitemapEntry]]:
    """("index", child sitemaps) or ("urlset", pages); ("invalid", []) for anything else."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return "invalid", []
    if root is None:
        return "invalid", []
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        return "invalid", []
    entries: list[SitemapEntry] = []
    for el in root:
        if _local(el.tag) not in ("sitemap", "url"):
            continue
        entry = SitemapEntry(url="")
        for child in el.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and not entry.url:
                entry.url = urljoin(base_url, text)
            elif name == "lastmod":
                entry.lastmod = text
            elif name == "title":
                entry.title = text
            elif name == "publication_date":
                entry.published = text
        if entry.url:
            entries.append(entry)
    return ("index" if kind == "sitemapindex" else "urlset"), entries
