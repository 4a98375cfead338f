"""End to end over the small fixture web: retries, 404/500, redirects, robots.txt, ad-hoc crawls."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import FIXTURE_WEB
from tests.crawler.test_crawl_e2e import run_crawl

SOURCES = FIXTURE_WEB.parent / "sources"


@pytest.fixture(scope="module")
def fx(fixture_web, tmp_path_factory):
    db = tmp_path_factory.mktemp("fx") / "runri.db"
    fixture_web.web.requests.clear()
    stats = run_crawl(db, fixture_web, SOURCES, "--set", "RUNRI_RETRY_BACKOFF_BASE=0.01")
    requests = list(fixture_web.web.requests)
    adhoc = run_crawl(db, fixture_web, SOURCES, "--url", "http://big5.fixture.test/a.html",
                      "--url", "http://gbk.fixture.test/a.html", "--url", "http://sjis.fixture.test/a.html")
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    docs = {r["canonical_url"]: dict(r) for r in conn.execute("SELECT * FROM documents")}
    return {"stats": stats["sources"], "adhoc": adhoc["sources"], "requests": requests, "docs": docs}


def test_robots_txt_obeyed(fx):
    assert not [p for h, p, _ in fx["requests"] if p.startswith("/private/")]
    assert fx["stats"]["fx_news"]["robots_forbidden"] == 1
    assert ("news.fixture.test", "/robots.txt", 200) in fx["requests"]


def test_errors_by_kind_and_retries(fx):
    s = fx["stats"]["fx_news"]
    assert s["errors/http_404"] == 1 and s["errors/http_500"] == 1
    assert sum(1 for _, p, _ in fx["requests"] if p == "/broken.html") == 4  # 1 + RETRY_TIMES


def test_redirect_lands_once_on_canonical(fx):
    assert "http://news.fixture.test/old/1.html" not in fx["docs"]
    doc = fx["docs"]["http://news.fixture.test/articles/1.html"]
    assert doc["title"] == "中国富裕層、東京湾岸のタワマンへ"


def test_syndicated_copy_linked_and_irrelevant_dropped(fx):
    original = fx["docs"]["http://news.fixture.test/articles/1.html"]
    copy = fx["docs"]["http://news.fixture.test/articles/3.html"]
    assert copy["dup_of"] == original["id"] and original["dup_of"] is None
    assert "http://news.fixture.test/articles/2.html" not in fx["docs"]
    assert fx["stats"]["fx_news"]["irrelevant"] == 1


def test_meta_only_euc_jp_page(fx):
    doc = fx["docs"]["http://news.fixture.test/legacy/5.html"]
    assert doc["encoding"] == "euc_jp" and doc["title"] == "潤日、EUC-JPの古いページ"
    assert doc["published_at"] == "2022-05-31T23:00:00+00:00"


@pytest.mark.parametrize("host,encoding,title", [
    ("big5", "big5hkscs", "潤日：中產家庭的新選擇"),
    ("gbk", "gb18030", "润日：中产家庭的新选择"),
    ("sjis", "cp932", "潤日と経営・管理ビザ"),
])
def test_adhoc_urls_in_every_encoding(fx, host, encoding, title):
    doc = fx["docs"][f"http://{host}.fixture.test/a.html"]
    assert (doc["encoding"], doc["title"], doc["source_id"]) == (encoding, title, "adhoc")
    assert "\ufffd" not in doc["body"] and json.loads(doc["matched_terms"])


def test_unreachable_source_makes_the_crawl_partial(fixture_web, tmp_path):
    """One source answers, one host is unknown to the offline web (502 -> retried -> failed)."""
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "fx_news.toml").write_text((SOURCES / "fx_news.toml").read_text(encoding="utf-8"), encoding="utf-8")
    import subprocess
    import sys

    from runri_monitor.paths import PROJECT_ROOT

    other = tmp_path / "src2"
    other.mkdir()
    (other / "ja_gone.toml").write_text('id = "ja_gone"\nname = "x"\nlanguage = "ja"\nkind = "news"\n'
                                        'homepage = "http://gone.fixture.test/"\n'
                                        'feeds = ["http://gone.fixture.test/rss.xml"]\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "runri_monitor", "crawl", "--db", str(tmp_path / "p.db"), "--sources-dir",
           str(sources), "--sources-dir", str(other), "--offline-proxy", fixture_web.rstrip("/"),
           "--set", "RUNRI_RETRY_BACKOFF_BASE=0.01", "--set", "DOWNLOAD_TIMEOUT=5"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert proc.returncode == 4, proc.stderr[-2000:]
    assert "ja_gone" in proc.stderr
    assert "fx_news" in proc.stdout  # the per-source table is printed anyway
