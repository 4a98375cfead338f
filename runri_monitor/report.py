"""The daily HTML report: one self-contained file (charts as base64 PNG, inline CSS, no external assets).

Sections: what is new since the last report (the `reports` table remembers when that was), coverage
and sentiment charts, top story clusters of the latest cluster run with links, notable posts (most
engaged, most negative). Everything is escaped; it opens offline in any browser.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from runri_monitor.store import Store, utc_now
from runri_monitor.trends import Filters, coverage, sentiment

__all__ = ["write_report", "render_report", "last_report_time"]

CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans CJK SC","Hiragino Sans","Microsoft YaHei",sans-serif;
max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f6f6}.num{text-align:right}.muted{color:#777;font-size:.85em}img{max-width:100%}
.kpi{display:inline-block;margin:0 2em .5em 0}.kpi b{font-size:1.6em;display:block}
"""


def last_report_time(store: Store) -> str | None:
    row = store.db.execute("SELECT max(created_at) FROM reports").fetchone()
    return row[0] if row else None


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _link(url: str | None, text: str) -> str:
    text = escape(text or url or "")
    return f'<a href="{escape(url)}">{text}</a>' if url else text


def _engagement(metrics: str | None) -> int:
    try:
        m = json.loads(metrics or "{}")
    except ValueError:
        return 0
    return sum(int(v) for k, v in m.items() if isinstance(v, int | float) and k != "views") if isinstance(m, dict) else 0


def _period_for(store: Store) -> str:
    lo, hi = store.db.execute(
        "SELECT min(published_at), max(published_at) FROM documents WHERE dup_of IS NULL"
    ).fetchone()
    if not lo:
        return "month"
    days = (datetime.fromisoformat(hi[:10]) - datetime.fromisoformat(lo[:10])).days
    return "day" if days <= 60 else "week" if days <= 400 else "month"


def render_report(store: Store, since: str | None, now: str | None = None) -> str:
    """The report as an HTML string; `since` is a date/time (None = everything)."""
    from runri_monitor.charts import trend_chart

    now = now or utc_now()
    total = store.db.execute("SELECT count(*) FROM documents WHERE dup_of IS NULL").fetchone()[0]
    new_where = "d.dup_of IS NULL" + (" AND d.fetched_at >= ?" if since else "")
    new_params = [since] if since else []
    new_count = store.db.execute(f"SELECT count(*) FROM documents d WHERE {new_where}", new_params).fetchone()[0]
    by_lang = store.db.execute(
        f"SELECT coalesce(lang, '?'), count(*) FROM documents d WHERE {new_where} GROUP BY 1 ORDER BY 2 DESC", new_params
    ).fetchall()
    period = _period_for(store)
    cov = coverage(store, ["language"], period, Filters())
    sent = sentiment(store, ["language"], period, Filters(), min_count=5)
    parts = [
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">",
        f"<title>潤日 / 润日 monitor report {escape(now[:10])}</title><style>{CSS}</style></head><body>",
        f"<h1>潤日 / 润日 daily report <span class=muted>{escape(now)}</span></h1>",
        f"<p class=muted>Database {escape(store.path)}; new = fetched since "
        f"{escape(since) if since else 'the beginning (first report)'}; duplicates excluded.</p>",
        f"<div class=kpi><b>{new_count}</b>new documents / 新着 / 新增</div>",
        f"<div class=kpi><b>{total}</b>documents in total</div>",
        "".join(f"<div class=kpi><b>{n}</b>new {escape(lang)}</div>" for lang, n in by_lang),
        f"<h2>Coverage / 報道量 / 报道量 (per {period})</h2>",
        _img(trend_chart(cov, "coverage", ["language"]), "coverage by language") if cov else "<p>No dated documents.</p>",
        f"<h2>Sentiment / 感情 / 情感 (per {period}, 95% CI)</h2>",
        _img(trend_chart(sent, "sentiment", ["language"]), "sentiment by language") if sent else "<p>No annotations yet.</p>",
        _clusters_html(store),
        _notable_html(store, since),
        _new_docs_html(store, new_where, new_params),
        "<p class=muted>runri-monitor. Charts: matplotlib; periods with fewer than 5 annotated documents are gaps.</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _clusters_html(store: Store, top: int = 10) -> str:
    run = store.db.execute("SELECT id, created_at, n_docs FROM cluster_runs ORDER BY id DESC LIMIT 1").fetchone()
    if not run:
        return "<h2>Top stories / クラスター / 聚类</h2><p>No cluster run yet (runri clusters build).</p>"
    rows = store.db.execute(
        "SELECT cluster_id, size, label_ja, label_zh, languages, first_seen, last_seen FROM clusters "
        "WHERE run_id = ? ORDER BY size DESC LIMIT ?", [run[0], top]
    ).fetchall()
    reps = store.db.execute(
        "SELECT m.cluster_id, d.url, d.title, d.lang FROM cluster_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE m.run_id = ? AND m.representative = 1 ORDER BY m.score DESC", [run[0]]
    ).fetchall()
    links: dict[int, list[str]] = {}
    for cid, url, title, lang in reps:
        links.setdefault(cid, []).append(f"{_link(url, (title or url)[:50])} <span class=muted>{escape(lang or '')}</span>")
    body = "".join(
        f"<tr><td class=num>{cid}</td><td>{escape(ja or '')}<br>{escape(zh or '')}</td><td class=num>{size}</td>"
        f"<td>{escape(', '.join(f'{k} {v}' for k, v in json.loads(langs or '{}').items()))}</td>"
        f"<td>{escape((first or '')[:10])} – {escape((last or '')[:10])}</td><td>{'<br>'.join(links.get(cid, []))}</td></tr>"
        for cid, size, ja, zh, langs, first, last in rows
    )
    return (
        f"<h2>Top stories / クラスター / 聚类 <span class=muted>run {run[0]}, {escape(run[1])}, {run[2]} documents</span></h2>"
        "<table><tr><th>#</th><th>label ja / zh</th><th>size</th><th>languages</th><th>dates</th><th>representative</th></tr>"
        f"{body}</table>"
    )


def _doc_rows(rows: list[tuple], extra: str) -> str:
    return "".join(
        f"<tr><td>{escape((pub or '')[:10])}</td><td>{escape(lang or '')}</td><td>{escape(platform or '')}</td>"
        f"<td>{_link(url, (title or body or '')[:80])}</td><td class=num>{escape(str(x))}</td></tr>"
        for url, title, body, lang, platform, pub, x in rows
    ) or f"<tr><td colspan=5 class=muted>none {escape(extra)}</td></tr>"


def _notable_html(store: Store, since: str | None) -> str:
    cond = "d.kind IN ('post', 'comment') AND d.dup_of IS NULL" + (" AND d.fetched_at >= ?" if since else "")
    params: list[Any] = [since] if since else []
    posts = store.db.execute(
        f"SELECT d.url, d.title, d.body, d.lang, d.platform, d.published_at, d.metrics FROM documents d WHERE {cond}",
        params,
    ).fetchall()
    engaged = sorted(((*p[:6], _engagement(p[6])) for p in posts), key=lambda r: -r[6])[:10]
    negative = store.db.execute(
        f"SELECT d.url, d.title, d.body, d.lang, d.platform, d.published_at, round(a.sentiment, 2) FROM documents d "
        f"JOIN annotations a ON a.doc_id = d.id WHERE {cond} AND a.sentiment < 0 ORDER BY a.sentiment LIMIT 10",
        params,
    ).fetchall()
    head = "<tr><th>date</th><th>lang</th><th>platform</th><th>post</th><th>{}</th></tr>"
    return (
        "<h2>Notable posts / 注目の投稿 / 热门帖子</h2><h3>Most engaged</h3>"
        f"<table>{head.format('engagement')}{_doc_rows(engaged, 'in this period')}</table>"
        f"<h3>Most negative</h3><table>{head.format('sentiment')}{_doc_rows(negative, 'in this period')}</table>"
    )


def _new_docs_html(store: Store, where: str, params: list[Any], limit: int = 30) -> str:
    rows = store.db.execute(
        f"SELECT d.url, d.title, d.body, d.lang, d.source_id, d.published_at, d.kind FROM documents d WHERE {where} "
        f"ORDER BY d.published_at DESC LIMIT {int(limit)}", params
    ).fetchall()
    return (
        f"<h2>New documents / 新着記事 / 新增文档 <span class=muted>latest {limit}</span></h2>"
        "<table><tr><th>date</th><th>lang</th><th>source</th><th>title</th><th>kind</th></tr>"
        f"{_doc_rows(rows, 'since the last report')}</table>"
    )


def write_report(store: Store, out_dir: str | Path, since: str | None = None) -> Path:
    """Render, write report-YYYYMMDD-HHMMSS.html into out_dir and record it in `reports`."""
    since = since or last_report_time(store)
    now = utc_now()
    html = render_report(store, since, now)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = out / f"report-{stamp}.html"
    path.write_text(html, encoding="utf-8")
    with store.db.conn:
        store.db["reports"].insert({"created_at": now, "path": str(path), "since": since})
    return path
