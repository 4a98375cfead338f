"""Shared helpers for the social-platform tests: fixtures come from corpus/web through the
offline web's own route table (pure logic, no sockets), so tests read what the crawler gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from crawler.platforms.common import AuthorPolicy, Context
from runri_monitor.webserver import OfflineWeb

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "corpus" / "web"
POLICY = AuthorPolicy(salt="test-salt")
FETCHED = "2026-01-01T00:00:00+00:00"


def ctx(source: str, lang: str = "ja", keep_handles: bool = False, max_pages: int = 5) -> Context:
    return Context(source, AuthorPolicy("test-salt", keep_handles), FETCHED, max_pages, lang)


def fetch(host: str, path: str, web: OfflineWeb | None = None, **query: str) -> tuple[int, bytes]:
    """(status, body) the offline web answers for http://host/path?query."""
    raw = path + (f"?{urlencode(query)}" if query else "")
    reply = (web or OfflineWeb(WEB)).resolve(host, raw)
    return reply.status, reply.body


def body(host: str, path: str, **query: str) -> str:
    """The final (non rate-limited) answer: routes with `times` are used up first."""
    web = OfflineWeb(WEB)
    for _ in range(3):
        status, data = fetch(host, path, web, **query)
        text = data.decode("utf-8")
        if status == 200 and '"ok": 0' not in text and '"code": -412' not in text:
            return text
    raise AssertionError(f"no final answer for {host}{path} {query}")


def load_json(host: str, path: str, **query: str) -> Any:
    return json.loads(body(host, path, **query))
