"""Fast literal matching: a list of words compiled into one trie-shaped regular expression.

Python's `re` tries every branch of a flat alternation (a|b|c ...) at each position; with hundreds
of lexicon entries that dominates the stage's cost. Factoring common prefixes into a trie
(経営(?:・管理ビザ|管理ビザ)...) lets the engine reject a position after one character. Greedy
optional groups keep the longest match first, like a longest-first flat alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["literal_pattern"]

_NEVER = re.compile(r"(?!)")


def _trie(words: Iterable[str]) -> dict:
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return root


def _regex(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _regex(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        # the word may stop here: try the longer continuation first (greedy), then stop
        return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


def literal_pattern(words: Iterable[str]) -> re.Pattern:
    """A compiled pattern matching any of `words` (leftmost, longest first). Empty list: never matches."""
    words = [w for w in set(words) if w]
    if not words:
        return _NEVER
    return re.compile(_regex(_trie(words)))
