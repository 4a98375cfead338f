"""A narrow per-document table for trend queries that the summary cells cannot answer.

Why: a trend filtered by a text query (or by a time of day) needs per-document rows. Joining the
FTS matches (rowid = documents.seq) to documents and then to annotations costs two b-tree probes
per match, the second one at a random place (annotations are keyed by the hash-like doc id) into
wide rows; at 110,000 matches out of 1,000,000 that took over 400 ms. trend_docs is keyed by seq,
so the FTS matches (which come in rowid order) walk it front to back, and it holds only what a
trend needs: about 60 bytes per document.

Triggers keep it exact whichever code writes (crawler, imports, NLP stage); `rebuild_trend_docs`
recomputes it (after a bulk load with the triggers dropped, or as a repair).
"""

from __future__ import annotations

import sqlite3

from runri_monitor.deferred_trigger import create_triggers as create_all
from runri_monitor.deferred_trigger import deferred_insert_trigger, trigger_sql

__all__ = ["TABLE", "bulk_insert_trend_docs", "install_trend_docs", "rebuild_trend_docs", "drop_trend_docs_triggers", "has_trend_docs"]

TABLE = "trend_docs"
DOC_COLUMNS = ("published_at", "lang", "source_id", "platform", "kind", "dup_of")

_COLUMNS = ", ".join(DOC_COLUMNS)


def _insert_doc(d: str) -> str:
    return (
        f"INSERT OR REPLACE INTO {TABLE} (seq, doc_id, {_COLUMNS}, sentiment, stance_label) "
        f"SELECT {d}.seq, {d}.id, {', '.join(f'{d}.{c}' for c in DOC_COLUMNS)}, a.sentiment, a.stance_label "
        f"FROM (SELECT 1) LEFT JOIN annotations a ON a.doc_id = {d}.id;"
    )


def _set_annotation(doc_id: str, sentiment: str, stance: str) -> str:
    return (
        f"UPDATE {TABLE} SET sentiment = {sentiment}, stance_label = {stance} "
        f"WHERE seq = (SELECT seq FROM documents WHERE id = {doc_id});"
    )


TRIGGERS = {
    "trend_docs_doc_ins": ("AFTER INSERT ON documents", _insert_doc("NEW")),
    "trend_docs_doc_del": ("AFTER DELETE ON documents", f"DELETE FROM {TABLE} WHERE seq = OLD.seq;"),
    "trend_docs_doc_upd": (
        f"AFTER UPDATE OF seq, id, {_COLUMNS} ON documents",
        f"DELETE FROM {TABLE} WHERE seq = OLD.seq;\n" + _insert_doc("NEW"),
    ),
    "trend_docs_ann_ins": ("AFTER INSERT ON annotations", _set_annotation("NEW.doc_id", "NEW.sentiment", "NEW.stance_label")),
    "trend_docs_ann_del": ("AFTER DELETE ON annotations", _set_annotation("OLD.doc_id", "NULL", "NULL")),
    "trend_docs_ann_upd": (
        "AFTER UPDATE OF doc_id, sentiment, stance_label ON annotations",
        _set_annotation("OLD.doc_id", "NULL", "NULL") + "\n"
        + _set_annotation("NEW.doc_id", "NEW.sentiment", "NEW.stance_label"),
    ),
}


def create_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (seq INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, "
        "published_at TEXT, lang TEXT, source_id TEXT, platform TEXT, kind TEXT, dup_of INTEGER, "
        "sentiment REAL, stance_label TEXT)"
    )


def create_triggers(conn: sqlite3.Connection) -> None:
    create_all(conn, TRIGGERS)


# Every document row (or those after a seq) with its annotation, in seq order.
_FILL = (
    f"INSERT OR REPLACE INTO {TABLE} (seq, doc_id, {_COLUMNS}, sentiment, stance_label) "
    f"SELECT d.seq, d.id, {', '.join(f'd.{c}' for c in DOC_COLUMNS)}, a.sentiment, a.stance_label "
    "FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id WHERE d.seq > ? ORDER BY d.seq"
)


def bulk_insert_trend_docs(conn: sqlite3.Connection, after_seq: int) -> deferred_insert_trigger:
    """For a batch of documents inserted with seq > `after_seq`: one INSERT ... SELECT, not one per row."""
    name = "trend_docs_doc_ins"
    return deferred_insert_trigger(conn, name, trigger_sql(name, *TRIGGERS[name]), (_FILL,), after_seq)


def drop_trend_docs_triggers(conn: sqlite3.Connection) -> None:
    """For bulk loads: drop, load, then install_trend_docs (which rebuilds)."""
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild_trend_docs(conn: sqlite3.Connection) -> None:
    conn.execute(f"DELETE FROM {TABLE}")
    conn.execute(_FILL, [-(2**63)])


def install_trend_docs(conn: sqlite3.Connection) -> None:
    """Create the table and triggers and fill the table from the current data (idempotent)."""
    create_table(conn)
    create_triggers(conn)
    rebuild_trend_docs(conn)


def has_trend_docs(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'trend_docs%'")}
    return {TABLE, *TRIGGERS} <= names
