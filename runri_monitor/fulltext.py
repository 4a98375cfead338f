"""The full-text index: a contentless FTS5 table over pre-segmented, folded tokens.

Why this shape:
- SQLite's tokenizers do not segment CJK text, so documents are indexed as our own tokens
  (nlp.normalize.bigram_tokens: the folded text as overlapping character bigrams, Latin words
  whole), space-separated. FTS5's `ascii` tokenizer splits exactly those strings the way
  `unicode61` did (every non-ASCII character is a token character, ASCII words are lowercase
  already) without a Unicode category lookup per character: about a third less indexing work.
- Contentless (`content=''`): the token strings are three times the size of the text and were
  never read back (snippets come from `documents`). Not storing them makes a bulk import ~10%
  cheaper and the database ~30% smaller. The price: SQLite 3.40 (Python's) cannot DELETE from a
  contentless table, so an updated document is unindexed with the FTS5 'delete' command and the
  tokens it was indexed with, recomputed from its stored title and body.
- That recomputation is only right while bigram_tokens gives the same tokens as when the row was
  indexed. The store records nlp.normalize.index_tokens_fingerprint() (fold table, token pattern)
  in store_meta; a store opened for writing with another fingerprint is re-indexed first
  (`ensure_current`), which also keeps queries (folded with today's table) matching old documents.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

from nlp.normalize import bigram_tokens, index_tokens_fingerprint

__all__ = ["TABLE", "CREATE_SQL", "tokens_of", "index", "unindex", "rebuild", "recreate", "configure", "ensure_current",
           "stored_fingerprint"]

log = logging.getLogger(__name__)

TABLE = "documents_fts"
CREATE_SQL = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, content='', tokenize='ascii')"
INSERT_SQL = f"INSERT INTO {TABLE}(rowid, title, body) VALUES (?, ?, ?)"
DELETE_SQL = f"INSERT INTO {TABLE}({TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)"
META_KEY = "fts_tokens"
REBUILD_CHUNK = 5000
AUTOMERGE = 8
HASHSIZE = 16 * 2**20

Tokens = tuple[str, str]


def tokens_of(title: str | None, body: str | None) -> Tokens:
    """The index tokens of a document's title and body, as bound to the FTS table."""
    return bigram_tokens(title or ""), bigram_tokens(body or "")


def index(conn: sqlite3.Connection, rows: Iterable[tuple[int, Tokens | None, str | None, str | None]]) -> None:
    """Index (seq, tokens or None, title, body): tokens are computed from the text when None."""
    conn.executemany(INSERT_SQL, ((seq, *(tokens or tokens_of(title, body))) for seq, tokens, title, body in rows))


def unindex(conn: sqlite3.Connection, rows: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Remove (seq, title, body) from the index: the title and body it was indexed with."""
    conn.executemany(DELETE_SQL, ((seq, *tokens_of(title, body)) for seq, title, body in rows))


def _set_fingerprint(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute(
        "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [META_KEY, index_tokens_fingerprint()],
    )


def stored_fingerprint(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM store_meta WHERE key = ?", [META_KEY]).fetchone()
    except sqlite3.OperationalError:  # no store_meta yet
        return None
    return row[0] if row else None


def rebuild(conn: sqlite3.Connection) -> int:
    """Re-index every document from its stored title and body (inside the caller's transaction)."""
    conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    n = 0
    last = -(2**63)
    while True:
        rows = conn.execute(
            "SELECT seq, title, body FROM documents WHERE seq > ? ORDER BY seq LIMIT ?", [last, REBUILD_CHUNK]
        ).fetchall()
        if not rows:
            break
        index(conn, ((seq, None, title, body) for seq, title, body in rows))
        last = rows[-1][0]
        n += len(rows)
    _set_fingerprint(conn)
    return n


def recreate(conn: sqlite3.Connection) -> int:
    """Replace whatever index exists by the current kind of table and fill it (a migration step)."""
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    conn.execute(CREATE_SQL)
    configure(conn)
    return rebuild(conn)


def configure(conn: sqlite3.Connection) -> None:
    """The index's write settings (kept in the table's own config, so every writer uses them)."""
    # Merge index segments 8 at a time instead of 4: ~9% less writer CPU in a bulk import, at the
    # price of more, smaller segments for a query to read (bench: search latency unchanged).
    conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('automerge', {AUTOMERGE})")
    # Buffer up to 16 MB of new index entries in memory before writing a segment (1 MB by default):
    # a 20,000-row import transaction then writes about one segment instead of ten that automerge
    # merges again: ~14% fewer writer instructions in a bulk import (callgrind, bench documents).
    # The buffer lives only during a write transaction; small transactions flush at commit anyway.
    conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('hashsize', {HASHSIZE})")


def ensure_current(conn: sqlite3.Connection) -> bool:
    """Re-index when the stored token fingerprint is not today's; True if it did."""
    if stored_fingerprint(conn) == index_tokens_fingerprint():
        return False
    conn.execute("BEGIN IMMEDIATE")  # decide again under the write lock: one process re-indexes
    try:
        stored = stored_fingerprint(conn)
        if stored == index_tokens_fingerprint():
            conn.commit()
            return False
        n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        if stored is not None and n:
            log.warning("the full-text index was built with other index tokens (fold table changed): "
                        "re-indexing %d documents", n)
        rebuild(conn)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return True
