"""Full-text search across Japanese and Chinese, any script, with highlighted snippets.

Matching uses the store's bigram index over the folded text (Store / fts_query), so 润日 finds 潤日.
Highlighting works on the *original* text: each character is folded on its own and only index
characters (CJK and Latin/digits) are kept in a stream that remembers original positions, so a
match found in the folded stream maps back to the exact original span, even across a separator
such as the ・ in 経営・管理.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nlp.normalize import CJK_CLASS, fold
from runri_monitor.errors import InputError
from runri_monitor.store import Store, fts_query
from runri_monitor.trends import Filters, where_clause

__all__ = ["SearchHit", "search", "find_spans", "snippet"]

_INDEX_CHAR = re.compile(rf"[{CJK_CLASS}0-9a-z]")


@dataclass
class SearchHit:
    id: int
    url: str
    title: str
    lang: str | None
    source_id: str | None
    kind: str | None
    published_at: str | None
    snippet: str
    spans: list[tuple[int, int]]  # matched [start, end) offsets in the original body (or title)
    field: str  # "body" or "title": where the snippet comes from
    rank: float

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "spans": [list(s) for s in self.spans]}


def _stream(text: str) -> tuple[str, list[int]]:
    """Folded index characters of `text` and, for each, its offset in the original."""
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch):  # NFKC can expand one char (e.g. ㈱ -> (株)); all map to position i
            if f != "・" and _INDEX_CHAR.match(f):  # the middle dot is a separator, not a word char
                chars.append(f)
                pos.append(i)
    return "".join(chars), pos


def find_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Original-text spans matching any query term (folded, separators ignored), sorted, merged."""
    stream, pos = _stream(text)
    spans: list[tuple[int, int]] = []
    for term in query.split():
        needle, _ = _stream(term)
        if not needle:
            continue
        start = stream.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append((pos[start], pos[end] + 1))
            start = stream.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(
    text: str, spans: list[tuple[int, int]], width: int = 80, mark: tuple[str, str] = ("<mark>", "</mark>")
) -> str:
    """A window of about `width` characters around the first match, every match inside it marked."""
    if not spans:
        cut = text[:width].replace("\n", " ")
        return cut + ("…" if len(text) > width else "")
    first = spans[0][0]
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    out, cursor = [], start
    for s, e in spans:
        if s >= end:
            break
        if e <= start:
            continue
        s, e = max(s, start), min(e, end)
        out += [text[cursor:s], mark[0], text[s:e], mark[1]]
        cursor = e
    out.append(text[cursor:end])
    body = "".join(out).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def search(
    store: Store,
    query: str,
    f: Filters | None = None,
    *,
    limit: int = 20,
    width: int = 80,
    mark: tuple[str, str] = ("<mark>", "</mark>"),
    windows: tuple[int | None, ...] = (5000, 100_000, None),
) -> list[SearchHit]:
    """Best-first (BM25) documents matching every query term, with filters and snippets.

    For very frequent terms the ranking covers the most recently stored `window` matches first and
    widens (up to all matches) only when the filters leave fewer than `limit` hits.
    """
    match = fts_query(query)
    if not match:
        raise InputError(f"query has no searchable terms: {query!r}")
    f = f or Filters()
    f = Filters(**{**f.__dict__, "query": None})  # the MATCH below is the query
    where, params = where_clause(f)
    rows: list[tuple] = []
    for window in windows:
        # BM25 over the `window` most recently stored matches (FTS5 walks its doclist backwards and
        # stops): a term found in 300,000 documents is ranked in milliseconds, not in a second.
        inner = "ORDER BY rowid DESC LIMIT ?" if window else ""
        sql = (
            "SELECT d.id, d.url, d.title, d.body, d.lang, d.source_id, d.kind, d.published_at, m.rank FROM "
            f"(SELECT rowid, bm25(documents_fts, 2.0, 1.0) AS rank FROM documents_fts WHERE documents_fts MATCH ? {inner}) m "
            f"JOIN documents d ON d.seq = m.rowid WHERE {where} ORDER BY m.rank LIMIT ?"
        )
        args = [match, window, *params, limit] if window else [match, *params, limit]
        rows = store.db.execute(sql, args).fetchall()
        if len(rows) >= limit or not window:
            break
        n = store.db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?)",
            [match, window + 1],
        ).fetchone()[0]
        if n <= window:  # the window held every match: the answer is complete
            break
    hits = []
    for r in rows:
        doc_id, url, title, body, lang, source, kind, published, rank = r
        title, body = title or "", body or ""
        spans = find_spans(body, query)
        field, text = ("body", body) if spans or not title else ("title", title)
        if field == "title":
            spans = find_spans(title, query)
        hits.append(
            SearchHit(doc_id, url, title, lang, source, kind, published, snippet(text, spans, width, mark),
                      spans, field, round(rank, 4))
        )
    return hits
