"""A run lock so two scheduled runs never overlap; a stale lock from a killed run is detected.

The lock is a file holding the owner's PID, host and start time, created with O_EXCL (atomic).
If the file exists but its PID is not alive on this host, the run that held it was killed
(SIGKILL leaves no chance to clean up): the lock is taken over and the takeover is reported.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runri_monitor.errors import RunriError


class LockHeldError(RunriError):
    exit_code = 75  # EX_TEMPFAIL: cron can simply try again later


@dataclass
class RunLock:
    path: Path
    stale_taken_over: dict | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._read()
                if holder and _alive(holder):
                    raise LockHeldError(
                        f"another run is in progress (pid {holder.get('pid')} since {holder.get('started_at')}); "
                        f"lock file {self.path}"
                    ) from None
                self.stale_taken_over = holder or {}
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w") as fh:
                json.dump(
                    {"pid": os.getpid(), "host": socket.gethostname(),
                     "started_at": datetime.now(UTC).isoformat(timespec="seconds")},
                    fh,
                )
            return self
        raise LockHeldError(f"could not take the lock {self.path}")

    def release(self) -> None:
        holder = self._read()
        if holder and holder.get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)

    def _read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _alive(holder: dict) -> bool:
    if holder.get("host") not in (None, socket.gethostname()):
        return True  # another machine's lock on a shared disk: we cannot check it, so respect it
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped) is not a live run.
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return "\nState:\tZ" not in status
    except OSError:
        return True
