"""Where the data files live (corpus/ next to the packages, or $RUNRI_CORPUS)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("RUNRI_CORPUS", PROJECT_ROOT / "corpus"))
TAXONOMY_PATH = CORPUS_DIR / "taxonomy.toml"
SOURCES_DIR = CORPUS_DIR / "sources"
OFFLINE_SOURCES_DIR = SOURCES_DIR / "offline"
WEB_DIR = CORPUS_DIR / "web"
GOLD_DIR = CORPUS_DIR / "gold"
LEXICONS_DIR = CORPUS_DIR / "lexicons"
MODELS_DIR = CORPUS_DIR / "models"
