"""Benchmark `runri import`: documents per second for 100,000 JSONL documents, then CJK search latency.

Run: .venv/bin/python bench/bench_import.py [--docs 100000]
(in a git worktree sharing another checkout's virtualenv: python -m bench.bench_import, so that this
checkout's packages are imported)
Writes bench/results/import.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from runri_monitor.importing import import_file
from runri_monitor.store import Store

JA_PHRASES = ["中国人富裕層が東京に移住", "経営・管理ビザの要件が厳しくなった", "豊洲のタワマンを現金で購入",
              "文京区の小学校に通わせたい", "潤日と呼ばれる現象", "地下銀行の摘発が相次ぐ", "参院選で外国人政策が争点"]
ZH_PHRASES = ["越来越多的中产润去日本", "经营管理签证门槛提高到3000万日元", "在东京湾岸买塔楼公寓",
              "为了孩子的教育移居文京区", "润日成为热门话题", "地下钱庄换汇被查", "日本参议院选举中的外国人议题"]
FILLER = "今日は天気が良く、多くの人が公園を訪れた。市場の動きは落ち着いている。经济数据显示消费回暖，市场情绪稳定。"


def make_file(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            ja = rng.random() < 0.5
            phrases = JA_PHRASES if ja else ZH_PHRASES
            # Unique text per document (real articles are not exact copies of each other).
            body = (
                "".join(rng.choice(phrases) + "。" for _ in range(4))
                + f"記録番号{i}、{rng.randint(1, 10**6)}件。"
                + FILLER[: rng.randint(20, 60)]
            )
            row = {
                "url": f"https://bench.example/{'ja' if ja else 'zh'}/{i}",
                "title": rng.choice(phrases),
                "body": body,
                "published_at": f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T08:00:00+09:00",
                "lang": "ja" if ja else "zh-Hans",
                "source": f"bench_{i % 20}",
                "kind": "article",
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def reference_loop_ms(repeat: int = 5) -> float:
    """Best time of a fixed pure-Python loop: the machine's single-core speed, so that figures
    measured on different machines can be compared (this bench is CPU-bound on both cores)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        make_file(src, args.docs)
        store = Store.open(Path(tmp) / "bench.db")
        start = time.perf_counter()
        cpu = time.process_time()
        report = import_file(store, src)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = workers.ru_utime + workers.ru_stime
        assert report.imported == args.docs, report
        latencies = {}
        for query in ["潤日", "润日", "地下钱庄", "経営管理", "塔楼公寓", "タワマン"]:
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                ids = store.search_ids(query, limit=50)
                times.append((time.perf_counter() - t0) * 1000)
            latencies[query] = {"median_ms": round(statistics.median(times), 2), "hits": len(ids)}
        store.close()
    result = {
        "documents": args.docs,
        "seconds": round(elapsed, 2),
        "docs_per_second": round(args.docs / elapsed),
        "cpu_seconds": {"main": round(cpu, 2), "workers": round(workers_cpu, 2)},
        "search_latency_ms": latencies,
        "reference_loop_ms": reference_loop_ms(),
    }
    out = Path(__file__).parent / "results" / "import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"import: {args.docs} documents in {elapsed:.1f} s = {result['docs_per_second']:,} docs/s "
          f"(CPU: main process {cpu:.1f} s, row-preparing workers {workers_cpu:.1f} s)")
    for q, v in latencies.items():
        print(f"search {q}: {v['median_ms']} ms ({v['hits']} hits)")
    print(f"machine: reference Python loop {result['reference_loop_ms']} ms (1M iterations, best of 5; lower = faster)")


if __name__ == "__main__":
    main()
