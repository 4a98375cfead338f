"""Import documents exported from other tools (JSONL or CSV) into the store.

Every row is validated on its own: a bad row (broken JSON, undecodable bytes, missing fields,
a date that is not ISO-8601) is reported with its line number and reason, and the good rows
are imported. Rows whose canonical URL is stored already are counted as duplicates, so
importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from nlp.normalize import one_pass_fold
from nlp.parentwatch import exit_with_parent
from runri_monitor.errors import InputError
from runri_monitor.store import (
    DOCUMENT_COLUMNS,
    BulkInsert,
    NewDocument,
    Store,
    UpsertResult,
    new_document,
    prepare_document,
)

FORMATS = ("auto", "jsonl", "csv", "x-v2", "csv-map")
# Rows are parsed and prepared (validation, folding, index tokens) in chunks; from PARALLEL_ROWS
# rows on, in worker processes while this process writes to SQLite (which is single-writer).
CHUNK_ROWS = 1000
CHUNK_BYTES = 512 * 1024  # JSONL read by the workers themselves: about 1,000 lines a chunk
PARALLEL_ROWS = 20_000
WORKER_NICENESS = 10
CANONICAL = list(DOCUMENT_COLUMNS).index("canonical_url")

Item = tuple[int, bytes] | tuple[int, dict[str, Any] | None, str | None]
Prepared = tuple[int, NewDocument | None, str | None]


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when at least one row was valid (new or already stored)."""
        return self.imported + self.duplicates > 0


def detect_format(path: Path, declared: str) -> str:
    if declared != "auto":
        return declared
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise InputError(f"cannot tell the format of {path.name}: use --format jsonl|csv|x-v2|csv-map")


def _raw_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) for each physical line that is not blank."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.splitlines(), start=1):
        if raw.strip():
            yield number, raw


@dataclass(frozen=True)
class _Lines:
    """Whole lines of a file, [start, end) in bytes, numbered from first_line: a worker reads them
    itself, so that the writing process does not have to send the text over."""

    path: str
    start: int
    end: int
    first_line: int

    def read(self) -> list[tuple[int, bytes]]:
        with open(self.path, "rb") as fh:
            fh.seek(self.start)
            chunk = fh.read(self.end - self.start)
        return [(n, raw) for n, raw in enumerate(chunk.splitlines(), start=self.first_line) if raw.strip()]


def _line_slices(data: bytes, path: Path, size: int) -> Iterator[_Lines]:
    """Cut `data` (the file's bytes) after a \n about every `size` bytes; lines are numbered as
    bytes.splitlines() does (\n, \r and \r\n end a line), the same numbers as _raw_lines."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line = 1
    has_cr = b"\r" in data  # most files: count \n only (one pass instead of three)
    while start < len(data):
        end = data.find(b"\n", start + size)
        end = len(data) if end == -1 else end + 1
        yield _Lines(str(path), start, end, line)
        line += data.count(b"\n", start, end)
        if has_cr:
            line += data.count(b"\r", start, end) - data.count(b"\r\n", start, end)
        start = end


def _parse_jsonl_line(number: int, raw: bytes, encoding: str) -> tuple[int, dict[str, Any] | None, str | None]:
    return _parse_jsonl(number, raw, encoding, _is_utf8(encoding))[:3]  # type: ignore[return-value]


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8")


def _parse_jsonl(
    number: int, raw: bytes, encoding: str, utf8: bool
) -> tuple[int, dict[str, Any] | None, str | None, bool]:
    """(line number, record or None, error or None, whether orjson parsed it: then its strings came
    from valid UTF-8 and hold no lone surrogate, so prepare_document need not look for one)."""
    if utf8:
        # orjson parses (and UTF-8-checks) the bytes about 3x faster. It is stricter than json (no
        # NaN, no lone surrogates): anything it refuses goes the json way below, which gives the
        # same records and the same error messages as before. It reads integers beyond 64 bits as
        # floats, so a record holding any float is parsed again by json too (rare in imports).
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
        else:
            if isinstance(record, dict) and not _has_float(record):
                return number, record, None, True
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return number, None, f"not valid {encoding} (byte {exc.start}); re-save the file as UTF-8 or pass --encoding", False
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return number, None, f"broken JSON ({exc.msg} at column {exc.colno})", False
    if not isinstance(record, dict):
        return number, None, "a JSON object is expected on each line", False
    return number, record, None, False


def _has_float(container: dict[str, Any] | list[Any]) -> bool:
    values = container.values() if type(container) is dict else container
    types = set(map(type, values))  # one C-level pass: most records are flat strings
    if float in types:
        return True
    if dict in types or list in types:
        return any(_has_float(v) for v in values if type(v) is dict or type(v) is list)
    return False


def iter_jsonl(data: bytes, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    for number, raw in _raw_lines(data):
        yield _parse_jsonl_line(number, raw, encoding)


def iter_csv(data: bytes, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """CSV rows keyed by header; a row containing undecodable bytes is reported, not guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode(encoding, errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.strip() for h in header]
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any(_has_surrogates(cell) for cell in row):
            yield number, None, f"not valid {encoding}; re-save the file as UTF-8 or pass --encoding"
            continue
        if len(row) != len(header):
            yield number, None, f"expected {len(header)} columns, found {len(row)}"
            continue
        yield number, dict(zip(header, row, strict=True)), None


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def normalize_record(record: dict[str, Any], default_source: str | None) -> dict[str, Any]:
    """Map the import columns onto document fields (url, title, body, published_at, lang, source, kind)."""
    # strings stripped, and empty ones None (one pass)
    row = {k: (v.strip() or None if isinstance(v, str) else v) for k, v in record.items()}
    if not row.get("url"):
        raise InputError("missing field: url")
    if not (row.get("title") or row.get("body")):
        raise InputError("missing field: title or body")
    row["source_id"] = row.get("source_id") or row.get("source") or default_source or "import"
    for key in ("metrics", "matched_terms"):
        if isinstance(row.get(key), str):
            try:
                value = json.loads(row[key])
            except json.JSONDecodeError as exc:
                raise InputError(f"{key} is not valid JSON") from exc
            row[key] = None if value == "" else value
    return row


def import_file(
    store: Store,
    path: Path,
    *,
    fmt: str = "auto",
    encoding: str = "utf-8",
    source: str | None = None,
    mapping: dict[str, str] | None = None,
    batch_size: int = 20_000,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import one file; returns counts and per-row errors. Raises InputError if unreadable.

    workers: processes preparing rows while this one writes (0: none, all in this process;
    None: one per CPU, at most 2, for files of PARALLEL_ROWS rows or more, else 0).
    batch_size: new rows per transaction (rows are written as they are prepared, a chunk at a time,
    Store.bulk_insert). 20,000 rather than 5,000: FTS5 writes a new index segment at each commit,
    and fewer, bigger segments cost ~10% less writer CPU in merges; a killed import loses the open
    transaction only, and importing the file again adds exactly what is missing.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    fmt = detect_format(path, fmt)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if data.count(b"\n") >= PARALLEL_ROWS else 0
    # JSONL lines go to the preparing step raw, so that JSON parsing runs in the workers too; with
    # workers, each reads its own ranges of the file.
    chunks: Iterable[list[Item] | _Lines]
    if fmt == "jsonl" and workers > 0:
        chunks = _line_slices(data, path.resolve(), CHUNK_BYTES)
    else:
        items = _raw_lines(data) if fmt == "jsonl" else _records(data, fmt, encoding, mapping)
        chunks = _chunks(items, CHUNK_ROWS)
    prepared = _prepared(chunks, encoding, source, path.name, workers, window=batch_size // CHUNK_ROWS + 2 * workers)
    report = ImportReport()
    chunk: list[NewDocument] = []
    first_line_of: dict[str, int] = {}

    def write(bulk: BulkInsert) -> None:
        result: UpsertResult = bulk.add(chunk)
        report.imported += result.new
        report.duplicates += result.duplicate
        if progress:
            progress(len(chunk))
        chunk.clear()

    with closing(prepared), store.bulk_insert(commit_rows=batch_size) as bulk:
        for number, doc, error in prepared:
            report.rows += 1
            if error is not None or doc is None:
                report.errors.append(RowError(number, error or "empty row"))
                continue
            canonical = doc[0][CANONICAL]
            if canonical in first_line_of:
                report.errors.append(RowError(number, f"duplicate url (same as line {first_line_of[canonical]})"))
                continue
            first_line_of[canonical] = number
            chunk.append(doc)
            if len(chunk) >= CHUNK_ROWS:
                write(bulk)
        if chunk:
            write(bulk)
    return report


def prepare_rows(items: list[Item] | _Lines, encoding: str, source: str | None, name: str) -> list[Prepared]:
    """Parse (raw JSONL lines), validate and prepare rows: (line number, document row or None, error).

    Runs in worker processes for big files, so it takes and returns plain picklable data. Rows are
    validated here, one by one, so that an error names its line.
    """
    out: list[Prepared] = []
    if isinstance(items, _Lines):
        items = items.read()
    utf8 = _is_utf8(encoding)
    for item in items:
        valid_text = False
        if len(item) == 2:
            number, record, error, valid_text = _parse_jsonl(*item, encoding, utf8)
        else:
            number, record, error = item
        if error is not None or record is None:
            out.append((number, None, error or "empty row"))
            continue
        try:
            row = normalize_record(record, source)
            row["imported_from"] = name
            out.append((number, new_document(prepare_document(row, tokens=True, valid_text=valid_text)), None))
        except InputError as exc:
            out.append((number, None, str(exc)))
    return out


def prepare_rows_packed(items: list[Item] | _Lines, encoding: str, source: str | None, name: str) -> bytes | list[Prepared]:
    """prepare_rows for a worker process: the rows packed as one JSON document.

    The writing process is the import's critical path; unpacking a chunk with orjson costs it about
    a third of unpickling the same rows (one object per value, no pickle memo). JSON cannot carry
    everything a row may hold (NaN or infinite floats, integers beyond 64 bits): such a chunk is
    returned as the list itself, pickled as before.
    """
    rows = prepare_rows(items, encoding, source, name)
    for _number, doc, _error in rows:
        if doc is not None and float in map(type, doc[0]) and not all(map(_json_safe, doc[0])):
            return rows
    try:
        return orjson.dumps(rows)
    except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits
        return rows


def _json_safe(value: Any) -> bool:
    return type(value) is not float or math.isfinite(value)


def _unpacked(result: bytes | list[Prepared]) -> list[Prepared]:
    """A worker's rows as prepare_rows gave them, with lists where it has tuples (same shape and
    values; the writer only indexes and unpacks them, so nothing is converted here)."""
    if not isinstance(result, bytes):
        return result
    return orjson.loads(result)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _init_worker(parent_pid: int) -> None:
    exit_with_parent(parent_pid)
    # The writer (this process) is the critical path: SQLite work cannot be shared out. Workers
    # yield the CPU to it and use what is left (they are ahead of it on 2 CPUs).
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # pragma: no cover - not permitted: run at normal priority
        pass


def _prepared(
    chunks: Iterable[list[Item] | _Lines], encoding: str, source: str | None, name: str, workers: int,
    window: int = 6,
) -> Iterator[Prepared]:
    """prepare_rows over the chunks in order, in this process or in `workers` processes, with at
    most `window` chunks in flight (enough to keep the workers busy while a batch is written)."""
    if workers <= 0:
        for chunk in chunks:
            yield from prepare_rows(chunk, encoding, source, name)
        return
    one_pass_fold()  # build the fold tables once, before forking
    # fork: workers start at once with everything imported (this process runs no threads of its own
    # yet: ProcessPoolExecutor forks all its workers before it starts its manager thread).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # A bounded window of chunks in flight: a big file is never held prepared in memory at once.
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(os.getpid(),)) as pool:
        pending: deque[Future[list[Prepared]]] = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(prepare_rows_packed, chunk, encoding, source, name))
                if len(pending) >= max(window, 3 * workers):
                    yield from _unpacked(pending.popleft().result())
            while pending:
                yield from _unpacked(pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()


def _records(
    data: bytes, fmt: str, encoding: str, mapping: dict[str, str] | None
) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    if fmt == "jsonl":
        return iter_jsonl(data, encoding)
    if fmt == "csv":
        return iter_csv(data, encoding)
    if fmt in ("x-v2", "csv-map"):
        return _adapted(data, fmt, encoding, mapping)
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _adapted(
    data: bytes, fmt: str, encoding: str, mapping: dict[str, str] | None
) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """Platform exports go through runri_monitor.import_adapters (X API v2 JSONL, mapped CSV)."""
    from runri_monitor import import_adapters

    if fmt == "x-v2":
        yield from import_adapters.adapt_x_v2(iter_jsonl(data, encoding))
    else:
        if not mapping:
            raise InputError("--format csv-map needs --map, e.g. --map body=content,published_at=created_at")
        yield from import_adapters.adapt_csv(iter_csv(data, encoding), mapping)


def parse_mapping(spec: str | None) -> dict[str, str] | None:
    """'body=content,published_at=created_at' -> {"body": "content", "published_at": "created_at"}."""
    if not spec:
        return None
    mapping = {}
    for part in spec.split(","):
        if "=" not in part:
            raise InputError(f"--map entries look like field=column, not {part!r}")
        field_name, column = (s.strip() for s in part.split("=", 1))
        mapping[field_name] = column
    return mapping
