"""What researchers come for: `runri trends | search | clusters | export | report | browse`.

Thin commands: parse options, call the library (runri_monitor.trends, search, clusters, exports,
report, browse), print. Heavy imports (matplotlib, scikit-learn, pyarrow) happen inside commands.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

import click

from runri_monitor.cli.options import db_option, output_format_option, resolve_db_path
from runri_monitor.store import Store
from runri_monitor.trends import DIMENSIONS, METRICS, PERIODS, Filters


def _split(values: tuple[str, ...]) -> list[str]:
    """Repeatable and comma-separated: --lang ja --lang zh-Hans == --lang ja,zh-Hans."""
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def filter_options(func):
    """The row filters shared by trends, export and search."""
    options = [
        click.option("--since", help="From this date (YYYY-MM-DD, inclusive, UTC)."),
        click.option("--until", help="Up to this date (YYYY-MM-DD, inclusive, UTC)."),
        click.option("--lang", multiple=True, help="Language(s): ja, zh-Hans, zh-Hant (repeat or comma-separate)."),
        click.option("--source", multiple=True, help="Source id(s)."),
        click.option("--topic", multiple=True, help="Topic id(s) from corpus/taxonomy.toml."),
        click.option("--kind", multiple=True, help="article, post, comment."),
        click.option("--platform", multiple=True, help="web, weibo, bilibili, hatena, ..."),
        click.option("--include-duplicates", is_flag=True, help="Count syndicated copies (dup_of) too."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kw: dict[str, Any], query: str | None = None) -> Filters:
    return Filters(
        since=kw.pop("since"),
        until=kw.pop("until"),
        lang=_split(kw.pop("lang")),
        source=_split(kw.pop("source")),
        topic=_split(kw.pop("topic")),
        kind=_split(kw.pop("kind")),
        platform=_split(kw.pop("platform")),
        include_duplicates=kw.pop("include_duplicates"),
        query=query,
    )


def _open(db_path: str | None, read_only: bool = True) -> Store:
    return Store.open(resolve_db_path(db_path), read_only=read_only)


def emit(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> None:
    """Print rows as an aligned table, CSV or JSON."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    columns = columns or (list(rows[0]) if rows else [])
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no rows)")
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        click.echo("  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "too few" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table_columns(metric: str, by: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """Columns for the terminal table (CSV/JSON keep every field)."""
    if metric == "coverage":
        return ["period", *by, "count"]
    if metric == "sentiment":
        return ["period", *by, "n", "mean", "ci_low", "ci_high", "too_few"]
    return ["period", *by, "n"] + [f"{s}_share" for s in ("welcoming", "hostile", "neutral")] + ["too_few"]


# -- trends ------------------------------------------------------------------------------------
@click.command()
@click.argument("metric", type=click.Choice(METRICS))
@click.option("--by", "by", default="", help=f"Group by, comma-separated: {', '.join(DIMENSIONS)}.")
@click.option("--period", type=click.Choice(PERIODS), default="month", show_default=True)
@click.option("--query", help="Only documents matching this search query (any script).")
@click.option("--min-count", type=int, default=5, show_default=True,
              help="Cells with fewer annotated documents are marked 'too few' instead of a value.")
@click.option("--chart", type=click.Path(dir_okay=False), help="Also draw a chart (.png or .svg).")
@filter_options
@output_format_option
@db_option
def trends(metric, by, period, query, min_count, chart, output_format, db_path, **kw):
    """Coverage, sentiment or stance over time, by language, source, platform, kind or topic.

    \b
    Example:
        runri trends coverage --by language --period week --since 2025-01-01
        runri trends sentiment --by language --topic visa --format csv
        runri trends stance --by platform --chart stance.png
    """
    from runri_monitor.trends import trend

    dims = _split((by,))
    f = _filters(kw, query)
    if chart and not chart.lower().endswith((".png", ".svg")):
        raise click.BadParameter("chart must end in .png or .svg", param_hint="--chart")
    with _open(db_path) as store:
        rows = trend(store, metric, dims, period, f, min_count)
    if chart:
        from runri_monitor.charts import trend_chart

        trend_chart(rows, metric, dims, chart)
        click.echo(f"chart: {chart}", err=True)
    emit(rows, output_format, table_columns(metric, dims, rows) if output_format == "table" else None)


# -- search ------------------------------------------------------------------------------------
@click.command()
@click.argument("query")
@click.option("--limit", type=int, default=20, show_default=True)
@filter_options
@output_format_option
@db_option
def search(query, limit, output_format, db_path, **kw):
    """Full-text search in Japanese and Chinese, any script (润日 finds 潤日), with highlighted snippets.

    \b
    Example:
        runri search 经营管理签证 --lang ja --since 2025-01-01
        runri search "润日 东京" --format json
    """
    from runri_monitor.search import search as do_search

    f = _filters(kw)
    json_out = output_format == "json"
    color = not json_out and output_format == "table" and sys.stdout.isatty()
    mark = ("<mark>", "</mark>") if json_out else (("\x1b[1;31m", "\x1b[0m") if color else ("[", "]"))
    with _open(db_path) as store:
        hits = do_search(store, query, f, limit=limit, mark=mark)
    if output_format == "table":
        if not hits:
            click.echo("(no matches)")
        for h in hits:
            click.echo(f"{h.published_at or '-':.10}  {h.lang or '-':7} {h.source_id or '-'}  {h.title[:60]}")
            click.echo(f"    {h.url}")
            click.echo(f"    {h.snippet}")
        return
    emit([h.as_dict() for h in hits], output_format)


# -- export ------------------------------------------------------------------------------------
@click.command()
@click.option("--format", "formats", default="jsonl,csv,parquet", show_default=True,
              help="Comma-separated: jsonl, csv, parquet.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="export", show_default=True)
@click.option("--query", help="Only documents matching this search query.")
@filter_options
@db_option
def export(formats, out_dir, query, db_path, **kw):
    """Export documents with annotations and topics (+ a datasheet README.md) for analysis elsewhere.

    \b
    Example:
        runri export --format parquet,csv --out export/ --since 2025-01-01 --lang ja
    """
    from runri_monitor.exports import export_documents, parse_formats

    f = _filters(kw, query)
    fmts = parse_formats(formats)
    with _open(db_path) as store:
        result = export_documents(store, out_dir, fmts, f)
    click.echo(f"exported {result['documents']} documents to {result['out']}")


# -- clusters ----------------------------------------------------------------------------------
@click.group()
def clusters():
    """Story clusters across Japanese and Chinese: build them, export them.

    \b
    Example:
        runri clusters build && runri clusters export --out export/clusters
    """


@clusters.command("build")
@click.option("--threshold", type=float, default=None, help="Merge distance (cosine); lower = more, tighter clusters.")
@click.option("--kind", multiple=True, default=("article", "post"), show_default=True,
              help="Document kinds to cluster (comments are usually too short to place).")
@click.option("--since", help="Only documents published from this date.")
@click.option("--until", help="Only documents published up to this date.")
@click.option("--min-size", type=int, default=2, show_default=True, help="Smaller clusters are listed as singletons.")
@output_format_option
@db_option
def clusters_build(threshold, kind, since, until, min_size, output_format, db_path):
    """Group documents into stories (both languages in one space) and store the run.

    \b
    Example:
        runri clusters build --since 2025-01-01
    """
    from runri_monitor.clusters import ClusterParams, build_and_store

    params = ClusterParams(min_size=min_size)
    if threshold is not None:
        params.threshold = threshold
    f = Filters(since=since, until=until, kind=_split(kind))
    with _open(db_path, read_only=False) as store:
        run = build_and_store(store, f, params)
        rows = [
            {"cluster_id": c["cluster_id"], "size": c["size"], "languages": c["languages"],
             "label_ja": c["label_ja"], "label_zh": c["label_zh"]}
            for c in run["clusters"][:30]
        ]
    click.echo(f"run {run['run_id']}: {run['n_docs']} documents, {run['n_clusters']} clusters", err=True)
    if not run["n_docs"]:
        click.echo("no documents to cluster (crawl first, or widen the filters)", err=True)
    emit(rows, output_format)


@clusters.command("export")
@click.option("--run", "run_id", type=int, default=None, help="Cluster run id (default: the latest).")
@click.option("--format", "formats", default="jsonl,csv,parquet", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="export/clusters", show_default=True)
@db_option
def clusters_export(run_id, formats, out_dir, db_path):
    """Write clusters and their members (+ a datasheet README.md) as JSONL, CSV, Parquet.

    \b
    Example:
        runri clusters export --format jsonl,parquet --out export/clusters
    """
    from runri_monitor.clusters import export_clusters
    from runri_monitor.exports import parse_formats

    with _open(db_path) as store:
        result = export_clusters(store, out_dir, parse_formats(formats), run_id)
    click.echo(f"exported run {result['run_id']}: {result['clusters']} clusters, {result['members']} members to {out_dir}")


# -- report ------------------------------------------------------------------------------------
@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True)
@click.option("--since", help="New documents since this date (default: the last report).")
@db_option
def report(out_dir, since, db_path):
    """Write a self-contained HTML daily report (charts embedded; opens offline).

    \b
    Example:
        runri report --out reports/
    """
    from runri_monitor.report import write_report

    with _open(db_path, read_only=False) as store:
        path = write_report(store, out_dir, since=since)
    click.echo(str(path))


# -- browse ------------------------------------------------------------------------------------
@click.command()
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--dry-run", is_flag=True, help="Print the datasette command instead of running it.")
@db_option
def browse(port, dry_run, db_path):
    """Browse the store in Datasette on 127.0.0.1 (tables described, canned trend queries).

    \b
    Example:
        runri browse --port 8001
    """
    from runri_monitor.browse import datasette_command, run_datasette

    path = resolve_db_path(db_path)
    Store.open(path, read_only=True).close()  # a clear error when there is no database
    if dry_run:
        cmd, _ = datasette_command(path, port)
        click.echo(" ".join(cmd))
        return
    sys.exit(run_datasette(path, port))
