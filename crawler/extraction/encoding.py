"""Decode HTML bytes: HTTP header charset, then BOM / <meta charset>, then detection.

A declared charset is trusted only when the text it produces looks right: strict decoding must
succeed and the characters must look like real Japanese or Chinese (not mojibake). Otherwise we try
the usual CJK encodings and keep the best-scoring decode. Why not rely on Scrapy's TextResponse
alone: it decodes with a wrong declared charset and silently inserts U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from functools import cache
from pathlib import Path

__all__ = ["decode_html", "normalize_charset", "mojibake_score", "declared_meta_charset"]

# Superset codecs: Shift_JIS pages use CP932 extensions (①, ～), GBK pages use GB18030, Big5 HKSCS.
_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "cp932": "cp932", "ms932": "cp932",
    "euc-jp": "euc_jp", "euc_jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
    "euc-cn": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs",
    "x-big5": "big5hkscs", "utf8": "utf-8", "utf-8": "utf-8", "iso-2022-jp": "iso2022_jp",
}
_DETECT_ORDER = ("utf-8", "cp932", "euc_jp", "gb18030", "big5hkscs")
_META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_KANA_RE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalize_charset(name: str | None) -> str | None:
    """Map a declared charset to the Python codec we decode with (None if unknown)."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def declared_meta_charset(body: bytes) -> str | None:
    """The charset of <meta charset> or <meta http-equiv=Content-Type> in the first 4 KB."""
    m = _META_RE.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def _bom(body: bytes) -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


@cache
def _frequent_simplified() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "common_han.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#")))


@cache
def _to_simplified(ch: str) -> str:
    try:
        from nlp.normalize import fold
    except ImportError:  # pragma: no cover
        return ch
    return fold(ch)


@cache
def _common_han(ch: str, japanese: bool) -> bool:
    """A frequent Han character (mojibake lands on rare ones): one of the 3,500 most frequent
    simplified characters after folding, or (for Japanese codecs) a JIS X 0208 level-1 kanji."""
    if _to_simplified(ch) in _frequent_simplified():
        return True
    if japanese:
        try:
            b = ch.encode("euc_jp")
            return len(b) == 2 and 0xB0 <= b[0] <= 0xCF
        except UnicodeEncodeError:
            return False
    return False


# Characters typical of a wrong decoding: U+FFFD, Latin-1/C1 (UTF-8 read as a legacy codec),
# Greek/Cyrillic and other non-CJK letters from mis-paired bytes, half-width katakana (GBK read
# as Shift_JIS), box drawing, private use area.
_SUSPICIOUS = re.compile("[\ufffd\u0080-\u00ff\u0100-\u1fff\u2500-\u25ff\uff61-\uff9f\ue000-\uf8ff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
_TAGS = re.compile(r"<[^>]*>")


def mojibake_score(text: str, codec: str | None = None) -> float:
    """0 (clean) .. 1 (garbage): share of non-ASCII characters that look like mojibake.

    Han characters outside the frequent tiers count as half-suspicious; text without kana decoded
    with a Japanese codec, or text with much kana decoded with a Chinese codec, is penalised
    (EUC-JP and GB2312 share kana rows, so kana alone cannot tell them apart).
    """
    sample = _TAGS.sub(" ", text[:60_000])
    n = len(_NON_ASCII.findall(sample))
    if not n:
        return 0.0
    japanese = codec in ("cp932", "euc_jp", "iso2022_jp")
    han = Counter(_HAN_RE.findall(sample))
    bad = len(_SUSPICIOUS.findall(sample)) + 0.5 * sum(c for ch, c in han.items() if not _common_han(ch, japanese))
    score = bad / n
    kana = len(_KANA_RE.findall(sample))
    n_han = sum(han.values())
    if japanese and n_han > 20 and kana == 0:
        score += 0.3
    if codec in ("gb18030", "big5hkscs") and kana > 0.3 * max(n_han, 1):
        score += 0.3
    return min(score, 1.0)


def _try(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (text, codec). Declared charsets first; detection when they fail or give mojibake."""
    declared: list[str] = []
    for name in (_bom(body), normalize_charset(header_charset),
                 normalize_charset(declared_meta_charset(body))):
        if name and name not in declared:
            declared.append(name)
    for codec in declared:
        text = _try(body, codec)
        if text is not None and mojibake_score(text, codec) < 0.05:
            return text, codec
    best: tuple[float, str, str] | None = None
    for codec in [*declared, *_DETECT_ORDER]:
        text = _try(body, codec)
        if text is None:
            continue
        score = mojibake_score(text, codec)
        if best is None or score < best[0]:
            best = (score, text, codec)
        if score == 0.0:
            break
    if best is not None:
        return best[1], best[2]
    codec = declared[0] if declared else "utf-8"
    return body.decode(codec, errors="replace"), codec
