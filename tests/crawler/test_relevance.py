"""The relevance rule, unit-level and measured on the gold pages (must be able to fail)."""

from __future__ import annotations

from crawler.extraction.evaluate import load_gold
from crawler.extraction.relevance import is_relevant, match_terms
from runri_monitor.paths import GOLD_DIR


def test_core_term_matches_any_script():
    for text in ("潤日の実態", "润日现象", "所謂潤日"):
        relevant, terms = is_relevant(text)
        assert relevant and terms[0] in ("潤日", "润日")


def test_spaced_term_needs_all_parts():
    assert "タワマン 中国人" in match_terms("湾岸のタワマンを中国人が買う")[0]
    assert "タワマン 中国人" not in match_terms("湾岸のタワマンが人気")[0]


def test_places_alone_are_not_relevant():
    assert not is_relevant("東京と大阪で桜が満開、日本各地で花見客")[0]


def test_two_context_terms_are_relevant():
    relevant, terms = is_relevant("在日华人家长为孩子报名补习班")
    assert relevant and len(terms) >= 2


def test_precision_and_recall_on_gold():
    gold = load_gold(GOLD_DIR / "extraction")
    if not gold:
        return
    tp = fp = fn = 0
    for g in gold:
        predicted = is_relevant(g["title"] + "\n" + g["body"])[0]
        tp += predicted and g["relevant"]
        fp += predicted and not g["relevant"]
        fn += (not predicted) and g["relevant"]
    assert tp / (tp + fn) >= 0.98, "recall"
    assert tp / (tp + fp) >= 0.95, "precision"
