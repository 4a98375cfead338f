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


def _per_document_lexicon_row(sample) -> list[float]:
    """LexiconFeatures' row as the per-document Python loop computed it (the reference)."""
    w, h = sample.cues
    row = list(sample.lexdoc.features) + [min(w, 3) / 3, min(h, 3) / 3]
    for _tid, core, extra in sample.seed_hits:
        row += [1.0 - 0.5**core, 1.0 - 0.5**extra]
    return row + [1.0 if sample.lang == "ja" else 0.0]


def test_batch_seed_and_lexicon_features_equal_per_document_values():
    from nlp.features import seed_score_matrix
    from nlp.models import load_gold
    from nlp.topics import SeedTopics, scores_of

    texts = [e.text for e in load_gold(None, langs=("ja", "zh"))][:400]
    texts += ["", "潤日 潤日 潤日 潤日 潤日 経営管理ビザ 経営管理ビザ 経営管理ビザ 富裕層 富裕层 移住 移民 " * 6]
    samples = [make_sample(normalize(t), "ja" if i % 2 else "zh-Hans") for i, t in enumerate(texts)]
    for s in samples:
        assert s.seed_hits == SeedTopics().hits(s, s.folded)
    ids, seeds = seed_score_matrix(samples)
    assert ids == list(scores_of(samples[0].seed_hits))
    assert seeds.tolist() == [list(scores_of(s.seed_hits).values()) for s in samples]  # bit for bit
    rows = LexiconFeatures(weight=0.5).transform(samples).toarray()
    assert rows.tolist() == (np.asarray([_per_document_lexicon_row(s) for s in samples]) * 0.5).tolist()
