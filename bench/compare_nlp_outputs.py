"""Check that a change to the NLP stage leaves its output unchanged (speed work: "identical output").

Runs `Analyzer.pipe` (batches of 1024, as `runri process`) over every gold text (corpus/gold/nlp)
plus a few odd ones, and saves the records and, per batch, the trained models' unrounded
probabilities (each model's own predict_proba on the batch's features), the classifiers' word
tokens and the lexicon sentiment features. `compare` reports any difference.

    # in a checkout of the old code, then of the new one (each imports its own nlp/):
    python bench/compare_nlp_outputs.py dump /tmp/old.pkl [--methods lexicon] [--no-sentences]
    python bench/compare_nlp_outputs.py dump /tmp/new.pkl
    python bench/compare_nlp_outputs.py compare /tmp/old.pkl /tmp/new.pkl   # exit 1 if they differ

Records must be equal; probabilities within --tolerance (default 1e-9).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

ODD = ["", " ", "hello world", "潤日の人", "润日的人們", "ＡＢＣ　テスト（笑）", "太失望了呵呵", "東京\n\n大阪。しかし良くない！",
       "İstanbul ΣΑΣ 潤日", "😊 很好[doge]！ 𠀋"]


def dump(path: str, methods: str, sentences: bool) -> None:
    import numpy as np

    import nlp.pipeline as pipeline
    from nlp.models import load_gold
    from nlp.vectorize import transform

    raw: dict[str, list] = {"tokens": [], "lexfeat": []}
    classify = pipeline.Analyzer._classify

    def spy(self, samples, out):
        for task, m in self.models.items():
            raw.setdefault(task, []).append(np.asarray(m.clf.predict_proba(transform(m.features, samples))))
        raw["tokens"].extend(None if s.tokens is None else list(s.tokens) for s in samples)
        raw["lexfeat"].extend(s.lexdoc.features for s in samples)
        return classify(self, samples, out)

    pipeline.Analyzer._classify = spy
    texts = [e.text for e in load_gold(None)] + ODD
    options = pipeline.AnalyzerOptions(topics=methods, sentiment=methods, stance=methods, sentences=sentences)
    analyzer = pipeline.Analyzer(options)
    out = list(analyzer.pipe(({"id": i, "text": t} for i, t in enumerate(texts)), batch_size=1024))
    for task in ("topics", "sentiment", "stance"):
        if task in raw:
            raw[task] = np.vstack(raw[task])
    Path(path).write_bytes(pickle.dumps({"out": out, "raw": raw, "code": str(ROOT)}))
    print(f"{len(out)} records from {ROOT} -> {path}")


def compare(old_path: str, new_path: str, tolerance: float) -> bool:
    import numpy as np

    old = pickle.loads(Path(old_path).read_bytes())
    new = pickle.loads(Path(new_path).read_bytes())
    same = True
    diff = [i for i, (a, b) in enumerate(zip(old["out"], new["out"], strict=True)) if a != b]
    print(f"records: {len(old['out'])}, differing: {len(diff)}")
    for i in diff[:3]:
        a, b = old["out"][i], new["out"][i]
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                print(f"  record {i} {k}: {a.get(k)!r} != {b.get(k)!r}")
    same &= not diff
    for task in ("topics", "sentiment", "stance"):
        if task in old["raw"] or task in new["raw"]:
            d = float(np.abs(old["raw"][task] - new["raw"][task]).max())
            print(f"{task} probabilities: max abs difference {d:.3g}")
            same &= d <= tolerance
    for key in ("tokens", "lexfeat"):
        equal = old["raw"][key] == new["raw"][key]
        print(f"{key}: {'identical' if equal else 'DIFFERENT'}")
        same &= equal
    print("IDENTICAL" if same else "DIFFERENT")
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("path")
    d.add_argument("--methods", default="default", choices=["default", "lexicon", "trained", "combined"])
    d.add_argument("--no-sentences", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("old")
    c.add_argument("new")
    c.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()
    if args.cmd == "dump":
        dump(args.path, args.methods, not args.no_sentences)
    elif not compare(args.old, args.new, args.tolerance):
        sys.exit(1)


if __name__ == "__main__":
    main()
