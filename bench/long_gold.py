"""The long-text sets (corpus/gold/nlp/long/: test; long/train/: train): agreement of their annotations,
and a check of their files.

`rounds/{lang}_rounds.jsonl`: per text the labels (topics, sentiment, stance) of A (the writer's), B
(a blind annotator's: text, guideline and taxonomy only) and, for each field where they differed, C (an
adjudicator's decision: text, guideline and the two label sets unnamed, in random order) with its reason.
The final label of a field is C's where present, else A's (= B's); `{lang}.jsonl` holds the texts with
the final labels, all in split "test" (the set is never trained on: corpus/gold/nlp/annotation/PLAN.md).
`long/train/` is made the same way, all in split "train" (`runri train all` trains on it with the main
train split).

Prints, per language, the agreement of A with B and of each with the final labels (topics: micro-F1;
sentiment and stance: macro-F1 and Cohen's kappa) and checks that `{lang}.jsonl` holds the final labels
and that no text is in two sets (exit status 1 if either fails).

    python bench/long_gold.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling script, also when loaded by path

from annotation_agreement import GOLD, micro_f1, read_jsonl  # noqa: E402

LONG = GOLD / "long"
SETS = {LONG: "test", LONG / "train": "train"}  # folder -> the split all its texts are in
FIELDS = ("topics", "sentiment", "stance")


def final_labels(row: dict) -> dict:
    """A's labels with C's decision for every field C decided."""
    return {field: (row.get("C") or {}).get(field, row["A"][field]) for field in FIELDS}


def agreement(lang: str, folder: Path = LONG) -> tuple[list[str], list[str]]:
    """(report lines, problems) for one language of one set."""
    split = SETS[folder]
    rounds = read_jsonl(folder / "rounds" / f"{lang}_rounds.jsonl")
    gold = {row["id"]: row for row in read_jsonl(folder / f"{lang}.jsonl")}
    finals = [final_labels(r) for r in rounds]
    versions = {"A": [r["A"] for r in rounds], "B": [r["B"] for r in rounds], "final": finals}
    lines = []
    for x, y in (("A", "B"), ("A", "final"), ("B", "final")):
        cells = [f"topics micro-F1 {micro_f1([(set(a['topics']), set(b['topics'])) for a, b in zip(versions[x], versions[y], strict=True)]):.3f}"]
        for field in ("sentiment", "stance"):
            a = [v[field] for v in versions[x]]
            b = [v[field] for v in versions[y]]
            cells.append(f"{field} macro-F1 {f1_score(a, b, average='macro'):.3f} (kappa {cohen_kappa_score(a, b):.3f})")
        lines.append(f"{split:5} {lang:3} {len(rounds):3} texts  {x}~{y:6} " + ", ".join(cells))
    problems = []
    if set(gold) != {r["id"] for r in rounds}:
        problems.append(f"{lang}: the ids of {lang}.jsonl and of the rounds differ")
    for r, final in zip(rounds, finals, strict=True):
        g = gold.get(r["id"])
        if g is None:
            continue
        if g.get("split") != split:
            problems.append(f"{r['id']}: split {g.get('split')!r}, not {split!r}")
        for field in FIELDS:
            got = sorted(g[field]) if field == "topics" else g[field]
            want = sorted(final[field]) if field == "topics" else final[field]
            if got != want:
                problems.append(f"{r['id']}: {field} {got} in {lang}.jsonl, final label {want}")
    for other in [GOLD, *SETS]:
        if other != folder:
            texts = {row["text"] for row in read_jsonl(other / f"{lang}.jsonl")}
            problems += [f"{i}: also in {other.relative_to(GOLD.parent)}" for i, g in gold.items() if g["text"] in texts]
    return lines, problems


def main() -> int:
    problems = []
    for folder in SETS:
        for lang in ("ja", "zh"):
            lines, found = agreement(lang, folder)
            print("\n".join(lines))
            problems += found
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
