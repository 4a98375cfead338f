"""Stance toward the newcomers from lexicon cues (corpus/lexicons/stance.toml).

Stance is not sentiment: a calm call to restrict land purchases is hostile, a sad story about a
family's visa refusal can be welcoming. Cues are matched on the folded text.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from nlp.normalize import fold
from nlp.resources import lexicon_path
from nlp.textmatch import literal_pattern

__all__ = ["stance_cues", "lexicon_stance", "STANCES"]

STANCES = ("welcoming", "hostile", "neutral")


@cache
def _patterns(key: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    path = lexicon_path("stance.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8")).get(key, {}) if path.exists() else {}

    def compile_(words: list[str]) -> re.Pattern | None:
        words = sorted({fold(w) for w in words}, key=len, reverse=True)
        return literal_pattern(words) if words else None

    return compile_(data.get("welcoming", [])), compile_(data.get("hostile", []))


def stance_cues(text: str, lang: str, folded: str | None = None) -> tuple[int, int]:
    """(welcoming cue count, hostile cue count)."""
    wel, hos = _patterns("ja" if lang == "ja" else "zh")
    t = fold(text) if folded is None else folded
    return (len(wel.findall(t)) if wel else 0, len(hos.findall(t)) if hos else 0)


def lexicon_stance(text: str, lang: str, cues: tuple[int, int] | None = None) -> str:
    w, h = cues if cues is not None else stance_cues(text, lang)
    if w > h:
        return "welcoming"
    if h > w:
        return "hostile"
    return "neutral"
