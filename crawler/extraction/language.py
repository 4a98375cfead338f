"""Language of an extracted page: the NLP stage's detector (nlp.lang), fed the page's lang hint.

One detector for the whole project, so a page and its annotation never disagree. This module only
maps what pages declare (`<html lang="zh-TW">`, a source's language) onto ja / zh-Hans / zh-Hant.
"""

from __future__ import annotations

from nlp.lang import detect

__all__ = ["detect_language"]


def detect_language(text: str, hint: str | None = None) -> str:
    """Decide from the text; `hint` (the html lang attribute or the source language) breaks ties."""
    return detect(text[:5000], _from_hint(hint))


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
