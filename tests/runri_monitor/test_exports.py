from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from runri_monitor.errors import InputError
from runri_monitor.exports import DOCUMENT_FIELDS, export_documents, parse_formats
from runri_monitor.store import Store
from runri_monitor.synthetic import fill_store
from runri_monitor.trends import Filters


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "e.db"
    with Store.open(path) as s:
        fill_store(s, 250, seed=5, days=60)
    return path


def test_all_formats_agree_with_store(db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    with Store.open(db) as s:
        result = export_documents(s, out, ["jsonl", "csv", "parquet"])
        expected = s.db.execute("SELECT count(*) FROM documents WHERE dup_of IS NULL").fetchone()[0]
        topics = {r["doc_id"]: set() for r in s.db.query("SELECT doc_id FROM doc_topics")}
        for r in s.db.query("SELECT doc_id, topic_id FROM doc_topics"):
            topics[r["doc_id"]].add(r["topic_id"])
        sentiments = {r["doc_id"]: r["sentiment"] for r in s.db.query("SELECT doc_id, sentiment FROM annotations")}
    assert result["documents"] == expected
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == expected and list(rows[0]) == list(DOCUMENT_FIELDS)
    for r in rows:
        assert set(r["topics"]) == topics.get(r["id"], set())
        assert r["sentiment"] == sentiments[r["id"]] and r["dup_of"] is None
    with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert len(csv_rows) == expected and csv_rows[0]["title"] == rows[0]["title"]
    assert json.loads(csv_rows[0]["topics"]) == rows[0]["topics"]
    table = pq.read_table(out / "documents.parquet")
    assert table.num_rows == expected and table.schema.field("id").type == "int64"
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "| sentiment | float |" in readme and "NLP versions: synthetic-1" in readme


def test_filters_apply(db, tmp_path):
    with Store.open(db) as s:
        f = Filters(lang=["ja"], since="2024-01-15", include_duplicates=True)
        res = export_documents(s, tmp_path / "ja", ["jsonl"], f)
        n = s.db.execute("SELECT count(*) FROM documents WHERE lang='ja' AND published_at >= '2024-01-15'").fetchone()[0]
    rows = [json.loads(line) for line in (tmp_path / "ja" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert res["documents"] == n == len(rows) > 0
    assert all(r["lang"] == "ja" and r["published_at"] >= "2024-01-15" for r in rows)


def test_parse_formats():
    assert parse_formats("csv, parquet") == ["csv", "parquet"]
    with pytest.raises(InputError):
        parse_formats("xlsx")


def test_cli_export(db, tmp_path):
    from runri_monitor.cli.analysis import export

    out = tmp_path / "cli"
    res = CliRunner().invoke(export, ["--db", str(db), "--out", str(out), "--format", "csv", "--lang", "zh-Hans"])
    assert res.exit_code == 0, res.output
    assert (out / "documents.csv").exists() and not (out / "documents.jsonl").exists()
    res = CliRunner().invoke(export, ["--db", str(tmp_path / "missing.db"), "--out", str(out)])
    assert res.exit_code != 0
