"""The two databases behind ``claimcheck.store.Store``: SQLite (a file, the default) and
PostgreSQL (a server, through psycopg 3, from the ``scale`` extra).

A back-end is a connection and what differs between the two dialects; the SQL itself
is written once, in ``claimcheck.store``, with ``?`` placeholders.  What differs:

* **placeholders**: ``?`` (SQLite) against ``%s`` (psycopg), translated once per
  statement;
* **schema words**: how a table says "an integer key the database numbers", "bytes",
  "a double", an append-only table; these sit with the migrations
  (``claimcheck.store.schema.TERMS``);
* **new row ids**: ``cursor.lastrowid`` against ``INSERT ... RETURNING id``;
* **transactions**: ``BEGIN IMMEDIATE`` takes SQLite's one write lock up front; on
  PostgreSQL writers do not queue on one lock, so ``Store`` takes row locks
  (``FOR UPDATE``) and advisory locks where two writers could meet;
* **locks** (``try_lock``, ``lock``, ``unlock``, ``lock_for_transaction``): PostgreSQL
  advisory locks, per story, per run and for story assignment; the server drops a
  session's locks when its connection ends, so a killed run never leaves one behind.
  On SQLite they are no-ops that always succeed: one batch runs at a time there
  (``claimcheck.batch.BatchLock``, a file lock), and ``BEGIN IMMEDIATE`` serialises
  the rest.
"""

from __future__ import annotations

import re
import sqlite3
from abc import ABC, abstractmethod
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from claimcheck.errors import StoreError

__all__ = ["Backend", "PostgresBackend", "SqliteBackend", "is_server_url", "open_backend", "redact_url"]

#: ``--db`` values that name a server instead of a file
SERVER_SCHEMES = ("postgresql://", "postgres://")

#: advisory lock classes (the first of PostgreSQL's two 32-bit keys): "cc" and a number
LOCK_CLASSES = {
    "migrations": 0x63630001,
    "assignment": 0x63630002,  # filing new articles under stories
    "story": 0x63630003,  # analysing, saving and reporting one story
    "run": 0x63630004,  # held by the process running that batch run, for its whole life
    "slugs": 0x63630005,  # naming stories (slugs are unique)
}


def is_server_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Backend(ABC):
    """A connection plus the dialect's differences (see the module's docstring)."""

    name: str = ""
    #: appended to a SELECT that reads rows the transaction will rewrite
    FOR_UPDATE: str = ""
    #: several batch runs may work on the database at once
    CONCURRENT_RUNS: bool = False
    errors: tuple[type[BaseException], ...] = ()
    integrity_errors: tuple[type[BaseException], ...] = ()
    location: str = ""

    # -- statements
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement written with ``?`` placeholders; a cursor."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""

    @abstractmethod
    def insert_id(self, sql: str, params: Sequence[Any], *, key: str = "id") -> int:
        """Insert one row; the number the database gave its ``key`` column."""

    @abstractmethod
    def run_script(self, script: str) -> None:
        """Run a migration's statements inside the open transaction."""

    # -- transactions
    @abstractmethod
    def begin(self) -> None: """Open a transaction."""

    @abstractmethod
    def commit(self) -> None: """Commit the open transaction."""

    @abstractmethod
    def rollback(self) -> None: """Roll back the open transaction, if any."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool: """Whether a transaction is open."""

    @abstractmethod
    def close(self) -> None: """Close the connection (the server drops its locks)."""

    def busy(self, exc: BaseException) -> bool:
        return "locked" in str(exc) or "busy" in str(exc)

    def missing_table(self, exc: BaseException) -> bool:
        """Whether the statement failed because a table it names does not exist."""
        return isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc)

    # -- locks (no-ops that succeed, unless the database is shared by several runs)
    def try_lock(self, kind: str, key: int = 0) -> bool:
        return True

    def lock(self, kind: str, key: int = 0) -> None:
        return None

    def unlock(self, kind: str, key: int = 0) -> None:
        return None

    def lock_for_transaction(self, kind: str, key: int = 0) -> None:
        return None

    def held_elsewhere(self, kind: str, key: int = 0) -> bool:
        """Whether another session holds the lock (a live run, for ``run``)."""
        return False


# --------------------------------------------------------------------------- SQLite


class SqliteBackend(Backend):
    name = "sqlite"
    errors = (sqlite3.Error,)
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str | Path, *, busy_timeout: float):
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path), timeout=busy_timeout, isolation_level=None,
                                    check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_id(self, sql: str, params: Sequence[Any], *, key: str = "id") -> int:
        return int(self.conn.execute(sql, params).lastrowid)  # the key is the rowid

    def run_script(self, script: str) -> None:
        # executescript() would commit the open transaction first: one statement at a time
        for statement in split_sqlite_script(script):
            self.conn.execute(statement)

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock now, not half-way through

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def close(self) -> None:
        self.conn.close()


def split_sqlite_script(script: str) -> list[str]:
    """A script's statements, whole (a trigger's ``BEGIN ... END;`` stays one)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and current.strip() != ";":
        statements.append(current.strip())
    return [s for s in statements if s.strip(" ;\n")]


# --------------------------------------------------------------------------- PostgreSQL

_PLACEHOLDER = re.compile(r"\?")


class PostgresBackend(Backend):
    name = "postgresql"
    FOR_UPDATE = " FOR UPDATE"
    CONCURRENT_RUNS = True

    def __init__(self, url: str, *, busy_timeout: float):
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise StoreError(
                "a PostgreSQL --db needs psycopg", path=redact_url(url),
                hint="pip install 'claimcheck[scale]' (psycopg[binary], dask, distributed)",
            ) from exc
        self.location = redact_url(url)
        self.errors = (psycopg.Error,)
        self.integrity_errors = (psycopg.IntegrityError,)
        self._psycopg = psycopg
        self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row,
                                    application_name="claimcheck", connect_timeout=max(1, int(busy_timeout) or 10))
        # a row or lock another session holds is waited for this long, as SQLite's busy timeout
        self._lock_timeout_ms = int(busy_timeout * 1000)
        self.conn.execute(f"SET lock_timeout = '{self._lock_timeout_ms}ms'")
        self._sql: dict[str, str] = {}

    def busy(self, exc: BaseException) -> bool:
        return isinstance(exc, (self._psycopg.errors.LockNotAvailable, self._psycopg.errors.DeadlockDetected))

    def missing_table(self, exc: BaseException) -> bool:
        return isinstance(exc, self._psycopg.errors.UndefinedTable)

    def _translate(self, sql: str) -> str:
        out = self._sql.get(sql)
        if out is None:
            out = self._sql[sql] = _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))
        return out

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._translate(sql), rows)

    def insert_id(self, sql: str, params: Sequence[Any], *, key: str = "id") -> int:
        row = self.conn.execute(self._translate(f"{sql} RETURNING {key}"), tuple(params)).fetchone()
        return int(row[key])

    def run_script(self, script: str) -> None:
        self.conn.execute(script)  # no parameters: several statements in one call

    def begin(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.conn.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.conn.close()

    # -- advisory locks: (class, key) pairs of 32-bit integers
    def try_lock(self, kind: str, key: int = 0) -> bool:
        row = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s) AS ok", (LOCK_CLASSES[kind], key)).fetchone()
        return bool(row["ok"])

    def lock(self, kind: str, key: int = 0) -> None:
        # no lock_timeout here: it is meant for rows, and a wait for another run's story
        # lasts as long as that run's analysis of it
        self.conn.execute("SET lock_timeout = 0")
        try:
            self.conn.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_CLASSES[kind], key))
        finally:
            self.conn.execute(f"SET lock_timeout = '{self._lock_timeout_ms}ms'")

    def unlock(self, kind: str, key: int = 0) -> None:
        self.conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASSES[kind], key))

    def lock_for_transaction(self, kind: str, key: int = 0) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASSES[kind], key))

    def held_elsewhere(self, kind: str, key: int = 0) -> bool:
        row = self.conn.execute(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s "
            "AND objsubid = 2 AND granted AND pid <> pg_backend_pid()",
            (LOCK_CLASSES[kind] & 0xFFFFFFFF, key)).fetchone()
        return bool(row["n"])


def open_backend(target: str | Path, *, busy_timeout: float) -> Backend:
    """SQLite for a path, PostgreSQL for a ``postgresql://`` URL."""
    if is_server_url(target):
        try:
            return PostgresBackend(str(target), busy_timeout=busy_timeout)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - psycopg's OperationalError and kin, said in words
            raise StoreError(f"cannot connect: {exc}".strip(), path=redact_url(str(target)),
                             hint="check that the server runs and the URL's user, host, port and database") from exc
    try:
        return SqliteBackend(target, busy_timeout=busy_timeout)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot be opened: {exc}", path=str(target),
                         hint="check that it is a claimcheck database on a writable disk") from exc
