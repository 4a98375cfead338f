"""Check corpus/gold/nlp/ja.jsonl and print its label distribution.

Usage:
    python corpus/build/check_gold_ja.py               # validate + distribution table
    python corpus/build/check_gold_ja.py --assign-split # rewrite the split field, then validate

The split is deterministic and stratified: rows are grouped by (genre, sentiment, stance),
ordered by id, and every 4th row of each group (positions 2, 6, 10, ...) goes to test,
so every label value and genre appears in test at ~25%. Rows with ids ja-x... (extra examples
written for training) always stay in train and do not shift the split of the others.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "corpus" / "gold" / "nlp" / "ja.jsonl"
TAXONOMY = ROOT / "corpus" / "taxonomy.toml"

KEYS = ["id", "lang", "genre", "text", "topics", "sentiment", "stance", "split"]
ALLOWED = {
    "genre": {"news", "social"},
    "sentiment": {"positive", "negative", "neutral"},
    "stance": {"welcoming", "hostile", "neutral"},
    "split": {"train", "test"},
}


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            raise ValueError(f"line {n}: empty line")
        rows.append(json.loads(line))
    return rows


def validate(rows: list[dict], topic_ids: set[str]) -> list[str]:
    errors: list[str] = []
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for r in rows:
        rid = r.get("id", "?")
        if list(r) != KEYS:
            errors.append(f"{rid}: keys {list(r)} != {KEYS}")
            continue
        if rid in seen_ids:
            errors.append(f"{rid}: duplicate id")
        seen_ids.add(rid)
        if r["text"] in seen_texts:
            errors.append(f"{rid}: duplicate text")
        seen_texts.add(r["text"])
        if r["lang"] != "ja":
            errors.append(f"{rid}: lang {r['lang']}")
        for key, allowed in ALLOWED.items():
            if r[key] not in allowed:
                errors.append(f"{rid}: bad {key} {r[key]!r}")
        topics = r["topics"]
        if not isinstance(topics, list) or len(topics) > 3 or len(set(topics)) != len(topics):
            errors.append(f"{rid}: bad topics {topics!r}")
        elif unknown := set(topics) - topic_ids:
            errors.append(f"{rid}: unknown topics {sorted(unknown)}")
        if not 15 <= len(r["text"]) <= 250:
            errors.append(f"{rid}: text length {len(r['text'])}")
    return errors


def assign_split(rows: list[dict]) -> None:
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["id"]):
        if r["id"].startswith("ja-x"):  # extra examples written for training: never test
            r["split"] = "train"
            continue
        groups[(r["genre"], r["sentiment"], r["stance"])].append(r)
    for members in groups.values():
        for i, r in enumerate(members):
            r["split"] = "test" if i % 4 == 2 else "train"


def table(rows: list[dict], topic_ids: list[str]) -> str:
    n = len(rows)
    out = [f"rows: {n}", f"{'label':<28}{'all':>6}{'%':>7}{'train':>7}{'test':>6}{'news':>6}{'social':>7}"]

    def line(name: str, pred) -> None:
        sel = [r for r in rows if pred(r)]
        c = Counter(r["split"] for r in sel)
        g = Counter(r["genre"] for r in sel)
        pct = 100 * len(sel) / n if n else 0
        out.append(f"{name:<28}{len(sel):>6}{pct:>6.1f}%{c['train']:>7}{c['test']:>6}{g['news']:>6}{g['social']:>7}")

    for key in ("genre", "split", "sentiment", "stance"):
        for v in sorted(ALLOWED[key]):
            line(f"{key}={v}", lambda r, k=key, v=v: r[k] == v)
    for t in topic_ids:
        line(f"topic={t}", lambda r, t=t: t in r["topics"])
    line("topics=[]", lambda r: not r["topics"])
    lengths = sorted(len(r["text"]) for r in rows)
    if lengths:
        out.append(f"text length: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    cross = Counter((r["sentiment"], r["stance"]) for r in rows)
    out.append("sentiment x stance: " + ", ".join(f"{a}/{b}={c}" for (a, b), c in sorted(cross.items())))
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--assign-split", action="store_true", help="rewrite the split field deterministically")
    ap.add_argument("path", nargs="?", type=Path, default=GOLD)
    args = ap.parse_args()
    topic_ids = [t["id"] for t in tomllib.loads(TAXONOMY.read_text(encoding="utf-8"))["topic"]]
    rows = load(args.path)
    if args.assign_split:
        assign_split(rows)
        args.path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    errors = validate(rows, set(topic_ids))
    print(table(rows, topic_ids))
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
