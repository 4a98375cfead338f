"""Forked workers end when their parent does.

A pool worker waits on a pipe whose write end it inherited itself, so when the parent is killed
(SIGKILL, OOM killer) the worker never sees end-of-file and would wait forever. A daemon thread in
each worker checks its parent every `interval` seconds and exits the process once it is gone.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent_pid: int, interval: float = 0.5) -> threading.Thread:
    """Start a daemon thread that ends this process (exit code 1) once `parent_pid` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)  # no cleanup: the work belongs to a parent that is gone

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread
