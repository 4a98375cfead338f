"""nlp.parentwatch: a forked worker does not outlive its killed parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.procs import running

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")

PARENT = """
import os, sys, time
from nlp.parentwatch import exit_with_parent
parent = os.getpid()
worker = os.fork()
if worker == 0:
    if sys.argv[1] == "watch":
        exit_with_parent(parent, interval=0.05)
    time.sleep(30)
    os._exit(0)
print(worker, flush=True)
time.sleep(30)
"""


def worker_after_parent_killed(mode: str) -> int:
    proc = subprocess.Popen([sys.executable, "-c", PARENT, mode], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    worker = int(proc.stdout.readline())
    assert running(worker)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return worker


def test_worker_exits_once_its_parent_is_killed():
    worker = worker_after_parent_killed("watch")
    deadline = time.monotonic() + 5
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not running(worker)


def test_without_the_watch_the_worker_would_be_left_behind():
    worker = worker_after_parent_killed("none")
    try:
        time.sleep(0.3)
        assert running(worker)  # the orphan the watch exists for
    finally:
        os.kill(worker, signal.SIGKILL)
