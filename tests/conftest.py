"""Shared pytest fixtures: the offline web server (corpus/web) and the small fixture web."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runri_monitor.webserver import DEFAULT_ROOT, serve_offline_web

FIXTURE_WEB = Path(__file__).resolve().parent / "fixtures" / "web"


@pytest.fixture(scope="session")
def offline_web() -> Iterator[str]:
    """Base URL of the offline web (corpus/web), e.g. "http://127.0.0.1:PORT/".

    Use it as an HTTP proxy (Scrapy: RUNRI_OFFLINE_PROXY / `runri crawl --offline-proxy`) or
    directly as f"{offline_web}<host>/<path>".
    """
    with serve_offline_web(DEFAULT_ROOT) as url:
        yield url


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[str]:
    """The same server over tests/fixtures/web (small, hand-made pages in every encoding)."""
    with serve_offline_web(FIXTURE_WEB) as url:
        yield url
