"""The offline web server: proxy and direct forms, charsets, overrides, routes, 404/502."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from runri_monitor.webserver import OfflineWeb
from tests.conftest import FIXTURE_WEB


def fetch(url: str, proxy: str | None = None) -> tuple[int, dict[str, str], bytes]:
    handlers = [urllib.request.ProxyHandler({"http": proxy} if proxy else {})]

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return None

    opener = urllib.request.build_opener(*handlers, NoRedirect)
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_proxy_form_serves_host_file_with_charset(fixture_web):
    status, headers, body = fetch("http://sjis.fixture.test/a.html", proxy=fixture_web)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=shift_jis"
    assert "潤日".encode("cp932") in body  # bytes exactly as stored


def test_direct_form_and_index(fixture_web):
    status, _, body = fetch(f"{fixture_web}news.fixture.test/")
    assert status == 200 and b"articles/1.html" in body


def test_header_charset_false_sends_no_charset(fixture_web):
    _, headers, _ = fetch("http://gbk.fixture.test/a.html", proxy=fixture_web)
    assert headers["Content-Type"] == "text/html"


def test_path_override_charset_and_status(fixture_web):
    _, headers, _ = fetch("http://news.fixture.test/legacy/5.html", proxy=fixture_web)
    assert headers["Content-Type"] == "text/html"  # header_charset = false for /legacy/*
    status, _, _ = fetch("http://news.fixture.test/broken.html", proxy=fixture_web)
    assert status == 500


def test_redirect_keeps_direct_form_inside_host(fixture_web):
    status, headers, _ = fetch(f"{fixture_web}news.fixture.test/old/1.html")
    assert status == 301 and headers["Location"] == "/news.fixture.test/articles/1.html"
    status, headers, _ = fetch("http://news.fixture.test/old/1.html", proxy=fixture_web)
    assert status == 301 and headers["Location"] == "/articles/1.html"


def test_robots_txt_is_text_plain(fixture_web):
    status, headers, body = fetch("http://news.fixture.test/robots.txt", proxy=fixture_web)
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and b"Disallow: /private/" in body


def test_missing_file_404_and_unknown_host_502(fixture_web):
    assert fetch("http://news.fixture.test/nope.html", proxy=fixture_web)[0] == 404
    assert fetch("http://www.example.com/", proxy=fixture_web)[0] == 502


def test_delay(fixture_web):
    start = time.monotonic()
    assert fetch("http://news.fixture.test/slow.html", proxy=fixture_web)[0] == 200
    assert time.monotonic() - start >= 0.45


def test_route_matches_decoded_query():
    web = OfflineWeb(FIXTURE_WEB)
    reply = web.resolve("news.fixture.test", "/api/search?page=1&q=%E6%BD%A4%E6%97%A5")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert web.resolve("news.fixture.test", "/api/search?q=other&page=1").status == 404


def test_route_times_limits_matches():
    web = OfflineWeb(FIXTURE_WEB)
    assert web.resolve("news.fixture.test", "/api/limited?q=x").status == 429  # times = 1
    assert web.resolve("news.fixture.test", "/api/limited?q=x").status == 200  # next route
    web.reset_routes()
    assert web.resolve("news.fixture.test", "/api/limited?q=x").status == 429


def test_no_path_traversal():
    web = OfflineWeb(FIXTURE_WEB)
    assert web.resolve("news.fixture.test", "/../sjis.fixture.test/a.html").status == 404
    assert web.resolve("news.fixture.test", "/_site.toml").status == 404


@pytest.mark.timeout(20)
def test_module_main_prints_url():
    proc = subprocess.Popen([sys.executable, "-m", "runri_monitor.webserver", "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:") and line.endswith("/")
        assert fetch(f"{line}no-such-host.test/")[0] == 502
    finally:
        proc.terminate()
        proc.wait(timeout=5)
