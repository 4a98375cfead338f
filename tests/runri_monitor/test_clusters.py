"""Clustering on a small bilingual set: each story is told twice in Japanese and twice in Chinese."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from runri_monitor.clusters import (
    ClusterParams,
    build_and_store,
    cluster_documents,
    concept_ids,
    evaluate,
    export_clusters,
    score_clustering,
)
from runri_monitor.store import Store
from runri_monitor.trends import Filters

# (story, lang, title, body): short original texts.
STORIES = [
    ("bookstore", "ja", "銀座に中国語書店が開店", "上海から移住した店主が銀座で中国語の独立系書店を開いた。週末には読書会や講演会が開かれ、在日中国人の若者が集まる。"),
    ("bookstore", "ja", "神保町の華人書店、読書会が盛況", "神保町の中国語書店では毎月の読書会に多くの客が訪れる。店主は自由に本を語れる場所をつくりたいと話す。"),
    ("bookstore", "zh-Hans", "东京银座新开一家中文书店", "从上海移居东京的店主在银座开了一家独立中文书店，周末举办读书会和讲座，吸引了不少在日华人青年。"),
    ("bookstore", "zh-Hant", "神保町華人書店讀書會熱鬧", "神保町的中文書店每月舉辦讀書會，店主說希望打造一個可以自由談書的空間。"),
    ("bank", "ja", "地下銀行を摘発、中国人ら逮捕", "警視庁は人民元を円に替えて送金していた地下銀行を摘発し、中国籍の男ら3人を逮捕した。新たに来日した富裕層が利用していたという。"),
    ("bank", "ja", "地下銀行、年間5万ドルの両替上限が背景", "中国の外貨両替には年間5万ドルの上限があり、移住者の一部が地下銀行に頼っている実態が捜査で明らかになった。"),
    ("bank", "zh-Hans", "东京警方查获地下钱庄 三名中国人被捕", "日本警方查获一个将人民币兑换成日元的地下钱庄，三名中国籍男子被捕，客户多为新来日本的富人。"),
    ("bank", "zh-Hans", "每年5万美元换汇上限催生地下钱庄", "由于中国每年5万美元的换汇额度限制，部分移居日本的人转而依靠地下钱庄汇款，调查揭示了这一现象。"),
    ("condo", "ja", "豊洲のタワマン、中国人購入者が増加", "豊洲や晴海のタワーマンションで中国人の購入が目立つ。現金で一括購入する例も多く、価格上昇の一因とされる。"),
    ("condo", "ja", "湾岸タワマンに空室も", "江東区の湾岸エリアでは中国人が購入したタワマンの一部が空室のままだという。"),
    ("condo", "zh-Hans", "丰洲塔楼公寓受中国买家青睐", "东京丰洲和晴海的塔楼公寓吸引了大量中国买家，不少人全款购房，推高了房价。"),
    ("condo", "zh-Hant", "江東區灣岸塔樓公寓有空置", "東京江東區灣岸地區部分由中國人購買的塔樓公寓長期空置。"),
    ("election", "ja", "参院選、外国人政策が争点に", "7月の参院選では「日本人ファースト」を掲げる政党が支持を伸ばし、外国人政策や中国人の土地取得が論点となった。"),
    ("election", "ja", "参院選で在日中国人に不安広がる", "参院選の選挙戦で外国人規制を訴える声が強まり、在日中国人の間に不安が広がっている。"),
    ("election", "zh-Hans", "参议院选举 外国人政策成焦点", "7月的参议院选举中，打出“日本人优先”口号的政党支持率上升，外国人政策和中国人购买土地成为争论焦点。"),
    ("election", "zh-Hans", "参院选举让在日华人感到不安", "参议院选举期间要求加强外国人管控的声音增多，在日华人普遍感到不安。"),
]


def _docs():
    return [
        {"id": i + 1, "lang": lang, "title": title, "body": body, "published_at": f"2024-0{1 + i % 9}-01T00:00:00+00:00",
         "url": f"http://s.test/{i}", "keywords": None, "entities": None}
        for i, (_, lang, title, body) in enumerate(STORIES)
    ]


def test_concepts_map_both_languages():
    from nlp.normalize import fold

    assert "tower_condo" in concept_ids(fold("豊洲のタワマン")) and "tower_condo" in concept_ids(fold("塔樓公寓"))
    assert "underground_bank" in concept_ids(fold("地下銀行")) and "underground_bank" in concept_ids(fold("地下錢莊"))
    assert "bm_visa" in concept_ids(fold("経営・管理ビザ"))


def test_bilingual_stories_land_in_one_cluster():
    result = cluster_documents(_docs(), ClusterParams())
    gold = [s for s, *_ in STORIES]
    scores = score_clustering(gold, result["labels"], [lang for _, lang, *_ in STORIES])
    assert scores["nmi"] >= 0.8 and scores["ari"] >= 0.7, scores
    assert scores["cross_language_joined"] == 1.0, scores
    assert len(result["clusters"]) >= 3


def test_labels_are_bilingual_and_described():
    result = cluster_documents(_docs(), ClusterParams())
    for c in result["clusters"]:
        assert c["label_ja"] and c["label_zh"]
        assert c["representatives"] and c["timeline"] and c["top_terms"]
    bank = next(c for c in result["clusters"] if "地下銀行" in c["label_ja"])
    assert "地下钱庄" in bank["label_zh"]


def test_threshold_controls_number_of_clusters():
    tight = cluster_documents(_docs(), ClusterParams(threshold=0.2, min_size=1))
    loose = cluster_documents(_docs(), ClusterParams(threshold=0.99, min_size=1))
    assert len(tight["clusters"]) > len(loose["clusters"])


def test_two_stage_path_for_large_inputs():
    # The large-n path (SVD + MiniBatchKMeans micro-clusters + agglomerative merge) on tiny numbers.
    result = cluster_documents(_docs(), ClusterParams(exact_max=5, svd_dims=12))
    scores = score_clustering([s for s, *_ in STORIES], result["labels"], [lang for _, lang, *_ in STORIES])
    assert len(result["labels"]) == len(STORIES) and scores["nmi"] >= 0.6, scores


def test_score_clustering_perfect_and_split():
    perfect = score_clustering(["a", "a", "b", "b"], [1, 1, 2, 2], ["ja", "zh-Hans", "ja", "zh-Hant"])
    assert perfect["nmi"] == 1.0 and perfect["ari"] == 1.0 and perfect["cross_language_joined"] == 1.0
    split = score_clustering(["a", "a", "b", "b"], [1, 2, 3, 4], ["ja", "zh-Hans", "ja", "zh-Hant"])
    assert split["cross_language_joined"] == 0.0 and split["ari"] < 0.5


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "c.db"
    with Store.open(path) as s:
        s.upsert_documents(
            {"url": f"http://s.test/{i}", "lang": lang, "title": title, "body": body, "kind": "article",
             "published_at": f"2024-0{1 + i % 9}-01T00:00:00+00:00"}
            for i, (_, lang, title, body) in enumerate(STORIES)
        )
    gold = tmp_path / "gold"
    gold.mkdir()
    lines = [json.dumps({"url": f"http://s.test/{i}", "story": story, "relevant": True, "lang": lang})
             for i, (story, lang, *_) in enumerate(STORIES)]
    lines.append(json.dumps({"url": "http://s.test/none", "story": "none", "relevant": False}))
    (gold / "x.jsonl").write_text("\n".join(lines), encoding="utf-8")
    return path, gold


def test_build_store_export_and_eval(db, tmp_path):
    path, gold = db
    with Store.open(path) as s:
        run = build_and_store(s, Filters(kind=["article"]))
        assert s.db["cluster_members"].count == len(STORIES)
        assert s.db["clusters"].count == run["n_clusters"]
        fresh = evaluate(s, gold)
        stored = evaluate(s, gold, run_id=run["run_id"])
        assert fresh["matched"] == len(STORIES) and fresh["nmi"] == stored["nmi"] >= 0.8
        out = tmp_path / "export"
        res = export_clusters(s, out, ["jsonl", "csv", "parquet"])
    assert res["clusters"] == run["n_clusters"]
    rows = [json.loads(line) for line in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["timeline"] and rows[0]["label_zh"]
    import pyarrow.parquet as pq

    assert pq.read_table(out / "cluster_members.parquet").num_rows == len(STORIES)
    readme = (out / "README.md").read_text(encoding="utf-8")
    for needle in ("## Method", "## Parameters", "threshold", "publication dates", "NLP versions", "crawl runs"):
        assert needle in readme


def test_cli_clusters_and_eval(db, tmp_path):
    from runri_monitor.cli.analysis import clusters
    from runri_monitor.cli.evaluate import eval_group

    path, gold = db
    runner = CliRunner()
    res = runner.invoke(clusters, ["build", "--db", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(clusters, ["export", "--db", str(path), "--out", str(tmp_path / "e"), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "e" / "clusters.csv").exists() and (tmp_path / "e" / "README.md").exists()
    res = runner.invoke(eval_group, ["clusters", "--db", str(path), "--gold", str(gold), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["nmi"] >= 0.8


def test_eval_gold_texts_without_database(tmp_path):
    from runri_monitor.clusters import evaluate_gold_texts

    lines = [json.dumps({"url": f"http://g.test/{i}", "story": story, "relevant": True, "lang": lang,
                         "title": title, "body": body, "dup_of": None}, ensure_ascii=False)
             for i, (story, lang, title, body) in enumerate(STORIES)]
    lines.append(json.dumps({"url": "http://g.test/copy", "story": "bank", "relevant": True, "lang": "ja",
                             "title": STORIES[4][2], "body": STORIES[4][3], "dup_of": "http://g.test/4"}))
    (tmp_path / "g.jsonl").write_text("\n".join(lines), encoding="utf-8")
    result = evaluate_gold_texts(tmp_path)
    assert result["matched"] == len(STORIES) and result["nmi"] >= 0.8 and result["cross_language_joined"] == 1.0


def test_empty_selection_is_an_empty_run(tmp_path):
    with Store.open(tmp_path / "empty.db") as s:
        run = build_and_store(s)
        assert run["n_docs"] == 0 and run["n_clusters"] == 0
        res = export_clusters(s, tmp_path / "out", ["csv", "jsonl", "parquet"])
    assert res["clusters"] == 0 and "documents clustered: 0" in (tmp_path / "out" / "README.md").read_text()
