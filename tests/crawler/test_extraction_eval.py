from __future__ import annotations

from crawler.extraction.evaluate import char_f1, same_instant


def test_char_f1():
    assert char_f1("潤日の実態", "潤日の実態") == 1.0
    assert char_f1("潤日 の\n実態", "潤日の実態") == 1.0  # whitespace ignored
    assert char_f1("まったく別な文章", "潤日の実態") == 0.0
    assert 0.5 < char_f1("潤日の実態と課題", "潤日の実態") < 1.0
    assert char_f1("", "") == 1.0


def test_same_instant():
    assert same_instant("2023-04-01T09:30:00+09:00", "2023-04-01T00:30:00+00:00")
    assert not same_instant("2023-04-01T09:30:00+09:00", "2023-04-01T09:30:00+00:00")
    assert not same_instant(None, "2023-04-01T00:30:00+00:00")
    assert same_instant(None, None)
