"""Relevance filter: is a document about 潤日? Driven by corpus/lexicons/queries.toml.

Rule (documented in queries.toml): keep a document that contains at least one `core` term, or at
least `min_context` (default 2) distinct `context` terms of its language. Terms are matched on the
folded text (NFKC, shinjitai / traditional -> simplified), so one lexicon entry covers all scripts;
a term with spaces means "all parts present". Title and body are matched together.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nlp.normalize import fold

__all__ = ["Lexicon", "load_lexicon", "match_terms", "is_relevant", "DEFAULT_LEXICON"]

DEFAULT_LEXICON = Path(__file__).resolve().parents[2] / "corpus" / "lexicons" / "queries.toml"
LANGS = ("ja", "zh-Hans", "zh-Hant")


@dataclass(frozen=True)
class Term:
    text: str
    parts: tuple[str, ...]  # folded parts, all must occur


@dataclass
class Lexicon:
    core: dict[str, list[Term]] = field(default_factory=dict)
    context: dict[str, list[Term]] = field(default_factory=dict)
    search: dict[str, list[str]] = field(default_factory=dict)
    min_context: int = 2


def _terms(words: list[str]) -> list[Term]:
    return [Term(w, tuple(fold(p) for p in w.split())) for w in words]


@cache
def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    lex = Lexicon(min_context=int(data.get("min_context", 2)))
    for lang in LANGS:
        section = data.get(lang, {})
        lex.core[lang] = _terms(section.get("core", []))
        lex.context[lang] = _terms(section.get("context", []))
        lex.search[lang] = list(section.get("search", []))
    return lex


def _found(terms: list[Term], folded: str) -> list[str]:
    seen: dict[tuple[str, ...], str] = {}
    for t in terms:
        if t.parts not in seen and all(p in folded for p in t.parts):
            seen[t.parts] = t.text
    return list(seen.values())


def match_terms(text: str, lexicon: Lexicon | None = None) -> tuple[list[str], list[str]]:
    """(core terms found, context terms found) over all languages: a Chinese page quoting a
    Japanese term still matches. Equal folded terms are reported once."""
    lex = lexicon or load_lexicon()
    folded = fold(text)
    core = _found([t for lang in LANGS for t in lex.core[lang]], folded)
    context = _found([t for lang in LANGS for t in lex.context[lang]], folded)
    return core, context


def is_relevant(text: str, lexicon: Lexicon | None = None) -> tuple[bool, list[str]]:
    """(relevant?, matched terms). Context terms count only when no core term matched."""
    lex = lexicon or load_lexicon()
    core, context = match_terms(text, lex)
    if core:
        return True, core + [c for c in context if c not in core]
    return len(context) >= lex.min_context, context
