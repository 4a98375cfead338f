import csv

import pytest

from nlp.models import Example, load_labelled, load_models, train_all, train_task


def toy_examples() -> list[Example]:
    pos = ["日本の生活は楽しい", "这里的人很友好", "とても嬉しい", "非常开心", "最高の街", "太棒了"]
    neg = ["物価が高くて辛い", "太失望了", "最悪だ", "很生气", "不安でたまらない", "真讨厌"]
    out = []
    for i, t in enumerate(pos * 2):
        out.append(Example(f"p{i}", "ja" if i % 2 == 0 else "zh-Hans", t, ["drivers"], "positive", "welcoming"))
    for i, t in enumerate(neg * 2):
        out.append(Example(f"n{i}", "ja" if i % 2 == 0 else "zh-Hans", t, ["public_opinion"], "negative", "hostile"))
    return out


def test_train_task_without_selection():
    bundle = train_task("sentiment", toy_examples(), select=False)
    assert bundle["default"] == "trained"
    assert set(bundle["labels"]) == {"negative", "neutral", "positive"}


def test_train_all_saves_loadable_models_sharing_features(tmp_path):
    train_all(toy_examples(), ("sentiment", "stance"), tmp_path, log=lambda *_: None)
    models = load_models(str(tmp_path))
    assert set(models) == {"sentiment", "stance"}
    assert models["sentiment"].features is models["stance"].features
    assert (tmp_path / "meta.json").exists()


def test_loading_uses_the_stored_features_key_not_a_hash(tmp_path, monkeypatch):
    """The shared-features key is computed once when training: hashing the fitted vocabularies at
    each load took ~3 s per model file."""
    import joblib

    train_all(toy_examples(), ("sentiment", "stance"), tmp_path, log=lambda *_: None)
    assert joblib.load(tmp_path / "sentiment.joblib")["features_key"]

    def no_hash(*_args, **_kwargs):
        raise AssertionError("joblib.hash called at load time")

    monkeypatch.setattr(joblib, "hash", no_hash)
    models = load_models.__wrapped__(str(tmp_path))
    assert models["sentiment"].features is models["stance"].features


def test_too_few_examples():
    with pytest.raises(ValueError, match="at least 10"):
        train_task("stance", toy_examples()[:3], select=False)


def test_load_labelled_csv(tmp_path):
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "lang", "topics", "sentiment", "stance"])
        w.writerow(["潤日の話", "ja", "visa;drivers", "neutral", "neutral"])
    [e] = load_labelled(path)
    assert e.topics == ["visa", "drivers"] and e.split == "train" and e.lang == "ja"


def test_load_labelled_rejects_missing_text(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,lang\n,ja\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no text"):
        load_labelled(path)


@pytest.mark.filterwarnings("ignore:Label not")
def test_topic_vote_equals_one_vs_rest_soft_vote():
    import numpy as np
    from sklearn.multiclass import OneVsRestClassifier

    from nlp.features import build_features, text_columns
    from nlp.models import SoftVote, TopicVote, sample_of

    ex = toy_examples()
    samples = [sample_of(e.lang, e.text) for e in ex]
    feats = build_features().fit(samples)
    X, n = feats.transform(samples), text_columns(feats)
    Y = np.array([[int(e.sentiment == "positive"), int(e.sentiment == "negative"), 0] for e in ex])  # last: constant
    fused = TopicVote(n_text=n).fit(X, Y).predict_proba(X)
    ovr = OneVsRestClassifier(SoftVote(C=30.0, n_text=n, liblinear=True)).fit(X, Y).predict_proba(X)
    assert np.allclose(fused, ovr) and fused.shape == (len(ex), 3)


def test_soft_vote_probabilities_are_the_mean_of_its_two_models():
    import numpy as np

    from nlp.features import build_features, text_columns
    from nlp.models import SoftVote, sample_of

    ex = toy_examples()
    ex[0].sentiment = "neutral"  # three classes: the multinomial path
    samples = [sample_of(e.lang, e.text) for e in ex]
    feats = build_features().fit(samples)
    X, n = feats.transform(samples), text_columns(feats)
    y = np.array([e.sentiment for e in ex])
    sv = SoftVote(C=8.0, n_text=n).fit(X, y)
    expected = (sv.lr_.predict_proba(X) + sv.nb_.predict_proba(X[:, :n])) / 2
    assert np.allclose(sv.predict_proba(X), expected)
    assert list(sv.predict(X)) == list(sv.classes_[expected.argmax(axis=1)])


def test_soft_vote_with_nb_weighted_lr_is_the_mean_of_three_models():
    import numpy as np

    from nlp.features import build_features, text_columns
    from nlp.models import SoftVote, sample_of

    ex = toy_examples()
    ex[0].sentiment = "neutral"
    samples = [sample_of(e.lang, e.text) for e in ex]
    feats = build_features().fit(samples)
    X, n = feats.transform(samples), text_columns(feats)
    y = np.array([e.sentiment for e in ex])
    sv = SoftVote(C=8.0, n_text=n, nblr=True).fit(X, y)
    expected = (sv.lr_.predict_proba(X) + sv.nb_.predict_proba(X[:, :n]) + sv.nblr_.predict_proba(X)) / 3
    assert np.allclose(sv.predict_proba(X), expected)
    assert len(sv.linear_blocks()) == 3


def test_nb_weighted_lr_folds_the_ratios_into_its_weights():
    """The regression of class c is fitted on X scaled by c's log-count ratios; the stored weights
    give the same decision values from the unscaled X (so the stage needs no extra product)."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from nlp.models import NBWeightedLR

    # columns: 0 only in "a" texts, 1 only in "b" texts, 2 in every text, 3 a lexicon column
    X = sp.csr_matrix(np.array([[0.9, 0, 0.4, 1.0], [0.7, 0, 0.5, 0.0], [0, 0.8, 0.3, 2.0],
                                [0, 0.6, 0.6, 0.5], [0.2, 0.5, 0.2, 0.0], [0, 0.9, 0.1, 1.0]]))
    y = np.array(["a", "a", "b", "b", "a", "b"])
    m = NBWeightedLR(C=4.0, alpha=0.5, n_text=3).fit(X, y)
    present = (X[:, :3].toarray() > 0).astype(float)
    inside = present[y == "a"].sum(0) + 0.5
    outside = present[y != "a"].sum(0) + 0.5
    ratio = np.log((inside / inside.sum()) / (outside / outside.sum()))
    assert ratio[0] > 0 > ratio[1] and abs(ratio[2]) < abs(ratio[0])
    scale = np.append(ratio, 1.0)  # lexicon column unscaled
    lr = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000).fit(X.toarray() * scale, y == "a")
    assert np.allclose(np.asarray(X @ m.w_[:, 0]) + m.b_[0], lr.decision_function(X.toarray() * scale))
    p = m.predict_proba(X)
    assert np.allclose(p.sum(axis=1), 1) and list(m.predict(X)) == list(y)


def test_topic_aimed_written_examples_are_not_used_for_sentiment():
    from nlp.models import _has_label

    def ex(i: str) -> Example:
        return Example(i, "ja", "text", topics=["visa"], sentiment="neutral", stance="neutral")

    old, new = ex("ja-x0358"), ex("ja-x0359")
    assert _has_label("sentiment", old) and not _has_label("sentiment", new)
    assert _has_label("stance", new) and _has_label("topics", new)
    assert _has_label("sentiment", ex("zh-x0312")) and not _has_label("sentiment", ex("zh-x0313"))
    assert _has_label("sentiment", ex("ja-0500"))


def test_topic_decision_relative_cut():
    import numpy as np

    from nlp.models import topic_decision

    d = topic_decision(np.array([[0.9, 0.5, 0.3], [0.3, 0.28, 0.1]]), 0.25)
    assert d.tolist() == [[True, False, False], [True, True, False]]


def test_drivers_cues_skip_unrelated_run_characters():
    from nlp.topics import SeedTopics

    s = SeedTopics()
    assert "drivers" not in s.predict("这款润唇膏巨好用，利润也不错")
    assert s.scores("想润很久了，润学群里天天讨论")["drivers"] >= 0.5


def test_fused_prediction_matches_each_models_predict_proba():
    """The pipeline predicts all trained tasks with one product (FusedLinear): the probabilities
    are those of each classifier's own predict_proba, on the gold texts with the shipped models."""
    import numpy as np

    from nlp.features import make_sample
    from nlp.models import FusedLinear, fused_probas, load_gold
    from nlp.normalize import normalize
    from nlp.vectorize import transform

    models = load_models()
    tasks = [models[t] for t in ("topics", "sentiment", "stance") if t in models]
    if len({m.features_key for m in tasks}) != 1:
        pytest.skip("shipped models do not share one feature space")
    samples = []
    for e in load_gold(None)[::2]:
        s = make_sample(normalize(e.text), "ja" if e.lang == "ja" else "zh-Hans")
        s.tokens = list(s.folded)  # any tokens: the word features only need to be the same for both
        samples.append(s)
    X = transform(tasks[0].features, samples)
    got = fused_probas(tasks, X)
    assert len(FusedLinear([m.clf for m in tasks]).weights) == X.shape[1]
    for m in tasks:
        ref = m.clf.predict_proba(X)
        assert got[m.task].shape == ref.shape
        assert np.abs(got[m.task] - ref).max() <= 1e-12, m.task
