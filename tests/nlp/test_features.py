import numpy as np

from nlp.features import LexiconFeatures, build_features, make_sample, prep
from nlp.normalize import normalize


def test_sample_and_plain_text_give_same_features():
    text = normalize("潤日の富裕層がタワマンを買うのは悪くない😊")
    plain = LexiconFeatures().transform(["ja\t" + text]).toarray()
    fast = LexiconFeatures().transform([make_sample(text, "ja")]).toarray()
    assert np.allclose(plain, fast)
    assert plain.shape == (1, 7 + 2 + 2 * 11 + 1)


def test_prep_folds_and_drops_language_prefix():
    assert prep("zh-Hant\t簽證") == "签证"


def test_feature_union_fits():
    texts = ["ja\t潤日の富裕層", "zh-Hans\t润日的富人", "zh-Hant\t潤日的富人"] * 2
    X = build_features().fit_transform(texts)
    assert X.shape[0] == 6
