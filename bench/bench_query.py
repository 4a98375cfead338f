"""Query latency at scale: trends and search over 1,000,000 synthetic documents, clustering of 100,000.

    python bench/bench_query.py [--docs 1000000] [--cluster-docs 100000] [--db PATH] [--keep]

Loads synthetic documents with annotations and topics into a temporary database (raw executemany in
big transactions), then times each query (median of 5 runs after one warm-up) and one clustering
run. Targets: every trend/search query < 200 ms; clustering 100,000 documents < 5 minutes.
Writes bench/results/query.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runri_monitor.clusters import ClusterParams, cluster_documents, score_clustering  # noqa: E402
from runri_monitor.search import search  # noqa: E402
from runri_monitor.store import Store  # noqa: E402
from runri_monitor.synthetic import bulk_load, synthetic_documents  # noqa: E402
from runri_monitor.trends import Filters, trend  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "query.json"
TARGET_MS = 200.0


def timed(fn, runs: int = 5) -> tuple[float, int]:
    out = fn()  # warm-up (page cache, statement cache)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--cluster-docs", type=int, default=100_000)
    ap.add_argument("--db", help="reuse / keep this database (default: a temporary file)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    tmp = None
    if args.db:
        db_path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="runri-bench-")
        db_path = Path(tmp.name) / "bench.db"
    store = Store.open(db_path)
    load_s = 0.0
    if store.count() < args.docs:
        t0 = time.perf_counter()
        bulk_load(store, args.docs, seed=42, start="2022-04-01", days=3 * 365)
        store.db.execute("ANALYZE")
        load_s = time.perf_counter() - t0
        print(f"loaded {args.docs:,} documents in {load_s:.1f} s", flush=True)
    n = store.count()

    queries = {
        "coverage month x language": lambda: trend(store, "coverage", ["language"], "month"),
        "coverage week x source, 2024, ja": lambda: trend(
            store, "coverage", ["source"], "week", Filters(since="2024-01-01", until="2024-12-31", lang=["ja"])),
        "coverage day, last 90 days": lambda: trend(store, "coverage", [], "day", Filters(since="2025-01-01")),
        "coverage month x topic": lambda: trend(store, "coverage", ["topic"], "month"),
        "coverage month, topic=visa": lambda: trend(store, "coverage", ["language"], "month", Filters(topic=["visa"])),
        "sentiment month x language": lambda: trend(store, "sentiment", ["language"], "month"),
        "sentiment week x platform, 2024": lambda: trend(
            store, "sentiment", ["platform"], "week", Filters(since="2024-01-01", until="2024-12-31")),
        "stance month x language": lambda: trend(store, "stance", ["language"], "month"),
        "coverage month, query 地下钱庄 in 2025-03": lambda: trend(
            store, "coverage", ["language"], "month", Filters(query="地下钱庄", since="2025-03-01", until="2025-03-31")),
        "coverage month x language, query 地下钱庄 (all dates)": lambda: trend(
            store, "coverage", ["language"], "month", Filters(query="地下钱庄")),
        "sentiment month x language, query 地下钱庄 (all dates)": lambda: trend(
            store, "sentiment", ["language"], "month", Filters(query="地下钱庄")),
        "search 润日 (top 20)": lambda: search(store, "润日", limit=20),
        "search 经营管理签证 (top 20)": lambda: search(store, "经营管理签证", limit=20),
        "search 塔楼公寓 lang=zh-Hant since 2025": lambda: search(
            store, "塔楼公寓", Filters(lang=["zh-Hant"], since="2025-01-01"), limit=20),
        "search rare term 第12345号": lambda: search(store, "第12345号", limit=20),
    }
    latencies = {}
    for name, fn in queries.items():
        ms, rows = timed(fn)
        latencies[name] = {"ms": round(ms, 1), "rows": rows, "ok": ms < TARGET_MS}
        print(f"{ms:8.1f} ms  {'ok ' if ms < TARGET_MS else 'SLOW'}  {name} ({rows} rows)", flush=True)

    # Clustering: fresh story-structured synthetic documents (9 stories told in 3 scripts), so the
    # figure also says whether the large-n path still finds the stories.
    pairs = list(synthetic_documents(args.cluster_docs, seed=7))
    docs = [{**d, "keywords": None, "entities": None} for d, _ in pairs]
    t0 = time.perf_counter()
    result = cluster_documents(docs, ClusterParams())
    cluster_s = time.perf_counter() - t0
    quality = score_clustering([a["story"] for _, a in pairs], result["labels"], [d["lang"] for d in docs])
    print(f"clustered {len(docs):,} documents in {cluster_s:.1f} s: {len(result['clusters'])} clusters, "
          f"NMI {quality['nmi']}, ARI {quality['ari']} against the 9 synthetic stories", flush=True)

    out = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "documents": n,
        "load_seconds": round(load_s, 1) if load_s else None,  # None: an existing --db was reused
        "target_ms": TARGET_MS,
        "latencies": latencies,
        "all_queries_under_target": all(v["ok"] for v in latencies.values()),
        "clustering": {"documents": len(docs), "seconds": round(cluster_s, 1), "clusters": len(result["clusters"]),
                       "nmi": quality["nmi"], "ari": quality["ari"], "under_5_minutes": cluster_s < 300},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS}")
    store.close()
    if tmp and not args.keep:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
