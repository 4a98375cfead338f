"""Heavy NLP objects load once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def analyzer():
    from nlp.pipeline import Analyzer

    a = Analyzer()
    a.warm_up()
    return a


@pytest.fixture(scope="session")
def ja_nlp():
    from nlp.tokenize import get_pipeline

    return get_pipeline("ja")


@pytest.fixture(scope="session")
def zh_nlp():
    from nlp.tokenize import get_pipeline

    return get_pipeline("zh-Hans")
