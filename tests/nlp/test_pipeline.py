import pytest

from nlp.pipeline import Analyzer, AnalyzerOptions, nlp_version

KEYS = {"id", "lang", "tokens", "keywords", "entities", "topics", "sentiment", "sentiment_label", "stance"}


def test_contract_fields(analyzer):
    ann = analyzer.analyze("潤日の中国人富裕層が豊洲のタワマンを購入し、経営・管理ビザを取得した。", id="a1")
    assert KEYS <= set(ann)
    assert ann["id"] == "a1" and ann["lang"] == "ja"
    assert "タワマン" in ann["tokens"] and "経営・管理ビザ" in ann["tokens"]
    assert -1.0 <= ann["sentiment"] <= 1.0
    assert ann["sentiment_label"] in {"positive", "negative", "neutral"}
    assert ann["stance"] in {"welcoming", "hostile", "neutral"}
    assert all(set(t) == {"id", "score"} and 0 <= t["score"] <= 1 for t in ann["topics"])
    assert {t["id"] for t in ann["topics"]} & {"real_estate", "visa"}


def test_pipe_keeps_order_and_mixes_languages(analyzer):
    recs = [{"id": i, "text": t} for i, t in enumerate(["润日的人", "潤日の人", "潤日的人們", "hello"])]
    out = list(analyzer.pipe(recs, batch_size=3))
    assert [a["id"] for a in out] == [0, 1, 2, 3]
    assert [a["lang"] for a in out] == ["zh-Hans", "ja", "zh-Hant", "other"]


def test_given_language_is_kept(analyzer):
    assert analyzer.analyze("東京", lang="zh-Hant")["lang"] == "zh-Hant"


def test_per_sentence_sentiment(analyzer):
    ann = analyzer.analyze("生活很开心。但是工作很累！")
    assert [s["sentiment_label"] for s in ann["sentences"]] == ["positive", "negative"]


def test_without_models_falls_back_to_lexicons(tmp_path):
    a = Analyzer(AnalyzerOptions(models_path=str(tmp_path)))
    ann = a.analyze("这里的人非常友好，欢迎大家，经营管理签证")
    assert ann["sentiment_label"] == "positive" and ann["stance"] == "welcoming"
    assert {"visa", "public_opinion"} == {t["id"] for t in ann["topics"]}  # 欢迎 is a public-opinion seed


@pytest.mark.parametrize("method", ["lexicon", "trained"])
def test_methods_selectable(method):
    a = Analyzer(AnalyzerOptions(sentiment=method, stance=method, topics=method))
    assert a.analyze("太失望了")["sentiment_label"] == "negative"


def test_parallel_pipe_matches_serial(analyzer):
    recs = [{"id": i, "text": t} for i, t in enumerate(["润日的人很开心", "潤日の人", "太失望了", "タワマン"] * 3)]
    assert list(analyzer.pipe(recs, batch_size=4, n_process=2)) == list(analyzer.pipe(recs, batch_size=4))


def test_batches_close_at_the_document_or_the_character_bound():
    from nlp.pipeline import _batches

    recs = [{"text": "x" * n} for n in (3, 4, 5, 1, 1, 1, 1)]
    sizes = [[len(r["text"]) for r in b] for b in _batches(recs, size=3, max_chars=8)]
    assert sizes == [[3, 4, 5], [1, 1, 1], [1]]  # 12 chars >= 8 closes the first at 3 documents anyway
    sizes = [[len(r["text"]) for r in b] for b in _batches(recs, size=10, max_chars=7)]
    assert sizes == [[3, 4], [5, 1, 1], [1, 1]]
    assert list(_batches([{"text": None}, {}], size=10, max_chars=1)) == [[{"text": None}, {}]]


def test_parallel_batches_give_every_worker_at_least_two():
    from nlp.pipeline import parallel_batch_size

    assert parallel_batch_size(6307, 2, 4096) == 1577  # 4 batches for 2 workers
    assert parallel_batch_size(100_000, 2, 4096) == 4096  # large jobs: full batches
    assert parallel_batch_size(3, 4, 4096) == 1 and parallel_batch_size(0, 2, 4096) == 1


def test_batch_size_does_not_change_the_annotations(analyzer):
    texts = ["润日的人很开心", "潤日の人が東京に来た。しかし不安だ。", "太失望了", "タワマン購入", "hello"] * 3
    recs = [{"id": i, "text": t} for i, t in enumerate(texts)]
    assert list(analyzer.pipe(recs, batch_size=2)) == list(analyzer.pipe(recs))


def test_nothing_to_annotate_loads_nothing():
    fresh = Analyzer()
    assert list(fresh.pipe([])) == [] and list(fresh.pipe(iter([]), n_process=2)) == []
    assert fresh._warm is False  # models and pipelines are loaded on the first batch only


def test_version_includes_model_fingerprint():
    assert nlp_version().startswith("1+") and len(nlp_version()) == 10


def test_a_batch_makes_no_reference_cycles(analyzer):
    """Analyzer._batch pauses the cyclic GC: that is only free if the stage leaves no cycles behind."""
    import gc

    from nlp.models import load_gold

    recs = [{"id": i, "text": e.text} for i, e in enumerate(load_gold(None)[::5])]
    analyzer._batch(recs)  # lazy caches filled
    gc.collect()
    gc.disable()
    try:
        out = analyzer._annotate(recs)
        assert len(out) == len(recs)
        del out
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert gc.isenabled()
