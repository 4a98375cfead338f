"""Trends: coverage, sentiment and stance over time, grouped by language, source, platform, kind, topic.

All aggregation happens in SQL: over the trigger-maintained summary tables (trend_summary.py) when
the filters allow (date-level ranges, no text query), else one GROUP BY over trend_docs, the
narrow per-document table (trend_docs.py), joined to the FTS matches for a text query.
Confidence intervals are computed in Python from the per-group count, sum and sum of squares.

Choices:
- Periods are taken from `published_at` in UTC (day = YYYY-MM-DD, week = the Monday of the ISO
  week, month = YYYY-MM). Documents without a publication date have no period and are left out.
- Duplicates (`dup_of` set: syndicated copies) are excluded unless `include_duplicates`.
- Grouping by topic counts a document once in each of its topics (doc_topics is multi-label).
- Sentiment: mean with a Student-t 95% interval; stance: share of each label with a Wilson 95%
  interval. A cell with fewer than `min_count` annotated documents gets `too_few = True` and no
  value: a mean of three posts is noise, not a trend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from runri_monitor.errors import InputError
from runri_monitor.store import Store, fts_query
from runri_monitor.trend_docs import TABLE as TREND_DOCS

__all__ = [
    "Filters",
    "METRICS",
    "DIMENSIONS",
    "PERIODS",
    "STANCE_LABELS",
    "trend",
    "coverage",
    "sentiment",
    "stance",
    "wilson_interval",
    "mean_interval",
    "where_clause",
]

METRICS = ("coverage", "sentiment", "stance")
PERIODS = ("day", "week", "month")
STANCE_LABELS = ("welcoming", "hostile", "neutral")
# CLI name -> SQL expression. "topic" needs the doc_topics join (added in _from_clause).
DIMENSIONS: dict[str, str] = {
    "language": "d.lang",
    "source": "d.source_id",
    "platform": "d.platform",
    "kind": "d.kind",
    "topic": "t.topic_id",
}
_Z95 = 1.959963984540054


@dataclass
class Filters:
    """Row filters shared by trends and exports (one options object instead of ten arguments)."""

    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # ISO date (inclusive day) or datetime (exclusive)
    lang: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    platform: list[str] = field(default_factory=list)
    query: str | None = None
    include_duplicates: bool = False


def _until_bound(value: str) -> str:
    """An inclusive date becomes the next day's start (published_at < bound)."""
    if len(value) == 10:
        try:
            return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
        except ValueError as exc:
            raise InputError(f"--until is not a date: {value!r}") from exc
    return value


def _check_date(name: str, value: str) -> None:
    try:
        date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"{name} is not an ISO date (YYYY-MM-DD): {value!r}") from exc


def where_clause(f: Filters, alias: str = "d", id_column: str = "id") -> tuple[str, list[Any]]:
    """SQL conditions (joined with AND, never empty) and their parameters for these filters.

    A text query becomes a membership test on the FTS matches; id_column names the document id
    column of the aliased table (doc_id in trend_docs).
    """
    conds: list[str] = ["1 = 1"]
    params: list[Any] = []
    if not f.include_duplicates:
        conds.append(f"{alias}.dup_of IS NULL")
    if f.since:
        _check_date("--since", f.since)
        conds.append(f"{alias}.published_at >= ?")
        params.append(f.since)
    if f.until:
        _check_date("--until", f.until)
        conds.append(f"{alias}.published_at < ?")
        params.append(_until_bound(f.until))
    for column, values in (("lang", f.lang), ("source_id", f.source), ("kind", f.kind), ("platform", f.platform)):
        if values:
            conds.append(f"{alias}.{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if f.topic:
        conds.append(
            f"EXISTS (SELECT 1 FROM doc_topics ft WHERE ft.doc_id = {alias}.{id_column} "
            f"AND ft.topic_id IN ({','.join('?' * len(f.topic))}))"
        )
        params.extend(f.topic)
    if f.query:
        match = fts_query(f.query)
        if not match:
            raise InputError(f"query has no searchable terms: {f.query!r}")
        # unary +: a membership test on the matches, not an index loop over them
        conds.append(f"+{alias}.seq IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(match)
    return " AND ".join(conds), params


def period_expr(period: str, column: str = "d.published_at", summary: bool = False) -> str:
    if period == "day":
        return column if summary else f"substr({column}, 1, 10)"
    if period == "month":
        return f"substr({column}, 1, 7)"
    if period == "week":  # Monday of the week: next Sunday (or today if Sunday) minus 6 days
        return f"date(substr({column}, 1, 10), 'weekday 0', '-6 days')"
    raise InputError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")


def _dims(by: list[str]) -> list[str]:
    for b in by:
        if b not in DIMENSIONS:
            raise InputError(f"--by must be among {', '.join(DIMENSIONS)}, not {b!r}")
    return list(dict.fromkeys(by))


# Per metric: (per-document SELECT aggregates over trend_docs, extra WHERE, summary aggregates, summary HAVING)
_AGG = {
    "coverage": ("count(*)", "", "sum(c.n)", "sum(c.n) > 0"),
    "sentiment": (
        "count(d.sentiment), sum(d.sentiment), sum(d.sentiment * d.sentiment)", "d.sentiment IS NOT NULL",
        "sum(c.s_n), sum(c.s_sum), sum(c.s_sq)", "sum(c.s_n) > 0",
    ),
    "stance": (
        "count(d.stance_label), " + ", ".join(f"sum(d.stance_label = '{x}')" for x in STANCE_LABELS),
        "d.stance_label IS NOT NULL",
        "sum(c.st_n), sum(c.st_welcoming), sum(c.st_hostile), sum(c.st_neutral)", "sum(c.st_n) > 0",
    ),
}
_SUMMARY_DIMS = {"language": "c.lang", "source": "c.source_id", "platform": "c.platform", "kind": "c.kind",
                 "topic": "c.topic_id"}


def _is_date(value: str | None) -> bool:
    return value is None or len(value) == 10


def summary_usable(store: Store, f: Filters, by: list[str]) -> bool:
    """The summary tables answer exactly unless the filters need per-document data."""
    if f.query or not (_is_date(f.since) and _is_date(f.until)):
        return False
    if len(f.topic) > 1 and "topic" not in by:  # a document in two listed topics would count twice
        return False
    from runri_monitor.trend_summary import has_summary

    return has_summary(store.db.conn)


def _query_summary(store: Store, metric: str, by: list[str], period: str, f: Filters) -> list[tuple]:
    table = "trend_topic_cells" if ("topic" in by or f.topic) else "trend_cells"
    keys = [period_expr(period, "c.day", summary=True)] + [f"nullif({_SUMMARY_DIMS[b]}, '')" for b in by]
    conds, params = ["c.day != ''"], []
    if not f.include_duplicates:
        conds.append("c.is_dup = 0")
    if f.since:
        _check_date("--since", f.since)
        conds.append("c.day >= ?")
        params.append(f.since)
    if f.until:
        _check_date("--until", f.until)
        conds.append("c.day <= ?")
        params.append(f.until)
    for column, values in (("lang", f.lang), ("source_id", f.source), ("kind", f.kind), ("platform", f.platform),
                           ("topic_id", f.topic)):
        if values:
            conds.append(f"c.{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    _, _, select, having = _AGG[metric]
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    sql = (
        f"SELECT {', '.join(keys)}, {select} FROM {table} c WHERE {' AND '.join(conds)} "
        f"GROUP BY {group} HAVING {having} ORDER BY {group}"
    )
    return list(store.db.execute(sql, params))


def _query(store: Store, metric: str, by: list[str], period: str, f: Filters, use_summary: bool | None = None) -> list[tuple]:
    by = _dims(by)
    if use_summary is not False and summary_usable(store, f, by):
        return _query_summary(store, metric, by, period, f)
    # Per-document path: trend_docs holds each document's trend columns and its sentiment and
    # stance, keyed by seq (the FTS rowid), so a text query walks it in order (trend_docs.py).
    select, extra, _, _ = _AGG[metric]
    keys = [period_expr(period)] + [DIMENSIONS[b] for b in by]
    source = f"{TREND_DOCS} d"
    match_params: list[Any] = []
    if f.query:  # loop over the matches (in seq order): a join, no intermediate list of rowids
        match = fts_query(f.query)
        if not match:
            raise InputError(f"query has no searchable terms: {f.query!r}")
        source = f"documents_fts f JOIN {TREND_DOCS} d ON d.seq = f.rowid"
        match_params = [match]
        f = replace(f, query=None)
    join = " JOIN doc_topics t ON t.doc_id = d.doc_id" if "topic" in by else ""
    where, params = where_clause(f, id_column="doc_id")
    if match_params:
        where, params = f"documents_fts MATCH ? AND {where}", match_params + params
    if extra:
        where += f" AND {extra}"
    if "topic" in by and f.topic:  # grouped by topic: only the listed topics are rows
        where += f" AND t.topic_id IN ({','.join('?' * len(f.topic))})"
        params = [*params, *f.topic]
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    sql = (
        f"SELECT {', '.join(keys)}, {select} FROM {source}{join} "
        f"WHERE d.published_at IS NOT NULL AND {where} GROUP BY {group} ORDER BY {group}"
    )
    return list(store.db.execute(sql, params))


def _key(row: tuple, by: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"period": row[0]}
    for i, b in enumerate(by):
        out[b] = row[i + 1]
    return out


def coverage(
    store: Store, by: list[str], period: str = "month", f: Filters | None = None, use_summary: bool | None = None
) -> list[dict[str, Any]]:
    """Document counts per period (and group)."""
    f = f or Filters()
    by = _dims(by)
    rows = _query(store, "coverage", by, period, f, use_summary)
    return [{**_key(r, by), "count": r[len(by) + 1]} for r in rows]


def t_quantile(df: int) -> float:
    """Two-sided 95% Student-t quantile (scipy when present, normal beyond 30 d.f.)."""
    if df <= 0:
        return float("nan")
    try:
        from scipy.stats import t as student_t

        return float(student_t.ppf(0.975, df))
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        return _Z95 if df > 30 else {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}.get(df, 2.2)


def mean_interval(n: int, total: float, total_sq: float) -> tuple[float, float, float, float]:
    """Mean, sample standard deviation and the 95% t interval from count, sum and sum of squares."""
    mean = total / n
    var = max(0.0, (total_sq - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    sd = math.sqrt(var)
    half = t_quantile(n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
    return mean, sd, mean - half, mean + half


def wilson_interval(k: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (well-behaved near 0 and 1, unlike p ± z·se)."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def sentiment(
    store: Store, by: list[str], period: str = "month", f: Filters | None = None, min_count: int = 5,
    use_summary: bool | None = None,
) -> list[dict[str, Any]]:
    """Mean sentiment in [-1, 1] per period/group with a 95% confidence interval."""
    f = f or Filters()
    by = _dims(by)
    out = []
    for r in _query(store, "sentiment", by, period, f, use_summary):
        n, total, total_sq = r[len(by) + 1 :]
        row = {**_key(r, by), "n": n, "mean": None, "sd": None, "ci_low": None, "ci_high": None}
        row["too_few"] = n < max(min_count, 1)
        if not row["too_few"]:
            mean, sd, lo, hi = mean_interval(n, total, total_sq)
            row.update(mean=round(mean, 4), sd=round(sd, 4), ci_low=round(lo, 4), ci_high=round(hi, 4))
        out.append(row)
    return out


def stance(
    store: Store, by: list[str], period: str = "month", f: Filters | None = None, min_count: int = 5,
    use_summary: bool | None = None,
) -> list[dict[str, Any]]:
    """Share of welcoming / hostile / neutral stance per period/group, each with a Wilson 95% interval."""
    f = f or Filters()
    by = _dims(by)
    out = []
    for r in _query(store, "stance", by, period, f, use_summary):
        n = r[len(by) + 1]
        row: dict[str, Any] = {**_key(r, by), "n": n, "too_few": n < max(min_count, 1)}
        for label, k in zip(STANCE_LABELS, r[len(by) + 2 :], strict=True):
            k = int(k or 0)
            row[f"{label}_n"] = k
            if row["too_few"]:
                row.update({f"{label}_share": None, f"{label}_ci_low": None, f"{label}_ci_high": None})
            else:
                lo, hi = wilson_interval(k, n)
                row.update(
                    {f"{label}_share": round(k / n, 4), f"{label}_ci_low": round(lo, 4), f"{label}_ci_high": round(hi, 4)}
                )
        out.append(row)
    return out


def trend(
    store: Store,
    metric: str,
    by: list[str] | None = None,
    period: str = "month",
    f: Filters | None = None,
    min_count: int = 5,
    use_summary: bool | None = None,
) -> list[dict[str, Any]]:
    """Dispatch on the metric name used by the CLI (use_summary None = when it answers exactly)."""
    by = by or []
    if metric == "coverage":
        return coverage(store, by, period, f, use_summary)
    if metric == "sentiment":
        return sentiment(store, by, period, f, min_count, use_summary)
    if metric == "stance":
        return stance(store, by, period, f, min_count, use_summary)
    raise InputError(f"metric must be one of {', '.join(METRICS)}, not {metric!r}")
