"""Data safety: online backup and integrity checks of the store."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from runri_monitor import fulltext
from runri_monitor.errors import InputError
from runri_monitor.store import Store


def backup(store: Store, dest: Path) -> Path:
    """Copy the database with SQLite's online backup API (safe while others read or write)."""
    if dest.exists() and dest.is_dir():
        dest = dest / f"{Path(store.path).stem}-backup.db"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".partial")
    target = sqlite3.connect(tmp)
    try:
        store.db.conn.backup(target, pages=1024)
    except sqlite3.Error as exc:
        target.close()
        tmp.unlink(missing_ok=True)
        raise InputError(f"backup failed: {exc}") from exc
    target.close()
    tmp.replace(dest)  # only a complete backup gets the final name
    return dest


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


ORPHAN_QUERIES = {
    "annotations without document": "SELECT count(*) FROM annotations a LEFT JOIN documents d ON d.id = a.doc_id WHERE d.id IS NULL",
    "topic scores without document": "SELECT count(*) FROM doc_topics t LEFT JOIN documents d ON d.id = t.doc_id WHERE d.id IS NULL",
    "topic scores with unknown topic": "SELECT count(*) FROM doc_topics t LEFT JOIN topics p ON p.id = t.topic_id WHERE p.id IS NULL",
    "cluster members without document": "SELECT count(*) FROM cluster_members m LEFT JOIN documents d ON d.id = m.doc_id WHERE d.id IS NULL",
    "duplicates pointing at a missing original": "SELECT count(*) FROM documents c LEFT JOIN documents o ON o.id = c.dup_of WHERE c.dup_of IS NOT NULL AND o.id IS NULL",
}


def check(store: Store) -> CheckReport:
    """Integrity check, orphan rows, the full-text index and trend tables in sync with the documents."""
    report = CheckReport()
    result = [r[0] for r in store.db.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        report.problems.extend(f"integrity: {r}" for r in result[:10])
    for label, sql in ORPHAN_QUERIES.items():
        n = store.db.execute(sql).fetchone()[0]
        report.facts[label] = n
        if n:
            report.problems.append(f"{n} {label}")
    docs = store.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    indexed = store.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
    missing = store.db.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents_fts f WHERE f.rowid = d.seq)"
    ).fetchone()[0]
    report.facts.update(documents=docs, indexed=indexed)
    if missing or indexed != docs:
        report.problems.append(f"full-text index out of sync: {docs} documents, {indexed} indexed, {missing} missing")
    try:
        store.db.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 0)")
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"full-text index corrupt: {exc}")
    report.problems.extend(_trend_drift(store))
    # Comments whose parent was stored should link to it; this counts the ones that never will.
    report.facts["replies with parent not stored"] = store.db.execute(
        "SELECT count(*) FROM documents c LEFT JOIN documents p ON p.id = c.parent_id "
        "WHERE c.parent_id IS NOT NULL AND p.id IS NULL"
    ).fetchone()[0]
    return report


_TREND_DOCS_DRIFT = (
    "SELECT count(*) FROM documents d LEFT JOIN trend_docs t ON t.seq = d.seq "
    "LEFT JOIN annotations a ON a.doc_id = d.id WHERE t.seq IS NULL OR t.doc_id IS NOT d.id "
    "OR t.published_at IS NOT d.published_at OR t.lang IS NOT d.lang OR t.source_id IS NOT d.source_id "
    "OR t.platform IS NOT d.platform OR t.kind IS NOT d.kind OR t.dup_of IS NOT d.dup_of "
    "OR t.sentiment IS NOT a.sentiment OR t.stance_label IS NOT a.stance_label"
)


def _trend_drift(store: Store) -> list[str]:
    """The trigger-maintained trend tables still agree with the rows they summarise."""
    from runri_monitor.trend_docs import has_trend_docs
    from runri_monitor.trend_summary import has_summary

    problems = []
    if not (has_summary(store.db.conn) and has_trend_docs(store.db.conn)):
        problems.append("trend triggers missing: the trend tables will drift from the documents")
    docs = store.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    cells = store.db.execute("SELECT coalesce(sum(n), 0) FROM trend_cells").fetchone()[0]
    if cells != docs:
        problems.append(f"trend summary out of sync: {docs} documents, {cells} counted")
    rows = store.db.execute("SELECT count(*) FROM trend_docs").fetchone()[0]
    stale = store.db.execute(_TREND_DOCS_DRIFT).fetchone()[0]
    if stale or rows != docs:
        problems.append(f"trend rows out of sync: {docs} documents, {rows} rows, {stale} missing or stale")
    return problems


def rebuild_trends(store: Store) -> None:
    """Recreate missing triggers and recompute the summary cells and trend_docs (the repair for drift)."""
    from runri_monitor.trend_docs import install_trend_docs
    from runri_monitor.trend_summary import install_summary

    with store.db.conn:
        install_summary(store.db.conn)
        install_trend_docs(store.db.conn)


def rebuild_fts(store: Store) -> int:
    """Re-index every document (the repair for an out-of-sync full-text index)."""
    with store.db.conn:
        return fulltext.rebuild(store.db.conn)
