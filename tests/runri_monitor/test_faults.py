"""Faults in the store: a full disk or a locked database fails cleanly with nothing half-written."""

from __future__ import annotations

import sqlite3

import pytest

from runri_monitor.errors import RunriError
from runri_monitor.store import Store


def docs(n, prefix="a"):
    return [{"url": f"https://{prefix}.jp/{i}", "title": f"潤日 {i}", "body": "本文" * 200} for i in range(n)]


def test_full_disk_fails_cleanly_and_keeps_earlier_batches(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        store.upsert_documents(docs(5))
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        # SQLite reports SQLITE_FULL exactly as on a full disk once the page limit is reached.
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(RunriError, match="disk full"):
            store.upsert_documents(docs(200, "b"))
        assert store.count() == 5  # the failed batch was rolled back whole
        assert store.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 5
        assert [r[0] for r in store.db.execute("PRAGMA integrity_check")] == ["ok"]


def test_locked_database_fails_cleanly_and_loses_nothing(tmp_path):
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.upsert_documents(docs(3))
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        writer = Store.open(path)
        writer.db.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(RunriError, match="locked"):
            writer.upsert_documents(docs(3, "c"))
        writer.close()
    finally:
        blocker.rollback()
        blocker.close()
    with Store.open(path) as store:
        assert store.count() == 3
        store.upsert_documents(docs(3, "c"))  # once the lock is gone the same batch goes in
        assert store.count() == 6
