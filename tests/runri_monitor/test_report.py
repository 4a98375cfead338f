from __future__ import annotations

import re
from html.parser import HTMLParser

from click.testing import CliRunner

from runri_monitor.clusters import build_and_store
from runri_monitor.report import render_report, write_report
from runri_monitor.store import Store
from runri_monitor.synthetic import fill_store
from runri_monitor.trends import Filters


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.images = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images += 1
            if not (a.get("src") or "").startswith("data:image/png;base64,"):
                self.external.append(a.get("src"))
        if tag in ("script", "link", "iframe") and (a.get("src") or a.get("href")):
            self.external.append(a.get("src") or a.get("href"))


def _store(tmp_path):
    s = Store.open(tmp_path / "r.db")
    fill_store(s, 300, seed=2, days=90)
    build_and_store(s, Filters(kind=["article"]))
    return s


def test_report_is_self_contained(tmp_path):
    with _store(tmp_path) as s:
        path = write_report(s, tmp_path / "reports")
        html = path.read_text(encoding="utf-8")
    parser = _Assets()
    parser.feed(html)
    assert parser.images == 2 and parser.external == []
    assert "<!DOCTYPE html>" in html and 'charset="utf-8"' in html
    for section in ("Coverage", "Sentiment", "Top stories", "Most engaged", "Most negative", "New documents"):
        assert section in html
    assert re.search(r"<b>\d+</b>new documents", html)


def test_second_report_counts_only_new_documents(tmp_path):
    with _store(tmp_path) as s:
        write_report(s, tmp_path / "reports")
        since = s.db.execute("SELECT created_at FROM reports").fetchone()[0]
        html = render_report(s, since)
        assert "<b>0</b>new documents" in html
        s.upsert_documents([{"url": "http://new.test/1", "title": "新しい記事", "body": "潤日の続報。", "lang": "ja",
                             "kind": "post", "published_at": "2024-03-01T00:00:00+00:00",
                             "fetched_at": "2999-01-01T00:00:00+00:00"}])
        path = write_report(s, tmp_path / "reports")
        html = path.read_text(encoding="utf-8")
        assert "<b>1</b>new documents" in html and "新しい記事" in html
        assert s.db["reports"].count == 2


def test_html_is_escaped(tmp_path):
    with Store.open(tmp_path / "x.db") as s:
        s.upsert_documents([{"url": "http://x.test/1", "title": "<script>alert(1)</script>", "body": "本文",
                             "lang": "ja", "published_at": "2024-03-01T00:00:00+00:00"}])
        html = render_report(s, None)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_cli_report(tmp_path):
    from runri_monitor.cli.analysis import report

    _store(tmp_path).close()
    res = CliRunner().invoke(report, ["--db", str(tmp_path / "r.db"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith(".html")
