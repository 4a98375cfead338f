import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from nlp import vectorize
from nlp.entities import token_tuples
from nlp.features import make_sample, prep
from nlp.lang import detect
from nlp.models import load_gold, load_models
from nlp.normalize import normalize
from nlp.tokenize import get_pipeline

EDGE = ["", " ", "a", "ab", "  x  y  ", "潤日", "a\x00b", "😀😀😀", "\n\n潤日\n"]


def _samples(texts):
    out = []
    for t in texts:
        t = normalize(t)
        lang = detect(t)
        s = make_sample(t, lang)
        s.tokens = [s.folded[x[2] : x[2] + len(x[0])] for x in token_tuples(get_pipeline(lang)(t)) if not x[3]]
        out.append(s)
    return out


def _differences(a, b) -> list[str]:
    """What differs between two sparse matrices (type, shape, dtype, stored arrays); [] if equal."""
    if type(a) is not type(b) or a.shape != b.shape or a.dtype != b.dtype:
        return [f"{type(a).__name__}{a.shape} {a.dtype} vs {type(b).__name__}{b.shape} {b.dtype}"]
    return [attr for attr in ("data", "indices", "indptr") if not np.array_equal(getattr(a, attr), getattr(b, attr))]


@pytest.mark.parametrize("task", ["topics", "sentiment", "stance"])
def test_matches_sklearn_on_shipped_features(task):
    models = load_models(None)
    if task not in models:
        pytest.skip("no shipped model")
    features = models[task].features
    samples = _samples([e.text for e in load_gold(None)][:400] + EDGE)
    assert _differences(vectorize.transform(features, samples), features.transform(samples)) == []


def test_other_layouts_fall_back_or_match():
    docs = ["潤日の人", "润日的人們", "abc abc", "", "x"]
    for vec in (TfidfVectorizer(analyzer="char", ngram_range=(2, 4), preprocessor=prep),
                TfidfVectorizer(analyzer="char", ngram_range=(2, 3), preprocessor=prep, sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)),
                TfidfVectorizer()):
        union = FeatureUnion([("v", vec)]).fit(docs)
        assert _differences(vectorize.transform(union, docs), union.transform(docs)) == [], vec
    weighted = FeatureUnion([("v", TfidfVectorizer(analyzer="char"))], transformer_weights={"v": 2.0}).fit(docs)
    assert _differences(vectorize.transform(weighted, docs), weighted.transform(docs)) == []
