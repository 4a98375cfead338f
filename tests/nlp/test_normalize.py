import time

import pytest

from nlp.normalize import bigram_tokens, fold, normalize


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("潤日", "润日"),
        ("経営管理", "经营管理"),
        ("簽證", "签证"),
        ("經營管理簽證", "经营管理签证"),
        ("歳 気 価 売 読 帰 図 沢 圧 駅 拡 変 対 県 権 戦 弾 桜 乗", "岁 气 价 卖 读 归 图 泽 压 驿 扩 变 对 县 权 战 弹 樱 乘"),
        ("険 転 緒 鉱", "险 转 绪 矿"),
        ("ＳＡＰＩＸ　３Ｓ１Ｋ", "sapix 3s1k"),
        ("润日 已是简体", "润日 已是简体"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_keeps_common_chinese_characters():
    # characters that are simplified Chinese already must not be "folded" into something else
    assert fold("芸芸众生 欠款 国会 学会") == "芸芸众生 欠款 国会 学会"


def test_fold_is_fast():
    text = "潤日の中国人富裕層が東京のタワマンを購入。經營管理簽證の要件が厳しくなった。" * 20000
    start = time.perf_counter()
    fold(text)
    assert time.perf_counter() - start < 1.0


def test_normalize_widths_and_whitespace():
    assert normalize("ＡＢＣ　ｶﾀｶﾅ  x\n\n  y ") == "ABC カタカナ x\ny"


def test_bigram_tokens_cjk_latin_and_single_char():
    assert bigram_tokens("潤日 SAPIX 3S1K 港") == "润日 sapix 3s1k 港"
    assert bigram_tokens("経営管理") == "经营 营管 管理"


def test_bigram_tokens_match_across_scripts():
    doc = set(bigram_tokens("經營管理簽證の申請"))
    query = set(bigram_tokens("经营管理签证"))
    assert query <= doc


def _reference_bigram_tokens(text: str) -> str:
    """The original per-token loop, kept as the specification of the one-regex version."""
    import re

    from nlp.normalize import CJK_CLASS

    out: list[str] = []
    for tok in re.findall(rf"[{CJK_CLASS}]+|[0-9a-z]+(?:[._'-][0-9a-z]+)*", fold(text).replace("・", "")):
        if "a" <= tok[0] <= "z" or "0" <= tok[0] <= "9" or len(tok) == 1:
            out.append(tok)
        else:
            out.extend(map(str.__add__, tok, tok[1:]))
    return " ".join(out)


def test_bigram_tokens_equal_reference_on_random_text():
    import random

    from nlp.normalize import _INDEX_TOKEN, folded_bigram_tokens

    rng = random.Random(3)
    alphabet = list("潤润日経営・管理簽證ab0.9_-' 。、\nゝーヽ々゠゛ㇰＡｶﾞ") + ["\u3040", "\ufada", "\u4e00", "Σ", "é", "\u0301"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        expected = _reference_bigram_tokens(text)
        assert bigram_tokens(text) == expected, text
        assert folded_bigram_tokens(fold(text)) == expected, text
        # ... and the pattern the index fingerprint digests gives the same tokens
        assert " ".join(_INDEX_TOKEN.findall(fold(text).replace("・", ""))) == expected, text


def test_fold_of_joined_fields_is_joined_folds():
    # content_hash folds title and body separately and joins them: the same as folding "title\nbody"
    import random

    rng = random.Random(5)
    alphabet = list("潤日経ΣσAÉe\u0301\u3099か ｶﾞ\n㈱ﬁ") + ["\u0345", "İ"]
    for _ in range(20000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        assert fold(f"{a}\n{b}") == f"{fold(a)}\n{fold(b)}", (a, b)


def test_lone_surrogates_become_replacement_characters():
    # "\ud800" arrives from broken JSON escapes; spaCy, SQLite and UTF-8 output all refuse it.
    assert normalize("潤日\ud800の話") == "潤日\ufffdの話"
    from nlp.pipeline import Analyzer

    assert Analyzer().analyze("潤日\udfffの話")["lang"] == "ja"


def _three_step_fold(text: str) -> str:
    import unicodedata

    from nlp.normalize import fold_table

    return unicodedata.normalize("NFKC", text).lower().translate(fold_table())


def test_one_pass_fold_equals_three_steps_on_awkward_characters():
    # combining marks, half-width voiced marks, Hangul jamo, final sigma, compatibility ligatures,
    # astral math letters, emoji with skin tones, CJK compatibility ideographs, lone surrogates
    import random

    rng = random.Random(11)
    alphabet = list("潤润日経營・ｶﾞﾟかΣσςΑé ㍿㈱ﬁＡ１，！臺灣了\n") + [
        "\u0301", "\u3099", "\u309a", "\u0345", "İ", "\u1100", "\u1161", "\u11a8", "\uac00", "\u09c7", "\u09be",
        "\U0001d400", "\U0001d6ba", "\U0001f44d", "\U0001f3fb", "\uf900", "\U0002f800", "\ud800", "\u00b4", "\u2126",
    ]
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert fold(text) == _three_step_fold(text), ascii(text)


def test_one_pass_fold_covers_every_gold_text():
    from nlp.models import load_gold
    from nlp.normalize import one_pass_fold

    _table, needs_three_steps = one_pass_fold()
    texts = [e.text for e in load_gold(None)]
    assert all(fold(t) == _three_step_fold(t) for t in texts)
    # the fast path is the common one, not a corner case
    assert sum(needs_three_steps(t) is None for t in texts) > 0.95 * len(texts)


def test_fold_chars_list_table_matches_the_dict_table():
    """fold_chars translates with a list over the BMP (the dict for texts with other characters):
    same result as translating with fold_table() itself."""
    from nlp.models import load_gold
    from nlp.normalize import fold_chars, fold_table

    table = fold_table()
    every_key = "".join(map(chr, sorted(table)))
    texts = [e.text for e in load_gold(None)] + [every_key, every_key[:50] + "😊𠀋", "𠀋", "", "\ud800x"]
    for text in texts + [t.lower() for t in texts]:
        assert fold_chars(text) == text.translate(table)


def test_fold_many_is_fold_per_text():
    """The stage folds a batch in one pass (texts joined with NUL, the table applied with numpy)."""
    from nlp.models import load_gold
    from nlp.normalize import fold_many

    texts = [e.text for e in load_gold(None)]
    odd = ["İstanbul ΣΑΣ Σ", "ΑΣ", "Σ", "Σa", "😊 很好[doge]！ 𠀋", "", "\ud800x", "e\u0301", "\u0301", "ｶﾞ", "ﾞ", "ＡＢＣ"]
    for batch in (texts, [normalize(t) for t in texts], odd, odd[::-1], ["Σ"], [], ["", ""], ["a\x00b", "Σ"]):
        assert fold_many(batch) == [fold(t) for t in batch]


def test_normalize_skips_only_substitutions_that_change_nothing():
    """normalize() runs its whitespace substitutions only when the text can need them: same result
    as running them always."""
    import re
    import unicodedata

    from nlp.models import load_gold

    ws, nl = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+"), re.compile(r"\s*\n\s*")

    def reference(text):
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
        return nl.sub("\n", ws.sub(" ", unicodedata.normalize("NFKC", text))).strip()

    odd = ["a  b", "a\tb", "a\u00a0\u00a0b", "a\u3000b", "a\u200bb", "\ufeffa", " a \n\n b ", "a\r\n b", "a \u2028 b",
           "a\x0b\x0cb", "ａ　ｂ", "x\ud800y", "", " ", "\n"]
    for text in [e.text for e in load_gold(None)] + odd:
        assert normalize(text) == reference(text), repr(text)
