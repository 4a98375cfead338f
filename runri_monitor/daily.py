"""The daily run: crawl, process, cluster, report, each step isolated in its own process.

Why subprocesses: Scrapy's reactor can start once per process, a crashed or killed step must not
take the others down, and each step is exactly the command a user can run by hand. Every step
is idempotent and resumable (the crawl skips stored URLs, processing only annotates what lacks
the current NLP version), so re-running after a kill finishes the work without duplicates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from runri_monitor.lock import RunLock
from runri_monitor.store import Store, utc_now

COMPLETE, PARTIAL, FAILED = "complete", "partial", "failed"
EXIT_CODES = {COMPLETE: 0, PARTIAL: 4, FAILED: 1}
CRAWL_PARTIAL_EXIT = 4  # `runri crawl` exits 4 when some sources failed but others worked


@dataclass
class StepResult:
    name: str
    exit_code: int
    seconds: float
    tail: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


@dataclass
class DailyOptions:
    db_path: Path
    sources_dirs: list[Path] = field(default_factory=list)
    offline_proxy: str | None = None
    report_dir: Path | None = None
    export_dir: Path | None = None
    skip: set[str] = field(default_factory=set)
    step_timeout: float = 3 * 3600


@dataclass
class DailySummary:
    status: str
    started_at: str
    seconds: float
    steps: list[StepResult]
    new_by_language: dict[str, int]
    new_by_source: dict[str, int]
    errors: list[str]
    log_path: str
    report_path: str | None = None
    stale_lock: dict | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def new_total(self) -> int:
        return sum(self.new_by_source.values())


def runri_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "runri_monitor", *args]


def plan_steps(opts: DailyOptions) -> list[tuple[str, list[str]]]:
    db = ["--db", str(opts.db_path)]
    crawl = ["crawl", *db]
    for d in opts.sources_dirs:
        crawl += ["--sources-dir", str(d)]
    if opts.offline_proxy:
        crawl += ["--offline-proxy", opts.offline_proxy]
    report = ["report", *db] + (["--out", str(opts.report_dir)] if opts.report_dir else [])
    steps = [
        ("crawl", crawl),
        ("process", ["process", *db]),
        ("clusters", ["clusters", "build", *db]),
        ("report", report),
    ]
    if opts.export_dir:
        steps.append(("export", ["clusters", "export", *db, "--out", str(opts.export_dir)]))
    return [(name, runri_command(*args)) for name, args in steps if name not in opts.skip]


def run_step(name: str, command: list[str], log, timeout: float) -> StepResult:
    """Run one step, streaming its output to the run log; a timeout costs the step, not the run."""
    log.write(f"\n=== {name}: {' '.join(command[2:])} ({utc_now()})\n")
    log.flush()
    start = time.monotonic()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    try:
        proc = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, env=env)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        log.write(f"\n{name}: timed out after {timeout:.0f} s\n")
        code = 124
    seconds = time.monotonic() - start
    log.write(f"=== {name}: exit {code} after {seconds:.1f} s\n")
    log.flush()
    return StepResult(name, code, round(seconds, 1), _last_error_line(log.name, name))


def _last_error_line(log_path: str, step: str) -> str:
    try:
        lines = Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    section = lines[max(i for i, ln in enumerate(lines) if ln.startswith(f"=== {step}:")) :] if lines else []
    errors = [ln for ln in section if ln.startswith(("Error:", "error:", "ERROR")) or "Traceback" in ln]
    return errors[-1][:200] if errors else ""


def classify(steps: list[StepResult]) -> str:
    """Complete when every step worked; failed when the crawl got nothing from any source (the
    later steps then only re-processed old data) or when no step worked; partial otherwise."""
    if all(s.ok for s in steps):
        return COMPLETE
    crawl = next((s for s in steps if s.name == "crawl"), None)
    if crawl is not None and crawl.exit_code not in (0, CRAWL_PARTIAL_EXIT):
        return FAILED
    if not any(s.ok for s in steps):
        return FAILED
    return PARTIAL


def new_documents(store: Store, after_seq: int, column: str) -> dict[str, int]:
    sql = f"SELECT coalesce({column}, 'unknown'), count(*) FROM documents WHERE seq > ? GROUP BY 1 ORDER BY 2 DESC"
    return dict(store.db.execute(sql, [after_seq]).fetchall())


def run_daily(opts: DailyOptions, echo: Callable[[str], None] = print) -> DailySummary:
    """Run every step under the lock and record the run; never raises for a failing step."""
    log_dir = opts.db_path.parent / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = utc_now()
    log_path = log_dir / f"daily-{started.replace(':', '').replace('+0000', 'Z')}.log"
    lock = RunLock(opts.db_path.with_suffix(".lock"))
    with lock:
        if lock.stale_taken_over is not None:
            echo(f"note: a previous run (pid {lock.stale_taken_over.get('pid')}) was killed; resuming its work")
        with Store.open(opts.db_path) as store:
            from runri_monitor.cli.store_commands import load_topics

            store.upsert_topics(load_topics())
            before = store.db.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]
            run_id = store.start_run("daily", log_path=str(log_path))
        start = time.monotonic()
        steps: list[StepResult] = []
        with log_path.open("a", encoding="utf-8") as log:
            for name, command in plan_steps(opts):
                echo(f"[{name}] running ...")
                result = run_step(name, command, log, opts.step_timeout)
                steps.append(result)
                echo(f"[{name}] {'ok' if result.ok else f'exit {result.exit_code}'} in {result.seconds:.1f} s"
                     + (f": {result.tail}" if result.tail and not result.ok else ""))
        status = classify(steps)
        with Store.open(opts.db_path) as store:
            summary = DailySummary(
                status=status,
                started_at=started,
                seconds=round(time.monotonic() - start, 1),
                steps=steps,
                new_by_language=new_documents(store, before, "lang"),
                new_by_source=new_documents(store, before, "source_id"),
                errors=[f"{s.name}: exit {s.exit_code} {s.tail}".strip() for s in steps if not s.ok],
                log_path=str(log_path),
                report_path=_latest_report(store),
                stale_lock=lock.stale_taken_over,
            )
            store.finish_run(run_id, status, _jsonable(summary))
    return summary


def _latest_report(store: Store) -> str | None:
    row = store.db.execute("SELECT path FROM reports ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _jsonable(summary: DailySummary) -> dict[str, Any]:
    data = asdict(summary)
    return json.loads(json.dumps(data, default=str))


def format_summary(summary: DailySummary) -> str:
    lines = [f"daily run {summary.status} in {summary.seconds:.0f} s (log: {summary.log_path})"]
    if summary.new_total:
        lines.append(f"new documents: {summary.new_total}")
        lines.append("  by language: " + ", ".join(f"{k} {v}" for k, v in summary.new_by_language.items()))
        lines.append("  by source:   " + ", ".join(f"{k} {v}" for k, v in summary.new_by_source.items()))
    else:
        lines.append("no new documents: everything found is already stored")
    for error in summary.errors:
        lines.append(f"error: {error}")
    if summary.report_path:
        lines.append(f"report: {summary.report_path}")
    return "\n".join(lines)
