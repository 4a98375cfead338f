"""Per-source health over the last crawl runs, so a silently broken source becomes visible.

A source that used to yield documents and now yields none, or whose requests mostly fail, is
flagged even though the run as a whole succeeded.
"""

from __future__ import annotations

import json
from typing import Any

from runri_monitor.store import Store


def _errors(counts: dict[str, Any]) -> int:
    return sum(int(v) for k, v in counts.items() if k.startswith("errors"))


def source_health(store: Store, last_runs: int = 10) -> list[dict[str, Any]]:
    """One row per source seen in the last N crawl runs: last success, yield per run, error rate."""
    runs = list(store.db.query(
        "SELECT id, started_at, status, stats FROM crawl_runs WHERE kind = 'crawl' ORDER BY id DESC LIMIT ?",
        [last_runs],
    ))
    per_source: dict[str, dict[str, Any]] = {}
    for run in reversed(runs):  # oldest first, so "last" fields end on the newest run
        try:
            stats = json.loads(run["stats"] or "{}")
        except json.JSONDecodeError:
            continue
        for source, counts in (stats.get("sources") or {}).items():
            h = per_source.setdefault(source, {"source": source, "runs": 0, "new": 0, "requests": 0,
                                               "errors": 0, "last_success": None, "last_yield": 0})
            errors = _errors(counts)
            new = int(counts.get("new", 0))
            h["runs"] += 1
            h["new"] += new
            h["errors"] += errors
            h["requests"] += int(counts.get("requests", 0) or (new + errors))
            h["last_yield"] = new
            if errors == 0 or new > 0:
                h["last_success"] = run["started_at"]
    rows = []
    for h in per_source.values():
        h["yield_per_run"] = round(h["new"] / h["runs"], 1) if h["runs"] else 0.0
        h["error_rate"] = round(h["errors"] / h["requests"], 3) if h["requests"] else 0.0
        h["status"] = _status(h)
        rows.append(h)
    order = {"broken": 0, "degraded": 1, "ok": 2}
    return sorted(rows, key=lambda r: (order[r["status"]], r["source"]))


def _status(h: dict[str, Any]) -> str:
    if h["last_success"] is None:
        return "broken"
    if h["error_rate"] > 0.2:
        return "degraded"
    return "ok"
