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


TRICKY_ZH = ["我想润日本", "润日本人的润日生活", "潤學和润学", "經營管理簽證、经营管理签证和经管签", "地下錢莊 地下钱庄", "小升初SAPIX 3S1K",
             "润 日", "他们润日 了", "出入国在留管理厅的入管局", ""]


def _chunks(size):
    def cut(text, HMM=True):  # noqa: N803 - jieba's keyword
        return (text[i : i + size] for i in range(0, len(text), size))

    return cut


@pytest.mark.parametrize("segmenter", [None, 1, 2, 3])
def test_zh_domain_merge_matches_the_retokenizer(zh_nlp, monkeypatch, segmenter):
    """The jieba tokenizer merges domain phrases itself, with the `runri_domain_words` rules
    (a phrase on token boundaries is merged; one cut inside a neighbour takes it if <= 2 chars more).
    jieba rarely splits them (they are user words), so fixed-size chunkers stand in for it too."""
    from nlp.models import load_gold
    from nlp.tokenize import DomainWordMerger

    tok = zh_nlp.tokenizer
    if segmenter:
        monkeypatch.setattr(tok._jieba, "cut", _chunks(segmenter))
    merger = DomainWordMerger("zh")
    merged = 0
    for text in [e.text for e in load_gold(None, langs=("zh",))][:200] + TRICKY_ZH:
        ours = [(t.text, t.tag_, t.whitespace_) for t in tok(text)]
        saved, tok._domain = tok._domain, None  # the segmenter alone, then the component
        try:
            raw = tok(text)
            n_raw = len(raw)
            ref = merger(raw)
        finally:
            tok._domain = saved
        assert ours == [(t.text, t.tag_, t.whitespace_) for t in ref], text
        merged += n_raw != len(ref)
    assert merged or not segmenter  # the chunkers do split domain phrases


@pytest.mark.parametrize("text", ["潤日の人 が 東京へ。岸田文雄首相", "润日 的人，經營管理簽證\n好  x", ""])
def test_token_tuples_kept_on_the_doc_match_the_doc(ja_nlp, zh_nlp, text):
    from nlp.entities import token_tuples
    from nlp.tokenize import TOKS_KEY

    for nlp in (ja_nlp, zh_nlp):
        doc = nlp(text)
        kept = token_tuples(doc)
        doc.user_data.pop(TOKS_KEY, None)
        assert kept == token_tuples(doc)  # read back from the Doc's arrays
        assert nlp.tokenizer.token_tuples(text) == kept  # the stage's path: no Doc built


def test_token_tuples_without_doc_match_the_doc_on_gold(ja_nlp, zh_nlp):
    """The stage takes the tokenizers' tuples without building a Doc: same tuples as read back from
    the Doc's own arrays, on every gold text (normalized, as the stage tokenizes them)."""
    from nlp.entities import token_tuples
    from nlp.models import load_gold
    from nlp.normalize import normalize
    from nlp.tokenize import TOKS_KEY

    for e in load_gold(None):
        nlp = ja_nlp if e.lang == "ja" else zh_nlp
        text = normalize(e.text)
        tuples = nlp.tokenizer.token_tuples(text)  # before the Doc creates lexemes for its words
        doc = nlp(text)
        doc.user_data.pop(TOKS_KEY, None)
        assert tuples == token_tuples(doc), e.id


def test_punct_space_flag_without_a_lexeme_is_the_lexeme_flag(ja_nlp, zh_nlp):
    """The tokenizers compute a new word's is-punct-or-space flag with the vocabulary's attribute
    getters instead of creating its lexeme: the same flag the lexeme gets."""
    from nlp.models import load_gold

    words = {t for e in load_gold(None)[::3] for t in ja_nlp.tokenizer._lists(e.text)[0]}
    words |= set("。、！？!?…・「」()（）[]【】 \n\t\u3000-—~～ab1１漢かナ😊#@%") | {"", "  ", "!!", "。」", "—-"}
    for nlp in (ja_nlp, zh_nlp):
        for w in sorted(words):
            ours = nlp.tokenizer._skip._fn(w)  # computed while the lexeme may not exist yet
            lex = nlp.vocab[w]
            assert ours == bool(lex.is_punct or lex.is_space), repr(w)
            assert nlp.tokenizer._skip._fn(w) == ours  # and once it does
