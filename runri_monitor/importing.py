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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runri_monitor.errors import InputError
from runri_monitor.store import Store, UpsertResult, prepare_document

FORMATS = ("auto", "jsonl", "csv", "x-v2", "csv-map")


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


def _decode_lines(data: bytes, encoding: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text or None, error) for each physical line; undecodable lines are errors."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, raw.decode(encoding), None
        except UnicodeDecodeError as exc:
            yield number, None, f"not valid {encoding} (byte {exc.start}); re-save the file as UTF-8 or pass --encoding"


def iter_jsonl(data: bytes, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    for number, text, error in _decode_lines(data, encoding):
        if error:
            yield number, None, error
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, None, f"broken JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(record, dict):
            yield number, None, "a JSON object is expected on each line"
            continue
        yield number, record, None


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
    row = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
    if not row.get("url"):
        raise InputError("missing field: url")
    if not (row.get("title") or row.get("body")):
        raise InputError("missing field: title or body")
    row["source_id"] = row.get("source_id") or row.get("source") or default_source or "import"
    for key in ("metrics", "matched_terms"):
        if isinstance(row.get(key), str) and row[key]:
            try:
                row[key] = json.loads(row[key])
            except json.JSONDecodeError as exc:
                raise InputError(f"{key} is not valid JSON") from exc
    for key in [k for k, v in row.items() if v == ""]:
        row[key] = None
    return row


def import_file(
    store: Store,
    path: Path,
    *,
    fmt: str = "auto",
    encoding: str = "utf-8",
    source: str | None = None,
    mapping: dict[str, str] | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file; returns counts and per-row errors. Raises InputError if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    fmt = detect_format(path, fmt)
    records = _records(data, fmt, encoding, mapping)
    report = ImportReport()
    batch: list[dict[str, Any]] = []
    first_line_of: dict[str, int] = {}

    def flush() -> None:
        result: UpsertResult = store.upsert_documents(batch, batch_size=batch_size, prepared=True)
        report.imported += result.new
        report.duplicates += result.duplicate
        if progress:
            progress(len(batch))
        batch.clear()

    for number, record, error in records:
        report.rows += 1
        if error:
            report.errors.append(RowError(number, error))
            continue
        try:
            row = normalize_record(record, source)
            row["imported_from"] = path.name
            row = prepare_document(row, tokens=True)  # validate now so the error names this line
            canonical = row["canonical_url"]
        except InputError as exc:
            report.errors.append(RowError(number, str(exc)))
            continue
        if canonical in first_line_of:
            report.errors.append(RowError(number, f"duplicate url (same as line {first_line_of[canonical]})"))
            continue
        first_line_of[canonical] = number
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report


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
