"""Trend numbers are checked against the same aggregates computed in plain Python from the stored rows."""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from runri_monitor.store import Store
from runri_monitor.synthetic import fill_store
from runri_monitor.trends import Filters, coverage, sentiment, stance, wilson_interval


@pytest.fixture(scope="module")
def store():
    s = Store.open(":memory:")
    fill_store(s, 600, seed=3, days=120)
    yield s
    s.close()


def _rows(store, include_dups=False):
    sql = (
        "SELECT d.id, d.lang, d.source_id, d.kind, d.platform, d.published_at, d.dup_of, "
        "a.sentiment, a.stance_label FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id"
    )
    rows = [dict(r) for r in store.db.query(sql)]
    topics = defaultdict(list)
    for r in store.db.query("SELECT doc_id, topic_id FROM doc_topics"):
        topics[r["doc_id"]].append(r["topic_id"])
    for r in rows:
        r["topics"] = topics[r["id"]]
    return [r for r in rows if include_dups or r["dup_of"] is None]


def _week(ts: str) -> str:
    d = date.fromisoformat(ts[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def test_coverage_by_month_and_language_matches_python(store):
    expected = defaultdict(int)
    for r in _rows(store):
        expected[(r["published_at"][:7], r["lang"])] += 1
    got = {(r["period"], r["language"]): r["count"] for r in coverage(store, ["language"], "month")}
    assert got == dict(expected)


def test_coverage_by_week_and_topic_counts_each_topic(store):
    expected = defaultdict(int)
    for r in _rows(store):
        for t in r["topics"]:
            expected[(_week(r["published_at"]), t)] += 1
    got = {(r["period"], r["topic"]): r["count"] for r in coverage(store, ["topic"], "week")}
    assert got == dict(expected)
    assert all(date.fromisoformat(p).weekday() == 0 for p, _ in got)


def test_duplicates_excluded_unless_asked(store):
    with_dups = sum(r["count"] for r in coverage(store, [], "month", Filters(include_duplicates=True)))
    without = sum(r["count"] for r in coverage(store, [], "month"))
    assert with_dups == len(_rows(store, include_dups=True))
    assert without == len(_rows(store)) < with_dups


def test_filters_since_until_lang_source_topic(store):
    f = Filters(since="2024-02-01", until="2024-03-15", lang=["ja"], topic=["visa"], kind=["article", "post"])
    expected = defaultdict(int)
    for r in _rows(store):
        if "2024-02-01" <= r["published_at"][:10] <= "2024-03-15" and r["lang"] == "ja" and "visa" in r["topics"]:
            if r["kind"] in ("article", "post"):
                expected[r["published_at"][:10]] += 1
    got = {r["period"]: r["count"] for r in coverage(store, [], "day", f)}
    assert got == dict(expected) and got


def test_query_filter_uses_fold(store):
    # 地下钱庄 (simplified) must also count the traditional 地下錢莊 documents.
    got = sum(r["count"] for r in coverage(store, ["language"], "month", Filters(query="地下钱庄")))
    n = sum(1 for r in store.db.query("SELECT body, dup_of FROM documents")
            if r["dup_of"] is None and ("地下钱庄" in r["body"] or "地下錢莊" in r["body"]))
    assert got == n > 0
    langs = {r["language"] for r in coverage(store, ["language"], "month", Filters(query="地下钱庄"))}
    assert {"zh-Hans", "zh-Hant"} <= langs


def test_query_filtered_sentiment_and_stance_match_python(store):
    # Text-filtered trends read trend_docs (per-document rows), not the summary cells.
    matched = [r for r in _rows(store) if r["id"] in _ids_with(store, ("地下钱庄", "地下錢莊"))]
    sums = defaultdict(lambda: [0, 0.0])
    stances = defaultdict(lambda: defaultdict(int))
    for r in matched:
        key = (r["published_at"][:7], r["lang"])
        if r["sentiment"] is not None:
            sums[key][0] += 1
            sums[key][1] += r["sentiment"]
        if r["stance_label"] is not None:
            stances[key][r["stance_label"]] += 1
    got = {(r["period"], r["language"]): r for r in sentiment(store, ["language"], "month", Filters(query="地下钱庄"))}
    assert set(got) == set(sums) and got
    for key, (n, total) in sums.items():
        assert got[key]["n"] == n
        assert got[key]["mean"] is None or got[key]["mean"] == pytest.approx(total / n, abs=1e-3)
    got_st = {(r["period"], r["language"]): r for r in stance(store, ["language"], "month", Filters(query="地下钱庄"))}
    for key, counts in stances.items():
        assert got_st[key]["n"] == sum(counts.values())


def _ids_with(store, needles):
    return {r["id"] for r in store.db.query("SELECT id, body FROM documents") if any(n in r["body"] for n in needles)}


def test_sentiment_mean_and_t_interval_match_statistics(store):
    groups = defaultdict(list)
    for r in _rows(store):
        if r["sentiment"] is not None:
            groups[(r["published_at"][:7], r["kind"])].append(r["sentiment"])
    result = sentiment(store, ["kind"], "month", min_count=5)
    assert len(result) == len(groups)
    from scipy.stats import t

    for row in result:
        values = groups[(row["period"], row["kind"])]
        assert row["n"] == len(values)
        if len(values) < 5:
            assert row["too_few"] and row["mean"] is None
            continue
        mean, sd = statistics.fmean(values), statistics.stdev(values)
        half = t.ppf(0.975, len(values) - 1) * sd / math.sqrt(len(values))
        assert row["mean"] == pytest.approx(mean, abs=1e-4)
        assert row["ci_low"] == pytest.approx(mean - half, abs=1e-4)
        assert row["ci_high"] == pytest.approx(mean + half, abs=1e-4)


def test_too_few_marks_small_cells(store):
    rows = sentiment(store, ["source", "platform"], "day", min_count=5)
    assert any(r["too_few"] for r in rows)
    assert all((r["mean"] is None) == (r["n"] < 5) for r in rows)


def test_stance_shares_and_wilson(store):
    groups = defaultdict(list)
    for r in _rows(store):
        if r["stance_label"]:
            groups[(r["published_at"][:7], r["lang"])].append(r["stance_label"])
    for row in stance(store, ["language"], "month", min_count=5):
        labels = groups[(row["period"], row["language"])]
        assert row["n"] == len(labels)
        for label in ("welcoming", "hostile", "neutral"):
            k = labels.count(label)
            assert row[f"{label}_n"] == k
            if not row["too_few"]:
                assert row[f"{label}_share"] == pytest.approx(k / len(labels), abs=1e-4)
                lo, hi = wilson_interval(k, len(labels))
                assert row[f"{label}_ci_low"] == pytest.approx(lo, abs=1e-4)
                assert row[f"{label}_ci_low"] <= row[f"{label}_share"] <= row[f"{label}_ci_high"]


def test_wilson_known_value():
    # 8 of 10: Wilson 95% interval is about (0.490, 0.943).
    lo, hi = wilson_interval(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-3) and hi == pytest.approx(0.9433, abs=1e-3)
    assert wilson_interval(0, 20)[0] == 0.0


def test_bad_dimension_is_input_error(store):
    from runri_monitor.errors import InputError

    with pytest.raises(InputError):
        coverage(store, ["colour"], "month")


def test_cli_trends_json_csv_and_chart(tmp_path):
    from runri_monitor.cli.analysis import trends as trends_cmd

    db = tmp_path / "t.db"
    with Store.open(db) as s:
        fill_store(s, 300, seed=1, days=90)
    runner = CliRunner()
    res = runner.invoke(trends_cmd, ["coverage", "--db", str(db), "--by", "language", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert sum(r["count"] for r in data) > 0 and {"period", "language", "count"} <= set(data[0])
    res = runner.invoke(trends_cmd, ["sentiment", "--db", str(db), "--period", "week", "--format", "csv"])
    assert res.exit_code == 0 and res.output.startswith("period,n,")
    chart = tmp_path / "c.png"
    res = runner.invoke(trends_cmd, ["stance", "--db", str(db), "--by", "language", "--chart", str(chart)])
    assert res.exit_code == 0, res.output
    assert chart.read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(trends_cmd, ["coverage", "--db", str(db), "--by", "colour"])
    assert res.exit_code != 0


def _same(a, b):
    """Row lists equal, floats within 1e-3 (the summary sums in another order)."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float) and isinstance(y[k], float):
                assert x[k] == pytest.approx(y[k], abs=1e-3), k
            else:
                assert x[k] == y[k], k
    return True


COMBOS = [
    ("coverage", ["language"], "month", Filters()),
    ("coverage", ["topic", "kind"], "week", Filters(include_duplicates=True)),
    ("coverage", ["source"], "day", Filters(since="2024-02-01", until="2024-02-29", lang=["ja", "zh-Hant"])),
    ("coverage", ["language"], "month", Filters(topic=["visa"])),
    ("coverage", ["topic"], "month", Filters(topic=["visa", "finance"], platform=["weibo", "web"])),
    ("sentiment", ["language", "platform"], "week", Filters()),
    ("sentiment", [], "month", Filters(topic=["education"], kind=["post"])),
    ("stance", ["source"], "month", Filters(include_duplicates=True, until="2024-03-10")),
    ("stance", ["topic"], "day", Filters()),
]


@pytest.mark.parametrize("metric,by,period,f", COMBOS)
def test_summary_tables_equal_raw_query(store, metric, by, period, f):
    from runri_monitor.trends import summary_usable, trend

    assert summary_usable(store, f, by)
    fast = trend(store, metric, by, period, f, use_summary=True)
    slow = trend(store, metric, by, period, f, use_summary=False)
    assert fast and _same(fast, slow)


def test_summary_follows_updates_deletes_and_reannotation(tmp_path):
    from runri_monitor.trends import trend

    s = Store.open(tmp_path / "u.db")
    fill_store(s, 150, seed=9, days=40)
    ids = [r[0] for r in s.db.execute("SELECT id FROM documents ORDER BY id LIMIT 30")]
    with s.db.conn:
        s.db.conn.executemany("UPDATE documents SET lang = 'zh-Hant', dup_of = NULL WHERE id = ?", [(i,) for i in ids[:10]])
        s.db.conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids[10:15]])
        s.db.conn.executemany("DELETE FROM annotations WHERE doc_id = ?", [(i,) for i in ids[15:20]])
    s.save_annotations([{"doc_id": i, "nlp_version": "v2", "lang": "ja", "sentiment": -0.5,
                         "stance_label": "hostile", "topics": [{"id": "crime", "score": 1.0}]} for i in ids[20:30]])
    for metric, by in (("coverage", ["topic", "language"]), ("sentiment", ["language"]), ("stance", ["topic"])):
        fast = trend(s, metric, by, "week", Filters(include_duplicates=True), use_summary=True)
        assert _same(fast, trend(s, metric, by, "week", Filters(include_duplicates=True), use_summary=False))
    # the trigger-maintained per-document rows equal a recomputation from documents + annotations
    from runri_monitor.trend_docs import rebuild_trend_docs

    kept = list(s.db.execute("SELECT * FROM trend_docs ORDER BY seq"))
    with s.db.conn:
        rebuild_trend_docs(s.db.conn)
    assert kept == list(s.db.execute("SELECT * FROM trend_docs ORDER BY seq"))
    assert len(kept) == s.count()
    s.close()


def _cells(s):
    return {
        table: sorted(s.db.execute(f"SELECT * FROM {table}").fetchall())
        for table in ("trend_cells", "trend_topic_cells")
    }


@pytest.mark.parametrize("annotated", [True, False])
def test_bulk_import_summary_equals_triggers_and_rebuild(tmp_path, annotated):
    """A batch above BULK_SUMMARY_ROWS drops the insert trigger and adds its cells with one statement:
    the cells must be those the per-row trigger gives and those rebuild_summary computes, with and
    without annotations stored before their documents."""
    import random

    from runri_monitor.store import BULK_SUMMARY_ROWS
    from runri_monitor.trend_docs import TRIGGERS as DOC_TRIGGERS
    from runri_monitor.trend_docs import rebuild_trend_docs
    from runri_monitor.trend_summary import TRIGGERS, rebuild_summary

    rng = random.Random(11)
    rows = []
    for i in range(BULK_SUMMARY_ROWS * 3):
        copy = rng.random() < 0.1 and rows
        rows.append({
            "url": f"https://t.example/{i}",
            "title": rows[-1]["title"] if copy else f"潤日 {i}",
            "body": rows[-1]["body"] if copy else f"本文{i} 经营管理签证",
            "lang": rng.choice(["ja", "zh-Hans", None]),
            "source_id": rng.choice(["a", "b", None]),
            "platform": rng.choice(["web", "weibo"]),
            "kind": rng.choice(["article", "post"]),
            "published_at": rng.choice([None, f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T10:00:00+09:00"]),
        })
    stores = []
    for bulk in (True, False):
        s = Store.open(tmp_path / f"{bulk}.db")
        # Annotations and topics stored before their documents (e.g. a document deleted and imported
        # again): the trigger joins them, so the bulk path must too.
        from runri_monitor.store import doc_id_for
        early = [doc_id_for(r["url"]) for r in rows[:40]] if annotated else []
        s.save_annotations([{"doc_id": d, "nlp_version": "v", "lang": "ja", "sentiment": 0.5 if k % 2 else -0.25,
                             "stance_label": ["hostile", "welcoming", None][k % 3],
                             "topics": [{"id": "crime", "score": 1.0}] * (k % 2)} for k, d in enumerate(early)])
        with s.db.conn:
            s.db.conn.execute("DELETE FROM trend_cells")  # annotations without documents leave zero rows
            s.db.conn.execute("DELETE FROM trend_topic_cells")
        if bulk:
            s.upsert_documents(rows[:10])  # small batch: the trigger
            result = s.upsert_documents(rows[10:], batch_size=len(rows))
        else:
            result = s.upsert_documents(rows[:10])
            for r in rows[10:]:
                result += s.upsert_documents([r])
        assert result.new == (len(rows) - 10 if bulk else len(rows)) and s.count() == len(rows)
        assert s.db.execute("SELECT count(*) FROM documents WHERE dup_of IS NOT NULL").fetchone()[0] > 5
        names = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert names == set(TRIGGERS) | set(DOC_TRIGGERS)
        stores.append(s)
    bulk_cells, row_cells = _cells(stores[0]), _cells(stores[1])
    assert bulk_cells == row_cells
    assert len(bulk_cells["trend_cells"]) > 50 and (bool(bulk_cells["trend_topic_cells"]) == annotated)
    with stores[0].db.conn:
        rebuild_summary(stores[0].db.conn)
    # rebuild drops empty cells the triggers leave (count 0): compare the cells that hold documents
    assert _cells(stores[0]) == {k: [c for c in v if c[6]] for k, v in bulk_cells.items()}
    # trend_docs: the batch's INSERT ... SELECT gives the rows the per-row trigger gives, and a rebuild
    doc_rows = [list(s.db.execute("SELECT * FROM trend_docs ORDER BY seq")) for s in stores]
    assert doc_rows[0] == doc_rows[1] and len(doc_rows[0]) == len(rows)
    assert sum(r[8] is not None for r in doc_rows[0]) == (40 if annotated else 0)  # annotations stored first
    with stores[0].db.conn:
        rebuild_trend_docs(stores[0].db.conn)
    assert list(stores[0].db.execute("SELECT * FROM trend_docs ORDER BY seq")) == doc_rows[0]
    for s in stores:
        s.close()


def test_bulk_summary_rolls_back_with_a_failed_batch(tmp_path):
    from runri_monitor.store import BULK_SUMMARY_ROWS
    from runri_monitor.trend_docs import TRIGGERS as DOC_TRIGGERS
    from runri_monitor.trend_summary import TRIGGERS

    s = Store.open(tmp_path / "f.db")
    rows = [{"url": f"https://t.example/{i}", "title": f"t{i}", "body": "b"} for i in range(BULK_SUMMARY_ROWS)]
    original = s._insert_new

    def failing_insert(batch):
        original(batch)  # documents written, trigger dropped: then the batch fails
        raise RuntimeError("disk gone")

    s._insert_new = failing_insert
    with pytest.raises(RuntimeError):
        s.upsert_documents(rows)
    s._insert_new = original
    names = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert names == set(TRIGGERS) | set(DOC_TRIGGERS)
    assert s.count() == 0 and s.db.execute("SELECT count(*) FROM trend_cells").fetchone()[0] == 0
    s.upsert_documents(rows)
    assert s.db.execute("SELECT sum(n) FROM trend_cells").fetchone()[0] == BULK_SUMMARY_ROWS
    s.close()
