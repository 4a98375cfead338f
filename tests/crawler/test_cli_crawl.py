"""`runri sources`, `runri sources check`, `runri eval extraction`, `runri crawl --help` (in-process)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from runri_monitor.cli import cli
from runri_monitor.errors import InputError
from runri_monitor.paths import GOLD_DIR


def test_sources_lists_registry():
    result = CliRunner().invoke(cli, ["sources", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    ids = {r["id"] for r in rows}
    assert {"ja_nhk", "zh_zaobao", "zh_cna"} <= ids


def test_sources_check_ok():
    result = CliRunner().invoke(cli, ["sources", "check"])
    assert result.exit_code == 0, result.output
    assert "source files OK" in result.output


def test_sources_check_reports_each_problem(tmp_path):
    (tmp_path / "ja_x.toml").write_text('id = "ja_x"\nname = "x"\nlanguage = "jp"\nkind = "news"\n'
                                        'homepage = "notaurl"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources", "--sources-dir", str(tmp_path), "check"])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    text = result.output
    assert "language 'jp'" in text and "homepage: not an absolute" in text


def test_crawl_help_has_example():
    result = CliRunner().invoke(cli, ["crawl", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and "--offline-proxy" in result.output


def test_eval_extraction_meets_target():
    if not list((GOLD_DIR / "extraction").glob("*.jsonl")):
        return
    result = CliRunner().invoke(cli, ["eval", "extraction", "--format", "json", "--check"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for lang in ("ja", "zh-Hans", "zh-Hant"):
        s = data["summary"][lang]
        assert s["title_acc"] >= 0.98 and s["date_acc"] >= 0.98 and s["body_f1"] >= 0.95, (lang, s)
