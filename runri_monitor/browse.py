"""`runri browse`: Datasette over the store, on 127.0.0.1 only, with table descriptions and canned queries.

The metadata is built in code (it knows the database file name, which Datasette uses as the
database key) and written to a temporary JSON file for the lifetime of the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["metadata", "datasette_command", "run_datasette"]

TABLES = {
    "documents": "One row per crawled article, post or comment. dup_of points at the original of a syndicated copy; "
    "published_at is UTC. The body is the original text.",
    "annotations": "NLP output per document: language, keywords, entities, sentiment in [-1, 1], sentiment and stance labels.",
    "doc_topics": "Topics of each document (multi-label), topic ids from corpus/taxonomy.toml.",
    "topics": "The topic taxonomy with names in English, Japanese and Chinese.",
    "sources": "Outlets and platforms (corpus/sources/*.toml).",
    "crawl_runs": "One row per crawl / processing run, with statistics.",
    "cluster_runs": "One row per clustering run: method, parameters, counts.",
    "clusters": "Story clusters of each run, labelled in Japanese and Chinese.",
    "cluster_members": "Which documents belong to which cluster (cluster_id -1: none).",
    "reports": "Daily HTML reports written, and the time each one counted new documents from.",
}

_CANNED: dict[str, dict[str, str]] = {
    "coverage_by_month_and_language": {
        "title": "Coverage by month and language / 月別・言語別の報道量",
        "sql": "SELECT substr(published_at, 1, 7) AS month, lang, count(*) AS documents FROM documents "
        "WHERE dup_of IS NULL AND published_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
    },
    "coverage_by_week_and_source": {
        "title": "Coverage by week and source",
        "sql": "SELECT date(substr(published_at, 1, 10), 'weekday 0', '-6 days') AS week, source_id, count(*) AS documents "
        "FROM documents WHERE dup_of IS NULL AND published_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
    },
    "sentiment_by_month_and_language": {
        "title": "Mean sentiment by month and language / 月別の感情",
        "sql": "SELECT substr(d.published_at, 1, 7) AS month, d.lang, count(a.sentiment) AS n, "
        "round(avg(a.sentiment), 3) AS mean_sentiment FROM documents d JOIN annotations a ON a.doc_id = d.id "
        "WHERE d.dup_of IS NULL AND d.published_at IS NOT NULL GROUP BY 1, 2 HAVING n >= 5 ORDER BY 1, 2",
    },
    "stance_by_month": {
        "title": "Stance shares by month / 月別の論調",
        "sql": "SELECT substr(d.published_at, 1, 7) AS month, count(*) AS n, "
        "round(avg(a.stance_label = 'welcoming'), 3) AS welcoming, round(avg(a.stance_label = 'hostile'), 3) AS hostile, "
        "round(avg(a.stance_label = 'neutral'), 3) AS neutral FROM documents d JOIN annotations a ON a.doc_id = d.id "
        "WHERE d.dup_of IS NULL AND d.published_at IS NOT NULL AND a.stance_label IS NOT NULL GROUP BY 1 HAVING n >= 5 ORDER BY 1",
    },
    "coverage_by_topic": {
        "title": "Coverage by month and topic / 月別・トピック別",
        "sql": "SELECT substr(d.published_at, 1, 7) AS month, t.topic_id, count(*) AS documents FROM documents d "
        "JOIN doc_topics t ON t.doc_id = d.id WHERE d.dup_of IS NULL AND d.published_at IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY 1, 2",
    },
    "search": {
        "title": "Search (bigram index; type a word of two or more characters)",
        "sql": "SELECT d.id, d.published_at, d.lang, d.source_id, d.title, d.url FROM documents_fts "
        "JOIN documents d ON d.seq = documents_fts.rowid WHERE documents_fts MATCH :bigrams ORDER BY rank LIMIT 100",
        "description": "The index holds folded character bigrams: search 润日 as 润日, 经营管理 as \"经营 营管 管理\". "
        "`runri search` does this conversion for you.",
    },
    "latest_clusters": {
        "title": "Clusters of the latest run / 最新のクラスター",
        "sql": "SELECT cluster_id, size, label_ja, label_zh, languages, first_seen, last_seen FROM clusters "
        "WHERE run_id = (SELECT max(id) FROM cluster_runs) ORDER BY size DESC",
    },
}


def metadata(db_name: str) -> dict[str, Any]:
    """Datasette metadata for a database called `db_name` (the file stem)."""
    return {
        "title": "runri-monitor: 潤日 / 润日 coverage",
        "description": "Japanese and Chinese coverage of well-off Chinese moving to Japan. Read-only view of the store.",
        "databases": {
            db_name: {
                "tables": {
                    **{name: {"description": text} for name, text in TABLES.items()},
                    "documents_fts": {"hidden": True},
                },
                "queries": _CANNED,
            }
        },
    }


def datasette_command(db_path: str | Path, port: int = 8001) -> tuple[list[str], dict[str, Any]]:
    """The argv that serves this database on 127.0.0.1 (read-only) and the metadata it needs."""
    meta = metadata(Path(db_path).stem)
    argv = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", "127.0.0.1",
            "--port", str(int(port)), "--metadata", "{metadata}", "--setting", "sql_time_limit_ms", "3000"]
    return argv, meta


def run_datasette(db_path: str | Path, port: int = 8001) -> int:
    """Run Datasette in the foreground until interrupted; returns its exit code."""
    argv, meta = datasette_command(db_path, port)
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        argv = [str(meta_path) if a == "{metadata}" else a for a in argv]
        print(f"Datasette on http://127.0.0.1:{port}/ (Ctrl-C to stop)", file=sys.stderr)
        try:
            return subprocess.call(argv)
        except KeyboardInterrupt:
            return 0
