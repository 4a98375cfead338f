"""Normalization and the cross-script fold used by search, clustering and the classifiers.

Kept dependency-light (stdlib only, OpenCC's plain-text tables read from disk): the store calls
`fold` and `bigram_tokens` on every imported document, so both are str.translate / regex based.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from nlp.resources import lexicon_path

__all__ = ["normalize", "fold", "fold_many", "fold_chars", "fold_table", "bigram_tokens", "folded_bigram_tokens",
           "is_cjk", "CJK_CLASS"]

# Han (incl. ext. A and compatibility), kana and the iteration mark: what counts as a CJK run.
CJK_CLASS = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WS = re.compile(r"[ \t\u00a0\u3000\u200b\ufeff]+")
_NL = re.compile(r"\s*\n\s*")
_CJK = re.compile(rf"[{CJK_CLASS}]")
# Every index token in order, in one C-level findall: at each CJK character the lookahead captures
# the bigram it starts (or, for a lone CJK character, the character itself) and one character is
# consumed, so bigrams overlap; a Latin/digit word is captured and consumed whole (the \1).
_C = f"[{CJK_CLASS}]"
_INDEX_TOKEN = re.compile(rf"(?=({_C}{_C}|(?<!{_C}){_C}|[0-9a-z]+(?:[._'-][0-9a-z]+)*))(?:{_C}|\1)")


_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize(text: str) -> str:
    """NFKC (full-width ASCII -> half-width, half-width kana -> full-width), collapsed whitespace.

    Paragraph breaks (\\n) are kept; runs of spaces become one space. Lone UTF-16 surrogates (from
    broken JSON escapes such as "\\ud800") become U+FFFD: no text can be encoded with them.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFKC", text)
    # the substitutions only where they can change something (C-level `in` checks are much
    # cheaper than a regex scan): a run of two spaces or another space character; a newline
    if ("  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text or "\u200b" in text
            or "\ufeff" in text):
        text = _WS.sub(" ", text)
    if "\n" in text:
        text = _NL.sub("\n", text)
    return text.strip()


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
    """Cross-script fold: 潤日 -> 润日, 経営管理 -> 经营管理, 簽證 -> 签证 (NFKC + lower first)."""
    return fold_chars(unicodedata.normalize("NFKC", text).lower())


_SEP = "\x00"


def fold_many(texts: list[str]) -> list[str]:
    """[fold(t) for t in texts] in one pass over all of them (the NLP stage folds a batch at once).

    The NFKC forms are joined with NUL, which lower() treats as a word boundary (neither cased nor
    case-ignorable: a final sigma stays final), so each part lower-cases exactly as on its own; the
    fold table is then applied to all code points at once with numpy (no Python step per text). Texts holding a NUL, or a fold table with a
    longer-than-one-character value, take fold() per text."""
    import numpy as np  # here: the module stays stdlib-only for the store

    table = _fold_array()
    # NFKC per text: its quick check passes most texts as they are, where one text needing the
    # full algorithm would make the whole joined batch take it
    joined = _SEP.join([unicodedata.normalize("NFKC", t) for t in texts])
    if table is None or joined.count(_SEP) != len(texts) - 1:
        return [fold(t) for t in texts]
    low = joined.lower()
    cp = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return table[cp].tobytes().decode("utf-32-le", "surrogatepass").split(_SEP)


@cache
def _fold_array():
    """fold_table() as a uint32 array over every code point (identity where nothing maps), or None
    if some character folds to more than one (then only str.translate does it)."""
    import numpy as np

    mapping = fold_table()
    if any(len(v) != 1 for v in mapping.values()):
        return None
    table = np.arange(0x110000, dtype=np.uint32)
    table[np.fromiter(mapping, dtype=np.int64, count=len(mapping))] = np.fromiter(
        map(ord, mapping.values()), dtype=np.uint32, count=len(mapping))
    return table


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def bigram_tokens(text: str) -> str:
    """Space-separated index tokens: Latin/digit words lowercased, CJK runs as overlapping bigrams
    of the folded text, a lone CJK character as itself. Query and document use the same function."""
    return folded_bigram_tokens(fold(text))


def folded_bigram_tokens(folded: str) -> str:
    """`bigram_tokens` of text that is folded already (`fold`): lets the store fold a document once."""
    # The nakaguro joins compounds (経営・管理ビザ): drop it so 経営管理 finds 経営・管理.
    return " ".join(_INDEX_TOKEN.findall(folded.replace("・", "")))
