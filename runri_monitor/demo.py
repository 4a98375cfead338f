"""`make demo`: serve the bundled offline web on 127.0.0.1 and run the daily job against it.

Everything lands in data/demo/ (database, logs, report, cluster export). Running it again adds
nothing new and says so: the crawl is incremental.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runri_monitor.daily import DailyOptions, format_summary, run_daily, runri_command
from runri_monitor.paths import OFFLINE_SOURCES_DIR, SOURCES_DIR
from runri_monitor.webserver import serve_offline_web

DEMO_DIR = Path("data") / "demo"


def demo_sources() -> list[Path]:
    """The fictional offline news outlets and the social platforms served by the offline web."""
    return [d for d in (OFFLINE_SOURCES_DIR, SOURCES_DIR / "social") if d.is_dir() and any(d.glob("*.toml"))]


def main() -> int:
    db = DEMO_DIR / "runri.db"
    report_dir = DEMO_DIR / "report"
    export_dir = DEMO_DIR / "export"
    with serve_offline_web() as url:
        print(f"offline web serving corpus/web on {url} (a proxy: nothing leaves 127.0.0.1)")
        opts = DailyOptions(db_path=db, sources_dirs=demo_sources(), offline_proxy=url,
                            report_dir=report_dir, export_dir=export_dir)
        summary = run_daily(opts)
    print()
    print(format_summary(summary))
    print("\ncoverage by language and month:")
    trends = subprocess.run(
        runri_command("trends", "coverage", "--db", str(db), "--by", "language", "--period", "month"),
        check=False,
    )
    if trends.returncode != 0:
        print("(trends unavailable)")
    print(f"\ndatabase:      {db}")
    if summary.report_path:
        print(f"report:        {summary.report_path}")
    if export_dir.exists():
        print(f"export folder: {export_dir}")
    return summary.exit_code


if __name__ == "__main__":
    sys.exit(main())
