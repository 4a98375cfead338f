"""Language and script of a text: ja, zh-Hans, zh-Hant or other.

Kana means Japanese. Pure-Han text is told apart by characters that exist only in one Chinese
script (OpenCC's tables via the shared fold table: a character that folds to another one is
traditional or Japanese shinjitai; a character that is the target of a fold is simplified).
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["detect_language"]

_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    from nlp.normalize import fold_table

    table = fold_table()
    traditional = frozenset(chr(k) for k, v in table.items() if chr(k) != v)
    simplified = frozenset(v for v in table.values() if len(v) == 1) - traditional
    return traditional, simplified


def detect_language(text: str, hint: str | None = None) -> str:
    """Decide from the text; `hint` (the html lang attribute or the source language) breaks ties."""
    sample = text[:5000]
    han = _HAN.findall(sample)
    kana = len(_KANA.findall(sample))
    if not han and not kana:
        return _from_hint(hint) or "other"
    if kana >= max(3, 0.05 * (len(han) + kana)):
        return "ja"
    traditional, simplified = _tables()
    n_trad = sum(1 for c in han if c in traditional)
    n_simp = sum(1 for c in han if c in simplified)
    if n_trad > n_simp * 1.5 and n_trad >= 2:
        return "zh-Hant"
    if n_simp > n_trad and n_simp >= 2:
        return "zh-Hans"
    return _from_hint(hint) or "zh-Hans"


def _from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    h = hint.lower()
    if h.startswith("ja"):
        return "ja"
    if h in ("zh-hant", "zh-tw", "zh-hk", "zh-mo") or "hant" in h:
        return "zh-Hant"
    if h.startswith("zh"):
        return "zh-Hans"
    return None
