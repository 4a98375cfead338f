from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from runri_monitor.search import find_spans, search, snippet
from runri_monitor.store import Store
from runri_monitor.trends import Filters

DOCS = [
    {"url": "http://a.test/1", "lang": "ja", "source_id": "ja_a", "kind": "article",
     "published_at": "2024-05-01T00:00:00+00:00",
     "title": "潤日の実像", "body": "上海から東京へ。潤日と呼ばれる移住が続き、経営・管理ビザの申請が増えた。"},
    {"url": "http://b.test/2", "lang": "zh-Hant", "source_id": "zh_tw", "kind": "article",
     "published_at": "2024-06-01T00:00:00+00:00",
     "title": "潤日潮", "body": "許多家庭選擇潤日，申請經營管理簽證，在東京買房。"},
    {"url": "http://c.test/3", "lang": "zh-Hans", "source_id": "zh_weibo", "kind": "post", "platform": "weibo",
     "published_at": "2024-07-01T00:00:00+00:00",
     "title": "", "body": "润日一年了，孩子在文京区上学，经营管理签证续签顺利。"},
    {"url": "http://d.test/4", "lang": "ja", "source_id": "ja_a", "kind": "article",
     "published_at": "2024-07-02T00:00:00+00:00",
     "title": "大阪の民泊", "body": "民泊の苦情が増えている。"},
]


@pytest.fixture()
def store():
    s = Store.open(":memory:")
    s.upsert_documents(DOCS)
    yield s
    s.close()


def test_simplified_query_finds_japanese_and_traditional(store):
    hits = search(store, "润日")
    assert {h.lang for h in hits} == {"ja", "zh-Hant", "zh-Hans"}
    assert all("<mark>" in h.snippet for h in hits)


def test_highlight_on_original_text(store):
    hit = next(h for h in search(store, "润日") if h.lang == "ja")
    body = DOCS[0]["body"]
    assert [body[s:e] for s, e in hit.spans] == ["潤日"]
    assert "<mark>潤日</mark>" in hit.snippet


def test_highlight_spans_separator():
    text = "経営・管理ビザの申請が増えた"
    spans = find_spans(text, "经营管理")
    assert [text[s:e] for s, e in spans] == ["経営・管理"]


def test_multi_term_query_and_filters(store):
    hits = search(store, "经营管理签证 东京")
    assert [h.lang for h in hits] == ["zh-Hant"]  # only doc 2 has both terms
    assert [h.lang for h in search(store, "经营管理", Filters(lang=["zh-Hans"]))] == ["zh-Hans"]
    assert [h.kind for h in search(store, "润日", Filters(kind=["post"]))] == ["post"]
    assert len(search(store, "润日", Filters(since="2024-06-01", until="2024-06-30"))) == 1
    assert search(store, "民泊") and not search(store, "塔楼")


def test_snippet_window_and_marks():
    text = "あ" * 100 + "潤日" + "い" * 100
    out = snippet(text, [(100, 102)], width=40, mark=("[", "]"))
    assert "[潤日]" in out and out.startswith("…") and out.endswith("…")
    assert len(out) <= 40 + 4


def test_cli_search_json(tmp_path):
    from runri_monitor.cli.analysis import search as search_cmd

    db = tmp_path / "s.db"
    with Store.open(db) as s:
        s.upsert_documents(DOCS)
    res = CliRunner().invoke(search_cmd, ["润日", "--db", str(db), "--format", "json", "--lang", "ja"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert len(data) == 1 and data[0]["url"] == "http://a.test/1" and data[0]["spans"]
    res = CliRunner().invoke(search_cmd, ["润日", "--db", str(db)])
    assert res.exit_code == 0 and "a.test/1" in res.output
    res = CliRunner().invoke(search_cmd, ["。！", "--db", str(db)])
    assert res.exit_code != 0


def test_window_widens_when_filters_leave_too_few(store):
    # A window of 1 match holds only the newest document; the lang filter needs a wider one.
    hits = search(store, "润日", Filters(lang=["ja"]), windows=(1, None))
    assert [h.lang for h in hits] == ["ja"]
    assert len(search(store, "润日", windows=(1, 2, None))) == 3
