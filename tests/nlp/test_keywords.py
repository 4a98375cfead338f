from nlp.entities import token_tuples
from nlp.keywords import keywords
from nlp.tokenize import stop_words


def test_ja_keywords_are_noun_phrases(ja_nlp):
    doc = ja_nlp("潤日の中国人富裕層が豊洲のタワマンを購入した。タワマン価格は上昇している。")
    kws = keywords(token_tuples(doc), "ja")
    assert "タワマン" in kws
    assert not set(kws) & stop_words("ja")


def test_zh_keywords_use_domain_words(zh_nlp):
    doc = zh_nlp("上海封城后，很多中国富人通过地下钱庄换汇，申请经营管理签证润日。")
    kws = keywords(token_tuples(doc), "zh-Hans", k=6)
    assert {"地下钱庄", "经营管理签证"} <= set(kws)
    assert "的" not in kws and "，" not in kws


def test_empty_text(zh_nlp):
    assert keywords(token_tuples(zh_nlp("")), "zh-Hans") == []
