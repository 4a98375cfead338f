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


def _reference_runs(toks):
    """Noun-phrase runs token by token (a noun starts a run, nouns and noun suffixes continue it)."""
    from nlp.keywords import _NOUN, _SUFFIX, _ja_tag_class

    out, run = [], []
    for text, tag, _i, _skip in toks:
        cls = _ja_tag_class(tag)
        if cls == _NOUN or (cls == _SUFFIX and run):
            run.append(text)
        else:
            if run:
                out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return out


def test_ja_runs_match_the_token_by_token_reference_on_gold(ja_nlp):
    from nlp.keywords import _ja_runs
    from nlp.models import load_gold
    from nlp.normalize import normalize

    for e in load_gold(None, langs=("ja",)):
        toks = ja_nlp.tokenizer.token_tuples(normalize(e.text))
        assert _ja_runs(toks) == _reference_runs(toks), e.id
