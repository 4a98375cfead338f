"""Counts over the store: by source, language, kind, platform and month."""

from __future__ import annotations

from typing import Any

from runri_monitor.store import Store

GROUPINGS = {
    "source": "source_id",
    "language": "coalesce(lang, 'unknown')",
    "kind": "kind",
    "platform": "platform",
    "month": "coalesce(substr(published_at, 1, 7), 'undated')",
}


def counts_by(store: Store, dimension: str, *, include_duplicates: bool = False) -> list[dict[str, Any]]:
    """Rows of {dimension, documents} sorted by the dimension (month) or by count (others)."""
    if dimension not in GROUPINGS:
        raise ValueError(f"unknown dimension {dimension!r}")
    where = "" if include_duplicates else "WHERE dup_of IS NULL"
    order = "1" if dimension == "month" else "2 DESC, 1"
    sql = f"SELECT {GROUPINGS[dimension]} AS {dimension}, count(*) AS documents FROM documents {where} GROUP BY 1 ORDER BY {order}"
    return list(store.db.query(sql))


def thread_counts(store: Store) -> list[dict[str, Any]]:
    """Posts and comments per platform and language, with how many comments have their parent stored."""
    sql = """
        SELECT d.platform, coalesce(d.lang, 'unknown') AS language,
               sum(d.kind = 'post') AS posts, sum(d.kind = 'comment') AS comments,
               sum(d.parent_id IS NOT NULL AND p.id IS NOT NULL) AS replies_linked,
               sum(d.parent_id IS NOT NULL AND p.id IS NULL) AS replies_orphaned
        FROM documents d LEFT JOIN documents p ON p.id = d.parent_id
        WHERE d.kind IN ('post', 'comment')
        GROUP BY 1, 2 ORDER BY 1, 2
    """
    return list(store.db.query(sql))


def summary(store: Store) -> dict[str, Any]:
    total = store.db.execute("SELECT count(*), sum(dup_of IS NOT NULL) FROM documents").fetchone()
    return {
        "documents": total[0],
        "duplicates": total[1] or 0,
        "annotated": store.db["annotations"].count,
        "crawl_runs": store.db["crawl_runs"].count,
        "by": {dim: counts_by(store, dim) for dim in GROUPINGS},
        "threads": thread_counts(store),
    }
