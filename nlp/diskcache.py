"""A per-user disk cache for tables that take a noticeable time to build and depend only on inputs
we can name (the key): every `runri` process would otherwise rebuild them at start.

Values are stored with `marshal` (plain data: lists, tuples, str, int); files are named by their
key and written atomically, so a stale or half-written file is never read. Any problem reading or
writing (no home directory, read-only disk, a damaged file) just means the value is built again.
The cache lives in $RUNRI_CACHE_DIR, else $XDG_CACHE_HOME/runri-monitor, else ~/.cache/runri-monitor;
RUNRI_CACHE_DIR=off turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "load_or_build", "key_of"]


def cache_dir() -> Path | None:
    configured = os.environ.get("RUNRI_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "none") else Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "runri-monitor"


def key_of(*parts: str | bytes) -> str:
    """A short hex digest of everything the cached value depends on."""
    digest = hashlib.sha1()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:20]


def load_or_build(name: str, key: str, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """The value cached under (name, key) if `valid` accepts it, else build() (and cache it)."""
    directory = cache_dir()
    path = directory / f"{name}-{key}.marshal" if directory else None
    if path is not None:
        try:
            value = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
        else:
            if valid(value):
                return value
    value = build()
    if path is not None:
        _write_atomically(path, marshal.dumps(value))
    return value


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
