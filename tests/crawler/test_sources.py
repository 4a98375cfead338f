"""Source files: the real registry and the offline ones validate; every problem is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import check_sources, load_sources
from runri_monitor.paths import OFFLINE_SOURCES_DIR, SOURCES_DIR

GOOD = """id = "{id}"
name = "テスト"
language = "ja"
kind = "news"
homepage = "https://www.example.jp/"
timezone = "Asia/Tokyo"
feeds = ["https://www.example.jp/rss.xml"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_registry_is_valid_and_large_enough():
    sources, problems = check_sources(SOURCES_DIR, recursive=False)
    assert problems == []
    assert len(sources) >= 25
    langs = {s.language for s in sources}
    assert {"ja", "zh-Hans", "zh-Hant"} <= langs
    assert all(not s.verified for s in sources)
    assert any(s.kind == "aggregator" for s in sources)


def test_offline_sources_valid():
    sources, problems = check_sources(OFFLINE_SOURCES_DIR)
    assert problems == [] and len(sources) >= 12


def test_good_file_loads(tmp_path):
    write(tmp_path, "ja_ok.toml", GOOD.format(id="ja_ok"))
    (src,) = load_sources(tmp_path)
    assert src.id == "ja_ok" and "www.example.jp" in src.hosts


@pytest.mark.parametrize("patch,message", [
    (lambda t: t.replace('language = "ja"', 'language = "jp"'), "language 'jp'"),
    (lambda t: t.replace('kind = "news"', 'kind = "blog"'), "kind 'blog'"),
    (lambda t: t.replace('"https://www.example.jp/rss.xml"', '"ftp://x"'), "feeds[0]: not an absolute"),
    (lambda t: t + '[[search]]\nurl = "https://www.example.jp/search?q=x"\n', "no {query} placeholder"),
    (lambda t: t + '[[search]]\nurl = "https://www.example.jp/s?q={query}&p={page}"\n', "unknown placeholder"),
    (lambda t: t + '[selectors]\ntitle = "h1::text["\n', "invalid CSS selector"),
    (lambda t: t.replace('timezone = "Asia/Tokyo"', 'timezone = "Tokyo"'), "not an IANA zone"),
    (lambda t: t + 'colour = "red"\n', "unknown key(s): colour"),
    (lambda t: t.replace('name = "テスト"\n', ""), "missing required key `name`"),
    (lambda t: t + 'article_url = "("\n', "article_url is not a valid regex"),
])
def test_each_problem_has_a_clear_message(tmp_path, patch, message):
    write(tmp_path, "ja_bad.toml", patch(GOOD.format(id="ja_bad")))
    sources, problems = check_sources(tmp_path)
    assert sources == []
    assert any(message in str(p) for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(str(tmp_path / "ja_bad.toml")) for p in problems)


def test_duplicate_ids_and_file_name_mismatch(tmp_path):
    write(tmp_path, "ja_a.toml", GOOD.format(id="ja_a"))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "ja_a.toml", GOOD.format(id="ja_a"))
    write(tmp_path, "ja_c.toml", GOOD.format(id="ja_d"))
    write(tmp_path, "ja_e.toml", "id = [")
    _, problems = check_sources(tmp_path)
    text = "\n".join(map(str, problems))
    assert "duplicate id 'ja_a'" in text
    assert "differs from the file name" in text
    assert "TOML syntax error" in text


def test_unknown_id_raises(tmp_path):
    write(tmp_path, "ja_ok.toml", GOOD.format(id="ja_ok"))
    with pytest.raises(ValueError, match="unknown source id"):
        load_sources(tmp_path, ["nope"])
