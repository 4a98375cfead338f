"""Check (and optionally re-split) the Chinese NLP gold file corpus/gold/nlp/zh.jsonl.

Usage:
    python corpus/build/check_gold_zh.py                  # validate + print distribution
    python corpus/build/check_gold_zh.py --assign-splits  # rewrite "split" deterministically, then validate

Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "gold" / "nlp" / "zh.jsonl"
TAXONOMY = ROOT / "corpus" / "taxonomy.toml"

FIELDS = ["id", "lang", "genre", "text", "topics", "sentiment", "stance", "split"]
ALLOWED = {
    "lang": {"zh-Hans", "zh-Hant"},
    "genre": {"news", "social"},
    "sentiment": {"positive", "negative", "neutral"},
    "stance": {"welcoming", "hostile", "neutral"},
    "split": {"train", "test"},
}
TEST_EVERY = 4  # one in four of each stratum goes to test (~25 %)


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"line {n}: invalid JSON: {exc}") from exc
    return rows


def topic_ids() -> set[str]:
    with TAXONOMY.open("rb") as f:
        return {t["id"] for t in tomllib.load(f)["topic"]}


def assign_splits(rows: list[dict]) -> None:
    # Stratify on the joint (sentiment, stance, genre, lang) cell, and order each cell by a
    # hash of the id so the split is deterministic but not tied to file order (batches).
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r["id"].startswith("zh-x"):  # extra examples written for training: never test
            r["split"] = "train"
            continue
        cells[(r["sentiment"], r["stance"], r["genre"], r["lang"])].append(r)
    for cell in cells.values():
        cell.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
        for i, r in enumerate(cell):
            r["split"] = "test" if i % TEST_EVERY == 1 else "train"  # rounds cell share to nearest


def validate(rows: list[dict], topics: set[str]) -> list[str]:
    errors = []
    ids, texts = Counter(r.get("id") for r in rows), Counter(r.get("text") for r in rows)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    errors += [f"duplicate text {t[:30]}" for t, c in texts.items() if c > 1]
    for r in rows:
        rid = r.get("id", "?")
        if list(r) != FIELDS:
            errors.append(f"{rid}: fields {list(r)}")
            continue
        for key, allowed in ALLOWED.items():
            if r[key] not in allowed:
                errors.append(f"{rid}: bad {key} {r[key]!r}")
        if not isinstance(r["topics"], list) or len(r["topics"]) > 3:
            errors.append(f"{rid}: topics must be a list of 0-3 ids")
        else:
            errors += [f"{rid}: unknown topic {t}" for t in r["topics"] if t not in topics]
            if len(set(r["topics"])) != len(r["topics"]):
                errors.append(f"{rid}: repeated topic")
        if not (8 <= len(r["text"]) <= 260):
            errors.append(f"{rid}: text length {len(r['text'])}")
    return errors


def table(rows: list[dict], key: str, values: list[str]) -> None:
    total = len(rows)
    print(f"\n{key:<15}{'all':>6}{'%':>7}{'train':>7}{'test':>6}{'news':>6}{'social':>7}{'Hans':>6}{'Hant':>6}")
    for v in values:
        sel = [r for r in rows if (v in r["topics"] if key == "topic" else r[key] == v)]
        c = Counter()
        for r in sel:
            c[r["split"]] += 1
            c[r["genre"]] += 1
            c[r["lang"]] += 1
        print(f"{v:<15}{len(sel):>6}{100 * len(sel) / total:>6.1f}%{c['train']:>7}{c['test']:>6}"
              f"{c['news']:>6}{c['social']:>7}{c['zh-Hans']:>6}{c['zh-Hant']:>6}")


def report(rows: list[dict], topics: list[str]) -> list[str]:
    print(f"texts: {len(rows)}")
    for key in ("split", "genre", "lang", "sentiment", "stance"):
        table(rows, key, sorted(ALLOWED[key]))
    table(rows, "topic", topics)
    print(f"\nno topic: {sum(not r['topics'] for r in rows)}")
    lens = sorted(len(r["text"]) for r in rows)
    print(f"length: min {lens[0]} median {lens[len(lens) // 2]} max {lens[-1]}")
    print("\nsentiment x stance")
    cross = Counter((r["sentiment"], r["stance"]) for r in rows)
    for s in sorted(ALLOWED["sentiment"]):
        print(f"  {s:<10}" + "".join(f"{st}={cross[(s, st)]:<5}" for st in sorted(ALLOWED["stance"])))
    # Balance targets from the brief.
    problems = []
    n = len(rows)
    for key, floor in (("sentiment", 0.25), ("stance", 0.20)):
        for v in ALLOWED[key]:
            share = sum(r[key] == v for r in rows) / n
            if share < floor:
                problems.append(f"{key}={v} only {share:.1%}")
    for t in topics:
        if sum(t in r["topics"] for r in rows) < 35:
            problems.append(f"topic {t} has < 35 texts")
        if not any(t in r["topics"] and r["split"] == "test" for r in rows):
            problems.append(f"topic {t} missing from test")
    for key in ("sentiment", "stance", "genre", "lang"):
        for v in ALLOWED[key]:
            if not any(r[key] == v and r["split"] == "test" for r in rows):
                problems.append(f"{key}={v} missing from test")
    if n < 480:
        problems.append(f"only {n} texts")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--assign-splits", action="store_true")
    ap.add_argument("--path", type=Path, default=GOLD)
    args = ap.parse_args()
    rows = load(args.path)
    with TAXONOMY.open("rb") as f:
        topic_order = [t["id"] for t in tomllib.load(f)["topic"]]
    errors = validate(rows, set(topic_order))
    if errors:
        print("\n".join(errors))
        return 1
    if args.assign_splits:
        assign_splits(rows)
        args.path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    problems = report(rows, topic_order)
    if problems:
        print("\nPROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
