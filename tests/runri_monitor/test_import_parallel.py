"""The parallel import (rows prepared in worker processes) stores exactly what the in-process one does."""

from __future__ import annotations

import json

import pytest

from runri_monitor.importing import import_file
from runri_monitor.store import Store


def _lines(n: int) -> list[bytes]:
    lines = []
    for i in range(n):
        row = {"url": f"https://p.example/{i % (n - 7)}", "title": f"潤日 {i % 50}", "body": f"經營管理簽證 {i % 60}。本文",
               "published_at": f"2024-0{i % 9 + 1}-1{i % 10}T08:00:00+09:00", "lang": "ja" if i % 2 else "zh-Hant",
               "source": f"s{i % 3}"}
        lines.append(json.dumps(row, ensure_ascii=False).encode())
    lines[5] = b'{"url": "https://p.example/x", broken'
    lines[9] = json.dumps({"url": "https://p.example/y", "title": "t", "published_at": "later"}).encode()
    lines[12] = '{"url": "https://p.example/z", "title": "潤日"}'.encode("shift_jis")
    return lines


def index_entries(store: Store) -> list[tuple]:
    """Every (token, rowid, column, position) of the contentless full-text index."""
    store.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_entries USING fts5vocab(main, documents_fts, instance)")
    return store.db.execute("SELECT term, doc, col, offset FROM temp.fts_entries ORDER BY doc, col, offset").fetchall()


def _dump(store: Store) -> dict:
    docs = store.db.execute("SELECT * FROM documents ORDER BY seq").fetchall()
    fetched = [c[1] for c in store.db.execute("PRAGMA table_info(documents)")].index("fetched_at")
    return {
        "documents": [d[:fetched] + d[fetched + 1:] for d in docs],
        "fts": index_entries(store),
        "cells": sorted(store.db.execute("SELECT * FROM trend_cells").fetchall()),
    }


@pytest.mark.parametrize(("workers", "newline"), [(1, b"\n"), (2, b"\n"), (2, b"\r\n")])
def test_parallel_import_equals_in_process(tmp_path, monkeypatch, workers, newline):
    import runri_monitor.importing as importing

    monkeypatch.setattr(importing, "CHUNK_ROWS", 37)  # many chunks, a window that fills up
    monkeypatch.setattr(importing, "CHUNK_BYTES", 3000)  # workers read ~20-line slices of the file
    path = tmp_path / "d.jsonl"
    lines = _lines(700)
    lines[20:20] = [b"", b"   "]  # blank lines are skipped but counted
    lines[40] += b"\r"  # "\r\r\n" with CRLF: a bare CR ends a line too (bytes.splitlines)
    path.write_bytes(b"\xef\xbb\xbf" + newline.join(lines) + newline + newline)
    dumps, reports = [], []
    for w in (0, workers):
        store = Store.open(tmp_path / f"{w}.db")
        reports.append(import_file(store, path, workers=w, batch_size=300))
        again = import_file(store, path, workers=w)
        assert again.imported == 0 and again.duplicates == reports[-1].imported
        dumps.append(_dump(store))
        store.close()
    assert reports[0] == reports[1]
    assert reports[0].imported == 691 and len(reports[0].errors) == 3 + 6  # bad lines, repeated urls
    assert [e.line for e in reports[0].errors][:3] == [6, 10, 13]
    # blank lines count; with CRLF line ends the extra CR of line 41 is a bare CR, ending an empty line
    assert reports[0].errors[-1].line == 700 + 2 + (newline == b"\r\n")
    assert sum(1 for d in dumps[0]["documents"] if d[16] is not None) > 100  # exact copies: dup_of (column 16 without fetched_at)
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("line", [
    b'{"url": "https://a.jp/1", "title": "\\u6f64\\u65e5", "n": 1.5e3}',
    b'{"url": "https://a.jp/1", "n": NaN}',                      # json accepts, orjson does not
    b'{"url": "https://a.jp/1", "n": 123456789012345678901234567890}',
    b'{"url": "https://a.jp/1", "t": "\\ud800"}',                # lone surrogate escape
    b'{"url": "https://a.jp/1", "url": "https://a.jp/2"}',      # duplicate key: the last wins
    b'["not", "an", "object"]',
    b'{"url": broken',
    '{"url": "https://a.jp/1", "title": "潤日"}'.encode("shift_jis"),
])
def test_jsonl_parsing_is_that_of_json(line):
    from runri_monitor.importing import _parse_jsonl_line

    number, record, error = _parse_jsonl_line(7, line, "utf-8")
    try:
        expected = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        assert record is None and error.startswith("not valid utf-8")
        return
    except json.JSONDecodeError as exc:
        assert record is None and error == f"broken JSON ({exc.msg} at column {exc.colno})"
        return
    if not isinstance(expected, dict):
        assert record is None and error == "a JSON object is expected on each line"
        return
    assert number == 7 and error is None
    assert json.dumps(record, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"metrics": {"likes": 3}, "author": "某某"},
        {"crawl_run_id": 10**30},  # beyond 64 bits: orjson cannot write it
        {"crawl_run_id": float("nan")},  # JSON has no NaN: it would come back as null
        {"crawl_run_id": 1.5},
    ],
)
def test_packed_worker_rows_unpack_to_the_same_rows(extra):
    from runri_monitor.importing import _unpacked, prepare_rows, prepare_rows_packed

    fixed = {"fetched_at": "2025-01-01T00:00:00+00:00"}  # not "now": both runs must give the same rows
    items = [(i + 1, {"url": f"https://p.example/{i}", "title": "潤日", "body": "経営・管理ビザ", **fixed, **extra}, None)
             for i in range(3)] + [(4, None, "broken JSON")]
    expected = prepare_rows(items, "utf-8", None, "f.jsonl")
    got = _unpacked(prepare_rows_packed(items, "utf-8", None, "f.jsonl"))
    # same shape and values (JSON gives lists for tuples); repr: NaN != NaN, but prints the same
    assert repr(_as_lists(got)) == repr(_as_lists(expected))


def _as_lists(value):
    return [_as_lists(v) for v in value] if isinstance(value, list | tuple) else value
