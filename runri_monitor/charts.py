"""Trend charts with matplotlib (Agg backend: no display needed), Japanese and Chinese labels included.

A CJK font is looked up once through matplotlib.font_manager (Noto Sans CJK first, from apt
fonts-noto-cjk); without one, labels would render as empty boxes, so we warn once, clearly.
"""

from __future__ import annotations

import io
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

__all__ = ["cjk_font", "trend_chart", "series_key"]

_PREFERRED = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Serif CJK JP",
              "Source Han Sans", "IPAexGothic", "IPAGothic", "TakaoGothic", "WenQuanYi Zen Hei",
              "Droid Sans Fallback")

TITLES = {
    "coverage": "報道量 / 报道量 (documents)",
    "sentiment": "感情 / 情感 (mean, 95% CI)",
    "stance": "論調 / 立场 (share, 95% CI)",
}


@cache
def cjk_font() -> str | None:
    """Family name of an installed CJK font, or None (with a warning) when there is none."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _PREFERRED:
        if name in names:
            return name
    for f in font_manager.fontManager.ttflist:  # any other font that says it is CJK
        if "CJK" in f.name or "Han" in f.name:
            return f.name
    # The font cache may predate the font's installation: register system CJK files directly.
    for path in font_manager.findSystemFonts():
        if "CJK" in Path(path).name or "cjk" in path.lower():
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError):
                continue
    warnings.warn(
        "no CJK font found (install fonts-noto-cjk): Japanese/Chinese chart labels will not render",
        RuntimeWarning,
        stacklevel=2,
    )
    return None


def _setup() -> None:
    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False


def series_key(row: dict[str, Any], by: list[str]) -> str:
    return " / ".join(str(row.get(b) or "-") for b in by) or "all"


def trend_chart(
    rows: list[dict[str, Any]],
    metric: str,
    by: list[str],
    out: str | Path | None = None,
    *,
    fmt: str | None = None,
    title: str | None = None,
    max_series: int = 8,
) -> bytes:
    """Draw one line per group over periods; writes to `out` (png/svg by suffix) and returns the bytes."""
    _setup()
    fmt = fmt or (Path(out).suffix.lstrip(".").lower() if out else "png")
    if fmt not in ("png", "svg"):
        raise ValueError(f"chart format must be png or svg, not {fmt}")
    periods = sorted({r["period"] for r in rows})
    index = {p: i for i, p in enumerate(periods)}
    series: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        series.setdefault(series_key(r, by), []).append(r)
    # Keep the largest groups readable; the rest is in the table/CSV.
    size = {k: sum(r.get("count", r.get("n", 0)) or 0 for r in v) for k, v in series.items()}
    keys = sorted(series, key=lambda k: -size[k])[:max_series]

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    for k in keys:
        pts = sorted(series[k], key=lambda r: r["period"])
        xs = [index[r["period"]] for r in pts]
        if metric == "coverage":  # a period without documents is a real zero, not a gap
            counts = {r["period"]: r["count"] for r in pts}
            ax.plot(range(len(periods)), [counts.get(p, 0) for p in periods], marker="o", ms=3, label=k)
        elif metric == "sentiment":
            ys = [r["mean"] if r["mean"] is not None else float("nan") for r in pts]
            lo = [r["ci_low"] if r["ci_low"] is not None else float("nan") for r in pts]
            hi = [r["ci_high"] if r["ci_high"] is not None else float("nan") for r in pts]
            (line,) = ax.plot(xs, ys, marker="o", ms=3, label=k)
            ax.fill_between(xs, lo, hi, alpha=0.15, color=line.get_color())
        else:
            for label, style in (("welcoming", "-"), ("hostile", "--")):
                ys = [r[f"{label}_share"] if r[f"{label}_share"] is not None else float("nan") for r in pts]
                ax.plot(xs, ys, style, marker="o", ms=3, label=f"{k} {label}")
    if metric == "sentiment":
        ax.axhline(0, color="grey", lw=0.6)
        ax.set_ylim(-1, 1)
    if metric == "stance":
        ax.set_ylim(0, 1)
    step = max(1, len(periods) // 12)
    ax.set_xticks(range(0, len(periods), step))
    ax.set_xticklabels(periods[::step], rotation=45, ha="right", fontsize=8)
    ax.set_title(title or TITLES.get(metric, metric))
    if keys and (by or metric == "stance"):
        ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    if metric != "coverage":
        ax.text(0.99, 0.01, "gaps: too few documents / 件数不足 / 样本不足", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="grey")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    plt.close(fig)
    data = buf.getvalue()
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_bytes(data)
    return data
