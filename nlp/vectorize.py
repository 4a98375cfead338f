"""A faster, exact `FeatureUnion.transform` for the classifiers' features (speed only).

scikit-learn's CountVectorizer counts n-grams in a Python loop, one dict update per n-gram
(`_count_vocab`): for character 1-3 grams that is three Python steps per character, as much as
the tokenizer costs. Here the n-grams are built with C-level `map`s, looked up in the vocabulary
with `map(vocabulary.get, ...)` and counted for the whole batch at once by scipy (duplicate
(row, column) entries are summed); the counts then go through the vectorizer's own fitted
TfidfTransformer, so the matrix is the one `features.transform(samples)` returns (same values,
same layout; tests/nlp/test_vectorize.py checks it on the shipped models).

Only the configurations the shipped features use are taken on the fast path (TfidfVectorizer with
analyzer="char" and a preprocessor, or with a callable analyzer; no transformer weights); anything
else falls back to scikit-learn's own transform. The features themselves live in nlp.features.
"""

from __future__ import annotations

from itertools import chain, repeat

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

__all__ = ["transform"]


def _fast_vectorizer(t) -> bool:
    if not isinstance(t, TfidfVectorizer) or t.binary or t.input != "content" or not hasattr(t, "vocabulary_"):
        return False
    if callable(t.analyzer):
        return True
    min_n, max_n = t.ngram_range
    return t.analyzer == "char" and t.preprocessor is not None and 1 <= min_n <= max_n <= 3  # 3 x 21 bits


def _supported(features) -> bool:
    return (
        type(features) is FeatureUnion
        and features.transformer_weights is None
        and hasattr(features, "_hstack")
        and all(not isinstance(t, str) for _name, t in features.transformer_list)  # no "drop"/"passthrough"
    )


_BITS = 21  # code points are < 2**21: up to three (plus one) fit in a uint64
_KEYS: dict[int, tuple[object, np.ndarray, np.ndarray]] = {}  # id(vectorizer) -> (vectorizer, keys, columns)
_LOOKUPS: dict[int, tuple[object, object]] = {}  # id(vectorizer) -> (vectorizer, pyarrow SetLookupOptions)


def _lookup_options(t: TfidfVectorizer):
    """pyarrow's hash-table lookup over the vocabulary keys (sorted order), or None without pyarrow:
    `index_in` finds ~300k keys in ~5 ms where a binary search (np.searchsorted) takes ~30 ms."""
    hit = _LOOKUPS.get(id(t))
    if hit is not None and hit[0] is t:
        return hit[1]
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - a declared dependency
        opts = None
    else:
        opts = pc.SetLookupOptions(value_set=pa.array(_char_index(t)[0]))
    _LOOKUPS[id(t)] = (t, opts)
    return opts


def _positions(t: TfidfVectorizer, vkeys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Index of each key in the sorted vocabulary keys, -1 when absent."""
    opts = _lookup_options(t)
    if opts is not None:
        import pyarrow.compute as pc

        return pc.index_in(keys, options=opts).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    pos = np.searchsorted(vkeys, keys)
    pos[pos == len(vkeys)] = 0
    found = vkeys[pos] == keys if len(vkeys) else np.zeros(len(keys), dtype=bool)
    return np.where(found, pos, -1)


def _key_of(gram: str) -> int:
    """An n-gram (1-3 chars) as one integer: code points + 1 (so none is 0), 21 bits each."""
    key = 0
    for ch in gram:
        key = (key << _BITS) | (ord(ch) + 1)
    return key


def _char_index(t: TfidfVectorizer) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary's n-grams as sorted integer keys, with their columns."""
    hit = _KEYS.get(id(t))
    if hit is not None and hit[0] is t:
        return hit[1], hit[2]
    items = [(_key_of(g), j) for g, j in t.vocabulary_.items() if t.ngram_range[0] <= len(g) <= t.ngram_range[1]]
    keys = np.array([k for k, _ in items], dtype=np.uint64)
    cols = np.array([j for _, j in items], dtype=np.int64)
    order = np.argsort(keys)
    _KEYS[id(t)] = (t, keys[order], cols[order])
    return keys[order], cols[order]


def _char_counts(t: TfidfVectorizer, samples) -> tuple[np.ndarray, np.ndarray, int]:
    """(rows, columns) of every in-vocabulary character n-gram of every document, vectorised:
    the batch's texts are one array of code points; an n-gram is kept when it lies in one document."""
    pre = t.preprocessor
    ws = t._white_spaces
    texts = [ws.sub(" ", pre(t.decode(s))) for s in samples]
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64) + 1
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
    vkeys, vcols = _char_index(t)
    min_n, max_n = t.ngram_range
    rows: list[np.ndarray] = []
    grams: list[np.ndarray] = []
    gram = cp
    for n in range(1, max_n + 1):
        if n > 1:
            if len(cp) < n:
                break
            gram = (gram[:-1] << np.uint64(_BITS)) | cp[n - 1 :]
        if n < min_n:
            continue
        start_doc = doc[: len(gram)]
        ok = start_doc == doc[n - 1 :]  # first and last char in the same document
        rows.append(start_doc[ok])
        grams.append(gram[ok])
    if not grams:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), len(texts)
    # one lookup for all n: pyarrow builds its hash table of the vocabulary at every call (~1.4 ms)
    pos = _positions(t, vkeys, np.concatenate(grams))
    found = pos >= 0
    return np.concatenate(rows)[found], vcols[pos[found]], len(texts)


def _counts(t: TfidfVectorizer, samples) -> sparse.csr_array:
    if callable(t.analyzer):
        get = t.vocabulary_.get
        analyze = t.analyzer
        tokens = [a if type(a) is list else list(a) for a in (analyze(t.decode(s)) for s in samples)]
        lens = list(map(len, tokens))
        col = np.fromiter(map(get, chain.from_iterable(tokens), repeat(-1)), dtype=np.int64, count=sum(lens))
        row = np.repeat(np.arange(len(lens), dtype=np.int64), lens)
        keep = col >= 0
        row, col, n_docs = row[keep], col[keep], len(lens)
    else:
        row, col, n_docs = _char_counts(t, samples)
    shape = (n_docs, len(t.vocabulary_))
    X = sparse.csr_array(sparse.coo_array((np.ones(len(col), dtype=t.dtype), (row, col)), shape=shape))
    X.sum_duplicates()  # canonical: sorted indices, one entry per (row, column) holding the count
    X.indices = X.indices.astype(np.int32, copy=False)
    X.indptr = X.indptr.astype(np.int32, copy=False)
    return X


def _tfidf(tfidf: TfidfTransformer, X: sparse.csr_array):
    """`tfidf.transform(X, copy=False)` for a canonical float CSR count matrix, without
    scikit-learn's input validation (~1 ms a call, twice per batch): the same operations on the
    same arrays in the same order, and the same sparse type out."""
    if tfidf.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1.0
    if hasattr(tfidf, "idf_"):
        X.data *= tfidf.idf_[X.indices]
    inplace_csr_row_normalize_l2(X)
    # scikit-learn >= 1.9 returns the sparse type its config asks for (spmatrix by default); earlier
    # versions return the input's type
    return sparse.csr_matrix(X) if get_config().get("sparse_interface") == "spmatrix" else X


def _transform_one(t, samples):
    if _fast_vectorizer(t):
        counts = _counts(t, samples)
        tfidf = t._tfidf
        if type(tfidf) is TfidfTransformer and tfidf.norm == "l2":
            return _tfidf(tfidf, counts)
        return tfidf.transform(counts, copy=False)
    return t.transform(samples)


def transform(features, samples: list) -> object:
    """`features.transform(samples)` for a fitted FeatureUnion, faster when the layout allows."""
    if not _supported(features):
        return features.transform(samples)
    return features._hstack([_transform_one(t, samples) for _name, t in features.transformer_list])
