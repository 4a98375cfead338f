"""Exports for researchers: documents + annotations + topics, and cluster runs, as CSV / JSONL / Parquet.

Rows stream from SQLite in chunks (a million-row export never sits in memory). Every export folder
gets a datasheet (README.md): what the fields mean, how the data was made, counts, date range,
NLP version and crawl dates, so the files can be cited on their own.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from runri_monitor.errors import InputError
from runri_monitor.store import Store, utc_now
from runri_monitor.trends import Filters, where_clause

__all__ = ["FORMATS", "DOCUMENT_FIELDS", "export_documents", "write_table", "parse_formats", "provenance"]

FORMATS = ("jsonl", "csv", "parquet")

# name -> (type, description). Types: int, float, str, json (list/dict; a JSON string in CSV).
DOCUMENT_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("int", "stable document id (63 bits of SHA-1 of the canonical URL)"),
    "url": ("str", "URL fetched"),
    "canonical_url": ("str", "canonical URL (tracking parameters and mobile/AMP variants removed)"),
    "source_id": ("str", "source (outlet or platform) id, see corpus/sources"),
    "kind": ("str", "article | post | comment"),
    "platform": ("str", "web for news sites, else the social platform"),
    "parent_id": ("int", "id of the post a comment replies to"),
    "lang": ("str", "ja | zh-Hans | zh-Hant | other"),
    "title": ("str", "title (posts may have none)"),
    "body": ("str", "main text, paragraphs separated by newlines"),
    "author": ("str", "author name (news) or salted hash of the handle (social)"),
    "published_at": ("str", "publication time, ISO-8601 UTC"),
    "fetched_at": ("str", "crawl time, ISO-8601 UTC"),
    "dup_of": ("int", "id of the original when this document is a copy"),
    "metrics": ("json", "engagement counts (likes, reposts, replies, views) where the platform shows them"),
    "nlp_version": ("str", "version of the NLP stage that made the annotation"),
    "sentiment": ("float", "sentiment score in [-1, 1]"),
    "sentiment_label": ("str", "positive | negative | neutral"),
    "stance_label": ("str", "stance toward Chinese newcomers: welcoming | hostile | neutral"),
    "keywords": ("json", "keywords (list)"),
    "entities": ("json", "named entities (list)"),
    "topics": ("json", "topic ids from corpus/taxonomy.toml (list)"),
}


def parse_formats(value: str | Iterable[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    out = [i.strip().lower() for i in items if i.strip()]
    bad = [i for i in out if i not in FORMATS]
    if bad or not out:
        raise InputError(f"formats must be among {', '.join(FORMATS)}, not {','.join(bad) or 'nothing'}")
    return list(dict.fromkeys(out))


def _arrow_schema(fields: dict[str, tuple[str, str]]):
    import pyarrow as pa

    kinds = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "json": pa.string()}
    return pa.schema([(k, kinds[t]) for k, (t, _) in fields.items()])


def write_table(
    rows: Iterable[dict[str, Any]], fields: dict[str, tuple[str, str]], base: Path, formats: list[str],
    chunk: int = 5000,
) -> int:
    """Write rows to base.<fmt> for each format; json-typed fields are JSON strings in CSV/Parquet."""
    base.parent.mkdir(parents=True, exist_ok=True)
    names = list(fields)
    json_fields = [k for k, (t, _) in fields.items() if t == "json"]
    n = 0
    with ExitStack() as stack:
        jsonl = csv_writer = parquet = None
        if "jsonl" in formats:
            jsonl = stack.enter_context(open(base.with_suffix(".jsonl"), "w", encoding="utf-8"))
        if "csv" in formats:
            fh = stack.enter_context(open(base.with_suffix(".csv"), "w", encoding="utf-8", newline=""))
            csv_writer = csv.writer(fh)
            csv_writer.writerow(names)
        if "parquet" in formats:
            import pyarrow.parquet as pq

            schema = _arrow_schema(fields)
            parquet = pq.ParquetWriter(str(base.with_suffix(".parquet")), schema)
            stack.callback(parquet.close)
        buffer: list[dict[str, Any]] = []

        def flush() -> None:
            if parquet is not None and buffer:
                import pyarrow as pa

                flat = [{k: _flat(r.get(k), k in json_fields) for k in names} for r in buffer]
                parquet.write_table(pa.Table.from_pylist(flat, schema=schema))
            buffer.clear()

        for row in rows:
            n += 1
            if jsonl is not None:
                jsonl.write(json.dumps({k: row.get(k) for k in names}, ensure_ascii=False) + "\n")
            if csv_writer is not None:
                csv_writer.writerow([_flat(row.get(k), k in json_fields) for k in names])
            buffer.append(row)
            if len(buffer) >= chunk:
                flush()
        flush()
    return n


def _flat(value: Any, is_json: bool) -> Any:
    if is_json and value is not None and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def _loads(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def iter_documents(store: Store, f: Filters, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Documents with their annotation and topics, ordered by (published_at, id), keyset-paginated."""
    where, params = where_clause(f)
    sql = (
        "SELECT d.id, d.url, d.canonical_url, d.source_id, d.kind, d.platform, d.parent_id, d.lang, d.title, "
        "d.body, d.author, d.published_at, d.fetched_at, d.dup_of, d.metrics, a.nlp_version, a.sentiment, "
        "a.sentiment_label, a.stance_label, a.keywords, a.entities, "
        "(SELECT json_group_array(topic_id) FROM doc_topics t WHERE t.doc_id = d.id) AS topics "
        "FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id "
        f"WHERE {where} AND d.id > ? ORDER BY d.id LIMIT ?"
    )
    last = -1
    while True:
        rows = list(store.db.query(sql, [*params, last, chunk]))
        if not rows:
            return
        for r in rows:
            for k in ("metrics", "keywords", "entities", "topics"):
                r[k] = _loads(r[k])
            yield r
        last = rows[-1]["id"]


def provenance(store: Store, f: Filters | None = None) -> dict[str, Any]:
    """Date range, NLP versions and crawl dates of the (filtered) documents, for datasheets."""
    where, params = where_clause(f or Filters())
    lo, hi, n = store.db.execute(
        f"SELECT min(published_at), max(published_at), count(*) FROM documents d WHERE {where}", params
    ).fetchone()
    versions = [r[0] for r in store.db.execute(
        f"SELECT DISTINCT a.nlp_version FROM annotations a JOIN documents d ON d.id = a.doc_id WHERE {where}", params
    ) if r[0]]
    crawl = store.db.execute(
        "SELECT min(started_at), max(coalesce(finished_at, started_at)), count(*) FROM crawl_runs"
    ).fetchone()
    fetched = store.db.execute(f"SELECT min(fetched_at), max(fetched_at) FROM documents d WHERE {where}", params).fetchone()
    return {
        "documents": n,
        "published_from": lo,
        "published_to": hi,
        "nlp_versions": versions,
        "crawl_runs": crawl[2],
        "crawl_first": crawl[0],
        "crawl_last": crawl[1],
        "fetched_from": fetched[0],
        "fetched_to": fetched[1],
    }


def _filters_text(f: Filters) -> str:
    parts = [f"{k}={v}" for k, v in f.__dict__.items() if v not in (None, [], False)]
    return ", ".join(parts) or "none"


def fields_table(fields: dict[str, tuple[str, str]]) -> str:
    lines = ["| field | type | meaning |", "|---|---|---|"]
    lines += [f"| {k} | {t} | {d} |" for k, (t, d) in fields.items()]
    return "\n".join(lines)


def export_documents(store: Store, out_dir: str | Path, formats: list[str], f: Filters | None = None) -> dict[str, Any]:
    """Write documents.<fmt> and a datasheet README.md into out_dir; returns counts and paths."""
    f = f or Filters()
    out = Path(out_dir)
    n = write_table(iter_documents(store, f), DOCUMENT_FIELDS, out / "documents", formats)
    prov = provenance(store, f)
    readme = f"""# runri-monitor document export

Exported {utc_now()} from `{store.path}`: {n} documents (filters: {_filters_text(f)}).

Japanese and Chinese coverage of 潤日 / 润日 (well-off Chinese moving to Japan), crawled by
runri-monitor, with NLP annotations. One row per document; files: {", ".join(f"documents.{x}" for x in formats)}.

## Provenance
- publication dates: {prov["published_from"]} .. {prov["published_to"]} (UTC)
- crawl runs: {prov["crawl_runs"]} ({prov["crawl_first"]} .. {prov["crawl_last"]}); fetched {prov["fetched_from"]} .. {prov["fetched_to"]}
- NLP versions: {", ".join(prov["nlp_versions"]) or "none (not annotated)"}
- duplicates (syndicated copies): {"included, see dup_of" if f.include_duplicates else "excluded"}

## Fields
{fields_table(DOCUMENT_FIELDS)}

In CSV and Parquet, list/dict fields are JSON strings; in JSONL they are JSON values.
Texts are stored as crawled (original script); search and clustering use a folded form
(traditional / Japanese shinjitai -> simplified) that is not exported.
"""
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(readme, encoding="utf-8")
    return {"documents": n, "out": str(out), "files": [str(out / f"documents.{x}") for x in formats]}
