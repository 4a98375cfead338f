"""`runri daily`: the scheduled job."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from runri_monitor.cli.options import db_option, resolve_db_path
from runri_monitor.daily import DailyOptions, format_summary, run_daily


@click.command()
@db_option
@click.option("--sources-dir", "sources_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Source files to crawl (repeatable; default: the crawler's default registry).")
@click.option("--offline-proxy", default=None, help="Send every request through this offline-web proxy URL.")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where `runri report` writes the HTML report.")
@click.option("--export-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also export clusters for researchers into this folder.")
@click.option("--skip", multiple=True, type=click.Choice(["crawl", "process", "clusters", "report"]),
              help="Leave out a step (repeatable).")
@click.option("--step-timeout", default=3 * 3600, show_default=True, help="Seconds before a step is stopped.")
def daily(db_path: str | None, sources_dirs: tuple[Path, ...], offline_proxy: str | None,
          report_dir: Path | None, export_dir: Path | None, skip: tuple[str, ...], step_timeout: int) -> None:
    """Crawl all enabled sources, process new documents, update clusters, write the report.

    Exit code: 0 complete, 4 partial (a source or step failed), 1 failed (no source could be crawled,
    or no step worked), 75 another run holds the lock.
    Safe to schedule: runs never overlap, and a run killed halfway is finished by the next one.

    \b
    Example (cron, every day at 06:15):
        15 6 * * * cd /srv/runri && .venv/bin/runri daily --db data/runri.db >> data/cron.log 2>&1
    """
    opts = DailyOptions(
        db_path=resolve_db_path(db_path),
        sources_dirs=list(sources_dirs),
        offline_proxy=offline_proxy,
        report_dir=report_dir,
        export_dir=export_dir,
        skip=set(skip),
        step_timeout=step_timeout,
    )
    summary = run_daily(opts, echo=lambda line: click.echo(line, err=True))
    click.echo(format_summary(summary))
    sys.exit(summary.exit_code)
