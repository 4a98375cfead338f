"""`runri init`, `runri import`, `runri stats`."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import click
from tqdm import tqdm

from runri_monitor.cli.options import db_option, output_format_option, resolve_db_path
from runri_monitor.errors import InputError
from runri_monitor.importing import FORMATS, import_file, parse_mapping
from runri_monitor.paths import TAXONOMY_PATH
from runri_monitor.stats import GROUPINGS, counts_by, summary, thread_counts
from runri_monitor.store import Store
from runri_monitor.tables import render


def load_topics() -> list[dict[str, str]]:
    data = tomllib.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    return [{k: t[k] for k in ("id", "name_en", "name_ja", "name_zh")} for t in data["topic"]]


def init_store(db_path: Path) -> Store:
    store = Store.open(db_path)
    store.upsert_topics(load_topics())
    return store


@click.command()
@db_option
def init(db_path: str | None) -> None:
    """Create (or migrate) the database and load the topic taxonomy.

    \b
    Example:
        runri init --db data/runri.db
    """
    path = resolve_db_path(db_path)
    with init_store(path) as store:
        click.echo(f"database ready: {path} (schema version {store.schema_version}, {store.count()} documents)")


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True,
              help="jsonl / csv (columns url,title,body,published_at,lang,source,kind), "
                   "x-v2 (X/Twitter API v2 JSONL), csv-map (any CSV with --map).")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the file.")
@click.option("--source", default=None, help="Source id for rows without a `source` column.")
@click.option("--map", "mapping", default=None,
              help="For csv-map: field=column pairs, e.g. body=content,published_at=created_at,url=link.")
@click.option("--max-errors", default=20, show_default=True, help="How many bad rows to list.")
def import_(file: Path, db_path: str | None, fmt: str, encoding: str, source: str | None,
            mapping: str | None, max_errors: int) -> None:
    """Import documents from a JSONL or CSV file exported by another tool.

    Bad rows are reported (line number and reason) and skipped; the good ones are imported.
    Exits non-zero only when no row could be imported. Re-importing a file adds nothing.

    \b
    Example:
        runri import scraped.jsonl --source my_scraper
        runri import tweets.jsonl --format x-v2
    """
    with init_store(resolve_db_path(db_path)) as store:
        bar = tqdm(desc="importing", unit=" docs", disable=not sys.stderr.isatty())
        report = import_file(store, file, fmt=fmt, encoding=encoding, source=source,
                             mapping=parse_mapping(mapping), progress=bar.update)
        bar.close()
    for error in report.errors[:max_errors]:
        click.echo(f"{file.name}: {error}", err=True)
    if len(report.errors) > max_errors:
        click.echo(f"... and {len(report.errors) - max_errors} more bad rows", err=True)
    click.echo(f"{report.rows} rows: {report.imported} imported, {report.duplicates} already stored, "
               f"{len(report.errors)} bad")
    if not report.ok:
        raise InputError(f"nothing could be imported from {file.name}")


@click.command()
@db_option
@click.option("--by", "dimensions", default="source,language,kind,month,threads", show_default=True,
              help=f"Comma-separated: {', '.join(GROUPINGS)}, threads.")
@output_format_option
def stats(db_path: str | None, dimensions: str, output_format: str) -> None:
    """Document counts by source, language, kind, platform and month (duplicates excluded).

    \b
    Example:
        runri stats --by language,month
        runri stats --by threads --format json
    """
    with Store.open(resolve_db_path(db_path), read_only=True) as store:
        dims = [d.strip() for d in dimensions.split(",") if d.strip()]
        unknown = [d for d in dims if d not in GROUPINGS and d != "threads"]
        if unknown:
            raise InputError(f"unknown --by dimension: {', '.join(unknown)}")
        if output_format == "json":
            info = summary(store)
            click.echo(json.dumps(info, ensure_ascii=False, indent=2))
            return
        total = summary(store)
        click.echo(f"{total['documents']} documents ({total['duplicates']} duplicates), "
                   f"{total['annotated']} annotated, {total['crawl_runs']} runs")
        for dim in dims:
            rows = thread_counts(store) if dim == "threads" else counts_by(store, dim)
            click.echo(f"\nby {dim}:")
            click.echo(render(rows, output_format))
