"""`runri crawl` and `runri sources`: thin commands over crawler/ (run_crawl is callable from tests)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from runri_monitor.cli.options import db_option, resolve_db_path
from runri_monitor.errors import InputError, RunriError
from runri_monitor.paths import SOURCES_DIR, WEB_DIR

STAT_COLUMNS = ("requests", "new", "duplicate", "irrelevant", "skipped_known", "robots_forbidden", "errors")


@dataclass
class CrawlOptions:
    db_path: Path
    source_ids: list[str] = field(default_factory=list)
    sources_dirs: list[Path] = field(default_factory=lambda: [SOURCES_DIR])
    feed: str | None = None
    urls: list[str] = field(default_factory=list)
    refetch: bool = False
    offline_proxy: str | None = None  # URL, or "serve" to start the offline web in this process
    jobdir: Path | None = None
    log_level: str = "WARNING"
    settings: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def _proxy(value: str | None) -> Iterator[str | None]:
    if value == "serve":
        from runri_monitor.webserver import serve_offline_web

        with serve_offline_web(WEB_DIR) as url:
            yield url.rstrip("/")
    else:
        yield value


def run_crawl(opts: CrawlOptions) -> tuple[int, dict[str, dict[str, int]]]:
    """Crawl into the store; returns (crawl run id, per-source stats). One call per process
    (Twisted's reactor cannot restart)."""
    from scrapy.utils.reactor import install_reactor

    # Install Scrapy's reactor before any spider module is imported: a module that does
    # `from twisted.internet import reactor` would otherwise install the default one.
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.pipelines import StoreSink, sink_stats
    from crawler.spiders.adhoc import AdhocSpider
    from crawler.spiders.news import NewsSpider
    from runri_monitor.store import Store

    adhoc = bool(opts.feed or opts.urls)
    sources = _load(opts) if (not adhoc or opts.source_ids) else []

    db_path = Path(opts.db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db_path)
    store.upsert_sources({"id": s.id, "name": s.name, "kind": "social" if s.kind == "social" else "news",
                          "platform": s.platform or "web", "language": s.language, "homepage": s.homepage,
                          "country": s.country, "config": s.raw} for s in sources)
    run_id = store.start_run("crawl")

    with _proxy(opts.offline_proxy) as proxy:
        base = Settings()
        base.setmodule("crawler.settings", priority="project")
        if proxy:  # everything is on 127.0.0.1: keep throttling on but start it without delays
            base.update({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0.01, "AUTOTHROTTLE_MAX_DELAY": 1.0,
                         "RUNRI_RETRY_BACKOFF_BASE": 0.1, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}, priority="project")
        base.update({"RUNRI_DB": str(db_path), "RUNRI_RUN_ID": run_id, "RUNRI_OFFLINE_PROXY": proxy,
                     "RUNRI_REFETCH": opts.refetch, "LOG_LEVEL": opts.log_level, **opts.settings},
                    priority="cmdline")
        process = CrawlerProcess(base)
        loader_names = set(process.spider_loader.list())

        def crawler_for(spider_cls: type, key: str) -> type:
            """The spider class, with its own JOBDIR when resumable state is asked for."""
            if not opts.jobdir:
                return spider_cls
            custom = {**(getattr(spider_cls, "custom_settings", None) or {}), "JOBDIR": str(Path(opts.jobdir) / key)}
            return type(f"{spider_cls.__name__}_{key}", (spider_cls,), {"custom_settings": custom})

        for src in sources:
            if src.kind == "social":
                name = src.platform or src.id
                if name not in loader_names:
                    click.echo(f"warning: no spider for social source {src.id} (platform {name!r}); skipped",
                               err=True)
                    continue
                spider_cls = process.spider_loader.load(name)
                process.crawl(crawler_for(spider_cls, src.id), source=src.id, sources_dir=str(src.path and
                              Path(src.path).parent))
            else:
                process.crawl(crawler_for(NewsSpider, src.id), source=src)
        if adhoc:
            process.crawl(crawler_for(AdhocSpider, "adhoc"), feed=opts.feed, urls=list(opts.urls))
        status = "failed"
        try:
            process.start()
            for sink in StoreSink._sinks.values():
                sink.flush()
        finally:
            stats = sink_stats()
            failed = failed_sources(stats)
            if stats and len(failed) < len(stats):
                status = "partial" if failed else "complete"
            store.finish_run(run_id, status, {"sources": stats, "totals": _totals(stats), "failed": failed})
    return run_id, stats


def _load(opts: CrawlOptions) -> list[Any]:
    """Sources of every --sources-dir (by id when --source is given); ids must be unique."""
    from crawler.sources import check_sources, load_sources

    found: dict[str, Any] = {}
    for folder in opts.sources_dirs:
        # A bad source file is reported and skipped; the other sources still run.
        for problem in check_sources(Path(folder), recursive=bool(opts.source_ids))[1]:
            click.echo(f"warning: skipping bad source file: {problem}", err=True)
        for src in load_sources(Path(folder), None, recursive=bool(opts.source_ids)):
            if src.id in found:
                raise InputError(f"source id {src.id!r} defined twice ({found[src.id].path}, {src.path})")
            found[src.id] = src
    if opts.source_ids:
        missing = [i for i in opts.source_ids if i not in found]
        if missing:
            dirs = ", ".join(map(str, opts.sources_dirs))
            raise InputError(f"unknown source id(s): {', '.join(missing)} (in {dirs})")
        return [found[i] for i in opts.source_ids]
    if not found:
        dirs = ", ".join(map(str, opts.sources_dirs))
        raise InputError(f"no enabled, valid source files in {dirs} (see `runri sources check`)")
    return list(found.values())


def failed_sources(stats: dict[str, dict[str, int]]) -> list[str]:
    """Sources that got nothing usable back (no 2xx/3xx response at all), or whose spider did not
    finish. Sources without request counts (spiders that keep their own stats) never count."""
    return sorted(s for s, c in stats.items()
                  if (c.get("requests", 0) and "ok_responses" in c and not c["ok_responses"])
                  or c.get("spider_failed"))


class PartialCrawl(RunriError):
    """Some sources failed, others worked: exit 4 (the daily run records a partial run)."""

    exit_code = 4


def _errors(counts: dict[str, int]) -> int:
    return sum(v for k, v in counts.items() if k.startswith("errors/"))


def _totals(stats: dict[str, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in stats.values():
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    return total


def format_stats(stats: dict[str, dict[str, int]]) -> str:
    rows = [["source", *STAT_COLUMNS]]
    for source in sorted(stats):
        c = stats[source]
        rows.append([source, *(str(_errors(c) if col == "errors" else c.get(col, 0)) for col in STAT_COLUMNS)])
    t = _totals(stats)
    rows.append(["TOTAL", *(str(_errors(t) if col == "errors" else t.get(col, 0)) for col in STAT_COLUMNS)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                               enumerate(zip(r, widths, strict=True))) for r in rows)


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputError(f"--set expects NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


@click.command()
@db_option
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Crawl only this source (repeatable).")
@click.option("--sources-dir", "sources_dirs", type=click.Path(file_okay=False, exists=True), multiple=True,
              help=f"Folder of source files (repeatable; default {SOURCES_DIR}).")
@click.option("--feed", metavar="URL", help="Ad-hoc: crawl the articles of one RSS/Atom feed.")
@click.option("--url", "urls", multiple=True, metavar="URL", help="Ad-hoc: crawl this article page (repeatable).")
@click.option("--refetch", is_flag=True, help="Fetch articles again even if already stored.")
@click.option("--offline-proxy", metavar="URL|serve",
              help="Route all requests through the offline web server (`serve`: start one here).")
@click.option("--jobdir", type=click.Path(file_okay=False), help="Resumable job state (one folder per source).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@click.option("--set", "set_", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the per-source stats as JSON.")
def crawl(db_path: str | None, source_ids: tuple[str, ...], sources_dirs: tuple[str, ...], feed: str | None,
          urls: tuple[str, ...], refetch: bool, offline_proxy: str | None, jobdir: str | None,
          log_level: str, set_: tuple[str, ...], as_json: bool) -> None:
    """Crawl news sources into the store and print per-source counts.

    Already stored articles are not fetched again unless --refetch. Each run is recorded in
    crawl_runs with its stats. Exit 0 when every source answered, 4 when some failed, 1 when all did.

    \b
    Examples:
        runri crawl --sources-dir corpus/sources/offline --offline-proxy serve
        runri crawl --source ja_nhk --source zh_zaobao
        runri crawl --url https://www.example.jp/articles/123
    """
    opts = CrawlOptions(db_path=resolve_db_path(db_path), source_ids=list(source_ids),
                        sources_dirs=[Path(d) for d in sources_dirs] or [SOURCES_DIR], feed=feed, urls=list(urls), refetch=refetch,
                        offline_proxy=offline_proxy, jobdir=Path(jobdir) if jobdir else None, log_level=log_level,
                        settings=_parse_settings(set_))
    run_id, stats = run_crawl(opts)
    if as_json:
        click.echo(json.dumps({"run_id": run_id, "sources": stats}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(stats))
        click.echo(f"crawl run {run_id} recorded in {opts.db_path}")
    failed = failed_sources(stats)
    if failed and len(failed) == len(stats):
        raise RunriError(f"every source failed: {', '.join(failed)}")
    if failed:
        raise PartialCrawl(f"{len(failed)} source(s) failed: {', '.join(failed)}")


@click.group(invoke_without_command=True)
@click.option("--sources-dir", type=click.Path(file_okay=False, exists=True), default=str(SOURCES_DIR),
              show_default=True, help="Folder of source files (searched recursively).")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.pass_context
def sources(ctx: click.Context, sources_dir: str, as_json: bool) -> None:
    """List the source files (outlets, aggregators, platforms); `check` validates them.

    \b
    Examples:
        runri sources
        runri sources --sources-dir corpus/sources/offline
        runri sources check
    """
    ctx.obj = {"sources_dir": Path(sources_dir)}
    if ctx.invoked_subcommand is not None:
        return
    from crawler.sources import check_sources

    found, problems = check_sources(Path(sources_dir))
    for s in found:
        row = {"id": s.id, "name": s.name, "language": s.language, "kind": s.kind, "verified": s.verified,
               "enabled": s.enabled, "feeds": len(s.feeds), "sitemaps": len(s.sitemaps),
               "listings": len(s.listings), "search": len(s.search)}
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            how = ",".join(k for k in ("feeds", "sitemaps", "listings", "search") if row[k])
            click.echo(f"{s.id:28} {s.language:8} {s.kind:10} {'verified' if s.verified else 'unverified':10} "
                       f"{how:28} {s.name}")
    if problems:
        click.echo(f"{len(problems)} problem(s): run `runri sources check`", err=True)


@sources.command("check")
@click.pass_context
def sources_check(ctx: click.Context) -> None:
    """Validate every source file (schema, URL templates, selectors, duplicate ids).

    \b
    Example:
        runri sources check
    """
    from crawler.sources import check_sources

    folder = ctx.obj["sources_dir"]
    found, problems = check_sources(folder)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in source files under {folder}")
    click.echo(f"{len(found)} source files OK in {folder}")


@sources.command("health")
@db_option
@click.option("--runs", default=10, show_default=True, help="How many recent crawl runs to look at.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
def sources_health(db_path: str | None, runs: int, as_json: bool) -> None:
    """Per-source health over the last crawl runs: last success, yield per run, error rate.

    A source that stopped yielding documents, or whose requests mostly fail, is flagged
    (broken / degraded) even when the run as a whole succeeded.

    \b
    Example:
        runri sources health --runs 30
    """
    from runri_monitor.health import source_health
    from runri_monitor.store import Store
    from runri_monitor.tables import render

    with Store.open(resolve_db_path(db_path), read_only=True) as store:
        rows = source_health(store, runs)
    columns = ["source", "status", "runs", "last_success", "last_yield", "yield_per_run", "error_rate"]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(render(rows, "table", columns))
