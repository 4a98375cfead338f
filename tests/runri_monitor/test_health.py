"""`runri sources health`: per-source yield and error rate over the last runs."""

from __future__ import annotations

from runri_monitor.health import source_health
from runri_monitor.store import Store


def test_health_flags_broken_and_degraded_sources(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        runs = [
            {"good": {"requests": 10, "new": 5}, "flaky": {"requests": 10, "new": 2, "errors/http_500": 4},
             "dead": {"requests": 3, "errors/timeout": 3}},
            {"good": {"requests": 10, "new": 3}, "flaky": {"requests": 10, "new": 1, "errors/http_500": 3},
             "dead": {"requests": 3, "errors/dns": 3}},
        ]
        for stats in runs:
            run_id = store.start_run("crawl")
            store.finish_run(run_id, "ok", {"sources": stats})
        rows = {r["source"]: r for r in source_health(store)}
    assert rows["good"]["status"] == "ok"
    assert rows["good"]["yield_per_run"] == 4.0
    assert rows["good"]["last_yield"] == 3
    assert rows["flaky"]["status"] == "degraded"
    assert rows["flaky"]["error_rate"] == 0.35
    assert rows["dead"]["status"] == "broken"
    assert rows["dead"]["last_success"] is None
