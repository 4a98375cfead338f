"""The gold topic labels are the adjudicated ones of corpus/gold/nlp/annotation/ (bench/annotation_agreement.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _agreement_module():
    spec = importlib.util.spec_from_file_location(
        "annotation_agreement", ROOT / "bench" / "annotation_agreement.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_micro_f1_counts_shared_and_unshared_labels():
    micro_f1 = _agreement_module().micro_f1
    assert micro_f1([({"visa"}, {"visa"})]) == 1.0
    # 1 shared, 1 only in the first, 2 only in the second: 2*1 / (2*1 + 2 + 1)
    assert micro_f1([({"visa", "crime"}, {"visa"}), (set(), {"politics", "culture"})]) == 2 / 5
    assert micro_f1([({"visa"}, {"crime"})]) == 0.0


def test_gold_files_hold_the_adjudicated_topics():
    module = _agreement_module()
    for lang in ("ja", "zh"):
        lines, problems = module.agreement(lang)
        assert problems == [], problems[:5]
        assert len(lines) in (3, 9)  # topics, then sentiment and stance, each train, test, all


def _long_gold_module():
    spec = importlib.util.spec_from_file_location("long_gold", ROOT / "bench" / "long_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_long_text_sets_hold_their_final_labels_and_splits():
    """corpus/gold/nlp/long (test) and long/train: A where the blind annotation agreed, C where
    adjudicated; one split per set; no text in two sets (bench/long_gold.py)."""
    module = _long_gold_module()
    for folder in module.SETS:
        for lang in ("ja", "zh"):
            lines, problems = module.agreement(lang, folder)
            assert problems == [], problems[:5]
            assert len(lines) == 3


def test_long_text_final_labels_take_the_adjudicated_field_only():
    final = _long_gold_module().final_labels
    row = {"A": {"topics": ["visa"], "sentiment": "neutral", "stance": "neutral"},
           "B": {"topics": ["visa", "politics"], "sentiment": "neutral", "stance": "neutral"},
           "C": {"topics": ["politics", "visa"]}}
    assert final(row) == {"topics": ["politics", "visa"], "sentiment": "neutral", "stance": "neutral"}
    assert final({**row, "C": None}) == row["A"]
