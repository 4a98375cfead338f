"""Repeated 5-fold CV over the long-text TRAIN set (corpus/gold/nlp/long/train), per task and language.

Each fold: models fitted as `train_all` fits them (one feature space, each task on its labelled
texts) on the short train split plus the other four folds of long texts, scored on the held-out
long texts. Variants:
  short         the short train split only (the models before the long-text train set)
  mixed         short train split + long train folds (how `runri train all` trains now)
  mixed+chunks  as mixed, each multi-paragraph text's probabilities averaged with the mean of its
                paragraphs' probabilities (measured, not taken: docs/nlp.md)
Topics use the combined method at the shipped models' threshold. The long-text test set is never read.

    python bench/cv_long.py [--seeds 13 14 15] [--variants short,mixed,mixed+chunks]
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nlp.features as F  # noqa: E402
from nlp import models as M  # noqa: E402

F.word_analyzer = cache(F.word_analyzer)
F._sample_of = cache(F._sample_of)
F.prep = cache(F.prep)
LABELS = ("sentiment", "stance")


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    return parts if len(parts) > 1 else [text]


def fit(train: list[M.Example]):
    feats = F.build_features().fit([M.sample_of(e.lang, e.text) for e in train])
    return feats, {t: M.train_task(t, train, features=feats, select=False)["clf"] for t in M.TASKS}


def _probas(model, texts_langs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    feats, clfs = model
    X = feats.transform([M.sample_of(lang, text) for text, lang in texts_langs])
    return {t: clfs[t].predict_proba(X) for t in M.TASKS}


def predict(model, examples: list[M.Example], threshold: float, chunks: bool = False):
    P = _probas(model, [(e.text, e.lang) for e in examples])
    if chunks:
        for i, e in enumerate(examples):
            parts = paragraphs(e.text)
            if len(parts) > 1:
                Q = _probas(model, [(p, e.lang) for p in parts])
                for t in M.TASKS:
                    P[t][i] = (P[t][i] + Q[t].mean(axis=0)) / 2
    topics = M.topic_decision(M.combine_topics(P["topics"], M.lexicon_predict("topics", examples)), threshold)
    clfs = model[1]
    return topics, {t: clfs[t].classes_[P[t].argmax(axis=1)] for t in LABELS}


def run(seed: int, short: list[M.Example], long: list[M.Example], variants: list[str], threshold: float,
        short_model=None) -> dict[str, dict[str, float]]:
    n = len(long)
    oof = {v: {"topics": np.zeros((n, len(M.topic_ids())), dtype=bool),
               **{t: np.empty(n, dtype=object) for t in LABELS}} for v in variants}
    for tr, te in KFold(5, shuffle=True, random_state=seed).split(long):
        held_out = [long[i] for i in te]
        mixed = fit(short + [long[i] for i in tr]) if any(v != "short" for v in variants) else None
        for v in variants:
            topics, labels = predict(short_model if v == "short" else mixed, held_out, threshold,
                                     chunks=v.endswith("+chunks"))
            oof[v]["topics"][te] = topics
            for t in LABELS:
                oof[v][t][te] = labels[t]
    langs = np.array([e.lang[:2] for e in long])
    y_topics = M._targets("topics", long)[0]
    out: dict[str, dict[str, float]] = {}
    for v in variants:
        scores = out.setdefault(v, {})
        for lang in ("ja", "zh"):
            m = langs == lang
            scores[f"topics/{lang}"] = M._score("topics", y_topics[m], oof[v]["topics"][m])
            for t in LABELS:
                y = np.array([getattr(e, t) for e in long])
                scores[f"{t}/{lang}"] = M._score(t, y[m], oof[v][t][m].astype(str))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    ap.add_argument("--variants", default="short,mixed,mixed+chunks")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    variants = args.variants.split(",")
    short = M.load_gold("train")
    long = M.load_gold("train", directory=M.long_train_dir())
    threshold = json.loads((M.models_dir() / "meta.json").read_text())["topics"]["threshold"]
    short_model = fit(short) if "short" in variants else None
    runs = [run(seed, short, long, variants, threshold, short_model) for seed in args.seeds]
    for v in variants:
        keys = runs[0][v]
        print(f"{v:13s} " + "  ".join(f"{k} {np.mean([r[v][k] for r in runs]):.3f}" for k in keys))
    if args.json:
        args.json.write_text(json.dumps({"seeds": args.seeds, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
