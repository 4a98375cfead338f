"""Run a per-row AFTER INSERT trigger's work once per batch instead of once per row.

Bulk imports insert thousands of documents per transaction; the trend tables' insert triggers cost
more than the insert itself when they fire row by row. Inside `deferred_insert_trigger(...)` the
trigger is dropped; on leaving, `catch_up` statements (the trigger's own work written as one
`INSERT ... SELECT ... WHERE d.seq > ? ORDER BY d.seq`) add the batch's rows, and the trigger is
created again from its known definition. All of it happens in the caller's transaction: a batch that
dies half-way rolls back the documents and the DROP TRIGGER together. If the stored trigger is
missing or differs from the known definition, nothing is dropped and rows go through it as before,
so a changed trigger is never silently replaced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

__all__ = ["deferred_insert_trigger", "trigger_sql", "create_triggers"]


def trigger_sql(name: str, when: str, body: str) -> str:
    """The CREATE TRIGGER statement exactly as SQLite stores it in sqlite_master."""
    return f"CREATE TRIGGER {name} {when} BEGIN\n{body}\nEND"


def create_triggers(conn: sqlite3.Connection, triggers: dict[str, tuple[str, str]]) -> None:
    """Create the missing ones of {name: (when, body)}."""
    for name, (when, body) in triggers.items():
        conn.execute(trigger_sql(name, when, body).replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class deferred_insert_trigger:  # noqa: N801 - used like a function in a `with` statement
    def __init__(
        self,
        conn: sqlite3.Connection,
        name: str,
        create_sql: str,
        catch_up: Sequence[str | Callable[[sqlite3.Connection, int], None]],
        after_seq: int,
    ) -> None:
        self.conn = conn
        self.name = name
        self.create_sql = create_sql
        self.catch_up = catch_up
        self.after_seq = after_seq
        self.active = False

    def __enter__(self) -> deferred_insert_trigger:
        if not self.conn.in_transaction:
            raise RuntimeError(f"deferring {self.name} needs an open transaction")
        row = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [self.name]
        ).fetchone()
        if row and row[0] == self.create_sql:
            self.conn.execute(f"DROP TRIGGER {self.name}")
            self.active = True
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if not self.active or exc_type is not None:  # on an error the caller rolls back the DROP
            return
        for step in self.catch_up:
            if callable(step):  # a step that picks its statement(s) itself
                step(self.conn, self.after_seq)
            else:
                self.conn.execute(step, [self.after_seq])
        self.conn.execute(self.create_sql)
