"""Extraction quality against the gold pages (corpus/gold/extraction/*.jsonl).

Each gold page is fetched through the offline web server (so the real HTTP headers and charsets
apply), extracted exactly as the spider does, and compared field by field:
title exact (after whitespace normalization), date as the same instant, body character F1
(bag of non-whitespace characters), per language.
"""

from __future__ import annotations

import json
import unicodedata
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction import ExtractOptions, extract_document
from crawler.extraction.canonical import canonicalize_url
from crawler.sources import Source, check_sources

__all__ = ["char_f1", "same_instant", "evaluate_extraction", "PageResult", "load_gold"]


def _norm(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", s or "").split())


def char_f1(predicted: str, gold: str) -> float:
    p = Counter(c for c in predicted if not c.isspace())
    g = Counter(c for c in gold if not c.isspace())
    if not p and not g:
        return 1.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def same_instant(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False


@dataclass
class PageResult:
    url: str
    lang: str
    title_ok: bool
    date_ok: bool
    body_f1: float
    got: dict[str, Any] = field(default_factory=dict)
    want: dict[str, Any] = field(default_factory=dict)


def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _fetch(url: str, proxy: str) -> tuple[bytes, str | None, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
    with opener.open(url, timeout=30) as resp:
        return resp.read(), resp.headers.get_content_charset(), resp.geturl()


def _source_for(url: str, sources: list[Source]) -> Source | None:
    host = urlsplit(url).hostname
    return next((s for s in sources if host in s.hosts), None)


def evaluate_extraction(gold_dir: Path, sources_dir: Path, proxy: str, use_selectors: bool = True) -> tuple[dict[str, dict[str, float]],
                                                                             list[PageResult]]:
    """Per-language summary {lang: {pages, title_acc, date_acc, body_f1}} and per-page results."""
    sources, _ = check_sources(sources_dir)
    results: list[PageResult] = []
    for gold in load_gold(gold_dir):
        url = gold["url"]
        src = _source_for(url, sources)
        opts = ExtractOptions(selectors=src.selectors if src and use_selectors else {}, timezone=src.timezone if src else None,
                              language=src.language if src else None, site_name=src.name if src else None)
        try:
            body, charset, final_url = _fetch(url, proxy)
        except OSError as exc:
            results.append(PageResult(url, gold.get("lang", "?"), False, False, 0.0, {"error": str(exc)}, gold))
            continue
        art, codec = extract_document(body, final_url, charset, opts)
        results.append(PageResult(
            url=url, lang=gold.get("lang", "?"),
            title_ok=_norm(art.title) == _norm(gold.get("title")),
            date_ok=same_instant(art.published_at, gold.get("published_at")),
            body_f1=char_f1(art.body, gold.get("body") or ""),
            got={"title": art.title, "published_at": art.published_at, "body": art.body, "author": art.author,
                 "canonical_url": art.canonical_url, "lang": art.lang, "encoding": codec,
                 "gold_canonical": canonicalize_url(url)},
            want=gold,
        ))
    groups: dict[str, list[PageResult]] = defaultdict(list)
    for r in results:
        groups[r.lang].append(r)
        groups["all"].append(r)
    summary = {
        lang: {"pages": len(rs), "title_acc": sum(r.title_ok for r in rs) / len(rs),
               "date_acc": sum(r.date_ok for r in rs) / len(rs), "body_f1": sum(r.body_f1 for r in rs) / len(rs)}
        for lang, rs in groups.items()
    }
    return summary, results
