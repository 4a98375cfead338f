import pytest

from nlp.sentiment import LexiconSentiment, label_of, lex_doc, split_sentences

LEX = LexiconSentiment()


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("日本の生活はとても楽しい！", "ja", "positive"),
        ("全然楽しくない。", "ja", "negative"),  # negation after the stem
        ("近所のパン屋は悪くない", "ja", "positive"),  # litotes
        ("素晴らしい政策ですね（笑）", "ja", "negative"),  # sarcasm marker
        ("这里的人非常友好，我很开心", "zh-Hans", "positive"),
        ("一点都不好，太失望了", "zh-Hans", "negative"),
        ("没有问题", "zh-Hans", "positive"),
        ("真是厉害呵呵", "zh-Hans", "negative"),
        ("今天天气😊", "zh-Hans", "positive"),
        ("房價很貴，但是生活很舒服", "zh-Hant", "positive"),  # the clause after 但是 weighs more
    ],
)
def test_lexicon_labels(text, lang, label):
    assert label_of(LEX.score(text, lang)) == label


def test_intensifier_increases_score():
    assert LEX.score("非常好", "zh-Hans") > LEX.score("好", "zh-Hans") > 0


def test_per_sentence_scores():
    sents = lex_doc("生活很开心。但是工作很累！", "zh-Hans").sentences
    assert [label_of(v) for _, v in sents] == ["positive", "negative"]
    assert all(-1 <= v <= 1 for _, v in sents)


def test_split_sentences():
    assert split_sentences("一。二！三?\n四") == ["一。", "二！", "三?", "四"]


TRICKY = ["", "  ", "。。。", "良くない。良くない！\n  良い  \n\n悪くない?本当に良い", "生活很开心。但是工作很累！不好 很好\n好好",
          "しかし良い(笑)。でも悪い😡😡 [怒]\n👍良かった", "呵呵 很好[doge]！不是很好。。但是不好 ", "不\n好。非常\n好", "ww良いww"]


@pytest.mark.parametrize("key", ["ja", "zh"])
def test_one_scan_per_document_matches_the_per_sentence_scorer(key):
    """lex_doc scans the whole text once and scores each match in its sentence: same sentences,
    scores and features as scanning sentence by sentence (the reference), on every gold text."""
    from nlp.models import load_gold
    from nlp.normalize import fold, normalize
    from nlp.sentiment import _lang, _lex_doc_per_sentence, _lex_doc_spans

    assert _lang(key).within_sentences  # else lex_doc takes the per-sentence path anyway
    checked = 0
    for text in [e.text for e in load_gold(None)] + TRICKY:
        text = normalize(text)
        folded = fold(text)
        if len(folded) == len(text):
            assert _lex_doc_spans(text, folded, key) == _lex_doc_per_sentence(text, folded, key), text
            checked += 1
    assert checked > 2000
