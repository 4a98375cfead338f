"""Items yielded by every spider and written to the store by crawler.pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DocumentItem:
    """One article, post or comment. Field meanings: docs/architecture.md, "Crawled items"."""

    url: str
    canonical_url: str
    source_id: str
    kind: str = "article"  # article | post | comment
    title: str = ""
    body: str = ""
    lang: str | None = None  # ja | zh-Hans | zh-Hant | other
    author: str | None = None
    published_at: str | None = None  # ISO-8601 UTC
    fetched_at: str | None = None  # ISO-8601 UTC
    parent_url: str | None = None
    discusses_url: str | None = None
    platform: str = "web"
    metrics: dict[str, Any] = field(default_factory=dict)
    matched_terms: list[str] = field(default_factory=list)
    encoding: str | None = None
