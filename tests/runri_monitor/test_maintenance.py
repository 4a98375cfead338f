"""Backup, integrity check and the run lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from runri_monitor import fulltext
from runri_monitor.cli import cli
from runri_monitor.lock import LockHeldError, RunLock
from runri_monitor.maintenance import backup, check, rebuild_fts
from runri_monitor.store import Store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as s:
        s.upsert_documents([{"url": f"https://a.jp/{i}", "title": f"潤日 {i}", "body": "本文"} for i in range(3)])
        yield s


def test_backup_is_a_complete_copy(store, tmp_path):
    out = backup(store, tmp_path / "b" / "copy.db")
    with Store.open(out) as copy:
        assert copy.count() == 3
        assert len(copy.search_ids("潤日")) == 3
    assert not list((tmp_path / "b").glob("*.partial"))


def test_check_passes_on_a_healthy_store(store):
    report = check(store)
    assert report.ok, report.problems
    assert report.facts["documents"] == 3


def test_check_finds_orphans_and_fts_drift_and_repair_fixes_fts(store):
    store.db.execute("INSERT INTO annotations(doc_id, nlp_version) VALUES (42, 'v')")
    first = store.db.execute("SELECT seq, title, body FROM documents ORDER BY seq LIMIT 1").fetchone()
    fulltext.unindex(store.db.conn, [first])  # the index loses one document
    store.db.conn.commit()
    report = check(store)
    assert "1 annotations without document" in report.problems
    assert any("full-text index out of sync" in p for p in report.problems)
    rebuild_fts(store)
    assert not any("full-text" in p for p in check(store).problems)


def test_check_finds_trend_table_drift_and_repair_recomputes(store):
    store.db.execute("DROP TRIGGER trend_docs_doc_upd")  # as if a writer had bypassed the triggers
    store.db.execute("UPDATE documents SET lang = 'zh-Hant' WHERE seq = (SELECT min(seq) FROM documents)")
    store.db.execute("DELETE FROM trend_cells")
    store.db.conn.commit()
    problems = check(store).problems
    assert any(p.startswith("trend summary out of sync: 3 documents, 0 counted") for p in problems)
    assert any(p.startswith("trend rows out of sync") and "1 missing or stale" in p for p in problems)
    assert any(p.startswith("trend triggers missing") for p in problems)
    result = CliRunner().invoke(cli, ["check", "--db", store.path, "--repair-trends"])
    assert "trend tables recomputed" in result.output
    assert not any(p.startswith("trend") for p in check(store).problems)


def test_check_command_exit_codes(store):
    runner = CliRunner()
    ok = runner.invoke(cli, ["check", "--db", store.path])
    assert ok.exit_code == 0 and "ok: no problems" in ok.output
    store.db.execute("INSERT INTO doc_topics(doc_id, topic_id, score) VALUES (1, 'nope', 1.0)")
    store.db.conn.commit()
    bad = runner.invoke(cli, ["check", "--db", store.path])
    assert bad.exit_code != 0


def test_lock_excludes_a_second_run(tmp_path):
    path = tmp_path / "run.lock"
    with RunLock(path):
        with pytest.raises(LockHeldError, match="another run is in progress"):
            RunLock(path).acquire()
    assert not path.exists()


def test_stale_lock_of_a_killed_run_is_taken_over(tmp_path):
    path = tmp_path / "run.lock"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    path.write_text(json.dumps({"pid": child.pid, "host": os.uname().nodename, "started_at": "x"}))
    child.kill()
    child.wait()
    lock = RunLock(path).acquire()
    assert lock.stale_taken_over["pid"] == child.pid
    lock.release()


def test_garbage_lock_file_counts_as_stale(tmp_path):
    path = tmp_path / "run.lock"
    path.write_text("not json")
    lock = RunLock(path).acquire()
    assert lock.stale_taken_over == {}
    lock.release()
