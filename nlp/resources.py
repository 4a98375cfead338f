"""Where nlp/ finds its data files (corpus/lexicons, corpus/models, corpus/taxonomy.toml).

nlp/ imports nothing of ours, so it locates the corpus itself: $RUNRI_CORPUS if set, else the
`corpus/` folder next to the package (the repository layout). Loaders here are cached: data is read
once per process.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "corpus_dir",
    "lexicon_path",
    "models_dir",
    "Topic",
    "taxonomy",
    "read_word_list",
    "read_weighted_list",
]


def corpus_dir() -> Path:
    env = os.environ.get("RUNRI_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "corpus"


def lexicon_path(name: str) -> Path:
    return corpus_dir() / "lexicons" / name


def models_dir() -> Path:
    env = os.environ.get("RUNRI_MODELS")
    return Path(env) if env else corpus_dir() / "models"


@dataclass(frozen=True)
class Topic:
    id: str
    name_en: str
    name_ja: str
    name_zh: str
    seeds_ja: tuple[str, ...]
    seeds_zh: tuple[str, ...]


@cache
def taxonomy() -> tuple[Topic, ...]:
    data = tomllib.loads((corpus_dir() / "taxonomy.toml").read_text(encoding="utf-8"))
    return tuple(
        Topic(
            id=t["id"],
            name_en=t["name_en"],
            name_ja=t["name_ja"],
            name_zh=t["name_zh"],
            seeds_ja=tuple(t.get("seeds_ja", ())),
            seeds_zh=tuple(t.get("seeds_zh", ())),
        )
        for t in data["topic"]
    )


def _lines(name: str) -> list[str]:
    path = lexicon_path(name)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@cache
def read_word_list(name: str) -> tuple[str, ...]:
    """One entry per line (first tab-separated field); '#' comments."""
    return tuple(line.split("\t")[0] for line in _lines(name))


@cache
def read_weighted_list(name: str) -> dict[str, float]:
    """`word<TAB>weight` lines -> dict."""
    out: dict[str, float] = {}
    for line in _lines(name):
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0]] = float(parts[1])
    return out
