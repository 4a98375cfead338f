from nlp.stance import lexicon_stance, stance_cues


def test_stance_cues():
    assert lexicon_stance("多文化共生の街として新しい住民を歓迎したい", "ja") == "welcoming"
    assert lexicon_stance("土地を買わせるな、規制すべきだ", "ja") == "hostile"
    assert lexicon_stance("这些汉奸别回来了", "zh-Hans") == "hostile"
    assert lexicon_stance("日本人很友好，也很包容", "zh-Hans") == "welcoming"
    assert lexicon_stance("今日は晴れ", "ja") == "neutral"


def test_cues_match_traditional_script():
    assert stance_cues("歡迎新移民", "zh-Hant") == (1, 0)
