"""Language and script: ja, zh-Hans, zh-Hant or other.

Kana means Japanese. A text of pure Han characters is decided by which character sets it uses:
Japanese-only forms (shinjitai such as 経 営 歳, kokuji such as 込 働), traditional-only forms
(國 經 們: characters Japanese writes differently), simplified-only forms (经 们 这: not Japanese
either), and, when nothing distinguishes them, a few vocabulary cues (Chinese function characters
的 了 是 ...; Japanese headline words 首相 容疑者 ...). Works on a single headline or a short post.
"""

from __future__ import annotations

import re
from functools import cache

from nlp.normalize import _opencc_dir, _pairs, fold_table
from nlp.resources import lexicon_path

__all__ = ["detect", "LANGS"]

LANGS = ("ja", "zh-Hans", "zh-Hant", "other")

_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\u30fd-\u30ff]")
_KANA_BUT_NO = re.compile(r"[\u3041-\u306d\u306f-\u309f\u30a1-\u30fa\u30fd-\u30ff]")  # kana other than の (U+306E)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")

# Japanese-made characters (kokuji) and Japanese-only variants not in the fold tables.
_KOKUJI = set("込働畑峠辻枠匂栃搾塀凪躾榊鰯椛笹雫匁粂丼噺麿籾糀裃鱚枡")
# Chinese grammatical / colloquial characters (rare or absent in Japanese prose).
_ZH_FUNC = set("的了是这这们吗呢吧么说没还们们啊哪谁您咱俩甭啥嘛呀哦")
_ZH_FUNC_T = set("們這說沒還麼嗎哪誰")
# Japanese headline / news vocabulary written in pure Han.
_JA_WORDS = ("首相", "容疑者", "都知事", "株式会社", "万円", "億円", "被疑者", "自民", "知事選", "衆院", "参院", "閣議", "官房長官", "逮捕状", "県警", "府警", "警視庁", "書類送検", "在留")


@cache
def _sets() -> dict[str, frozenset[str]]:
    table = {chr(k): v for k, v in fold_table().items()}
    d = _opencc_dir()
    ts = dict(_pairs(d / "TSCharacters.txt")) if d else {}
    jp_pairs = _pairs(d / "JPVariants.txt") if d else []
    jp_trad = {t for t, _ in jp_pairs}  # traditional chars Japanese writes differently
    jp_forms = {j for _, j in jp_pairs}
    shinjitai = {a for a, _ in _pairs(lexicon_path("shinjitai.tsv")) if a in table}
    simp_of_shinjitai = {table[a] for a in shinjitai}
    simplified = set(ts.values())
    # shinjitai that are neither traditional nor simplified Chinese characters
    ja_only = {c for c in shinjitai | jp_forms if c not in simplified and c not in ts and c in table} | _KOKUJI
    # traditional chars whose Japanese form differs (國, 經): not Japanese
    hant_only = {
        t for t, s in ts.items() if t != s and (t in jp_trad or (s in simp_of_shinjitai and t not in shinjitai))
    }
    hant_only -= ja_only
    # simplified chars that are neither traditional nor Japanese (经, 们, 东)
    hans_only = {s for t, s in ts.items() if t != s and s not in ts and s not in jp_forms and s not in shinjitai}
    shared_trad = {t for t, s in ts.items() if t != s} - hant_only - ja_only  # 東 語 議: ja or zh-Hant
    return {
        "ja_only": frozenset(ja_only),
        "hant_only": frozenset(hant_only),
        "hans_only": frozenset(hans_only),
        "shared_trad": frozenset(shared_trad),
    }


def _class_of(chars: set[str] | frozenset[str]) -> re.Pattern:
    """A regex matching one character of `chars` that is also a Han character (counted in C with findall)."""
    han = sorted(c for c in chars if _HAN.match(c))
    return re.compile("[" + "".join(re.escape(c) for c in han) + "]") if han else re.compile("(?!)")


@cache
def _counters() -> dict[str, re.Pattern]:
    return {**{k: _class_of(v) for k, v in _sets().items()}, "zh_func": _class_of(_ZH_FUNC | _ZH_FUNC_T)}


def detect(text: str, hint: str | None = None) -> str:
    """Return 'ja', 'zh-Hans', 'zh-Hant' or 'other'. `hint` (e.g. a source's language) breaks ties."""
    if not text:
        return hint if hint in LANGS else "other"
    count = _counters()
    first_kana = _KANA.search(text)
    if first_kana:
        if first_kana.group() != "の":
            return "ja"
        # 我の日常: Chinese social media uses の as 的. Japanese unless の is the only kana, at most
        # twice, next to a Chinese function character (cheapest tests first)
        if _KANA_BUT_NO.search(text) or text.count("の") > 2 or not count["zh_func"].search(text):
            return "ja"
    n_han = len(_HAN.findall(text))
    if not n_han:
        return hint if hint in LANGS else "other"
    letters = len(_LATIN.findall(text)) + len(_HANGUL.findall(text))
    if letters > 4 * n_han:  # mostly English / Korean with a few Han characters
        return "other"
    # Han characters of each class (each pattern matches only Han characters of its set)
    ja_only = len(count["ja_only"].findall(text))
    hant = len(count["hant_only"].findall(text))
    hans = len(count["hans_only"].findall(text))
    shared = len(count["shared_trad"].findall(text))
    zh_cue = len(count["zh_func"].findall(text))
    ja_cue = sum(text.count(w) for w in _JA_WORDS)
    if hans > hant and hans >= ja_only:
        return "zh-Hans"
    if ja_only > hant:
        return "ja"
    if hant > 0:
        return "zh-Hant"
    # nothing script-specific: decide on cues
    if ja_cue > zh_cue:
        return "ja"
    if shared > 0:  # 東京 選舉 ... written with traditional-or-Japanese forms
        if zh_cue:
            return "zh-Hant"
        return hint if hint in ("ja", "zh-Hant") else "ja"
    if zh_cue:
        return "zh-Hans" if hint not in ("zh-Hant",) else hint
    if hint in LANGS:
        return hint
    return "zh-Hans"
