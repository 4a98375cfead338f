"""Features shared by the trained models: character n-grams and words of the folded text + lexicon features.

Character n-grams (1-3) over the folded text need no tokenizer, work the same for ja / zh-Hans /
zh-Hant (the fold maps all three scripts onto one), and are robust to new words and spelling
variants. Lexicon features (sentiment, stance cues, seed-topic hits, language) add prior knowledge
that a few hundred labelled texts cannot teach. Everything here is picklable (joblib models).
"""

from __future__ import annotations

import re
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from nlp.lang import detect
from nlp.normalize import fold, normalize
from nlp.sentiment import LexDoc, lex_doc
from nlp.stance import stance_cues
from nlp.topics import _matcher

_WHITE_SPACES = re.compile(r"\s\s+")

__all__ = ["prep", "word_analyzer", "LexiconFeatures", "CharTfidf", "build_features", "text_columns", "Sample", "make_sample",
           "split_sample"]

class Sample(str):
    """A text plus what the pipeline already computed for it (language, folded form, lexicon
    analysis), so that features need no second pass. A plain str (or "lang\ttext") works too."""

    lang: str
    folded: str
    lexdoc: LexDoc
    seed_counts: list[int]  # seed-topic hits as flat counts: core per topic, then extra per topic
    cues: tuple[int, int]
    tokens: list[str] | None = None  # folded tokens, set by the pipeline after tokenization

    @property
    def seed_hits(self) -> list[tuple[str, int, int]]:
        """The seed counts as SeedTopics().hits returns them (built on demand: the stage reads the counts)."""
        ids = _matcher()[0]
        n = len(ids)
        return list(zip(ids, self.seed_counts[:n], self.seed_counts[n:], strict=True))


def make_sample(text: str, lang: str, folded: str | None = None) -> Sample:
    """`text` must be normalized (nlp.normalize.normalize); `folded` = fold(text) if known."""
    s = Sample(text)
    s.lang = lang
    s.folded = fold(text) if folded is None else folded
    s.lexdoc = lex_doc(text, lang, normalized=True, folded=s.folded)
    s.seed_counts = seed_counts(s.folded)
    s.cues = stance_cues(text, lang, s.folded)
    return s


def seed_counts(folded: str) -> list[int]:
    """SeedTopics().hits(folded) as flat counts: core seed hits per topic, then extra cue hits."""
    ids, pattern, cues = _matcher()
    n = len(ids)
    counts = [0] * (2 * n)
    for word in pattern.findall(folded):
        for i, kind in cues[word]:
            counts[i + kind * n] += 1
    return counts


class _PowTable:
    """1 - 0.5 ** (k / 2) for k = 0, 1, 2 ..., as Python computes it (grown on demand), so numpy can
    look the values up per batch with results identical to the per-document Python expressions."""

    def __init__(self) -> None:
        self.values = np.zeros(0, dtype=np.float64)

    def __call__(self, halves: np.ndarray) -> np.ndarray:
        top = int(halves.max()) + 1 if halves.size else 0
        if top > len(self.values):
            self.values = np.array([1.0 - 0.5 ** (k / 2) for k in range(max(top, 64))], dtype=np.float64)
        return self.values[halves]


_POW_HALVES = _PowTable()


def seed_score_matrix(samples: list) -> tuple[list[str], np.ndarray]:
    """(topic ids, documents x topics scores) == nlp.topics.scores_of(sample.seed_hits) per sample."""
    ids = _matcher()[0]
    n = len(ids)
    counts = _matrix([s.seed_counts for s in samples], 2 * n, np.int64)
    return ids, _POW_HALVES(2 * counts[:, :n] + counts[:, n:])


def _matrix(rows: list, width: int, dtype: type) -> np.ndarray:
    """np.array(rows, dtype) for rows of `width` numbers each, read as one flat iterator: numpy's
    nested-list conversion inspects every row and element (~5x the instructions). A wrong total
    size fails in reshape."""
    return np.fromiter(chain.from_iterable(rows), dtype=dtype).reshape(len(rows), width)


def split_sample(sample: str) -> tuple[str, str]:
    if "\t" in sample[:9]:
        lang, text = sample.split("\t", 1)
        if lang in ("ja", "zh-Hans", "zh-Hant", "other"):
            return lang, text
    return detect(sample), sample


def word_analyzer(sample: str) -> list[str]:
    """Folded word tokens (the pipeline's own tokens when the Sample carries them)."""
    if isinstance(sample, Sample) and sample.tokens is not None:
        return sample.tokens
    from nlp.tokenize import get_pipeline  # spaCy only when features are built from plain text

    lang, text = split_sample(sample)
    text = normalize(text)
    return [fold(t.text) for t in get_pipeline(lang)(text) if not (t.is_punct or t.is_space)]


def prep(sample: str) -> str:
    """Preprocessor for the char n-gram vectorizer: drop the language prefix, fold."""
    if isinstance(sample, Sample):
        return sample.folded
    return fold(split_sample(sample)[1])


class LexiconFeatures(BaseEstimator, TransformerMixin, auto_wrap_output_keys=None):
    """Dense lexicon features: 7 sentiment, 2 stance cues, 2 per topic (core / extra cues), is-Japanese.

    Its output is always sparse, so scikit-learn's set_output wrapper (pandas / polars output) has
    nothing to do for it: opted out (auto_wrap_output_keys=None), saving ~0.5 ms per batch."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> sparse.csr_matrix:
        """Per document: sentiment features, min(cue, 3) / 3 per stance, 1 - 0.5 ** hits per
        topic (core, extra interleaved), is-Japanese; built per batch with numpy."""
        samples = [s if isinstance(s, Sample) else _sample_of(s) for s in X]
        m = len(samples)
        n = len(_matcher()[0])
        sent = _matrix([s.lexdoc.features for s in samples], len(samples[0].lexdoc.features) if m else 7, np.float64)
        cues = _matrix([s.cues for s in samples], 2, np.int64)
        counts = _matrix([s.seed_counts for s in samples], 2 * n, np.int64)
        topics = np.empty((m, 2 * n), dtype=np.float64)
        topics[:, 0::2] = _POW_HALVES(2 * counts[:, :n])  # 1 - 0.5 ** core
        topics[:, 1::2] = _POW_HALVES(2 * counts[:, n:])
        ja = np.array([1.0 if s.lang == "ja" else 0.0 for s in samples], dtype=np.float64).reshape(m, 1)
        rows = np.hstack([sent, _THIRDS[np.minimum(cues, 3)], topics, ja])
        return sparse.csr_matrix(rows * self.weight)


_THIRDS = np.array([0 / 3, 1 / 3, 2 / 3, 3 / 3], dtype=np.float64)


def _sample_of(sample: str) -> Sample:
    lang, text = split_sample(sample)
    return make_sample(normalize(text), lang)


class CharTfidf(TfidfVectorizer):
    """TfidfVectorizer(analyzer="char") with a faster transform, same output.

    sklearn counts n-grams in a Python loop that raises and catches a KeyError for every n-gram
    outside the vocabulary (most of them in unseen text); here one `dict.get` per n-gram and one
    sparse constructor per batch: about 1.3x faster on our texts. Fitting is sklearn's own."""

    def transform(self, raw_documents):
        get = self.vocabulary_.get
        lo, hi = self.ngram_range
        pre = self.build_preprocessor()
        indices: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            text = _WHITE_SPACES.sub(" ", pre(doc))  # as sklearn's _char_ngrams
            size = len(text)
            for n in range(lo, min(hi, size) + 1):
                indices += [j for j in map(get, [text[i : i + n] for i in range(size - n + 1)]) if j is not None]
            indptr.append(len(indices))
        X = sparse.csr_matrix(
            (np.ones(len(indices), dtype=self.dtype), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
        )
        X.sum_duplicates()  # counts, sorted indices
        return self._tfidf.transform(X, copy=False)


def build_features(lexicon_weight: float = 1.0) -> FeatureUnion:
    """chars (1-3 grams) + words (unigrams of the tokenizer's output) + lexicon features, in this
    order: the text blocks come first so that `text_columns` can cut them off for naive Bayes."""
    chars = CharTfidf(
        analyzer="char",
        ngram_range=(1, 3),
        preprocessor=prep,
        lowercase=False,
        min_df=2,
        max_features=60000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    words = TfidfVectorizer(analyzer=word_analyzer, min_df=1, max_features=40000, sublinear_tf=True,
                            dtype=np.float32)
    return FeatureUnion([("chars", chars), ("words", words), ("lexicon", LexiconFeatures(weight=lexicon_weight))])


def text_columns(features: FeatureUnion) -> int:
    """How many leading columns are (non-negative) TF-IDF text features."""
    return sum(len(t.vocabulary_) for name, t in features.transformer_list if name in ("chars", "words"))
