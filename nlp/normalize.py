"""Normalization and the cross-script fold used by search, clustering and the classifiers.

Kept dependency-light (stdlib only, OpenCC's plain-text tables read from disk): the store calls
`fold` and `bigram_tokens` on every imported document, so both are str.translate / regex based.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from nlp.diskcache import key_of, load_or_build
from nlp.resources import lexicon_path

__all__ = [
    "normalize", "nfkc", "fold", "fold_many", "fold_chars", "fold_table", "bigram_tokens", "folded_bigram_tokens",
    "index_tokens_fingerprint", "is_cjk", "CJK_CLASS",
]

# Han (incl. ext. A and compatibility), kana and the iteration mark: what counts as a CJK run.
CJK_CLASS = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WS = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_NL = re.compile(r"\s*\n\s*")
_CJK = re.compile(rf"[{CJK_CLASS}]")
# The definition of the index tokens, in order: at each CJK character the lookahead captures the
# bigram it starts (or, for a lone CJK character, the character itself) and one character is
# consumed, so bigrams overlap; a Latin/digit word is captured and consumed whole (the \1).
# index_tokens_fingerprint digests it; folded_bigram_tokens gives the same tokens faster
# (tests/nlp/test_normalize.py compares the two on random text).
_C = f"[{CJK_CLASS}]"
_INDEX_TOKEN = re.compile(rf"(?=({_C}{_C}|(?<!{_C}){_C}|[0-9a-z]+(?:[._'-][0-9a-z]+)*))(?:{_C}|\1)")
# One match per CJK run or Latin/digit word (instead of one per character); a run's bigrams are
# then written by one str.translate (_bigram_table).
_RUN_OR_WORD = re.compile(rf"({_C}+)|([0-9a-z]+(?:[._'-][0-9a-z]+)*)")


# Bump when folded_bigram_tokens changes in a way the pattern and fold table do not show.
INDEX_TOKEN_RULES = 1

_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize(text: str) -> str:
    """NFKC (full-width ASCII -> half-width, half-width kana -> full-width), collapsed whitespace.

    Paragraph breaks (\\n) are kept; runs of spaces become one space. Lone UTF-16 surrogates (from
    broken JSON escapes such as "\\ud800") become U+FFFD: no text can be encoded with them.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = nfkc(text)
    # the substitutions only where they can change something (C-level `in` checks are much
    # cheaper than a regex scan): a run of two spaces or another space character; a newline
    if ("  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text or "\u200b" in text
            or "\ufeff" in text):
        text = _WS.sub(" ", text)
    if "\n" in text:
        text = _NL.sub("\n", text)
    return text.strip()


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), skipping the copy when the text is NFKC already (most
    texts are: the quick check costs about 1/20 of normalizing)."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _opencc_dir() -> Path | None:
    try:
        import opencc  # opencc-python-reimplemented ships the tables as text files
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    return Path(opencc.__file__).parent / "dictionary"


def _pairs(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].strip():
            out.append((parts[0], parts[1].split()[0]))
    return out


def fold_table() -> dict[int, str]:
    """One-character translation table: traditional and Japanese shinjitai -> simplified.

    Built once (with the list form `fold_chars` uses): OpenCC t2s characters, then JPVariants
    reversed (shinjitai -> traditional -> simplified, only where the shinjitai is not itself a
    simplified character), then our own shinjitai table (corpus/lexicons/shinjitai.tsv) which wins.
    """
    return _fold_tables()[0]


@cache
def _fold_tables() -> tuple[dict[int, str], list]:
    table: dict[str, str] = {}
    d = _opencc_dir()
    if d is not None:
        ts = dict(_pairs(d / "TSCharacters.txt"))
        simplified = set(ts.values()) | {a for a, _ in _pairs(d / "STCharacters.txt")}
        for trad, jp in _pairs(d / "JPVariants.txt"):
            if jp not in simplified and jp not in ts and trad in ts:
                table[jp] = ts[trad]
        table.update(ts)
    path = lexicon_path("shinjitai.tsv")
    if path.exists():
        table.update((a, b) for a, b in _pairs(path) if a != b)
    mapping = {ord(a): b for a, b in table.items() if len(a) == 1 and a != b}
    # The same table as a list over the BMP (identity where nothing maps): str.translate looks a
    # character up in a list by index, where a dict raises and catches a KeyError for every
    # character it does not map (most of them): translating is ~2x faster.
    bmp: list = list(range(0x10000))
    for k, v in mapping.items():
        if k < 0x10000:
            bmp[k] = ord(v) if len(v) == 1 else v
    return mapping, bmp


_NON_BMP = re.compile("[^\u0000-\uffff]")


def fold_chars(text: str) -> str:
    """`text.translate(fold_table())`, faster: the list table when every character is in the BMP
    (a character past the list's end would be left as it is, so texts with one take the dict)."""
    mapping, bmp = _fold_tables()
    return text.translate(mapping if _NON_BMP.search(text) else bmp)


def fold(text: str) -> str:
    """Cross-script fold: 潤日 -> 润日, 経営管理 -> 经营管理, 簽證 -> 签证 (NFKC + lower first).

    Exactly nfkc(text).lower().translate(fold_table()), in one translate for almost every text
    (see one_pass_fold); texts with a character whose NFKC depends on its neighbours take the
    three steps.
    """
    table, needs_three_steps = one_pass_fold()
    if needs_three_steps(text) is None:
        return text.translate(table)
    return fold_chars(nfkc(text).lower())


# Hangul medial vowels and final consonants compose with the syllable before them (algorithmically,
# so they are not in the decomposition data).
_HANGUL_SECONDS = ((0x1161, 0x1175), (0x11A8, 0x11C2))
# Astral characters are looked at only in the emoji and symbol blocks; all others take three steps.
_ASTRAL_SCANNED = (0x1F000, 0x1FAFF)


@cache
def one_pass_fold() -> tuple[list[int | str], Callable[[str], re.Match[str] | None]]:
    """(table, search): when search(text) finds nothing, fold(text) == text.translate(table).

    Why it is exact: for a character c call it *stable* when every character of NFKC(c) is its own
    NFKC, has combining class 0, can never be the second half of a canonical composition (nor a
    Hangul vowel/final) and is not Σ (the one character whose lower case depends on context). If
    every character of a text is stable, the concatenation of their NFKC forms passes the NFKC
    quick check (all Yes, no reordering), so it is NFKC(text); lower() and translate() then act
    character by character. The table maps each stable character c to NFKC(c).lower() folded
    (a list indexed by code point, as fold_chars': no KeyError per unmapped character); search()
    finds any character that is not stable, and every character beyond the list. tests/nlp/test_normalize.py checks it against
    the three-step fold on the gold texts and on random strings of awkward characters.

    Building it takes ~0.1 s (a Python loop over 68,000 code points), so the result is kept in the
    user's disk cache (nlp.diskcache), keyed by the Unicode version, this module's source and the
    fold table; a hit costs ~5 ms.
    """
    folding = fold_table()
    key = key_of(unicodedata.unidata_version, Path(__file__).read_bytes(), repr(sorted(folding.items())))
    size = _ASTRAL_SCANNED[1] + 1
    table, klass = load_or_build(
        "one-pass-fold", key, lambda: _build_one_pass_fold(folding),
        valid=lambda v: type(v) is tuple and len(v) == 2 and type(v[0]) is list and len(v[0]) == size and type(v[1]) is str,
    )
    return table, re.compile(f"[{klass}]").search


def _build_one_pass_fold(folding: dict[int, str]) -> tuple[list[int | str], str]:
    """one_pass_fold's table and the character class of the characters it cannot take."""
    seconds: set[int] = {cp for lo, hi in _HANGUL_SECONDS for cp in range(lo, hi + 1)}
    candidates = [*range(0x10000), *range(_ASTRAL_SCANNED[0], _ASTRAL_SCANNED[1] + 1)]
    for cp in candidates:
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))

    @cache
    def stable(ch: str) -> bool:
        cp = ord(ch)
        return (not 0xD800 <= cp <= 0xDFFF and ch != "\u03a3" and cp not in seconds
                and unicodedata.combining(ch) == 0 and unicodedata.is_normalized("NFKC", ch))

    table: list[int | str] = list(range(_ASTRAL_SCANNED[1] + 1))
    unstable: list[int] = []
    for cp in candidates:
        ch = chr(cp)
        compat = ch if 0xD800 <= cp <= 0xDFFF or unicodedata.is_normalized("NFKC", ch) else unicodedata.normalize("NFKC", ch)
        if not all(map(stable, compat)):
            unstable.append(cp)
            continue
        folded = compat.lower().translate(folding)
        if folded != ch:
            table[cp] = ord(folded) if len(folded) == 1 else folded
    ranges: list[list[int]] = []
    for cp in unstable:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    ranges += [[0x10000, _ASTRAL_SCANNED[0] - 1], [_ASTRAL_SCANNED[1] + 1, 0x10FFFF]]
    klass = "".join(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)
    return table, klass


def fold_many(texts: list[str]) -> list[str]:
    """[fold(t) for t in texts] (the NLP stage folds a batch at once). With the one-pass fold this is
    twice as fast as the batch-wide numpy translation it replaced (gold texts: 0.012 vs 0.027 s)."""
    return list(map(fold, texts))


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def bigram_tokens(text: str) -> str:
    """Space-separated index tokens: Latin/digit words lowercased, CJK runs as overlapping bigrams
    of the folded text, a lone CJK character as itself. Query and document use the same function."""
    return folded_bigram_tokens(fold(text))


def folded_bigram_tokens(folded: str) -> str:
    """`bigram_tokens` of text that is folded already (`fold`): lets the store fold a document once."""
    # The nakaguro joins compounds (経営・管理ビザ): drop it so 経営管理 finds 経営・管理.
    tokens: list[str] = []
    doubled = _bigram_table()
    for run, word in _RUN_OR_WORD.findall(folded.replace("・", "")):
        if word:
            tokens.append(word)
        elif len(run) < 3:  # a lone character, or a run that is one bigram
            tokens.append(run)
        else:  # "ABCD" -> "A AB BC CD D" -> "AB BC CD"
            tokens.append(run.translate(doubled)[2:-2])
    return " ".join(tokens)


@cache
def _bigram_table() -> dict[int, str]:
    """CJK character c -> "c c": a run translated with it reads "A AB BC C", its bigrams between the
    first two and the last two characters (one C-level pass; pairing the run's characters in Python
    made a string object per character)."""
    table: dict[int, str] = {}
    for lo, hi in _class_ranges(CJK_CLASS):
        for cp in range(lo, hi + 1):
            table[cp] = f"{chr(cp)} {chr(cp)}"
    return table


def _class_ranges(klass: str) -> list[tuple[int, int]]:
    """[(first, last) code point] of a regex character class body such as "\u3005\u3040-\u30ff"."""
    return [(ord(a), ord(b)) if a else (ord(c), ord(c)) for a, b, c in re.findall(r"(.)-(.)|(.)", klass)]


@cache
def index_tokens_fingerprint() -> str:
    """Changes whenever bigram_tokens could give other tokens for the same text (fold table, token
    pattern): a full-text index built with another fingerprint must be rebuilt (runri_monitor.fulltext)."""
    digest = hashlib.sha1(f"rules {INDEX_TOKEN_RULES}".encode())
    digest.update(_INDEX_TOKEN.pattern.encode("utf-8"))
    digest.update(repr(sorted(fold_table().items())).encode("utf-8"))
    return digest.hexdigest()[:16]
