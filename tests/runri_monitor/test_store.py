"""The store: schema, migrations, upserts keyed on canonical URL, CJK full-text search."""

from __future__ import annotations

import sqlite3

import pytest

from runri_monitor.errors import InputError, StoreLockedError
from runri_monitor.store import SCHEMA_VERSION, Store, doc_id_for, fts_query


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as s:
        yield s


def doc(url, title="", body="本文", **extra):
    return {"url": url, "title": title, "body": body, "source_id": "t", **extra}


def test_schema_version_recorded_and_wal(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopen_does_not_migrate_again(tmp_path):
    Store.open(tmp_path / "a.db").close()
    with Store.open(tmp_path / "a.db") as s:
        assert s.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "new.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer"):
        Store.open(tmp_path / "new.db")


def test_not_a_database_is_one_line_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a runri-monitor SQLite database"):
        Store.open(path)


def test_upsert_keyed_on_canonical_url(store):
    first = store.upsert_documents([doc("https://a.jp/1", "潤日"), doc("https://a.jp/2", "润日")])
    assert (first.new, first.duplicate) == (2, 0)
    again = store.upsert_documents([doc("https://a.jp/1", "潤日 changed")])
    assert (again.new, again.duplicate) == (0, 1)
    assert store.get_document(doc_id_for("https://a.jp/1"))["title"] == "潤日"
    updated = store.upsert_documents([doc("https://a.jp/1", "新しい題")], update=True)
    assert updated.updated == 1
    assert store.get_document(doc_id_for("https://a.jp/1"))["title"] == "新しい題"
    assert store.search_ids("新しい") == [doc_id_for("https://a.jp/1")]


def test_duplicates_inside_one_batch_count_once(store):
    result = store.upsert_documents([doc("https://a.jp/1", "x"), doc("https://a.jp/1", "y")])
    assert (result.new, result.duplicate) == (1, 1)


def test_exact_copy_under_other_url_points_at_original(store):
    store.upsert_documents([doc("https://a.jp/1", "同じ記事", "全く同じ本文", published_at="2023-01-01T00:00:00Z")])
    store.upsert_documents([doc("https://b.jp/9", "同じ記事", "全く同じ本文")])
    copy = store.get_document(doc_id_for("https://b.jp/9"))
    assert copy["dup_of"] == doc_id_for("https://a.jp/1")


def test_published_at_is_stored_in_utc(store):
    store.upsert_documents([doc("https://a.jp/1", "t", published_at="2023-04-01T09:00:00+09:00")])
    assert store.get_document(doc_id_for("https://a.jp/1"))["published_at"] == "2023-04-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "row, reason",
    [
        ({"title": "no url"}, "missing url"),
        ({"url": "ftp://x/y", "title": "t"}, "not http"),
        ({"url": "https://x/y"}, "empty document"),
        ({"url": "https://x/y", "title": "t", "kind": "tweet"}, "kind must be"),
        ({"url": "https://x/y", "title": "t", "published_at": "昨日"}, "ISO-8601"),
    ],
)
def test_bad_rows_raise_input_error(store, row, reason):
    with pytest.raises(InputError, match=reason):
        store.upsert_documents([row])
    assert store.count() == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        ("潤日", {"ja", "zh", "tw"}),  # two characters, Japanese form
        ("润日", {"ja", "zh", "tw"}),  # simplified finds Japanese and traditional
        ("經營管理", {"ja", "zh", "tw"}),  # traditional finds shinjitai 経営 and simplified 经营
        ("タワマン", {"ja"}),
        ("地下钱庄", {"zh"}),
        ("東京", {"ja", "zh"}),
        ("3S1K", {"ja"}),
        ("塔楼 东京", {"zh"}),  # all terms must match
    ],
)
def test_cjk_full_text_search_across_scripts(store, query, expected):
    store.upsert_documents(
        [
            doc("https://x.jp/ja", "潤日の富裕層", "東京のタワマンと経営管理ビザ、3S1Kの学区"),
            doc("https://x.cn/zh", "润日现象", "在东京买塔楼，经营管理签证，地下钱庄换汇"),
            doc("https://x.tw/tw", "潤日潮", "經營管理簽證門檻提高"),
        ]
    )
    ids = {doc_id_for(f"https://x.{t}/{name}"): name for t, name in (("jp", "ja"), ("cn", "zh"), ("tw", "tw"))}
    assert {ids[i] for i in store.search_ids(query)} == expected


def test_fts_query_builds_phrases():
    assert fts_query("潤日") == '"润日"'
    assert fts_query("经营管理") == '"经营 营管 管理"'
    assert fts_query("") == ""


def test_locked_database_is_a_clean_error(tmp_path):
    path = tmp_path / "locked.db"
    Store.open(path).close()
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    import runri_monitor.store as store_module

    old = store_module.BUSY_TIMEOUT_MS
    store_module.BUSY_TIMEOUT_MS = 100
    try:
        with Store.open(path, read_only=True) as s:
            assert s.count() == 0  # reading works while another process holds the write lock
        s = Store(__import__("sqlite_utils").Database(sqlite3.connect(path, timeout=0.1)), str(path))
        with pytest.raises(StoreLockedError, match="locked"):
            s.upsert_documents([doc("https://a.jp/1", "t")])
    finally:
        store_module.BUSY_TIMEOUT_MS = old
        blocker.rollback()
        blocker.close()
    with Store.open(path) as s:
        assert s.count() == 0


def test_annotations_round_trip_and_incremental_selection(store):
    store.upsert_documents([doc(f"https://a.jp/{i}", f"t{i}") for i in range(5)])
    batches = list(store.documents_without_annotations("v1", batch=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    first = batches[0][0]["id"]
    store.save_annotations(
        [{"doc_id": first, "nlp_version": "v1", "lang": "ja", "sentiment": 0.5, "topics": [{"id": "visa", "score": 0.9}]}]
    )
    assert store.count_without_annotations("v1") == 4
    assert store.count_without_annotations("v2") == 5
    assert list(store.db.query("SELECT topic_id, score FROM doc_topics")) == [{"topic_id": "visa", "score": 0.9}]


def test_search_ids_ranks_the_most_recent_window_of_matches():
    store = Store.open(":memory:")
    rows = [{"url": f"https://w.example/{i}", "title": "潤日" * (1 + i % 3), "body": f"本文 {i}" + " 填充" * (i % 7)}
            for i in range(60)]
    store.upsert_documents(rows)
    seq_of = dict(store.db.execute("SELECT id, seq FROM documents").fetchall())
    score = dict(store.db.execute(
        "SELECT d.id, bm25(documents_fts) FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
        "WHERE documents_fts MATCH ?", [fts_query("潤日")]).fetchall())
    full = [score[i] for i in store.search_ids("潤日", limit=10, window=None)]
    assert full == sorted(score.values())[:10]
    # fewer matches than the window: exact BM25 (equal scores may come in any order)
    assert [score[i] for i in store.search_ids("潤日", limit=10)] == full
    recent = store.search_ids("潤日", limit=10, window=20)
    assert len(recent) == 10 and all(seq_of[i] > 40 for i in recent)
    assert [score[i] for i in recent] == sorted(score[i] for i in score if seq_of[i] > 40)[:10]


def _bulk_rows(n):
    from runri_monitor.store import new_document, prepare_document

    rows = []
    for i in range(n):
        copy_of = i - 7 if i % 10 == 9 else None  # an exact copy of a row 7 before (often in an earlier chunk)
        text = f"潤日 {copy_of if copy_of is not None else i} 経営・管理ビザ"
        rows.append(doc(f"https://b.example/{i}", title=text, lang="ja", published_at=f"2024-05-{1 + i % 28:02d}",
                        source_id=f"s{i % 3}"))
    return [new_document(prepare_document(r, tokens=True)) for r in rows]


def _trend_state(s):
    return {t: sorted(s.db.execute(f"SELECT * FROM {t}").fetchall()) for t in ("trend_cells", "trend_docs")}


def test_bulk_insert_in_chunks_equals_one_batch_and_the_triggers(tmp_path):
    """Chunks written into 400-row transactions: same documents, copies (across chunks of one
    transaction too), duplicates, trend cells and trend_docs as one batch and as row-by-row inserts."""
    from runri_monitor.trend_docs import TRIGGERS as DOC_TRIGGERS
    from runri_monitor.trend_summary import TRIGGERS

    docs = _bulk_rows(1000)
    chunked, single, by_row = (Store.open(tmp_path / f"{n}.db") for n in ("chunked", "single", "row"))
    new = 0
    with chunked.bulk_insert(commit_rows=400) as bulk:
        for i in range(0, len(docs), 150):
            result = bulk.add([([*v], t) for v, t in docs[i : i + 150]] + [([*docs[0][0]], docs[0][1])])
            new += result.new
            assert result.duplicate == 1  # docs[0] again: in this chunk or stored by the first
            assert bulk.pending < 400  # committed on reaching it
    assert new == 1000
    single.insert_new_documents([([*v], t) for v, t in docs])
    for v, t in docs:
        by_row.insert_new_documents([([*v], t)])
    columns = "id, seq, dup_of, content_hash, published_at"
    expected = single.db.execute(f"SELECT {columns} FROM documents ORDER BY seq").fetchall()
    assert sum(r[2] is not None for r in expected) == 100
    triggers = set(TRIGGERS) | set(DOC_TRIGGERS)
    for s in (chunked, by_row):
        assert s.db.execute(f"SELECT {columns} FROM documents ORDER BY seq").fetchall() == expected
        assert _trend_state(s) == _trend_state(single)
        assert {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} == triggers
        assert s.search_ids("経営管理", limit=2000) == single.search_ids("経営管理", limit=2000)
    for s in (chunked, single, by_row):
        s.close()


def test_bulk_insert_failure_rolls_back_the_open_transaction_only(tmp_path):
    from runri_monitor.trend_docs import TRIGGERS as DOC_TRIGGERS
    from runri_monitor.trend_summary import TRIGGERS

    docs = _bulk_rows(900)
    s = Store.open(tmp_path / "f.db")
    with pytest.raises(RuntimeError), s.bulk_insert(commit_rows=400) as bulk:
        for i in range(0, 900, 300):
            bulk.add(docs[i : i + 300])  # commits after 600 rows
            if i == 600:
                raise RuntimeError("killed")
    assert s.count() == 600
    assert {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} == set(TRIGGERS) | set(DOC_TRIGGERS)
    assert s.db.execute("SELECT sum(n) FROM trend_cells").fetchone()[0] == 600
    assert s.db.execute("SELECT count(*) FROM trend_docs").fetchone()[0] == 600
    # importing everything again adds exactly what is missing
    assert s.insert_new_documents([([*v], t) for v, t in docs]).new == 300
    assert s.count() == 900 and s.db.execute("SELECT sum(n) FROM trend_cells").fetchone()[0] == 900
    s.close()


def test_rows_with_different_null_columns_are_stored_whole_and_in_seq_order(tmp_path):
    """The bulk INSERT names only each row's non-NULL columns (runs of rows with the same columns
    share a statement): every value must land in its column, NULLs stay NULL, seq order is kept."""
    from runri_monitor.store import DOCUMENT_COLUMNS, new_document, prepare_document

    rows = []
    for i in range(12):
        row = {"url": f"https://n.example/{i}", "title": f"潤日 {i}", "body": "本文", "source_id": "n"}
        if i % 3 == 0:
            row["author"] = f"著者{i}"
        if i % 4 == 1:
            row["parent_url"] = "https://n.example/0"
            row["metrics"] = {"likes": i}
        if i in (5, 6):
            row["lang"] = "ja"
        rows.append(row)
    with Store.open(tmp_path / "t.db") as store:
        store.insert_new_documents([new_document(prepare_document(dict(r), tokens=True)) for r in rows])
        stored = [dict(zip(DOCUMENT_COLUMNS, r, strict=True))
                  for r in store.db.execute(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents ORDER BY seq")]
    assert [d["url"] for d in stored] == [r["url"] for r in rows]
    assert [d["seq"] for d in stored] == list(range(1, 13))
    for i, (d, r) in enumerate(zip(stored, rows, strict=True)):
        assert d["author"] == r.get("author")
        assert d["lang"] == r.get("lang")
        assert d["parent_url"] == r.get("parent_url")
        assert d["parent_id"] == (doc_id_for(r["parent_url"]) if "parent_url" in r else None)
        assert d["metrics"] == (f'{{"likes": {i}}}' if "metrics" in r else None)
        assert d["dup_of"] is None and d["discusses_url"] is None
