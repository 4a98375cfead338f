"""`runri analyze`, `runri process`, `runri train`, `runri eval nlp` through click's CliRunner."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from runri_monitor.cli import cli
from runri_monitor.store import Store


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def test_analyze_stdin_to_stdout_lexicon_ner():
    lines = [json.dumps({"id": 1, "text": "潤日の富裕層が豊洲のタワマンを買う"}, ensure_ascii=False),
             json.dumps({"id": "b", "text": "经营管理签证门槛提高了", "lang": "zh-Hans"}, ensure_ascii=False)]
    result = run(["analyze", "--ner", "lexicon"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    assert set(out[0]) >= {"id", "lang", "tokens", "keywords", "entities", "topics", "sentiment",
                           "sentiment_label", "stance"}


def test_analyze_bad_lines_reported_and_skipped(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "润日"}\nnot json\n{"id": 3}\n', encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", "--in", str(src), "--out", str(dst), "--ner", "lexicon"])
    assert result.exit_code == 0
    assert "line 2" in result.stderr and "line 3" in result.stderr
    assert len(dst.read_text(encoding="utf-8").splitlines()) == 1


def test_analyze_nothing_valid_fails():
    result = CliRunner().invoke(cli, ["analyze"], input="oops\n")
    assert result.exit_code != 0 and "line 1" in result.stderr


def test_process_command(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as s:
        s.upsert_documents([{"url": "http://x.test/1", "title": "潤日", "body": "タワマン購入", "source_id": "t"}])
    result = run(["process", "--db", str(db), "-q"])
    assert result.exit_code == 0 and "annotated 1 documents" in result.output
    assert "annotated 0 documents" in run(["process", "--db", str(db), "-q"]).output


def test_process_missing_db(tmp_path):
    result = CliRunner().invoke(cli, ["process", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.output


def test_train_on_user_csv(tmp_path):
    data = tmp_path / "labels.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "lang", "sentiment"])
        for i in range(8):
            w.writerow([f"とても楽しい日{i}", "ja", "positive"])
            w.writerow([f"本当に最悪だ{i}", "ja", "negative"])
    out = tmp_path / "models"
    result = run(["train", "sentiment", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "sentiment.joblib").exists() and not (out / "topics.joblib").exists()


def test_eval_nlp_json(tmp_path):
    result = run(["eval", "nlp", "--lang", "ja", "--format", "json", "--no-write"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    methods = {r["method"] for r in data["rows"] if r["task"] == "sentiment"}
    assert {"lexicon", "trained", "default", "baseline: majority"} <= methods


def test_eval_nlp_on_another_gold_folder(tmp_path):
    """--gold scores the texts of another folder (here 3 Chinese test texts) and leaves docs/ alone."""
    from runri_monitor.paths import PROJECT_ROOT

    rows = [{"id": f"z{i}", "lang": "zh-Hans", "text": t, "topics": topics, "sentiment": s, "stance": "neutral",
             "split": "test"}
            for i, (t, topics, s) in enumerate([("经营管理签证门槛提高到3000万日元，很多人担心。", ["visa"], "negative"),
                                                ("在东京买了塔楼公寓，孩子上学方便，太开心了！", ["real_estate"], "positive"),
                                                ("今天下雨。", [], "neutral")])]
    (tmp_path / "zh.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                       encoding="utf-8")
    doc = PROJECT_ROOT / "docs" / "eval_nlp.md"
    before = doc.read_bytes()
    result = run(["eval", "nlp", "--gold", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {r["lang"] for r in data["rows"]} == {"zh"} and {r["n"] for r in data["rows"]} == {3}
    assert doc.read_bytes() == before
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["eval", "nlp", "--gold", str(empty)])
    assert result.exit_code != 0 and "no gold rows" in result.output
