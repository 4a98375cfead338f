"""A per-key memo for the NLP stage's hot loops (tags, word weights, vocabulary hashes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Memo"]


class Memo(dict):
    """key -> fn(key), computed on first sight; cleared past `limit` entries (open vocabularies
    would otherwise grow it without bound in a long `runri process`)."""

    def __init__(self, fn: Callable[[Any], Any], limit: int = 500_000) -> None:
        super().__init__()
        self._fn = fn
        self._limit = limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._fn(key)
        return value
