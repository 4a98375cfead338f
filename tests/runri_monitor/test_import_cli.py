"""`runri init`, `runri import` and `runri stats` through the CLI, including bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from runri_monitor.cli import cli
from runri_monitor.store import SCHEMA_VERSION

GOOD = [
    {"url": "https://a.jp/1", "title": "潤日の波", "body": "中国人富裕層の移住", "published_at": "2023-04-01T09:00:00+09:00",
     "lang": "ja", "source": "t", "kind": "article"},
    {"url": "https://a.cn/2", "title": "润日", "body": "中产润去日本", "published_at": "2024-05-01", "lang": "zh-Hans",
     "source": "t2"},
]


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def write_jsonl(path, rows, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in rows] + list(extra_lines)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_init_creates_database_with_topics(db):
    result = run("init", "--db", db)
    assert result.exit_code == 0
    assert f"schema version {SCHEMA_VERSION}" in result.output


def test_import_reports_each_bad_row_and_imports_the_good(tmp_path, db):
    bad = [
        b'{"url": "https://a.jp/3", broken',
        json.dumps({"title": "no url"}).encode(),
        json.dumps({"url": "https://a.jp/1", "title": "same url again", "body": "x"}).encode(),
        '{"url": "https://a.jp/5", "title": "潤日"}'.encode("shift_jis"),
        json.dumps({"url": "https://a.jp/6", "title": "t", "published_at": "yesterday"}).encode(),
    ]
    path = write_jsonl(tmp_path / "docs.jsonl", GOOD, bad)
    result = run("import", str(path), "--db", db)
    assert result.exit_code == 0
    assert "7 rows: 2 imported, 0 already stored, 5 bad" in result.output
    assert "line 3: broken JSON" in result.output
    assert "line 4: missing field: url" in result.output
    assert "line 5: duplicate url (same as line 1)" in result.output
    assert "line 6: not valid utf-8" in result.output
    assert "line 7: published_at is not an ISO-8601 date" in result.output


def test_second_import_adds_nothing(tmp_path, db):
    path = write_jsonl(tmp_path / "docs.jsonl", GOOD)
    assert "2 imported" in run("import", str(path), "--db", db).output
    again = run("import", str(path), "--db", db)
    assert again.exit_code == 0
    assert "0 imported, 2 already stored" in again.output


def test_nothing_importable_exits_non_zero(tmp_path, db):
    path = write_jsonl(tmp_path / "bad.jsonl", [], [b"not json", b'{"title": "x"}'])
    result = CliRunner().invoke(cli, ["import", str(path), "--db", db])
    assert result.exit_code != 0
    assert "nothing could be imported" in str(result.exception) + result.output


def test_csv_import_with_wrong_encoding_row(tmp_path, db):
    path = tmp_path / "docs.csv"
    header = b"url,title,body,published_at,lang,source,kind\n"
    good = "https://a.jp/1,潤日,本文です,2023-01-01,ja,t,article\n".encode()
    wrong = "https://a.cn/2,润日,简体,2023-01-02,zh-Hans,t,article\n".encode("gbk")
    missing = b"https://a.jp/3\n"
    path.write_bytes(header + good + wrong + missing)
    result = run("import", str(path), "--db", db)
    assert result.exit_code == 0
    assert "1 imported" in result.output
    assert "line 3: not valid utf-8" in result.output
    assert "line 4: expected 7 columns, found 1" in result.output
    gbk = run("import", str(path), "--db", db, "--encoding", "gbk")
    assert "line 2: not valid gbk" in gbk.output or "1 imported" in gbk.output


def test_lone_surrogate_escape_is_a_bad_row_not_a_crash(tmp_path, db):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"url": "https://a.jp/1", "title": "\\ud800", "body": "x"}\n'
                     b'{"url": "https://a.jp/2", "title": "t", "body": "x"}\n')
    result = run("import", str(path), "--db", db)
    assert result.exit_code == 0 and "1 imported" in result.output
    assert "line 1: text contains a lone UTF-16 surrogate" in result.output


def test_stats_counts_by_source_language_kind_month(tmp_path, db):
    path = write_jsonl(tmp_path / "docs.jsonl", GOOD)
    run("import", str(path), "--db", db)
    result = run("stats", "--db", db, "--format", "json")
    info = json.loads(result.output)
    assert info["documents"] == 2
    assert {r["language"]: r["documents"] for r in info["by"]["language"]} == {"ja": 1, "zh-Hans": 1}
    assert [r["month"] for r in info["by"]["month"]] == ["2023-04", "2024-05"]
    table = run("stats", "--db", db, "--by", "source,kind")
    assert "by source:" in table.output and "article" in table.output


def test_stats_on_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "no database" in str(result.exception)


def test_db_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RUNRI_DB", str(tmp_path / "env.db"))
    assert run("init").exit_code == 0
    assert (tmp_path / "env.db").exists()
