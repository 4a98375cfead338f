"""Summary tables that keep trend queries fast at a million documents, maintained by SQLite triggers.

Why: a GROUP BY over 1,000,000 documents joined with their annotations takes over a second; the
same numbers pre-aggregated per day x language x source x platform x kind x duplicate flag are a
few thousand rows, so any period/grouping/filter on those columns answers in milliseconds.

- trend_cells: one row per (day, lang, source_id, platform, kind, is_dup) with the document count,
  sentiment count / sum / sum of squares (enough for mean and t interval) and stance counts.
- trend_topic_cells: the same per topic_id (a document counts once in each of its topics).

Triggers on documents, annotations and doc_topics add and subtract each row's contribution, so the
cells are always exact, whichever code writes (crawler, NLP stage, imports). Key columns use ''
instead of NULL because NULLs never conflict in a UNIQUE index. `rebuild_summary` recomputes
everything from scratch (after a bulk load with triggers dropped, or as a repair).
"""

from __future__ import annotations

import sqlite3

from runri_monitor.deferred_trigger import create_triggers as create_all
from runri_monitor.deferred_trigger import deferred_insert_trigger, trigger_sql

__all__ = ["install_summary", "rebuild_summary", "drop_triggers", "has_summary", "KEYS", "bulk_insert_summary"]

KEYS = ("day", "lang", "source_id", "platform", "kind", "is_dup")
VALUES = ("n", "s_n", "s_sum", "s_sq", "st_n", "st_welcoming", "st_hostile", "st_neutral")


def _keys(d: str) -> str:
    return (
        f"coalesce(substr({d}.published_at, 1, 10), ''), coalesce({d}.lang, ''), coalesce({d}.source_id, ''), "
        f"coalesce({d}.platform, ''), coalesce({d}.kind, ''), ({d}.dup_of IS NOT NULL)"
    )


def _ann(a: str, sign: str, n: str) -> str:
    """Value columns for a document count `n` and annotation alias `a` (may be a NULL row)."""
    return (
        f"{sign}{n}, {sign}({a}.sentiment IS NOT NULL), {sign}coalesce({a}.sentiment, 0), "
        f"{sign}coalesce({a}.sentiment * {a}.sentiment, 0), {sign}({a}.stance_label IS NOT NULL), "
        f"{sign}coalesce({a}.stance_label = 'welcoming', 0), {sign}coalesce({a}.stance_label = 'hostile', 0), "
        f"{sign}coalesce({a}.stance_label = 'neutral', 0)"
    )


def _upsert(table: str, keys: tuple[str, ...]) -> str:
    sets = ", ".join(f"{v} = {v} + excluded.{v}" for v in VALUES)
    return (
        f"INSERT INTO {table} ({', '.join(keys + VALUES)}) {{select}} "
        f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {sets};"
    )


_CELLS = _upsert("trend_cells", KEYS)
_TOPIC = _upsert("trend_topic_cells", KEYS + ("topic_id",))


def _doc_side(d: str, sign: str) -> str:
    """Statements adding (sign '') or removing (sign '-') document row `d` (NEW/OLD) everywhere."""
    return (
        _CELLS.format(select=f"SELECT {_keys(d)}, {_ann('a', sign, '1')} FROM (SELECT 1) "
                      f"LEFT JOIN annotations a ON a.doc_id = {d}.id WHERE true")
        + "\n"
        + _TOPIC.format(select=f"SELECT {_keys(d)}, t.topic_id, {_ann('a', sign, '1')} FROM doc_topics t "
                        f"LEFT JOIN annotations a ON a.doc_id = t.doc_id WHERE t.doc_id = {d}.id")
    )


def _ann_side(a: str, sign: str) -> str:
    return (
        _CELLS.format(select=f"SELECT {_keys('d')}, {_ann(a, sign, '0')} FROM documents d WHERE d.id = {a}.doc_id")
        + "\n"
        + _TOPIC.format(select=f"SELECT {_keys('d')}, t.topic_id, {_ann(a, sign, '0')} FROM documents d "
                        f"JOIN doc_topics t ON t.doc_id = d.id WHERE d.id = {a}.doc_id")
    )


def _topic_side(t: str, sign: str) -> str:
    return _TOPIC.format(select=f"SELECT {_keys('d')}, {t}.topic_id, {_ann('a', sign, '1')} FROM documents d "
                         f"LEFT JOIN annotations a ON a.doc_id = d.id WHERE d.id = {t}.doc_id")


TRIGGERS = {
    "trend_doc_ins": ("AFTER INSERT ON documents", _doc_side("NEW", "")),
    "trend_doc_del": ("AFTER DELETE ON documents", _doc_side("OLD", "-")),
    "trend_doc_upd": ("AFTER UPDATE OF published_at, lang, source_id, platform, kind, dup_of ON documents",
                      _doc_side("OLD", "-") + "\n" + _doc_side("NEW", "")),
    "trend_ann_ins": ("AFTER INSERT ON annotations", _ann_side("NEW", "")),
    "trend_ann_del": ("AFTER DELETE ON annotations", _ann_side("OLD", "-")),
    "trend_ann_upd": ("AFTER UPDATE OF sentiment, stance_label, doc_id ON annotations",
                      _ann_side("OLD", "-") + "\n" + _ann_side("NEW", "")),
    "trend_topic_ins": ("AFTER INSERT ON doc_topics", _topic_side("NEW", "")),
    "trend_topic_del": ("AFTER DELETE ON doc_topics", _topic_side("OLD", "-")),
}


def _create_tables(conn: sqlite3.Connection) -> None:
    cols = ", ".join(f"{v} REAL NOT NULL DEFAULT 0" if v in ("s_sum", "s_sq") else f"{v} INTEGER NOT NULL DEFAULT 0"
                     for v in VALUES)
    keys = "day TEXT NOT NULL, lang TEXT NOT NULL, source_id TEXT NOT NULL, platform TEXT NOT NULL, " \
           "kind TEXT NOT NULL, is_dup INTEGER NOT NULL"
    conn.execute(f"CREATE TABLE IF NOT EXISTS trend_cells ({keys}, {cols}, PRIMARY KEY ({', '.join(KEYS)}))")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS trend_topic_cells ({keys}, topic_id TEXT NOT NULL, {cols}, "
        f"PRIMARY KEY ({', '.join(KEYS)}, topic_id))"
    )


def create_triggers(conn: sqlite3.Connection) -> None:
    create_all(conn, TRIGGERS)


def drop_triggers(conn: sqlite3.Connection) -> None:
    """For bulk loads: drop, load, then install_summary (which rebuilds)."""
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


_SUMS = (
    "count(*), count(a.sentiment), coalesce(sum(a.sentiment), 0), coalesce(sum(a.sentiment * a.sentiment), 0), "
    "count(a.stance_label), coalesce(sum(a.stance_label = 'welcoming'), 0), "
    "coalesce(sum(a.stance_label = 'hostile'), 0), coalesce(sum(a.stance_label = 'neutral'), 0)"
)


def rebuild_summary(conn: sqlite3.Connection) -> None:
    """Recompute both tables from documents, annotations and doc_topics."""
    conn.execute("DELETE FROM trend_cells")
    conn.execute("DELETE FROM trend_topic_cells")
    sums = _SUMS
    conn.execute(
        f"INSERT INTO trend_cells ({', '.join(KEYS + VALUES)}) SELECT {_keys('d')}, {sums} "
        "FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id GROUP BY 1, 2, 3, 4, 5, 6"
    )
    conn.execute(
        f"INSERT INTO trend_topic_cells ({', '.join(KEYS + ('topic_id',) + VALUES)}) SELECT {_keys('d')}, t.topic_id, "
        f"{sums} FROM doc_topics t JOIN documents d ON d.id = t.doc_id LEFT JOIN annotations a ON a.doc_id = d.id "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )


_INSERT_TRIGGER = "trend_doc_ins"


def _trigger_sql(name: str) -> str:
    return trigger_sql(name, *TRIGGERS[name])


def bulk_insert_summary(conn: sqlite3.Connection, after_seq: int) -> deferred_insert_trigger:
    """For a batch of documents inserted with seq > `after_seq` inside the caller's transaction.

    The per-row insert trigger runs two statements per document (about 40 us each, the largest
    cost of a bulk import). Deferred, the trigger's own statements run once for the batch in
    insertion order (same keys, same LEFT JOINs to annotations and doc_topics, same order: each cell
    receives the same additions in the same order, floating-point sums included; ~4 us a row).
    """
    catch_up = (_CELLS_ROW_BY_ROW, _TOPIC_CATCH_UP)
    return deferred_insert_trigger(conn, _INSERT_TRIGGER, _trigger_sql(_INSERT_TRIGGER), catch_up, after_seq)


# The per-row insert trigger's statements, once for the batch (seq > ?), in insertion order. (Adding
# per-cell counts with a GROUP BY when no document of the batch had an annotation was tried: the
# grouping's temporary b-tree cost more than the conflicts it spared, ~5% of an import's writer
# instructions.)
_CELLS_ROW_BY_ROW = _CELLS.format(
    select=f"SELECT {_keys('d')}, {_ann('a', '', '1')} FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id "
    "WHERE d.seq > ? ORDER BY d.seq"
)
_TOPIC_CATCH_UP = _TOPIC.format(
    select=f"SELECT {_keys('d')}, t.topic_id, {_ann('a', '', '1')} FROM documents d JOIN doc_topics t ON t.doc_id = d.id "
    "LEFT JOIN annotations a ON a.doc_id = d.id WHERE d.seq > ? ORDER BY d.seq, t.topic_id"
)


def install_summary(conn: sqlite3.Connection) -> None:
    """Create the tables and triggers and fill the tables from the current data (idempotent)."""
    _create_tables(conn)
    create_triggers(conn)
    rebuild_summary(conn)


def has_summary(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'trend_%'")}
    return {"trend_cells", "trend_topic_cells", *TRIGGERS} <= names
