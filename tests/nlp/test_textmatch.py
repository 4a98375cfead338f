from nlp.textmatch import literal_pattern


def test_longest_match_first():
    p = literal_pattern(["経営", "経営管理ビザ", "経営・管理ビザ", "a", "ab", "abc"])
    assert p.findall("経営管理ビザと経営・管理ビザと経営者") == ["経営管理ビザ", "経営・管理ビザ", "経営"]
    assert p.findall("abcab a") == ["abc", "ab", "a"]


def test_special_characters_and_empty():
    assert literal_pattern(["(笑)", "[doge]"]).findall("草(笑)[doge]") == ["(笑)", "[doge]"]
    assert literal_pattern([]).findall("anything") == []
