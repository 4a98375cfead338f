"""The contentless full-text index: updates, migration from the stored-content index, fold changes."""

from __future__ import annotations

import logging
import sqlite3

import pytest

import nlp.normalize as normalize
from runri_monitor import fulltext
from runri_monitor.maintenance import check
from runri_monitor.store import MIGRATIONS, SCHEMA_VERSION, Store, doc_id_for


def doc(url, title="", body="本文", **extra):
    return {"url": url, "title": title, "body": body, "source_id": "t", **extra}


def entries(store: Store) -> list[tuple]:
    """Every (token, rowid, column, position) held by the index."""
    store.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, documents_fts, instance)")
    return store.db.execute("SELECT term, doc, col, offset FROM temp.v ORDER BY doc, col, offset").fetchall()


def fresh_entries(store: Store, tmp_path) -> list[tuple]:
    """The index a new store builds for the same documents (same seqs)."""
    with Store.open(tmp_path / "fresh.db") as other:
        rows = store.db.execute("SELECT seq, title, body FROM documents ORDER BY seq").fetchall()
        with other.db.conn:
            fulltext.index(other.db.conn, ((seq, None, t, b) for seq, t, b in rows))
        return entries(other)


def test_the_index_stores_no_text_but_finds_it(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        store.upsert_documents([doc("https://a.jp/1", "潤日の家族", "経営・管理ビザで来日")])
        assert store.db.execute("SELECT title, body FROM documents_fts").fetchall() == [(None, None)]
        assert store.search_ids("润日") == store.search_ids("経営管理") == [doc_id_for("https://a.jp/1")]
        assert ("润日", 1, "title", 0) in entries(store)


def test_update_replaces_the_old_tokens_exactly(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        store.upsert_documents([doc("https://a.jp/1", "潤日", "タワマン購入"), doc("https://a.jp/2", "地下钱庄", "")])
        store.upsert_documents([doc("https://a.jp/1", "新しい題", "塾の話")], update=True)
        assert store.search_ids("タワマン") == []
        assert store.search_ids("潤日") == []
        assert store.search_ids("塾") == [doc_id_for("https://a.jp/1")]
        assert store.search_ids("地下钱庄") == [doc_id_for("https://a.jp/2")]
        assert entries(store) == fresh_entries(store, tmp_path)
        assert check(store).ok, check(store).problems


def _v3_store(path) -> None:
    """A database as migration 3 left it: FTS5 storing its token text, unicode61, full indexes."""
    store = Store(__import__("sqlite_utils").Database(sqlite3.connect(path)), str(path))
    for version in (1, 2, 3):
        with store.db.conn:
            MIGRATIONS[version](store.db)
            store.db.execute(f"PRAGMA user_version = {version}")
    rows = [doc(f"https://a.jp/{i}", "潤日" if i % 2 else "地下銀行", f"第{i}号の記事 東京") for i in range(30)]
    store.upsert_documents(rows)
    store.close()


def test_migration_4_rebuilds_the_index_and_keeps_every_document(tmp_path):
    path = tmp_path / "old.db"
    _v3_store(path)
    old = sqlite3.connect(path)
    assert "unicode61" in old.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()[0]
    old.close()
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()[0]
        assert "content=''" in sql and "ascii" in sql
        assert len(store.search_ids("润日")) == 15
        assert len(store.search_ids("地下银行")) == 15
        assert store.search_ids("第7") == [doc_id_for("https://a.jp/7")]
        assert entries(store) == fresh_entries(store, tmp_path)
        indexes = {r[0]: r[1] for r in store.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL")}
        assert "idx_documents_lang" not in indexes
        assert "WHERE parent_id IS NOT NULL" in indexes["idx_documents_parent_id"]
        assert check(store).ok, check(store).problems


def _config(store: Store) -> dict[str, int]:
    return dict(store.db.execute(f"SELECT k, v FROM {fulltext.TABLE}_config").fetchall())


def test_new_and_migrated_stores_buffer_index_entries_before_writing_a_segment(tmp_path):
    with Store.open(tmp_path / "new.db") as store:
        assert _config(store)["hashsize"] == fulltext.HASHSIZE
        assert _config(store)["automerge"] == fulltext.AUTOMERGE
    path = tmp_path / "v4.db"
    with Store.open(path) as store:  # a store as migration 4 left it: FTS5's default 1 MB buffer
        store.db.execute(f"DELETE FROM {fulltext.TABLE}_config WHERE k = 'hashsize'")
        store.db.execute("PRAGMA user_version = 4")
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert _config(store)["hashsize"] == fulltext.HASHSIZE


def test_parent_lookups_still_use_the_partial_index(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        plan = store.db.execute("EXPLAIN QUERY PLAN SELECT id FROM documents WHERE parent_id = ?", [1]).fetchall()
        assert any("idx_documents_parent_id" in row[-1] for row in plan)


def test_a_changed_fold_table_reindexes_on_open(tmp_path, monkeypatch, caplog):
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.upsert_documents([doc("https://a.jp/1", "猫カフェの話")])
        assert store.search_ids("犬カフェ") == []
    table = dict(normalize.fold_table())
    table[ord("猫")] = "犬"  # a (made-up) new fold: old index tokens no longer match queries
    bmp = list(range(0x10000))
    for k, v in table.items():
        if k < 0x10000:
            bmp[k] = v
    monkeypatch.setattr(normalize, "_fold_tables", lambda: (table, bmp))
    normalize.index_tokens_fingerprint.cache_clear()
    normalize.one_pass_fold.cache_clear()
    try:
        with caplog.at_level(logging.WARNING), Store.open(path) as store:
            assert "re-indexing 1 documents" in caplog.text
            assert store.search_ids("犬カフェ") == [doc_id_for("https://a.jp/1")]
            assert entries(store) == fresh_entries(store, tmp_path)
        caplog.clear()
        with caplog.at_level(logging.WARNING), Store.open(path):  # once is enough
            assert "re-indexing" not in caplog.text
    finally:
        monkeypatch.undo()
        normalize.index_tokens_fingerprint.cache_clear()
        normalize.one_pass_fold.cache_clear()


@pytest.mark.parametrize("read_only", [True, False])
def test_fingerprint_is_recorded(tmp_path, read_only):
    Store.open(tmp_path / "t.db").close()
    with Store.open(tmp_path / "t.db", read_only=read_only) as store:
        assert fulltext.stored_fingerprint(store.db.conn) == normalize.index_tokens_fingerprint()
