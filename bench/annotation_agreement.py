"""Inter-annotator agreement on the gold labels (corpus/gold/nlp/annotation/).

`{lang}_topics_rounds.jsonl`: per text the topic sets A (first annotation), B (the blind second
annotation by GUIDELINES.md) and, where they differed, C (the adjudicated set, with the rule that
decided it). `{lang}_sentiment_stance_rounds.jsonl`: per text and task ("sentiment", "stance") the
labels A, B and, where they differed, C. The final label is C where present, else B (= A).
The gold files hold the final labels, except for stance: its final labels were learnt worse (5-fold CV
on the train split fell by more than the 0.02 allowed beforehand), so the gold stance is still A.

Prints, per language, task and split, the agreement of A with B (topics: micro-F1; sentiment and
stance: macro-F1 and Cohen's kappa) and of each with the final labels, and checks that the gold files
hold the final labels (exit status 1 if not).

    python bench/annotation_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold" / "nlp"
SPLITS = ("train", "test", "all")
IN_GOLD = {"sentiment": "final", "stance": "A"}  # which round's labels the gold files hold (see above)


def micro_f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    """Micro-F1 of the second set of each pair against the first (symmetric in the two roles)."""
    tp = sum(len(a & b) for a, b in pairs)
    fp = sum(len(b - a) for a, b in pairs)
    fn = sum(len(a - b) for a, b in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _final(labels: dict) -> object:
    return labels.get("C", labels["B"])


def _gold_label(labels: dict, task: str) -> object:
    return _final(labels) if IN_GOLD[task] == "final" else labels[IN_GOLD[task]]


def _in_split(gold: dict[str, dict], split: str):
    return lambda row: split == "all" or gold.get(row["id"], {}).get("split") == split


def topic_agreement(lang: str, gold: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Table lines and problems (gold topics that are not the final ones) for one language."""
    rounds = read_jsonl(GOLD / "annotation" / f"{lang}_topics_rounds.jsonl")
    problems = [
        f"{r['id']} topics: gold {gold.get(r['id'], {}).get('topics')} is not the final {_final(r)}"
        for r in rounds
        if r["id"] not in gold or set(gold[r["id"]]["topics"]) != set(_final(r))
    ]
    lines = []
    for split in SPLITS:
        sel = list(filter(_in_split(gold, split), rounds))
        a = [set(r["A"]) for r in sel]
        b = [set(r["B"]) for r in sel]
        final = [set(_final(r)) for r in sel]
        lines.append(
            f"{lang:4} {'topics':9} {split:6} {len(sel):5}  micro-F1 A~B {micro_f1(list(zip(a, b, strict=True))):.3f}"
            f"  A~final {micro_f1(list(zip(a, final, strict=True))):.3f}"
            f"  B~final {micro_f1(list(zip(b, final, strict=True))):.3f}"
            f"  disputed {sum(x != y for x, y in zip(a, b, strict=True))}"
        )
    return lines, problems


def label_agreement(lang: str, gold: dict[str, dict]) -> tuple[list[str], list[str]]:
    """The same for sentiment and stance (one label per text)."""
    path = GOLD / "annotation" / f"{lang}_sentiment_stance_rounds.jsonl"
    if not path.exists():
        return [], []
    rounds = read_jsonl(path)
    problems, lines = [], []
    for task in ("sentiment", "stance"):
        problems += [
            f"{r['id']} {task}: gold {gold.get(r['id'], {}).get(task)} is not {_gold_label(r[task], task)}"
            for r in rounds
            if gold.get(r["id"], {}).get(task) != _gold_label(r[task], task)
        ]
        for split in SPLITS:
            sel = list(filter(_in_split(gold, split), rounds))
            a, b, final = ([r[task]["A"] for r in sel], [r[task]["B"] for r in sel], [_final(r[task]) for r in sel])
            lines.append(
                f"{lang:4} {task:9} {split:6} {len(sel):5}  macro-F1 A~B {f1_score(a, b, average='macro'):.3f}"
                f" (kappa {cohen_kappa_score(a, b):.3f})  A~final {f1_score(final, a, average='macro'):.3f}"
                f"  B~final {f1_score(final, b, average='macro'):.3f}"
                f"  disputed {sum(x != y for x, y in zip(a, b, strict=True))}  in gold: {IN_GOLD[task]}"
            )
    return lines, problems


def agreement(lang: str) -> tuple[list[str], list[str]]:
    """All table lines and problems for one language."""
    gold = {row["id"]: row for row in read_jsonl(GOLD / f"{lang}.jsonl")}
    topic_lines, topic_problems = topic_agreement(lang, gold)
    label_lines, label_problems = label_agreement(lang, gold)
    return topic_lines + label_lines, topic_problems + label_problems


def main() -> int:
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
