"""`runri backup` and `runri check`."""

from __future__ import annotations

from pathlib import Path

import click

from runri_monitor.cli.options import db_option, resolve_db_path
from runri_monitor.errors import RunriError
from runri_monitor.maintenance import backup as backup_store
from runri_monitor.maintenance import check as check_store
from runri_monitor.maintenance import rebuild_fts, rebuild_trends
from runri_monitor.store import Store


@click.command()
@click.argument("dest", type=click.Path(path_type=Path))
@db_option
def backup(dest: Path, db_path: str | None) -> None:
    """Copy the database with SQLite's online backup (safe during a crawl).

    \b
    Example:
        runri backup backups/runri-$(date +%F).db
    """
    with Store.open(resolve_db_path(db_path), create=False) as store:
        out = backup_store(store, dest)
    click.echo(f"backup written: {out} ({out.stat().st_size:,} bytes)")


class CheckFailed(RunriError):
    exit_code = 1


@click.command()
@db_option
@click.option("--repair-fts", is_flag=True, help="Rebuild the full-text index if it is out of sync.")
@click.option("--repair-trends", is_flag=True, help="Recompute the trend tables if they are out of sync.")
def check(db_path: str | None, repair_fts: bool, repair_trends: bool) -> None:
    """Integrity check, orphan rows, full-text index and trend table sync. Exit 1 when a problem is found.

    \b
    Example:
        runri check --db data/runri.db
    """
    with Store.open(resolve_db_path(db_path), create=False) as store:
        report = check_store(store)
        for key, value in report.facts.items():
            click.echo(f"{key}: {value}")
        if repair_fts and any("full-text" in p for p in report.problems):
            n = rebuild_fts(store)
            click.echo(f"full-text index rebuilt over {n} documents")
            report = check_store(store)
        if repair_trends and any(p.startswith("trend") for p in report.problems):
            rebuild_trends(store)
            click.echo("trend tables recomputed")
            report = check_store(store)
    if not report.ok:
        for problem in report.problems:
            click.echo(f"problem: {problem}", err=True)
        raise CheckFailed(f"{len(report.problems)} problem(s) found")
    click.echo("ok: no problems found")
