"""Reusable click options shared by command groups."""

from __future__ import annotations

import os
from pathlib import Path

import click

DEFAULT_DB = Path("data") / "runri.db"


def resolve_db_path(value: str | None) -> Path:
    """--db PATH, else $RUNRI_DB, else ./data/runri.db."""
    if value:
        return Path(value)
    env = os.environ.get("RUNRI_DB")
    return Path(env) if env else DEFAULT_DB


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite database (default: $RUNRI_DB, else ./data/runri.db).",
)

output_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
