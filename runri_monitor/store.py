"""The SQLite store (sqlite-utils): schema, migrations, batched upserts and CJK full-text search.

Design choices (docs/schema.md has the table reference):
- Document ids are derived from the canonical URL (63-bit integer of its SHA-1), so the same
  article has the same id in every database and export: researchers can cite it, and a parent
  post can be referenced before it is stored.
- Full-text search: SQLite's tokenizers do not segment CJK text, and trigram cannot match a
  two-character word such as 潤日. We index pre-segmented tokens instead: the folded text
  (traditional / shinjitai -> simplified) as overlapping character bigrams, so 潤日, 润日 and 潤日
  are one token, and longer queries become phrase queries over consecutive bigrams.
- One writer: WAL mode, batched transactions, a busy timeout; a locked database raises
  StoreLockedError with a one-line message instead of a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import compress, groupby
from operator import is_not
from pathlib import Path
from typing import Any

import sqlite_utils

from nlp.normalize import bigram_tokens, fold, folded_bigram_tokens
from runri_monitor import fulltext
from runri_monitor.errors import InputError, StoreLockedError
from runri_monitor.trend_docs import bulk_insert_trend_docs
from runri_monitor.trend_summary import bulk_insert_summary

SCHEMA_VERSION = 5
DOCUMENT_KINDS = ("article", "post", "comment")
BUSY_TIMEOUT_MS = 5000
PAGE_SIZE = 8192
# From this many new rows in one batch, the trend summary is updated per batch, not per row.
BULK_SUMMARY_ROWS = 200
# search_ids ranks (BM25) at most this many of the most recently stored matches (as `runri search`).
SEARCH_WINDOW = 5000

DOCUMENT_COLUMNS: dict[str, type] = {
    "seq": int,  # insertion order; the rowid, and the rowid of documents_fts
    "id": int,
    "url": str,
    "canonical_url": str,
    "source_id": str,
    "kind": str,
    "platform": str,
    "parent_id": int,
    "parent_url": str,
    "discusses_url": str,
    "lang": str,
    "title": str,
    "body": str,
    "author": str,
    "published_at": str,
    "fetched_at": str,
    "content_hash": str,
    "dup_of": int,
    "metrics": str,
    "matched_terms": str,
    "encoding": str,
    "crawl_run_id": int,
    "imported_from": str,
}


# A new document on its way in, as the bulk import passes it between processes: its column values
# in DOCUMENT_COLUMNS order (a list: seq and dup_of are filled in at insert time) and its index
# tokens (title, body; fulltext.tokens_of), or None to compute them from the text.
NewDocument = tuple[list[Any], fulltext.Tokens | None]
_COLUMNS = list(DOCUMENT_COLUMNS)
_SEQ, _ID, _CANONICAL, _HASH, _DUP = (_COLUMNS.index(c) for c in ("seq", "id", "canonical_url", "content_hash", "dup_of"))
_TITLE, _BODY = _COLUMNS.index("title"), _COLUMNS.index("body")
_NONES = (None,) * len(_COLUMNS)


def _insert_documents(conn: sqlite3.Connection, rows: list[list[Any]]) -> None:
    """INSERT rows of DOCUMENT_COLUMNS values, naming only the columns that hold a value (the others
    are NULL by default). Python 3.11's sqlite3 binds None through its adaptation protocol (a failed
    attribute lookup that formats an error message: ~10x binding a string), and an imported row
    holds about ten. Consecutive rows with the same columns go in one executemany, in seq order."""
    for present, group in groupby(rows, key=_present_columns):
        conn.executemany(_insert_sql(present), [list(compress(values, present)) for values in group])


def _present_columns(values: list[Any]) -> tuple[bool, ...]:
    return tuple(map(is_not, values, _NONES))


@lru_cache(maxsize=256)
def _insert_sql(present: tuple[bool, ...]) -> str:
    columns = list(compress(_COLUMNS, present))
    return f"INSERT INTO documents ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def new_document(row: dict[str, Any]) -> NewDocument:
    """A prepared row (prepare_document) as a NewDocument."""
    return list(map(row.get, _COLUMNS)), row.get("_tokens")


_now_cache: tuple[int, str] = (0, "")


def utc_now() -> str:
    """Current UTC time to the second, ISO-8601 (cached per second: every imported row asks for it)."""
    global _now_cache
    now = int(time.time())
    if now != _now_cache[0]:
        _now_cache = (now, datetime.fromtimestamp(now, UTC).isoformat())
    return _now_cache[1]


def doc_id_for(canonical_url: str) -> int:
    """Stable 63-bit id of a canonical URL."""
    digest = hashlib.sha1(canonical_url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def content_hash(title: str, body: str) -> str:
    """Hash of the folded, whitespace-free text: equal for copies that differ only in spacing/script."""
    return _folded_hash(fold(title), fold(body))


def _folded_hash(folded_title: str, folded_body: str) -> str:
    # fold(title + "\n" + body) == fold(title) + "\n" + fold(body) (tests/nlp/test_normalize.py), and
    # dropping whitespace removes the "\n": this is content_hash of the unfolded pair.
    text = "".join(folded_title.split()) + "".join(folded_body.split())
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class UpsertResult:
    """What one batch did: new rows, rows already stored (same canonical URL), rows updated."""

    new: int = 0
    duplicate: int = 0
    updated: int = 0
    new_ids: list[int] = field(default_factory=list)

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.new += other.new
        self.duplicate += other.duplicate
        self.updated += other.updated
        self.new_ids.extend(other.new_ids)
        return self


# Each migration takes the database from version N-1 to N. Never edit one that has shipped.
def _migration_1(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {
            "id": str,
            "name": str,
            "kind": str,
            "platform": str,
            "language": str,
            "homepage": str,
            "country": str,
            "config": str,
            "updated_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    # seq is the rowid: FTS5 indexes three times faster with ascending rowids than with the
    # random-looking stable ids, so documents_fts is keyed on seq and `id` is a unique column.
    db["documents"].create(DOCUMENT_COLUMNS, pk="seq", if_not_exists=True)
    db["documents"].create_index(["id"], unique=True, if_not_exists=True)
    db["documents"].create_index(["canonical_url"], unique=True, if_not_exists=True)
    for cols in (["source_id"], ["published_at"], ["lang"], ["content_hash"], ["parent_id"], ["dup_of"]):
        db["documents"].create_index(cols, if_not_exists=True)
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db["crawl_runs"].create(
        {
            "id": int,
            "kind": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "stats": str,
            "log_path": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["topics"].create({"id": str, "name_en": str, "name_ja": str, "name_zh": str}, pk="id", if_not_exists=True)
    db["annotations"].create(
        {
            "doc_id": int,
            "nlp_version": str,
            "lang": str,
            "n_tokens": int,
            "tokens": str,
            "keywords": str,
            "entities": str,
            "sentiment": float,
            "sentiment_label": str,
            "stance_label": str,
            "relevance": float,
            "sentences": str,
            "annotated_at": str,
        },
        pk="doc_id",
        if_not_exists=True,
    )
    db["annotations"].create_index(["nlp_version"], if_not_exists=True)
    db["doc_topics"].create(
        {"doc_id": int, "topic_id": str, "score": float}, pk=("doc_id", "topic_id"), if_not_exists=True
    )
    db["doc_topics"].create_index(["topic_id"], if_not_exists=True)
    db["cluster_runs"].create(
        {"id": int, "created_at": str, "method": str, "params": str, "n_docs": int, "n_clusters": int},
        pk="id",
        if_not_exists=True,
    )
    db["clusters"].create(
        {
            "run_id": int,
            "cluster_id": int,
            "size": int,
            "label_ja": str,
            "label_zh": str,
            "top_terms": str,
            "languages": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("run_id", "cluster_id"),
        if_not_exists=True,
    )
    db["cluster_members"].create(
        {"run_id": int, "cluster_id": int, "doc_id": int, "score": float, "representative": int},
        pk=("run_id", "doc_id"),
        if_not_exists=True,
    )
    db["cluster_members"].create_index(["run_id", "cluster_id"], if_not_exists=True)
    db["reports"].create({"id": int, "created_at": str, "path": str, "since": str}, pk="id", if_not_exists=True)


def _migration_2(db: sqlite_utils.Database) -> None:
    # Trigger-maintained trend summary tables (runri_monitor/trend_summary.py): trends at 1M docs < 200 ms.
    from runri_monitor.trend_summary import install_summary

    install_summary(db.conn)


def _migration_3(db: sqlite_utils.Database) -> None:
    # crawl_seen was created on first use by the crawler; now every store has it.
    db.execute(
        "CREATE TABLE IF NOT EXISTS crawl_seen (url TEXT PRIMARY KEY, reason TEXT, target TEXT, seen_at TEXT)"
    )
    # Text-filtered trends read the narrow seq-keyed trend_docs table (runri_monitor/trend_docs.py)
    # instead of documents + annotations; the covering index migration 2 made for them goes.
    from runri_monitor.trend_docs import install_trend_docs

    install_trend_docs(db.conn)
    db.execute("DROP INDEX IF EXISTS idx_documents_trend")


def _migration_4(db: sqlite_utils.Database) -> None:
    # A leaner write path (bulk import ~20% less writer CPU, database ~30% smaller):
    # - parent_id and dup_of are NULL for almost every row: partial indexes hold only the others
    #   (every lookup is `= ?`, which implies IS NOT NULL, so they are still used);
    # - no query reads documents by language alone any more (trends use trend_docs / the summary);
    # - canonical URLs are looked up by their id (derived from the URL, unique): the index of the
    #   long URL strings was a second copy of the same key;
    # - the full-text index becomes contentless with the ascii tokenizer (runri_monitor/fulltext.py).
    db.execute("DROP INDEX IF EXISTS idx_documents_lang")
    db.execute("DROP INDEX IF EXISTS idx_documents_canonical_url")
    for column in ("parent_id", "dup_of"):
        db.execute(f"DROP INDEX IF EXISTS idx_documents_{column}")
        db.execute(f"CREATE INDEX idx_documents_{column} ON documents ({column}) WHERE {column} IS NOT NULL")
    fulltext.recreate(db.conn)


def _migration_5(db: sqlite_utils.Database) -> None:
    # The full-text index buffers up to 16 MB of new entries before writing a segment (fulltext.configure).
    fulltext.configure(db.conn)


MIGRATIONS = {1: _migration_1, 2: _migration_2, 3: _migration_3, 4: _migration_4, 5: _migration_5}


class Store:
    """A runri-monitor database. Open with Store.open(path) (or ":memory:" in tests)."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, create: bool = True) -> Store:
        path_str = str(path)
        if path_str != ":memory:":
            p = Path(path_str)
            if read_only or not create:
                if not p.exists():
                    raise InputError(f"no database at {p} (run `runri init` or `runri crawl` first)")
            else:
                p.parent.mkdir(parents=True, exist_ok=True)
        try:
            if read_only and path_str != ":memory:":
                conn = sqlite3.connect(f"file:{Path(path_str).resolve()}?mode=ro", uri=True)
            else:
                conn = sqlite3.connect(path_str)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db = sqlite_utils.Database(conn)
            store = cls(db, path_str)
            if not read_only:
                store._configure()
                store.migrate()
                fulltext.ensure_current(conn)
            return store
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, path_str) from exc

    def _configure(self) -> None:
        # 8 KB pages for new databases (an existing one keeps its page size): a bulk import spends
        # ~12% less CPU in SQLite (fewer B-tree splits, FTS5's 4 KB segment pages fit) and writes less.
        self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        # A 64 MB page cache: FTS5 segment merges during bulk imports thrash the 2 MB default.
        self.db.execute("PRAGMA cache_size = -64000")
        self.db.execute("PRAGMA foreign_keys = OFF")

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> int:
        """Apply every migration above the recorded version, each in its own transaction."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise InputError(
                f"database schema version {current} is newer than this runri-monitor ({SCHEMA_VERSION}); upgrade it"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.db.conn:
                MIGRATIONS[version](self.db)
                self.db.execute(f"PRAGMA user_version = {version}")
        return self.schema_version

    # -- sources and topics ------------------------------------------------------------------
    def upsert_sources(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = [{**r, "updated_at": utc_now()} for r in rows]
        for r in rows:
            if isinstance(r.get("config"), dict | list):
                r["config"] = json.dumps(r["config"], ensure_ascii=False)
        with self.db.conn:
            self.db["sources"].upsert_all(rows, pk="id", alter=True)

    def upsert_topics(self, rows: Iterable[dict[str, Any]]) -> None:
        with self.db.conn:
            self.db["topics"].upsert_all(list(rows), pk="id", alter=True)

    # -- documents ---------------------------------------------------------------------------
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of these canonical URLs that are stored already."""
        return self._known({doc_id_for(url): url for url in urls})

    def _known(self, url_of: dict[int, str]) -> set[str]:
        """Of {id: canonical URL}, the URLs stored already: looked up by id (a document's id is
        derived from its canonical URL, so the unique id index also keeps canonical URLs unique)."""
        ids = list(url_of)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            sql = f"SELECT id, canonical_url FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            found.update(url for doc_id, url in self.db.execute(sql, chunk) if url_of[doc_id] == url)
        return found

    def known_hashes(self, hashes: Iterable[str]) -> dict[str, int]:
        """content_hash -> id of the earliest stored document with that hash."""
        hashes = list(dict.fromkeys(h for h in hashes if h))
        found: dict[str, int] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            # No ORDER BY in SQL: it would make SQLite walk the published_at index (a full scan).
            sql = (
                f"SELECT content_hash, id, coalesce(published_at, '9999') FROM documents "
                f"WHERE content_hash IN ({marks}) AND +dup_of IS NULL"  # "+": use the hash index
            )
            for h, doc_id, _published in sorted(self.db.execute(sql, chunk), key=lambda r: r[2]):
                found.setdefault(h, doc_id)
        return found

    def upsert_documents(
        self,
        rows: Iterable[dict[str, Any]],
        *,
        update: bool = False,
        batch_size: int = 5000,
        prepared: bool = False,
    ) -> UpsertResult:
        """Insert documents keyed on canonical_url; one transaction per batch.

        A row whose canonical URL is stored already counts as `duplicate` (or `updated` with
        update=True). Exact content copies under another URL are stored with dup_of pointing at
        the original. Rows are validated with `prepare_document` (raising InputError) unless
        prepared=True says the caller did it already.
        """
        total = UpsertResult()
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                total += self._upsert_batch(batch, update, prepared)
                batch = []
        if batch:
            total += self._upsert_batch(batch, update, prepared)
        return total

    def _upsert_batch(self, rows: list[dict[str, Any]], update: bool, is_prepared: bool) -> UpsertResult:
        result = UpsertResult()
        prepared = rows if is_prepared else [prepare_document(r) for r in rows]
        # Duplicates inside the batch: first one wins.
        unique: dict[str, dict[str, Any]] = {}
        for r in prepared:
            if r["canonical_url"] in unique:
                result.duplicate += 1
            else:
                unique[r["canonical_url"]] = r
        stored = self.known_urls(unique)
        new_rows = [r for url, r in unique.items() if url not in stored]
        old_rows = [r for url, r in unique.items() if url in stored]
        new = [new_document(r) for r in new_rows]
        self._write(new, old_rows if update else [])
        for r, (values, _) in zip(new_rows, new, strict=True):
            r["seq"], r["dup_of"] = values[_SEQ], values[_DUP]
        result.new = len(new_rows)
        result.new_ids = [r["id"] for r in new_rows]
        if update:
            result.updated = len(old_rows)
        else:
            result.duplicate += len(old_rows)
        return result

    def insert_new_documents(self, docs: list[NewDocument]) -> UpsertResult:
        """The bulk import's batch: documents prepared elsewhere (`new_document(prepare_document(...))`).

        Like upsert_documents without update: one transaction, a canonical URL stored already (or
        earlier in the batch) counts as a duplicate, exact copies get dup_of. Takes the compact form
        so that worker processes can hand rows over cheaply.
        """
        with self.bulk_insert() as bulk:
            return bulk.add(docs)

    def bulk_insert(self, commit_rows: int = 20_000) -> BulkInsert:
        """A bulk insert that takes documents chunk by chunk and commits every `commit_rows` new ones
        (and when the `with` block ends; an error rolls back the open transaction only)."""
        return BulkInsert(self, commit_rows)

    def _write(self, new: list[NewDocument], old_rows: list[dict[str, Any]]) -> None:
        """Insert new documents (marking exact copies) and update stored ones, in one transaction."""
        self._mark_copies(new)
        conn = self.db.conn
        try:
            with conn:
                if new:
                    if len(new) >= BULK_SUMMARY_ROWS:
                        # Summary cells per batch instead of per-row triggers (trend_summary.py).
                        if not conn.in_transaction:
                            conn.execute("BEGIN")
                        after = self._max_seq()
                        with bulk_insert_summary(conn, after), bulk_insert_trend_docs(conn, after):
                            self._insert_new(new)
                    else:
                        self._insert_new(new)
                if old_rows:
                    self._update_rows(old_rows)
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from exc

    def _mark_copies(self, new: list[NewDocument]) -> None:
        """Set dup_of on exact copies (same content hash) of a stored document or of an earlier one
        in `new`; the stored original is the earliest published."""
        originals = self.known_hashes(values[_HASH] for values, _ in new)
        seen_in_batch: dict[str, int] = {}
        for values, _ in new:
            if values[_DUP] is None:
                digest = values[_HASH]
                original = originals.get(digest) or seen_in_batch.get(digest)
                if original is not None and original != values[_ID]:
                    values[_DUP] = original
                else:
                    seen_in_batch.setdefault(digest, values[_ID])

    def _max_seq(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0])

    def _insert_new(self, new: list[NewDocument]) -> None:
        # One writer inside one transaction, so max(seq)+1.. are ours to assign. seq is also the
        # rowid of documents_fts. Plain executemany: sqlite-utils' insert_all is ~5x slower here.
        seq = self._max_seq()
        for values, _ in new:
            seq += 1
            values[_SEQ] = seq
        _insert_documents(self.db.conn, [values for values, _ in new])
        fulltext.index(self.db.conn, ((values[_SEQ], tokens, values[_TITLE], values[_BODY]) for values, tokens in new))

    def _update_rows(self, rows: list[dict[str, Any]]) -> None:
        stored = {
            doc_id: (seq, title, body)
            for doc_id, seq, title, body in self.db.execute(
                f"SELECT id, seq, title, body FROM documents WHERE id IN ({','.join('?' * len(rows))})",
                [r["id"] for r in rows],
            )
        }
        for r in rows:
            r["seq"] = stored[r["id"]][0]
        # the index forgets the old text (contentless: it has to be told which tokens) ...
        fulltext.unindex(self.db.conn, stored.values())
        columns = [{k: v for k, v in r.items() if k != "_tokens"} for r in rows]
        self.db["documents"].upsert_all(columns, pk="seq", batch_size=1000)
        # ... and learns the new one
        fulltext.index(self.db.conn, ((r["seq"], r.get("_tokens"), r.get("title"), r.get("body")) for r in rows))

    def get_document(self, doc_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        return rows[0] if rows else None

    def count(self, table: str = "documents") -> int:
        return self.db[table].count

    # -- full-text search ----------------------------------------------------------------------
    def search_ids(self, query: str, *, limit: int = 50, window: int | None = SEARCH_WINDOW) -> list[int]:
        """Document ids matching a query in any script, best first (BM25).

        Like `runri search`, BM25 ranks the `window` most recently stored matches (FTS5 walks its
        doclist backwards from the newest rowid and stops): exact for a query with fewer matches,
        and for a word found in half of 100,000 documents about 10 ms instead of 50-90 ms for
        scoring every match. window=None ranks all matches.
        """
        match = fts_query(query)
        if not match:
            return []
        if window is None:
            sql = (
                "SELECT d.id FROM documents_fts f JOIN documents d ON d.seq = f.rowid "
                "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?"
            )
            args: list[Any] = [match, limit]
        else:
            sql = (
                "SELECT d.id FROM (SELECT rowid, bm25(documents_fts) AS rank FROM documents_fts "
                "WHERE documents_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m "
                "JOIN documents d ON d.seq = m.rowid ORDER BY m.rank LIMIT ?"
            )
            args = [match, max(window, limit), limit]
        return [r[0] for r in self.db.execute(sql, args)]

    # -- crawl runs ----------------------------------------------------------------------------
    def start_run(self, kind: str = "crawl", log_path: str | None = None) -> int:
        with self.db.conn:
            table = self.db["crawl_runs"]
            table.insert(
                {"kind": kind, "started_at": utc_now(), "status": "running", "stats": "{}", "log_path": log_path}
            )
            return int(table.last_pk)

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.db.conn:
            self.db["crawl_runs"].update(
                run_id,
                {"finished_at": utc_now(), "status": status, "stats": json.dumps(stats, ensure_ascii=False)},
            )

    # -- crawler: URLs seen but not stored (added by the crawler, issue 3) ---------------------
    # Redirect sources (an old URL that lands on a stored article) and pages judged irrelevant:
    # an incremental crawl skips them like stored articles (`runri crawl --refetch` does not).
    # The table comes with schema migration 3.
    def mark_seen(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Remember (url, reason, target canonical URL or None) for the next incremental crawl."""
        rows = [(u, r, t, utc_now()) for u, r, t in rows if u]
        if not rows:
            return
        with self.db.conn:
            self.db.conn.executemany("INSERT OR REPLACE INTO crawl_seen VALUES (?, ?, ?, ?)", rows)

    def seen_urls(self, urls: Iterable[str]) -> set[str]:
        """The subset of these URLs recorded by `mark_seen`."""
        urls = list(dict.fromkeys(urls))
        found: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i : i + 500]
            sql = f"SELECT url FROM crawl_seen WHERE url IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.db.execute(sql, chunk))
        return found

    # -- annotations ---------------------------------------------------------------------------
    def documents_without_annotations(self, nlp_version: str, batch: int = 256) -> Iterator[list[dict[str, Any]]]:
        """Batches of documents lacking an annotation of this NLP version (resumable by design)."""
        last_id = -1
        sql = (
            "SELECT d.id, d.lang, d.title, d.body, d.kind, d.platform FROM documents d "
            "LEFT JOIN annotations a ON a.doc_id = d.id AND a.nlp_version = ? "
            "WHERE a.doc_id IS NULL AND d.id > ? ORDER BY d.id LIMIT ?"
        )
        while True:
            rows = list(self.db.query(sql, [nlp_version, last_id, batch]))
            if not rows:
                return
            yield rows
            last_id = rows[-1]["id"]

    def count_without_annotations(self, nlp_version: str) -> int:
        sql = (
            "SELECT count(*) FROM documents d LEFT JOIN annotations a "
            "ON a.doc_id = d.id AND a.nlp_version = ? WHERE a.doc_id IS NULL"
        )
        return int(self.db.execute(sql, [nlp_version]).fetchone()[0])

    def save_annotations(self, rows: list[dict[str, Any]]) -> None:
        """Write annotations and their topic scores for a batch of documents in one transaction.

        Each row: doc_id, nlp_version, lang, ..., plus "topics": [{"id", "score"}].
        """
        ann_rows, topic_rows = [], []
        for r in rows:
            r = dict(r)
            topics = r.pop("topics", []) or []
            for key in ("tokens", "keywords", "entities", "sentences"):
                if key in r and not isinstance(r[key], str | type(None)):
                    r[key] = json.dumps(r[key], ensure_ascii=False)
            r.setdefault("annotated_at", utc_now())
            ann_rows.append(r)
            topic_rows.extend({"doc_id": r["doc_id"], "topic_id": t["id"], "score": t["score"]} for t in topics)
        ids = [(r["doc_id"],) for r in ann_rows]
        try:
            with self.db.conn:
                self.db.conn.executemany("DELETE FROM doc_topics WHERE doc_id = ?", ids)
                self.db["annotations"].upsert_all(ann_rows, pk="doc_id", alter=True)
                if topic_rows:
                    self.db["doc_topics"].insert_all(topic_rows, pk=("doc_id", "topic_id"), replace=True)
        except sqlite3.OperationalError as exc:
            raise _translate(exc, self.path) from exc


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def prepare_document(row: dict[str, Any], *, tokens: bool = False, valid_text: bool = False) -> dict[str, Any]:
    """Validate and complete one document row; raises InputError naming the problem.

    tokens=True also computes the full-text index tokens of title and body (kept under the private
    key "_tokens", which is never stored as a column), folding each text once for both the content
    hash and the index: the bulk import path. valid_text=True says the strings were decoded from
    valid UTF-8 (they cannot hold a lone surrogate), which spares looking for one.
    """
    url = (row.get("url") or "").strip()
    canonical = (row.get("canonical_url") or url).strip()
    if not canonical:
        raise InputError("missing url")
    if not canonical.startswith(("http://", "https://")):
        raise InputError(f"url is not http(s): {canonical[:80]}")
    title = row.get("title") or ""
    body = row.get("body") or ""
    if not title.strip() and not body.strip():
        raise InputError("empty document: no title and no body")
    if not valid_text and (
        _LONE_SURROGATE.search(title) or _LONE_SURROGATE.search(body) or _LONE_SURROGATE.search(canonical)
    ):
        # e.g. JSON "\ud800" without its pair: no such text can be stored as UTF-8
        raise InputError("text contains a lone UTF-16 surrogate (a broken \\u escape)")
    kind = row.get("kind") or "article"
    if kind not in DOCUMENT_KINDS:
        raise InputError(f"kind must be one of {', '.join(DOCUMENT_KINDS)}, not {kind!r}")
    out: dict[str, Any] = {k: v for k, v in row.items() if k in DOCUMENT_COLUMNS}
    out.update(
        id=doc_id_for(canonical),
        url=url or canonical,
        canonical_url=canonical,
        kind=kind,
        title=title,
        body=body,
        source_id=row.get("source_id") or row.get("source") or "unknown",
        platform=row.get("platform") or "web",
        fetched_at=row.get("fetched_at") or utc_now(),
    )
    digest = row.get("content_hash")
    if tokens:
        folded_title, folded_body = fold(title), fold(body)
        out["_tokens"] = (folded_bigram_tokens(folded_title), folded_bigram_tokens(folded_body))
        out["content_hash"] = digest or _folded_hash(folded_title, folded_body)
    else:
        out["content_hash"] = digest or content_hash(title, body)
    published = row.get("published_at")
    out["published_at"] = normalize_timestamp(published) if published else None
    if row.get("parent_url") and not row.get("parent_id"):
        out["parent_id"] = doc_id_for(row["parent_url"])
    dup = row.get("dup_of")
    if isinstance(dup, str):
        out["dup_of"] = doc_id_for(dup)
    for key in ("metrics", "matched_terms"):
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            out[key] = json.dumps(value, ensure_ascii=False)
    return out


def normalize_timestamp(value: str) -> str:
    """Parse an ISO-8601 date/time and return it in UTC; a naive time is taken as UTC."""
    return _utc_isoformat(str(value).strip())


@lru_cache(maxsize=1 << 16)
def _utc_isoformat(value: str) -> str:
    # Cached: the values of a feed or an export repeat (dates without a time, the same publication
    # minute), and parsing is most of the cost (~4 us against ~0.1 us for a hit).
    text = value.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"published_at is not an ISO-8601 date: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat()


def fts_query(query: str) -> str:
    """Turn a user query into an FTS5 MATCH expression over bigram tokens.

    Whitespace separates terms (all must match); each term becomes a phrase of its bigrams, so
    "潤日" -> "润日" and "经营管理签证" -> "经营 营管 管理 理签 签证" (consecutive). A one-character
    CJK term is matched as a prefix of bigrams.
    """
    parts = []
    for term in query.split():
        tokens = bigram_tokens(term).split()
        if not tokens:
            continue
        if len(tokens) == 1 and len(tokens[0]) == 1 and not tokens[0].isascii():
            parts.append(f'"{tokens[0]}"*')
        else:
            escaped = " ".join(t.replace('"', '""') for t in tokens)
            parts.append(f'"{escaped}"')
    return " AND ".join(parts)


class BulkInsert:
    """New documents written chunk by chunk inside transactions of about `commit_rows` documents.

    The bulk import hands each chunk over as soon as its workers have prepared it, so the writer
    never waits for a whole transaction's rows and, at the end, has only the last chunk left to
    write (with one 20,000-row batch it wrote the whole last batch while the workers sat idle).
    A transaction's trend-summary triggers are deferred to its commit (trend_summary.py,
    trend_docs.py), exactly as for one big batch. Rows of earlier chunks of the open transaction
    are visible to the duplicate checks (same connection). A killed import loses the open
    transaction only; importing the file again adds exactly what is missing.
    """

    def __init__(self, store: Store, commit_rows: int) -> None:
        self.store = store
        self.commit_rows = commit_rows
        self.pending = 0  # new documents in the open transaction
        self._deferred: ExitStack | None = None

    def __enter__(self) -> BulkInsert:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def add(self, docs: list[NewDocument]) -> UpsertResult:
        """Insert the documents whose canonical URL is not stored (nor earlier in `docs`)."""
        store = self.store
        unique: dict[str, NewDocument] = {}
        for doc in docs:
            unique.setdefault(doc[0][_CANONICAL], doc)
        try:
            stored = store._known({values[_ID]: url for url, (values, _) in unique.items()})
            new = [doc for url, doc in unique.items() if url not in stored]
            if new:
                store._mark_copies(new)
                self._begin(defer_triggers=len(new) >= BULK_SUMMARY_ROWS)
                store._insert_new(new)
                self.pending += len(new)
        except sqlite3.OperationalError as exc:
            self.rollback()
            raise _translate(exc, store.path) from exc
        except BaseException:
            self.rollback()
            raise
        if self.pending >= self.commit_rows:
            self.commit()
        return UpsertResult(new=len(new), duplicate=len(docs) - len(new), new_ids=[v[_ID] for v, _ in new])

    def _begin(self, defer_triggers: bool) -> None:
        """Open a transaction unless one is open; its first chunk decides whether the trend triggers
        are deferred (a few rows are cheaper through the triggers than a catch-up)."""
        if self._deferred is not None:
            return
        conn = self.store.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        deferred = ExitStack()
        if defer_triggers:
            after = self.store._max_seq()
            deferred.enter_context(bulk_insert_summary(conn, after))
            deferred.enter_context(bulk_insert_trend_docs(conn, after))
        self._deferred = deferred

    def commit(self) -> None:
        """Catch up the deferred triggers and commit the open transaction (if any)."""
        if self._deferred is None:
            return
        deferred, self._deferred = self._deferred, None
        conn = self.store.db.conn
        try:
            deferred.close()  # the triggers' work for this transaction's rows, then the triggers again
            conn.commit()
        except sqlite3.OperationalError as exc:
            conn.rollback()
            raise _translate(exc, self.store.path) from exc
        except BaseException:
            conn.rollback()
            raise
        self.pending = 0

    def rollback(self) -> None:
        if self._deferred is not None or self.store.db.conn.in_transaction:
            self.store.db.conn.rollback()
        self._deferred = None
        self.pending = 0


def _translate(exc: sqlite3.DatabaseError, path: str) -> Exception:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return StoreLockedError(f"database {path} is locked by another process; try again when it finishes")
    if "file is not a database" in message or "malformed" in message:
        return InputError(f"{path} is not a runri-monitor SQLite database ({message})")
    if "readonly" in message or "unable to open" in message:
        return InputError(f"cannot open database {path}: {message}")
    if "disk" in message and "full" in message:
        return StoreLockedError(f"disk full while writing {path}; nothing from this batch was written")
    return exc
