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
