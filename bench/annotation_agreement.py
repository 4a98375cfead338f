"""Inter-annotator agreement on the gold topic labels (corpus/gold/nlp/annotation/).

Each `{lang}_topics_rounds.jsonl` row holds one text's topic sets: A (first annotation), B (the blind
second annotation by GUIDELINES.md) and, where they differed, C (the adjudicated set, with the rule
that decided it). The final label is C where present, else B (= A). Prints micro-F1 of each set
against the others, per language and split, and checks that the gold files hold the final labels.

    python bench/annotation_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold" / "nlp"


def micro_f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    """Micro-F1 of the second set of each pair against the first (symmetric in the two roles)."""
    tp = sum(len(a & b) for a, b in pairs)
    fp = sum(len(b - a) for a, b in pairs)
    fn = sum(len(a - b) for a, b in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def agreement(lang: str) -> tuple[list[str], list[str]]:
    """Table lines and problems (gold labels that are not the final ones) for one language."""
    gold = {}
    for line in (GOLD / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row["id"]] = row
    rounds = [
        json.loads(line)
        for line in (GOLD / "annotation" / f"{lang}_topics_rounds.jsonl").open(encoding="utf-8")
    ]
    problems = [
        f"{r['id']}: gold {gold[r['id']]['topics']} is not the final {r.get('C', r['B'])}"
        for r in rounds
        if r["id"] not in gold or set(gold[r["id"]]["topics"]) != set(r.get("C", r["B"]))
    ]
    lines = []
    for split in ("train", "test", "all"):
        sel = [r for r in rounds if split == "all" or gold.get(r["id"], {}).get("split") == split]
        a = [set(r["A"]) for r in sel]
        b = [set(r["B"]) for r in sel]
        final = [set(r.get("C", r["B"])) for r in sel]
        lines.append(
            f"{lang:4} {split:6} {len(sel):6} {micro_f1(list(zip(a, b, strict=True))):8.3f} "
            f"{micro_f1(list(zip(a, final, strict=True))):10.3f} {micro_f1(list(zip(b, final, strict=True))):10.3f}"
            f" {sum(x != y for x, y in zip(a, b, strict=True)):9}"
        )
    return lines, problems


def main() -> int:
    print("lang split       n   A vs B  A vs final  B vs final  disputed")
    problems: list[str] = []
    for lang in ("ja", "zh"):
        lines, bad = agreement(lang)
        print("\n".join(lines))
        problems += bad
    for problem in problems[:20]:
        print("mismatch:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
