"""RSS 0.9x / 1.0 (RDF) / 2.0 and Atom feeds: entries with link, title and date."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

__all__ = ["FeedEntry", "parse_feed", "looks_like_feed"]


@dataclass
class FeedEntry:
    url: str
    title: str = ""
    published: str | None = None
    summary: str = ""


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<rss" in head or b"<rdf:rdf" in head or b"<feed" in head


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entries in document order; undecodable or non-feed input gives []. lxml reads the XML
    declaration's encoding itself (Shift_JIS feeds exist)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    entries: list[FeedEntry] = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        link = None
        for child in el:
            if _local(child.tag) == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href
                    break
                if not href and (child.text or "").strip():
                    link = child.text.strip()
                    break
        if not link:
            link = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or _child_text(el, "guid", "id")
        if not link:
            continue
        entries.append(FeedEntry(
            url=urljoin(base_url, link.strip()),
            title=_child_text(el, "title") or "",
            published=_child_text(el, "pubdate", "date", "published", "updated", "issued"),
            summary=_child_text(el, "description", "summary") or "",
        ))
    return entries
