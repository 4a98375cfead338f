"""The daily run survives faults: killed processes, broken pages, bad source files; so does an import.

Every crawl runs as a subprocess (one Twisted reactor per process) against the offline web.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runri_monitor.paths import OFFLINE_SOURCES_DIR, PROJECT_ROOT, SOURCES_DIR
from runri_monitor.webserver import serve_offline_web
from tests.procs import children, running

FAULTS = Path(__file__).resolve().parent.parent / "fixtures" / "faults"
FAST = ["--set", "RUNRI_RETRY_BACKOFF_BASE=0.05", "--set", "RETRY_TIMES=1"]


def runri(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runri_monitor", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=PROJECT_ROOT)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "runri_monitor", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT)


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # table not created yet
        return 0
    finally:
        conn.close()


def urls(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT canonical_url FROM documents")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(offline_web, tmp_path_factory) -> Path:
    """An uninterrupted crawl of the offline news outlets: what a killed-then-resumed crawl must equal."""
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    proc = runri("crawl", "--db", str(db), "--sources-dir", str(OFFLINE_SOURCES_DIR),
                 "--offline-proxy", offline_web, *FAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return db


def test_crawl_killed_midway_then_rerun_stores_every_document_once(offline_web, reference, tmp_path):
    db = tmp_path / "killed.db"
    crawl = ["crawl", "--db", str(db), "--sources-dir", str(OFFLINE_SOURCES_DIR), "--offline-proxy", offline_web,
             *FAST]
    proc = start(*crawl)
    time.sleep(2.0)  # the slow page alone takes 3 s: the crawl is still running
    assert proc.poll() is None, "the crawl finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = count(db, "SELECT count(*) FROM documents")
    rerun = runri(*crawl)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert before < len(urls(reference))
    assert urls(db) == urls(reference)
    assert count(db, "SELECT count(*) FROM documents") == count(db, "SELECT count(DISTINCT canonical_url) FROM documents")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_process_killed_midway_then_rerun_annotates_every_document_once(reference, tmp_path):
    db = tmp_path / "process.db"
    db.write_bytes(reference.read_bytes())
    # one document per analysis batch and per commit: the whole run takes well over a second, and
    # the kill lands right after the first commits
    proc = start("process", "--db", str(db), "--batch-size", "1", "--analysis-batch", "1", "--quiet")
    deadline = time.monotonic() + 120
    while count(db, "SELECT count(*) FROM annotations") == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    total = count(db, "SELECT count(*) FROM documents")
    partial = count(db, "SELECT count(*) FROM annotations")
    assert 0 < partial < total, "process was not killed mid-way"
    rerun = runri("process", "--db", str(db), "--quiet")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert count(db, "SELECT count(*) FROM annotations") == total
    assert count(db, "SELECT count(DISTINCT doc_id) FROM annotations") == total


def test_import_killed_midway_then_rerun_imports_every_row_once(tmp_path):
    """`runri import` commits every 20,000 new rows: a SIGKILL loses the open transaction only, and
    importing the file again adds exactly what is missing (documents, full-text rows, trend tables)."""
    total = 60_000  # three transactions; the parallel path (workers) from 20,000 lines
    src = tmp_path / "big.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(total):
            text = f"潤日 {i % 50_000} 経営・管理ビザ"  # the last 10,000 are exact copies (dup_of)
            fh.write(json.dumps({"url": f"https://k.example/{i}", "title": text, "body": "本文" * 20,
                                 "published_at": f"2024-0{1 + i % 9}-01", "source": f"s{i % 7}"}) + "\n")
    db = tmp_path / "import.db"
    assert runri("init", "--db", str(db)).returncode == 0
    proc = start("import", str(src), "--db", str(db))
    deadline = time.monotonic() + 120
    while count(db, "SELECT count(*) FROM documents") == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10  # the row-preparing workers end with their parent
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, workers)), "workers outlived the killed import"
    if Path("/proc/self/stat").exists():
        assert workers, "the import ran without its worker processes"
    partial = count(db, "SELECT count(*) FROM documents")
    assert 0 < partial < total, "import was not killed mid-way"
    assert partial % 20_000 == 0  # whole transactions only
    rerun = runri("import", str(src), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{total} rows: {total - partial} imported, {partial} already stored" in rerun.stdout
    for sql in ("SELECT count(*) FROM documents", "SELECT count(DISTINCT canonical_url) FROM documents",
                "SELECT count(*) FROM documents_fts", "SELECT sum(n) FROM trend_cells", "SELECT count(*) FROM trend_docs"):
        assert count(db, sql) == total, sql
    assert count(db, "SELECT count(*) FROM documents WHERE dup_of IS NOT NULL") == total - 50_000
    assert count(db, "PRAGMA integrity_check") == "ok"


@pytest.fixture(scope="module")
def faulty_web():
    with serve_offline_web(FAULTS / "web") as url:
        yield url


def test_broken_pages_cost_the_page_not_the_run(faulty_web, tmp_path):
    db = tmp_path / "faults.db"
    proc = runri("crawl", "--db", str(db), "--sources-dir", str(FAULTS / "sources"), "--offline-proxy", faulty_web,
                 "--set", "DOWNLOAD_TIMEOUT=2", *FAST, "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "skipping bad source file" in proc.stderr and "broken_source.toml" in proc.stderr
    stats = json.loads(proc.stdout)["sources"]["ja_faulty_outlet"]
    assert stats["new"] == 2  # the two healthy articles
    assert urls(db) == {"http://www.faulty-outlet.test/a/good1.html", "http://www.faulty-outlet.test/a/good2.html"}
    errors = {k for k in stats if k.startswith("errors/")}
    # timeout, 503, 429, garbage bytes, 50 MB page, PDF: each counted, none fatal
    assert {"errors/http_503", "errors/http_429", "errors/unparseable", "errors/not_html"} <= errors
    assert any("Timeout" in e for e in errors)
    assert any("Cancelled" in e or "maxsize" in e.lower() for e in errors)


def test_daily_twice_second_run_adds_nothing(offline_web, tmp_path):
    db = tmp_path / "daily.db"
    args = ["daily", "--db", str(db), "--sources-dir", str(OFFLINE_SOURCES_DIR), "--sources-dir",
            str(SOURCES_DIR / "social"), "--offline-proxy", offline_web, "--report-dir", str(tmp_path / "report")]
    first = runri(*args, timeout=400)
    assert first.returncode == 0, first.stdout + first.stderr[-2000:]
    assert "daily run complete" in first.stdout
    assert "new documents:" in first.stdout
    assert list((tmp_path / "report").glob("*.html"))
    docs = count(db, "SELECT count(*) FROM documents")
    assert docs == count(db, "SELECT count(*) FROM annotations")
    second = runri(*args, timeout=400)
    assert second.returncode == 0
    assert "no new documents" in second.stdout
    assert count(db, "SELECT count(*) FROM documents") == docs
    assert count(db, "SELECT count(*) FROM crawl_runs WHERE kind = 'daily' AND status = 'complete'") == 2
    assert list((db.parent / "logs").glob("daily-*.log"))


def test_daily_reports_partial_when_a_source_fails(faulty_web, tmp_path):
    db = tmp_path / "partial.db"
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "ja_faulty_outlet.toml").write_text((FAULTS / "sources" / "ja_faulty_outlet.toml").read_text())
    dead = (FAULTS / "sources" / "ja_faulty_outlet.toml").read_text().replace("ja_faulty_outlet", "ja_dead_outlet")
    (sources / "ja_dead_outlet.toml").write_text(dead.replace("www.faulty-outlet.test", "www.dead-outlet.test"))
    proc = runri("daily", "--db", str(db), "--sources-dir", str(sources), "--offline-proxy", faulty_web,
                 "--skip", "clusters", "--skip", "report", timeout=400)
    assert proc.returncode == 4, proc.stdout + proc.stderr[-2000:]
    assert "daily run partial" in proc.stdout


def test_daily_fails_when_every_source_fails(faulty_web, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    dead = (FAULTS / "sources" / "ja_faulty_outlet.toml").read_text().replace("ja_faulty_outlet", "ja_dead_outlet")
    (sources / "ja_dead_outlet.toml").write_text(dead.replace("www.faulty-outlet.test", "www.dead-outlet.test"))
    proc = runri("daily", "--db", str(tmp_path / "failed.db"), "--sources-dir", str(sources),
                 "--offline-proxy", faulty_web, "--skip", "clusters", "--skip", "report", timeout=400)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-2000:]
    assert "daily run failed" in proc.stdout
    assert "error: crawl: exit 1" in proc.stdout
