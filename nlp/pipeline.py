"""The NLP stage: text in, annotations out (the `runri analyze` record).

    from nlp.pipeline import Analyzer
    a = Analyzer()
    a.analyze("潤日の富裕層が増えている")          # one text
    list(a.pipe([{"id": 1, "text": "..."}]))       # batched (nlp.pipe per language)

Models and spaCy pipelines load lazily on first use and once per process (module caches), so
creating several Analyzers is cheap.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import not_

import numpy as np

from nlp import NLP_VERSION
from nlp.entities import entities_of, ginza_entities, token_tuples
from nlp.features import Sample, make_sample, seed_score_matrix
from nlp.keywords import keywords_of
from nlp.lang import detect
from nlp.memo import Memo
from nlp.models import (
    TaskModel,
    combine_topics,
    fused_probas,
    load_models,
    models_fingerprint,
    topic_decision,
)
from nlp.normalize import fold, fold_many, normalize
from nlp.parentwatch import exit_with_parent
from nlp.sentiment import label_of
from nlp.stance import lexicon_stance
from nlp.tokenize import get_pipeline, ginza_pipeline, lang_key
from nlp.topics import THRESHOLD as SEED_THRESHOLD
from nlp.vectorize import transform as fast_transform

__all__ = ["Analyzer", "AnalyzerOptions", "nlp_version", "parallel_batch_size", "BATCH_SIZE", "BATCH_CHARS"]

METHODS = ("default", "lexicon", "trained")
# Analyzer.pipe batches: at most BATCH_SIZE documents and about BATCH_CHARS characters (runri
# process, bench/bench_nlp.py). Large batches amortise the classifiers' fixed cost per batch (~5 ms:
# vocabulary lookup table, sparse matrices) and keep the tokenizer's dictionary warm in the CPU
# caches for longer stretches (each batch switches phases: lexicons, tokenizer, classifiers): 4096
# short documents run ~5% faster than 1024 (docs/nlp.md). The character bound keeps memory flat for
# long articles: a batch's peak grows ~0.35 GB per million characters (n-gram arrays, tokens).
BATCH_SIZE = 4096
BATCH_CHARS = 1_000_000


# A sentence's lexicon score -> its rounded score and label. Sentence scores are tanh of sums of a
# finite lexicon's weights, so the same few hundred values recur: one lookup instead of round()
# (~0.5 us: it formats and parses a decimal string) and label_of. 0.0 (most sentences) is kept out
# of it: -0.0 == 0.0 as a key, and round() keeps the sign.
_SENTENCE_SCORE = Memo(lambda v: {"sentiment": round(v, 3), "sentiment_label": label_of(v)}, limit=100_000)

_WORKER: Analyzer | None = None  # the Analyzer inherited by forked workers


def _init_worker(parent_pid: int) -> None:
    exit_with_parent(parent_pid)
    # one BLAS thread per worker: n workers x n BLAS threads would oversubscribe the cores
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - a scikit-learn dependency
        pass


def _work(batch: list[dict]) -> list[dict]:
    assert _WORKER is not None
    return _WORKER._batch(batch)


def _columns(toks: list[tuple]) -> tuple[list[str], list[str], list[int], list[bool]]:
    """Token tuples (nlp.entities.token_tuples) as columns: texts, tags, offsets, is punct/space."""
    if not toks:
        return [], [], [], []
    words, tags, starts, skips = map(list, zip(*toks, strict=True))
    return words, tags, starts, skips


def parallel_batch_size(n_docs: int, n_process: int, batch_size: int = BATCH_SIZE) -> int:
    """Batch size for `n_docs` documents over `n_process` workers: at most `batch_size`, small enough
    that each worker gets at least two batches (a few large batches would leave workers idle)."""
    return max(1, min(batch_size, -(-n_docs // (2 * max(n_process, 1)))))


def _batches(records: Iterable[dict], size: int, max_chars: int = BATCH_CHARS) -> Iterator[list[dict]]:
    """Lists of at most `size` records, closed early once their texts reach `max_chars` characters."""
    batch: list[dict] = []
    chars = 0
    for rec in records:
        batch.append(rec)
        chars += len(rec.get("text") or "")
        if len(batch) >= size or chars >= max_chars:
            yield batch
            batch = []
            chars = 0
    if batch:
        yield batch


def nlp_version() -> str:
    """Code version + shipped models' fingerprint: retraining makes `process` re-annotate."""
    return f"{NLP_VERSION}+{models_fingerprint()}"


@dataclass
class AnalyzerOptions:
    ner: str = "lexicon"  # "lexicon" (fast: Sudachi/jieba tags + gazetteer) or "ginza" (ja_ginza NER)
    topics: str = "default"  # default | lexicon | trained
    sentiment: str = "default"
    stance: str = "default"
    sentences: bool = True  # per-sentence sentiment (lexicon scorer) in the output
    n_keywords: int = 8
    models_path: str | None = None
    extra: dict = field(default_factory=dict)


class Analyzer:
    def __init__(self, options: AnalyzerOptions | None = None) -> None:
        self.options = options or AnalyzerOptions()
        self._warm = False

    @property
    def models(self) -> dict[str, TaskModel]:
        return load_models(self.options.models_path)

    def _method(self, task: str) -> str:
        choice = getattr(self.options, task)
        model = self.models.get(task)
        if model is None:
            return "lexicon"
        if choice == "default":
            return model.default
        return choice

    def analyze(self, text: str, lang: str | None = None, id: object = None) -> dict:
        return next(iter(self.pipe([{"id": id, "text": text, "lang": lang}])))

    def pipe(self, records: Iterable[dict], batch_size: int = BATCH_SIZE, n_process: int = 1) -> Iterator[dict]:
        """Annotate records ({"id", "text"[, "lang"]}) in batches, in input order.

        A batch (at most `batch_size` documents, fewer once they hold BATCH_CHARS characters) is
        tokenized document by document, then classified in one go (vectorizing and predicting per
        batch has a fixed cost: batches of thousands of documents amortise it).
        n_process > 1 forks worker processes (after loading everything here, so the workers share
        the loaded models copy-on-write); batches are spread over them and results stay in order.
        """
        batches = _batches(records, batch_size)
        first = next(batches, None)
        if first is None:  # nothing to annotate (a daily run with no new documents): load nothing
            return
        batches = chain([first], batches)
        self.warm_up()
        # While annotating, the objects that exist now (models, dictionaries, the caller's data)
        # are left out of the cyclic GC's scans: a full collection would otherwise walk all of them
        # (~0.1 s each, several per 10k documents). In workers it also avoids copying them.
        gc.freeze()
        try:
            if n_process <= 1:
                for batch in batches:
                    yield from self._batch(batch)
                return
            yield from self._pipe_processes(batches, n_process)
        finally:
            gc.unfreeze()

    def _pipe_processes(self, batches: Iterator[list[dict]], n_process: int) -> Iterator[dict]:
        global _WORKER
        _WORKER = self
        ctx = multiprocessing.get_context("fork")
        # Batches are read and submitted from this thread (the input may be a database cursor,
        # which must stay in its thread: Pool.imap would consume it from a helper thread), with
        # a bounded window so memory stays flat; results come back in input order.
        window: deque = deque()
        with ctx.Pool(n_process, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
            for batch in batches:
                window.append(pool.apply_async(_work, (batch,)))
                if len(window) >= 2 * n_process:
                    yield from window.popleft().get()
            while window:
                yield from window.popleft().get()

    def warm_up(self) -> None:
        """Load pipelines and models now (they are otherwise loaded on first use); once per Analyzer."""
        if not self._warm:
            list(self._batch([{"text": "潤日", "lang": "ja"}, {"text": "润日", "lang": "zh-Hans"}]))
            self._warm = True

    # ------------------------------------------------------------------ internals

    def _batch(self, records: list[dict]) -> list[dict]:
        """Annotate one batch, with the cyclic GC paused.

        The stage makes no reference cycles (all it allocates is freed by reference counting;
        tests/nlp/test_pipeline.py checks it), but its short-lived tuples and lists trigger young and
        middle GC collections that find nothing: ~0.1-0.15 CPU s per 300k characters (ja and zh).
        Any cycle would still be collected by the next collection after the batch."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._annotate(records)
        finally:
            if enabled:
                gc.enable()

    def _annotate(self, records: list[dict]) -> list[dict]:
        texts = [normalize(r.get("text") or "") for r in records]
        langs = [r.get("lang") if r.get("lang") in ("ja", "zh-Hans", "zh-Hant", "other") else detect(t)
                 for r, t in zip(records, texts, strict=True)]
        samples = list(map(make_sample, texts, langs, fold_many(texts)))  # the batch folded at once
        out: list[dict] = [{} for _ in records]
        for key in ("ja", "zh"):
            idx = [i for i, lang in enumerate(langs) if lang_key(lang) == key]
            if not idx:
                continue
            use_ginza = key == "ja" and self.options.ner == "ginza"
            nlp = ginza_pipeline() if use_ginza else get_pipeline(key)
            sub = [texts[i] for i in idx]
            if use_ginza or nlp.pipeline or not hasattr(nlp.tokenizer, "token_columns"):
                docs = list(nlp.pipe(sub, batch_size=256))
                columns = [_columns(token_tuples(doc)) for doc in docs]  # one pass over each Doc
            else:
                # the light pipelines are the tokenizer alone and the stage reads only the token
                # columns it builds: no spaCy Doc is made (same tokens, see tests/nlp/test_tokenize.py)
                docs = None
                columns = list(map(nlp.tokenizer.token_columns, sub))
            for n, (i, (all_words, tags, starts, skips)) in enumerate(zip(idx, columns, strict=True)):
                lang = langs[i]
                text = texts[i]
                sample = samples[i]
                # tokens: the non-punctuation, non-space ones (C-level maps over the columns)
                if True in skips:
                    keep = list(map(not_, skips))
                    words = list(compress(all_words, keep))
                    kept_starts = list(compress(starts, keep))
                else:
                    words = all_words
                    kept_starts = starts
                folded = sample.folded
                if folded == text:  # folded tokens for the word features: the tokens themselves
                    sample.tokens = words[:]
                elif len(folded) == len(text):  # slices of the folded text at the tokens' offsets
                    sample.tokens = [folded[a : a + len(w)] for a, w in zip(kept_starts, words, strict=True)]
                else:
                    sample.tokens = [fold(w) for w in words]
                out[i] = {
                    "id": records[i].get("id"),
                    "lang": lang,
                    "tokens": words,
                    "keywords": keywords_of(all_words, tags, skips, lang, self.options.n_keywords),
                    "entities": (ginza_entities(docs[n]) if use_ginza
                                 else entities_of(all_words, tags, starts, text, lang, folded)),
                }
        self._classify(samples, out)
        return out

    def _classify(self, samples: list[Sample], out: list[dict]) -> None:
        # The trained models' probabilities: the batch is vectorized once per feature space
        # (fast_transform == features.transform) and the models sharing it predicted together.
        trained = [self.models[t] for t in ("topics", "sentiment", "stance") if self._method(t) != "lexicon"]
        probas: dict[str, np.ndarray] = {}
        for key in dict.fromkeys(m.features_key for m in trained):
            tasks = [m for m in trained if m.features_key == key]
            probas.update(fused_probas(tasks, fast_transform(tasks[0].features, samples)))

        # topics
        method = self._method("topics")
        ids, seeds = seed_score_matrix(samples)  # == scores_of(s.seed_hits) per sample
        if not samples:
            ids, seeds = [], np.array([])
        if method == "lexicon":
            scores = seeds
            keep = seeds >= SEED_THRESHOLD
        else:
            m = self.models["topics"]
            proba = probas["topics"]
            ids = m.labels
            scores = combine_topics(proba, seeds) if method == "combined" else proba
            keep = topic_decision(scores, m.threshold)
        # kept (document, topic) pairs in row-major order: per document in topic order, then by score
        per_doc: list[list[dict]] = [[] for _ in out]
        if len(out):
            rows, cols = np.nonzero(np.asarray(keep).reshape(len(out), -1))
            values = np.asarray(scores).reshape(len(out), -1)[rows, cols].tolist()
            for r, c, v in zip(rows.tolist(), cols.tolist(), values, strict=True):
                per_doc[r].append({"id": ids[c], "score": round(v, 3)})
        for rec, topics in zip(out, per_doc, strict=True):
            rec["topics"] = sorted(topics, key=lambda d: -d["score"])
        # sentiment: document score in [-1, 1] = P(positive) - P(negative) for the trained model
        method = self._method("sentiment")
        if method == "lexicon":
            sent = [s.lexdoc.score for s in samples]
            labels = [label_of(v) for v in sent]
        else:
            m = self.models["sentiment"]
            proba = probas["sentiment"]
            classes = list(m.clf.classes_)
            sent = (proba[:, classes.index("positive")] - proba[:, classes.index("negative")]).tolist()
            labels = [classes[j] for j in proba.argmax(axis=1).tolist()]
        # stance
        method = self._method("stance")
        if method == "lexicon":
            stances = [lexicon_stance(s, s.lang, s.cues) for s in samples]
        else:
            m = self.models["stance"]
            stances = list(m.clf.classes_[probas["stance"].argmax(axis=1)])  # == m.clf.predict(X)
        for i, rec in enumerate(out):
            rec["sentiment"] = round(float(sent[i]), 3)
            rec["sentiment_label"] = labels[i]
            rec["stance"] = str(stances[i])
            if self.options.sentences:
                rec["sentences"] = [
                    {"text": s, **_SENTENCE_SCORE[v]} if v else {"text": s, "sentiment": v, "sentiment_label": "neutral"}
                    for s, v in samples[i].lexdoc.sentences
                ]
