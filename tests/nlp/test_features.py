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


def test_char_tfidf_transform_equals_sklearn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.features import CharTfidf

    train = ["経営・管理ビザの要件", "东京的塔楼公寓", "東京的塔樓公寓  很貴", "地下銀行で送金", "塔楼 公寓"] * 2
    new = ["ビザと塔楼  の話\n\n", "x", "", "全く新しい文字列"]
    kw = dict(analyzer="char", ngram_range=(1, 3), preprocessor=prep, lowercase=False, min_df=2,
              sublinear_tf=True, dtype=np.float32)
    ours, ref = CharTfidf(**kw).fit(train), TfidfVectorizer(**kw).fit(train)
    assert (abs(ours.transform(new) - ref.transform(new)).max()) < 1e-7
    assert ours.transform(new).shape == ref.transform(new).shape
