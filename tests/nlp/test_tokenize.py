import pytest

from nlp.tokenize import domain_words, stop_words


@pytest.mark.parametrize("word", ["潤日", "経営・管理ビザ", "タワマン", "3S1K", "地下钱庄"])
def test_ja_domain_words_are_one_token(ja_nlp, word):
    doc = ja_nlp(f"最近は{word}について話題になっている。")
    assert word in [t.text for t in doc]


@pytest.mark.parametrize("word", ["润日", "润学", "经营管理签证", "地下钱庄", "3S1K", "潤日"])
def test_zh_domain_words_are_one_token(zh_nlp, word):
    doc = zh_nlp(f"很多人在讨论{word}的问题")
    assert word in [t.text for t in doc]


def test_traditional_segmented_like_simplified(zh_nlp):
    assert [t.text for t in zh_nlp("習近平在北京")] == ["習近平", "在", "北京"]


@pytest.mark.parametrize("text", ["潤日 の\u3000人\n  x", "abc  def"])
def test_ja_doc_text_round_trips(ja_nlp, text):
    assert ja_nlp(text).text == text


def test_zh_doc_text_round_trips(zh_nlp):
    text = "润日 的人\n经营管理签证\u3000好  x"
    assert zh_nlp(text).text == text


def test_tags_present(ja_nlp, zh_nlp):
    assert any("人名" in t.tag_ for t in ja_nlp("岸田文雄首相が話した"))
    assert any(t.tag_ == "ns" for t in zh_nlp("我住在北京"))


def test_lexicons_loaded():
    assert "潤日" in domain_words("ja") and "润日" in domain_words("zh")
    assert "の" in stop_words("ja") and "的" in stop_words("zh")
