"""End to end: `runri crawl` of the social source files through the offline web (a subprocess,
because Twisted's reactor runs once per process), then assertions on the stored documents."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from social_helpers import ROOT

SOURCES = ROOT / "corpus" / "sources" / "social"
# Documents the fixtures hold per platform (see corpus/build/build_social_web.py).
EXPECTED = {"5ch": 66, "hatena": 52, "yahoo": 28, "mastodon": 23, "weibo": 54, "bilibili": 51, "tieba": 40}


def crawl(db: Path, **env: str) -> dict:
    cmd = [sys.executable, "-c", "from runri_monitor.cli import main; main()", "crawl", "--db", str(db), "--sources-dir", str(SOURCES),
           "--offline-proxy", "serve", "--json"]
    run_env = {k: v for k, v in os.environ.items() if k not in ("RUNRI_KEEP_HANDLES", "RUNRI_OFFLINE_PROXY")}
    run_env.update({"RUNRI_SOCIAL_BACKOFF": "0.01", **env})
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=run_env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    return {"stats": json.loads(out[out.index("{"):])["sources"], "log": proc.stderr}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, dict, dict]:
    db = tmp_path_factory.mktemp("social") / "social.db"
    first = crawl(db)
    second = crawl(db)
    return sqlite3.connect(db), first, second


def test_every_fixture_post_is_stored_once(crawled) -> None:
    con, _, _ = crawled
    counts = dict(con.execute("SELECT platform, count(*) FROM documents GROUP BY platform"))
    assert counts == EXPECTED


def test_half_japanese_half_chinese(crawled) -> None:
    con, _, _ = crawled
    ja = con.execute("SELECT count(*) FROM documents WHERE lang = 'ja'").fetchone()[0]
    zh = con.execute("SELECT count(*) FROM documents WHERE lang LIKE 'zh%'").fetchone()[0]
    assert ja + zh >= 300 and abs(ja - zh) <= 20


def test_threads_are_intact(crawled) -> None:
    con, _, _ = crawled
    orphans = con.execute("SELECT count(*) FROM documents WHERE parent_id IS NOT NULL "
                          "AND parent_id NOT IN (SELECT id FROM documents)").fetchone()[0]
    replies = con.execute("SELECT count(*) FROM documents WHERE parent_id IS NOT NULL").fetchone()[0]
    assert orphans == 0 and replies >= 190


def test_authors_are_hashed(crawled) -> None:
    con, _, _ = crawled
    authors = [a for (a,) in con.execute("SELECT DISTINCT author FROM documents WHERE author IS NOT NULL")]
    assert authors and all(a.startswith("h:") for a in authors)


def test_metrics_and_discussed_articles(crawled) -> None:
    con, _, _ = crawled
    metrics = json.loads(con.execute("SELECT metrics FROM documents WHERE platform = 'weibo' "
                                     "AND kind = 'post' LIMIT 1").fetchone()[0])
    assert {"likes", "reposts", "replies"} <= set(metrics)
    linked = con.execute("SELECT count(*) FROM documents WHERE discusses_url LIKE 'http://%.test/%'")
    assert linked.fetchone()[0] >= 100


def test_rate_limits_backed_off_and_resumed(crawled) -> None:
    _, first, _ = crawled
    stats = first["stats"]
    assert stats["weibo"]["rate_limited"] == 1 and stats["bilibili"]["rate_limited"] == 1
    assert stats["mastodon"]["new"] == EXPECTED["mastodon"]  # the HTTP 429 page was retried


def test_malformed_json_logged_and_skipped(crawled) -> None:
    _, first, _ = crawled
    assert first["stats"]["weibo"]["errors/parse"] == 2 and first["stats"]["bilibili"]["errors/parse"] == 1
    assert "malformed JSON" in first["log"]


def test_second_crawl_stores_nothing_new(crawled) -> None:
    _, _, second = crawled
    assert sum(s.get("new", 0) for s in second["stats"].values()) == 0
    assert sum(s.get("already_stored", 0) for s in second["stats"].values()) == sum(EXPECTED.values())
