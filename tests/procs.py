"""Process states read from /proc (Linux), for tests that kill processes and check what is left."""

from __future__ import annotations

from pathlib import Path


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def running(pid: int) -> bool:
    """The process exists and has not exited (a zombie waits only to be reaped by its new parent)."""
    state = _state_and_parent(pid)
    return state is not None and state[0] != "Z"


def children(pid: int) -> list[int]:
    """Running child processes of `pid` (empty where there is no /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        state = _state_and_parent(int(entry.name))
        if state is not None and state[0] != "Z" and state[1] == pid:
            found.append(int(entry.name))
    return found
