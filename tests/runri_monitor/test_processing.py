"""runri_monitor.processing: incremental, resumable NLP over the store."""

from __future__ import annotations

import json

import pytest

from nlp.pipeline import Analyzer, nlp_version
from runri_monitor.processing import document_text, process_store
from runri_monitor.store import Store

DOCS = [
    ("潤日の富裕層、豊洲のタワマン購入相次ぐ", "経営・管理ビザを取得した中国人が湾岸のマンションを買っている。", "ja"),
    ("润日潮：经营管理签证门槛提高", "很多人担心，已经投入的资金打了水漂。", "zh-Hans"),
    ("潤日族湧入東京", "許多人選擇在江東區買房。", "zh-Hant"),
    ("", "近所の中国人夫婦がやってるパン屋、悪くないどころか普通にうまい", "ja"),
]


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        s.upsert_documents(
            {"url": f"http://news.example.test/{i}", "title": t, "body": b, "lang": lang, "source_id": "t"}
            for i, (t, b, lang) in enumerate(DOCS)
        )
        yield s


def test_annotates_everything_once(store, analyzer):
    result = process_store(store, analyzer, batch_size=2)
    assert result.annotated == len(DOCS)
    assert store.count_without_annotations(nlp_version()) == 0
    assert process_store(store, analyzer).annotated == 0  # incremental: nothing left to do


def test_rows_written(store, analyzer):
    process_store(store, analyzer)
    rows = list(store.db.query("SELECT * FROM annotations"))
    assert {r["lang"] for r in rows} == {"ja", "zh-Hans", "zh-Hant"}
    for r in rows:
        assert r["nlp_version"] == nlp_version()
        assert r["n_tokens"] == len(json.loads(r["tokens"])) > 0
        assert -1 <= r["sentiment"] <= 1 and r["stance_label"] in {"welcoming", "hostile", "neutral"}
        assert isinstance(json.loads(r["entities"]), list)
    topics = {r["topic_id"] for r in store.db.query("SELECT topic_id FROM doc_topics")}
    assert "real_estate" in topics


def test_resumable_with_limit(store, analyzer):
    calls = []
    first = process_store(store, analyzer, batch_size=1, limit=3, progress=calls.append)
    assert first.annotated == 3 and calls == [1, 1, 1]
    assert store.count_without_annotations(nlp_version()) == 1
    assert process_store(store, analyzer).annotated == 1


def test_workers_give_the_same_rows(tmp_path, analyzer):
    def annotate(path, workers):
        with Store.open(path) as s:
            s.upsert_documents(
                {"url": f"http://news.example.test/{i}", "title": t, "body": b, "lang": lang, "source_id": "t"}
                for i, (t, b, lang) in enumerate(DOCS)
            )
            process_store(s, analyzer, batch_size=2, workers=workers)
            return list(s.db.query("SELECT doc_id, sentiment, stance_label, keywords FROM annotations ORDER BY doc_id"))

    assert annotate(tmp_path / "a.db", 1) == annotate(tmp_path / "b.db", 2)


def test_new_version_reannotates(store, analyzer, monkeypatch):
    process_store(store, analyzer)
    monkeypatch.setattr("runri_monitor.processing.nlp_version", lambda: "test-version")
    assert process_store(store, analyzer).annotated == len(DOCS)


def test_document_text_joins_title_and_body():
    assert document_text({"title": "見出し", "body": "本文"}) == "見出し\n本文"
    assert document_text({"title": "", "body": "本文"}) == "本文"
    assert document_text({"title": "見出し", "body": None}) == "見出し"
