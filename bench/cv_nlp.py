"""Repeated 5-fold CV on the gold TRAIN split, per task and language, as `runri train all` trains.

Each fold: one feature space fitted as `train_all` fits it (on the fold's training texts), each
task trained on its labelled subset, scored on the held-out fold; out-of-fold predictions are
pooled per seed and scored per language; the figures are means (and ranges) over the seeds.
Extra examples (--extra, gold JSONL; and the long-text train set unless --short-only) are always in
the training part, never scored; --skip-ids
leaves out of the scores items that are still trained on (e.g. relabelled ones). The test
split is never read.

    python bench/cv_nlp.py --seeds 13 14 15 16 17 [--extra corpus/gold/nlp/candidates/x.jsonl]
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

# features of a text computed once per run (the same values: pure functions of the string)
F.word_analyzer = cache(F.word_analyzer)
F._sample_of = cache(F._sample_of)
F.prep = cache(F.prep)

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)


def run(seed: int, base: list[M.Example], extra: list[M.Example], fit_on_base: bool = False,
        skip: frozenset[str] = frozenset()) -> dict[str, float]:
    n = len(base)
    scored = np.array([e.id not in skip for e in base])
    langs = np.array([e.lang[:2] for e in base])
    oof: dict = {"topics": np.zeros((n, len(M.topic_ids()))), "sentiment": np.full(n, "", dtype=object),
                 "stance": np.full(n, "", dtype=object)}
    seeds = M.lexicon_predict("topics", base)
    for tr, te in KFold(5, shuffle=True, random_state=seed).split(base):
        train = [base[i] for i in tr] + extra
        fit_on = [e for e in train if not (fit_on_base and M.topics_stance_only(e))]
        feats = F.build_features().fit([M.sample_of(e.lang, e.text) for e in fit_on])
        X_te = feats.transform([M.sample_of(base[i].lang, base[i].text) for i in te])
        for task in M.TASKS:
            b = M.train_task(task, train, features=feats, select=False)
            if task == "topics":
                oof[task][te] = b["clf"].predict_proba(X_te)
            else:
                oof[task][te] = b["clf"].predict(X_te)
    out: dict[str, float] = {}
    y_topics = M._targets("topics", base)[0]
    for lang in ("ja", "zh"):
        m = (langs == lang) & scored
        combined = M.combine_topics(oof["topics"][m], seeds[m])
        for t in THRESHOLDS:
            out[f"topics/{lang}/t{t}"] = M._score("topics", y_topics[m], M.topic_decision(oof["topics"][m], t))
            out[f"topics/{lang}/combined/t{t}"] = M._score("topics", y_topics[m], M.topic_decision(combined, t))
        for task in ("sentiment", "stance"):
            k = np.array([M._has_label(task, e) for e in base]) & m
            y = np.array([getattr(e, task) for e in base])
            out[f"{task}/{lang}"] = M._score(task, y[k], oof[task][k].astype(str))
    combined = M.combine_topics(oof["topics"][scored], seeds[scored])
    for t in THRESHOLDS:
        out[f"topics/all/t{t}"] = M._score("topics", y_topics[scored], M.topic_decision(oof["topics"][scored], t))
        out[f"topics/all/combined/t{t}"] = M._score("topics", y_topics[scored], M.topic_decision(combined, t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15, 16, 17])
    ap.add_argument("--extra", type=Path, nargs="*", default=[])
    ap.add_argument("--short-only", action="store_true",
                    help="leave out the long-text train set (corpus/gold/nlp/long/train), which is otherwise "
                         "always trained on and never scored, as `runri train all` trains on it")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fit-on-base", action="store_true",
                    help="fit the feature space without the topic-targeted written examples (topics_stance_only)")
    ap.add_argument("--skip-ids", type=Path, help="file of ids (one a line) trained on but not scored")
    ap.add_argument("--train-from", nargs="*", default=[], metavar="ID",
                    help="gold items with the id's prefix and a number >= it (e.g. ja-x0426) are extras")
    args = ap.parse_args()
    def is_extra(e: M.Example) -> bool:
        return any(e.id[:4] == i[:4] and e.id[4:].isdigit() and e.id[4:] >= i[4:] for i in args.train_from)

    gold = M.load_gold("train")
    base = [e for e in gold if not is_extra(e)]
    extra = [e for e in gold if is_extra(e)] + [e for p in args.extra for e in M.load_labelled(p)]
    if not args.short_only:
        extra += M.load_gold("train", directory=M.long_train_dir())
    skip = frozenset(args.skip_ids.read_text().split()) if args.skip_ids else frozenset()
    runs = [run(s, base, extra, args.fit_on_base, skip) for s in args.seeds]
    for key in runs[0]:
        v = [r[key] for r in runs]
        print(f"{key:24s} {np.mean(v):.4f}  [{min(v):.4f}-{max(v):.4f}]")
    if args.json:
        args.json.write_text(json.dumps({"seeds": args.seeds, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
