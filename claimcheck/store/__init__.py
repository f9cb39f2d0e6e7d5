"""The persistent store behind nightly batch runs: articles, stories, discrepancies and
fact-checkers' review decisions.

One class, ``Store``, owns the database; nothing else in claimcheck issues SQL, so a
server database can take SQLite's place behind the same methods later.

    >>> with Store("claimcheck.db") as store:
    ...     for d in store.find_discrepancies(status="open"):
    ...         print(d.story_slug, d.id, d.explanation)

Decisions worth knowing:

* **Migrations.** ``MIGRATIONS`` is a list of SQL scripts; script *n* takes the schema
  from version *n-1* to *n*.  Each runs in its own transaction together with its row in
  ``schema_migrations``, so a database is always at exactly one version.  Add a script
  at the end; never edit one that has shipped.
* **Transactions.** The connection is in autocommit mode; ``Store.transaction()``
  opens ``BEGIN IMMEDIATE`` (taking SQLite's write lock up front, so two writers queue
  on ``busy_timeout`` instead of failing half-way) and commits or rolls back as a
  whole.  A process killed inside one leaves the database as before it began.
* **WAL** journal, foreign keys on, a busy timeout from the config.
* **Discrepancy keys** are ``(story, id)``: ``Discrepancy.id`` is derived from what the
  disagreement is about, so two stories may raise the same one.  Commands that take an
  id accept a unique prefix and ask for the story when an id is in several.
* **Review history** (``review_events``) is append-only (triggers refuse UPDATE and
  DELETE); ``discrepancies.status`` is the current status.
* **Embeddings are not stored here**: ``claimcheck.embed`` caches them by (model, text).
  A story keeps only the sum of its articles' lead vectors, for assignment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from claimcheck.errors import StoreError
from claimcheck.models import (
    Article,
    Discrepancy,
    DiscrepancyKind,
    Evidence,
    Severity,
    Span,
)

__all__ = [
    "MIGRATIONS",
    "REVIEW_STATUSES",
    "ReviewEvent",
    "Run",
    "Store",
    "StoredArticle",
    "StoredDiscrepancy",
    "StoredStory",
    "FileFailure",
    "evidence_signature",
]

REVIEW_STATUSES = ("open", "confirmed", "dismissed")

# --------------------------------------------------------------------------- schema

MIGRATIONS: tuple[str, ...] = (
    # 1: the nightly batch store
    """
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        run_date    TEXT NOT NULL,              -- the date reports are filed under
        inbox       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,                       -- NULL: killed before it finished
        summary     TEXT                        -- JSON, once finished
    );
    CREATE TABLE stories (
        id             INTEGER PRIMARY KEY,
        slug           TEXT UNIQUE,             -- NULL until first analysed
        title          TEXT NOT NULL DEFAULT '',
        created        TEXT NOT NULL,           -- run date
        updated        TEXT NOT NULL,           -- run date an article last joined
        created_run    INTEGER NOT NULL REFERENCES runs(id),
        centroid       BLOB NOT NULL,           -- float32 sum of member lead vectors
        n_articles     INTEGER NOT NULL DEFAULT 0,
        entities       TEXT NOT NULL DEFAULT '{}',  -- JSON {folded name: mentions}
        needs_analysis INTEGER NOT NULL DEFAULT 1,
        needs_report   INTEGER NOT NULL DEFAULT 0,
        report_date    TEXT                     -- folder of its latest report
    );
    CREATE INDEX stories_updated ON stories(updated);
    CREATE TABLE articles (
        id           TEXT PRIMARY KEY,          -- Article.id; made unique on clash
        content_hash TEXT NOT NULL UNIQUE,      -- claimcheck.ingest.content_hash of the body
        source       TEXT,
        date         TEXT,
        title        TEXT,
        path         TEXT,
        url          TEXT,
        body_start   INTEGER NOT NULL DEFAULT 0,
        notes        TEXT NOT NULL DEFAULT '[]',
        text         TEXT NOT NULL,
        run_id       INTEGER NOT NULL REFERENCES runs(id),
        ingested_at  TEXT NOT NULL
    );
    CREATE INDEX articles_run ON articles(run_id);
    CREATE TABLE story_articles (
        story_id        INTEGER NOT NULL REFERENCES stories(id),
        article_id      TEXT NOT NULL UNIQUE REFERENCES articles(id),
        similarity      REAL,                   -- why it joined: cosine with the centroid
        shared_entities INTEGER,                --   and names shared with the story
        PRIMARY KEY (story_id, article_id)
    );
    CREATE TABLE claims (
        article_id TEXT NOT NULL REFERENCES articles(id),
        claim_id   TEXT NOT NULL,
        record     TEXT NOT NULL,               -- JSON, as in report.json
        PRIMARY KEY (article_id, claim_id)
    );
    CREATE TABLE discrepancies (
        story_id           INTEGER NOT NULL REFERENCES stories(id),
        id                 TEXT NOT NULL,       -- Discrepancy.id (stable across runs)
        kind               TEXT NOT NULL,
        severity           TEXT NOT NULL,
        score              REAL NOT NULL,
        subject            TEXT NOT NULL DEFAULT '',
        explanation        TEXT NOT NULL,
        evidence           TEXT NOT NULL,       -- JSON list, as in report.json
        evidence_signature TEXT NOT NULL,
        first_seen         TEXT NOT NULL,       -- run dates
        last_seen          TEXT NOT NULL,
        first_run          INTEGER NOT NULL REFERENCES runs(id),
        last_run           INTEGER NOT NULL REFERENCES runs(id),
        active             INTEGER NOT NULL DEFAULT 1,  -- found by the story's latest analysis
        status             TEXT NOT NULL DEFAULT 'open'
                           CHECK (status IN ('open', 'confirmed', 'dismissed')),
        PRIMARY KEY (story_id, id)
    );
    CREATE INDEX discrepancies_id ON discrepancies(id);
    CREATE TABLE review_events (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        story_id       INTEGER NOT NULL,
        discrepancy_id TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
        note           TEXT NOT NULL DEFAULT '',
        by             TEXT NOT NULL,
        at             TEXT NOT NULL,
        FOREIGN KEY (story_id, discrepancy_id) REFERENCES discrepancies(story_id, id)
    );
    CREATE INDEX review_events_discrepancy ON review_events(story_id, discrepancy_id);
    CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
    CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review history is append-only'); END;
    """,
    # 2: what an article's offsets refer to (the decoding used) and its JSONL record id
    """
    ALTER TABLE articles ADD COLUMN encoding TEXT;
    ALTER TABLE articles ADD COLUMN record TEXT;
    """,
    # 3: attempts that failed, so a file or a story that breaks is not tried every night
    # for ever.  An attempt is counted when it begins (a run killed by the file counts).
    """
    CREATE TABLE file_failures (
        content_hash  TEXT PRIMARY KEY,         -- claimcheck.batch.file_digest: sha256 of the bytes
        path          TEXT NOT NULL,            -- where it was last read
        attempts      INTEGER NOT NULL,         -- runs that began reading it since it last succeeded
        error         TEXT NOT NULL,
        first_attempt TEXT NOT NULL,            -- timestamps (UTC)
        last_attempt  TEXT NOT NULL
    );
    ALTER TABLE stories ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- checks begun, not finished
    ALTER TABLE stories ADD COLUMN last_error TEXT;
    """,
)

#: the error an attempt carries until its outcome is known: what a killed run leaves
STOPPED_READING = "the run stopped while reading it (killed, or out of memory?)"
STOPPED_CHECKING = "the run stopped while checking it (killed, or out of memory?)"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Run:
    id: int
    run_date: dt.date
    inbox: str
    started_at: str
    finished_at: str | None = None
    resumed: bool = False  # an earlier attempt was killed; this one finishes its work
    summary: Mapping[str, Any] | None = None  # what finish_run recorded


@dataclass(frozen=True)
class StoredArticle:
    article: Article
    content_hash: str
    run_id: int
    story_id: int | None


@dataclass(frozen=True)
class StoredStory:
    id: int
    slug: str | None
    title: str
    created: dt.date
    updated: dt.date
    created_run: int
    centroid: np.ndarray = field(compare=False, repr=False)  # sum of member lead vectors
    n_articles: int = 0
    entities: Mapping[str, int] = field(default_factory=dict)  # folded name -> mentions
    needs_analysis: bool = True
    needs_report: bool = False
    report_date: dt.date | None = None
    attempts: int = 0  # checks begun and not finished since the last one that was
    last_error: str | None = None

    @property
    def name(self) -> str:
        """What to call the story before it has a slug."""
        return self.slug or f"story {self.id}"


@dataclass(frozen=True)
class FileFailure:
    """An inbox file whose reading failed (or was under way when a run stopped)."""

    content_hash: str
    path: str
    attempts: int
    error: str
    first_attempt: str
    last_attempt: str


@dataclass(frozen=True)
class StoredDiscrepancy:
    story_id: int
    story_slug: str | None
    id: str
    kind: DiscrepancyKind
    severity: Severity
    score: float
    subject: str
    explanation: str
    evidence: tuple[Evidence, ...]
    evidence_signature: str
    first_seen: dt.date
    last_seen: dt.date
    first_run: int
    last_run: int
    active: bool
    status: str

    def to_discrepancy(self) -> Discrepancy:
        return Discrepancy(
            id=self.id, kind=self.kind, severity=self.severity, score=self.score,
            explanation=self.explanation, evidence=self.evidence, subject=self.subject,
            status=self.status,
        )


@dataclass(frozen=True)
class ReviewEvent:
    story_id: int
    discrepancy_id: str
    status: str
    note: str
    by: str
    at: str
    seq: int = 0


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def evidence_to_dict(ev: Evidence) -> dict[str, Any]:
    from claimcheck.report.jsonfmt import evidence_to_dict as to_dict

    return to_dict(ev)


def evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    return Evidence(
        file=data["file"], start=int(data["start"]), end=int(data["end"]), text=data.get("text", ""),
        speaker=data.get("speaker") or "", value=data.get("value"),
        highlights=tuple(Span(int(a), int(b)) for a, b in data.get("highlights") or ()),
        claim_id=data.get("claim_id"), detail=data.get("detail") or "",
    )


def evidence_signature(evidence: Iterable[Evidence]) -> str:
    """What the evidence is, independent of order: file, range and value of each side."""
    sides = sorted((e.file, e.start, e.end, e.value or "") for e in evidence)
    return hashlib.sha1(json.dumps(sides, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- the store


class Store:
    """The batch database (SQLite).  Open it, use it, close it (or use ``with``)."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0):
        self.path = Path(path)
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(self.path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise self._error("cannot be opened", exc) from exc
        self._depth = 0
        self.migrate()

    # ------------------------------------------------------------------ plumbing

    def _error(self, what: str, exc: BaseException) -> StoreError:
        if isinstance(exc, sqlite3.IntegrityError):
            hint = "the store refused an inconsistent change; nothing of it was saved"
        elif "locked" in str(exc) or "busy" in str(exc):
            hint = "another program holds the database; try again, or raise store_busy_timeout_seconds"
        else:
            hint = "check that it is a claimcheck database on a writable disk"
        return StoreError(f"{what}: {exc}", path=str(self.path), hint=hint)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error("cannot start a transaction", exc) from exc
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise self._error("cannot commit", exc) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error("query failed", exc) from exc

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._error("write failed", exc) from exc

    def _many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, params)
        except sqlite3.Error as exc:
            raise self._error("write failed", exc) from exc

    # ------------------------------------------------------------------ migrations

    def schema_version(self) -> int:
        self._exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        row = self._rows("SELECT MAX(version) AS v FROM schema_migrations")[0]
        return int(row["v"] or 0)

    def migrate(self) -> int:
        """Apply the migrations this database lacks, each in its own transaction."""
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"has schema version {version}, newer than this claimcheck knows ({len(MIGRATIONS)})",
                path=str(self.path), hint="upgrade claimcheck",
            )
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            # executescript() would commit a transaction opened by execute(), so the whole
            # migration, BEGIN to COMMIT, is one script.
            full = (
                f"BEGIN IMMEDIATE;\n{script}\n"
                f"INSERT INTO schema_migrations (version, applied_at) VALUES ({number}, '{_now()}');\n"
                "COMMIT;"
            )
            try:
                self._conn.executescript(full)
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if self.schema_version() >= number:  # another process applied it first
                    continue
                raise self._error(f"migration {number} failed", exc) from exc
        return self.schema_version()

    # ------------------------------------------------------------------ runs

    def unfinished_run(self) -> Run | None:
        """The latest run killed before it finished, if any: the next run resumes it."""
        rows = self._rows("SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        r = rows[0]
        return Run(int(r["id"]), dt.date.fromisoformat(r["run_date"]), r["inbox"], r["started_at"], resumed=True)

    def begin_run(self, run_date: dt.date, inbox: str) -> Run:
        """Start a run, or resume the latest one if it was killed before finishing: its
        articles still count as this run's, so the summary and reports come out the same."""
        with self.transaction():
            rows = self._rows("SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1")
            if rows:
                run_id = int(rows[0]["id"])
                self._exec("UPDATE runs SET run_date = ?, inbox = ? WHERE id = ?",
                           (run_date.isoformat(), inbox, run_id))
                return Run(run_id, run_date, inbox, rows[0]["started_at"], resumed=True)
            started = _now()
            cur = self._exec("INSERT INTO runs (run_date, inbox, started_at) VALUES (?, ?, ?)",
                             (run_date.isoformat(), inbox, started))
            return Run(int(cur.lastrowid), run_date, inbox, started)

    def finish_run(self, run_id: int, summary: Mapping[str, Any]) -> None:
        with self.transaction():
            self._exec("UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                       (_now(), json.dumps(dict(summary), ensure_ascii=False), run_id))

    def runs(self, *, run_date: dt.date | None = None) -> list[Run]:
        """All runs, or those filed under ``run_date``, oldest first."""
        if run_date is None:
            rows = self._rows("SELECT * FROM runs ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM runs WHERE run_date = ? ORDER BY id", (run_date.isoformat(),))
        return [
            Run(int(r["id"]), dt.date.fromisoformat(r["run_date"]), r["inbox"], r["started_at"], r["finished_at"],
                summary=json.loads(r["summary"]) if r["summary"] else None)
            for r in rows
        ]

    # ------------------------------------------------------------------ articles

    def _article(self, row: sqlite3.Row) -> StoredArticle:
        article = Article(
            id=row["id"], text=row["text"], source=row["source"], date=row["date"], title=row["title"],
            path=row["path"], url=row["url"], body_start=int(row["body_start"]),
            notes=tuple(json.loads(row["notes"])), encoding=row["encoding"], record=row["record"],
        )
        story = row["story_id"] if "story_id" in row.keys() else None
        return StoredArticle(article, row["content_hash"], int(row["run_id"]), story)

    _ARTICLE_SELECT = (
        "SELECT a.*, sa.story_id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id"
    )

    def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        rows = self._rows(f"{self._ARTICLE_SELECT} WHERE a.content_hash = ?", (content_hash,))
        return self._article(rows[0]) if rows else None

    def article(self, article_id: str) -> StoredArticle | None:
        rows = self._rows(f"{self._ARTICLE_SELECT} WHERE a.id = ?", (article_id,))
        return self._article(rows[0]) if rows else None

    def story_articles(self, story_id: int) -> list[Article]:
        """A story's articles, in the order they were stored."""
        rows = self._rows(
            f"{self._ARTICLE_SELECT} WHERE sa.story_id = ? ORDER BY a.rowid", (story_id,)
        )
        return [self._article(r).article for r in rows]

    def run_articles(self, run_id: int) -> list[StoredArticle]:
        return [self._article(r) for r in self._rows(
            f"{self._ARTICLE_SELECT} WHERE a.run_id = ? ORDER BY a.rowid", (run_id,))]

    def count(self, table: str) -> int:
        if table not in {"articles", "stories", "story_articles", "claims", "discrepancies",
                         "review_events", "runs"}:
            raise ValueError(f"no table {table!r}")
        return int(self._rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

    def add_article(
        self, article: Article, *, content_hash: str, run_id: int, story_id: int,
        similarity: float | None = None, shared_entities: int | None = None,
    ) -> str:
        """Store an article in a story; returns the id it is stored under (its own, or
        ``id~hash`` when another article already has that id)."""
        with self.transaction():
            article_id = article.id
            if self._rows("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
                article_id = f"{article.id}~{content_hash[:8]}"
            self._exec(
                "INSERT INTO articles (id, content_hash, source, date, title, path, url, body_start, "
                "notes, text, run_id, ingested_at, encoding, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, content_hash, article.source, article.date.isoformat() if article.date else None,
                 article.title, article.path, article.url, article.body_start,
                 json.dumps(list(article.notes), ensure_ascii=False), article.text, run_id, _now(),
                 article.encoding, article.record),
            )
            self._exec(
                "INSERT INTO story_articles (story_id, article_id, similarity, shared_entities) "
                "VALUES (?, ?, ?, ?)",
                (story_id, article_id, similarity, shared_entities),
            )
        return article_id

    # ------------------------------------------------------------------ stories

    def _story(self, row: sqlite3.Row) -> StoredStory:
        return StoredStory(
            id=int(row["id"]), slug=row["slug"], title=row["title"],
            created=dt.date.fromisoformat(row["created"]), updated=dt.date.fromisoformat(row["updated"]),
            created_run=int(row["created_run"]),
            centroid=np.frombuffer(row["centroid"], dtype=np.float32).copy(),
            n_articles=int(row["n_articles"]), entities=json.loads(row["entities"]),
            needs_analysis=bool(row["needs_analysis"]), needs_report=bool(row["needs_report"]),
            report_date=_date(row["report_date"]), attempts=int(row["attempts"]), last_error=row["last_error"],
        )

    def create_story(self, *, title: str, run_date: dt.date, run_id: int, dim: int) -> StoredStory:
        cur = self._exec(
            "INSERT INTO stories (title, created, updated, created_run, centroid) VALUES (?, ?, ?, ?, ?)",
            (title, run_date.isoformat(), run_date.isoformat(), run_id, np.zeros(dim, np.float32).tobytes()),
        )
        return self.story(int(cur.lastrowid))

    def update_story_features(
        self, story_id: int, *, centroid: np.ndarray, n_articles: int, entities: Mapping[str, int],
        updated: dt.date,
    ) -> None:
        """A new member joined: new centroid and names; the story needs analysing again."""
        # a new article is new material: the story's failed checks no longer count
        self._exec(
            "UPDATE stories SET centroid = ?, n_articles = ?, entities = ?, updated = ?, "
            "needs_analysis = 1, attempts = 0, last_error = NULL WHERE id = ?",
            (np.asarray(centroid, np.float32).tobytes(), n_articles,
             json.dumps(dict(entities), ensure_ascii=False), updated.isoformat(), story_id),
        )

    def story(self, key: int | str) -> StoredStory:
        """A story by id or slug."""
        if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            rows = self._rows("SELECT * FROM stories WHERE id = ?", (int(key),))
        else:
            rows = self._rows("SELECT * FROM stories WHERE slug = ?", (key,))
        if not rows:
            raise StoreError(f"no story {key!r}", path=str(self.path),
                             hint="`claimcheck review list` shows the stories' slugs")
        return self._story(rows[0])

    def stories(self, *, updated_since: dt.date | None = None) -> list[StoredStory]:
        if updated_since is None:
            rows = self._rows("SELECT * FROM stories ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM stories WHERE updated >= ? ORDER BY id",
                              (updated_since.isoformat(),))
        return [self._story(r) for r in rows]

    def stories_needing_analysis(self) -> list[StoredStory]:
        return [self._story(r) for r in self._rows("SELECT * FROM stories WHERE needs_analysis = 1 ORDER BY id")]

    def stories_needing_report(self) -> list[StoredStory]:
        return [self._story(r) for r in self._rows("SELECT * FROM stories WHERE needs_report = 1 ORDER BY id")]

    def stories_of_run(self, run_id: int) -> list[StoredStory]:
        """Stories that gained an article in this run."""
        rows = self._rows(
            "SELECT * FROM stories WHERE id IN (SELECT sa.story_id FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE a.run_id = ?) ORDER BY id", (run_id,))
        return [self._story(r) for r in rows]

    def name_story(self, story_id: int, base_slug: str) -> str:
        """Give a story its slug (once): ``base_slug``, or ``base_slug-2``... if taken."""
        current = self.story(story_id)
        if current.slug:
            return current.slug
        slug, n = base_slug, 2
        while self._rows("SELECT 1 FROM stories WHERE slug = ?", (slug,)):
            slug, n = f"{base_slug}-{n}", n + 1
        self._exec("UPDATE stories SET slug = ? WHERE id = ?", (slug, story_id))
        return slug

    def mark_analysed(self, story_id: int) -> None:
        self._exec("UPDATE stories SET needs_analysis = 0, needs_report = 1 WHERE id = ?", (story_id,))

    def mark_reported(self, story_id: int, report_date: dt.date) -> None:
        """The story's check is done: reported, and its failed attempts forgotten."""
        with self.transaction():
            self._exec("UPDATE stories SET needs_report = 0, report_date = ?, attempts = 0, last_error = NULL "
                       "WHERE id = ?", (report_date.isoformat(), story_id))

    def begin_story_attempts(self, story_ids: Iterable[int]) -> None:
        """Count a check of each story before it begins: a run killed by one still counts."""
        with self.transaction():
            self._many("UPDATE stories SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                       [(STOPPED_CHECKING, i) for i in story_ids])

    def story_attempt_failed(self, story_id: int, error: str) -> None:
        with self.transaction():
            self._exec("UPDATE stories SET last_error = ? WHERE id = ?", (error, story_id))

    def clear_story_failure(self, story_id: int) -> None:
        """Forget a story's failed checks: the next run tries it again."""
        with self.transaction():
            self._exec("UPDATE stories SET attempts = 0, last_error = NULL WHERE id = ?", (story_id,))

    def failing_stories(self) -> list[StoredStory]:
        """Stories with checks that failed (or were under way when a run stopped)."""
        return [self._story(r) for r in self._rows("SELECT * FROM stories WHERE attempts > 0 ORDER BY id")]

    # ------------------------------------------------------------------ failing files

    def _file_failure(self, row: sqlite3.Row) -> FileFailure:
        return FileFailure(row["content_hash"], row["path"], int(row["attempts"]), row["error"],
                           row["first_attempt"], row["last_attempt"])

    def file_failure(self, content_hash: str) -> FileFailure | None:
        rows = self._rows("SELECT * FROM file_failures WHERE content_hash = ?", (content_hash,))
        return self._file_failure(rows[0]) if rows else None

    def file_failures(self) -> list[FileFailure]:
        return [self._file_failure(r) for r in self._rows("SELECT * FROM file_failures ORDER BY last_attempt, path")]

    def begin_file_attempt(self, content_hash: str, path: str) -> None:
        """Count an attempt at reading a file before it begins (see ``STOPPED_READING``)."""
        now = _now()
        with self.transaction():
            self._exec(
                "INSERT INTO file_failures (content_hash, path, attempts, error, first_attempt, last_attempt) "
                "VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (content_hash) DO UPDATE SET path = excluded.path, "
                "attempts = attempts + 1, error = excluded.error, last_attempt = excluded.last_attempt",
                (content_hash, path, STOPPED_READING, now, now))

    def end_file_attempts(self, outcomes: Mapping[str, str | None]) -> None:
        """Record how attempts ended, by content hash: an error, or None for a file read
        (its record is dropped: a file that succeeds has no failures to remember)."""
        with self.transaction():
            self._many("UPDATE file_failures SET error = ? WHERE content_hash = ?",
                       [(error, h) for h, error in outcomes.items() if error is not None])
            self._many("DELETE FROM file_failures WHERE content_hash = ?",
                       [(h,) for h, error in outcomes.items() if error is None])

    def clear_file_failure(self, content_hash: str) -> None:
        """Forget a file's failed attempts: the next run reads it again."""
        with self.transaction():
            self._exec("DELETE FROM file_failures WHERE content_hash = ?", (content_hash,))

    # ------------------------------------------------------------------ claims

    def replace_claims(self, article_ids: Iterable[str], records: Iterable[Mapping[str, Any]]) -> None:
        """Replace the stored claims of these articles (records as in report.json)."""
        ids = list(article_ids)
        rows = [(r["article_id"], r["id"], json.dumps(r, ensure_ascii=False)) for r in records]
        with self.transaction():
            self._many("DELETE FROM claims WHERE article_id = ?", [(i,) for i in ids])
            self._many("INSERT INTO claims (article_id, claim_id, record) VALUES (?, ?, ?)", rows)

    def claim(self, article_id: str, claim_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT record FROM claims WHERE article_id = ? AND claim_id = ?",
                          (article_id, claim_id))
        return json.loads(rows[0]["record"]) if rows else None

    # ------------------------------------------------------------------ discrepancies

    _DISCREPANCY_SELECT = (
        "SELECT d.*, s.slug AS story_slug FROM discrepancies d JOIN stories s ON s.id = d.story_id"
    )

    def _discrepancy(self, row: sqlite3.Row) -> StoredDiscrepancy:
        return StoredDiscrepancy(
            story_id=int(row["story_id"]), story_slug=row["story_slug"], id=row["id"],
            kind=DiscrepancyKind(row["kind"]), severity=Severity(row["severity"]), score=float(row["score"]),
            subject=row["subject"], explanation=row["explanation"],
            evidence=tuple(evidence_from_dict(e) for e in json.loads(row["evidence"])),
            evidence_signature=row["evidence_signature"],
            first_seen=dt.date.fromisoformat(row["first_seen"]), last_seen=dt.date.fromisoformat(row["last_seen"]),
            first_run=int(row["first_run"]), last_run=int(row["last_run"]),
            active=bool(row["active"]), status=row["status"],
        )

    def story_discrepancies(self, story_id: int, *, active_only: bool = False) -> dict[str, StoredDiscrepancy]:
        sql = f"{self._DISCREPANCY_SELECT} WHERE d.story_id = ?" + (" AND d.active = 1" if active_only else "")
        return {r["id"]: self._discrepancy(r) for r in self._rows(sql, (story_id,))}

    def save_discrepancy(
        self, story_id: int, d: Discrepancy, *, seen: dt.date, run_id: int,
        first_seen: dt.date | None = None, first_run: int | None = None, status: str = "open",
    ) -> None:
        """Insert or update one discrepancy as found by the story's latest analysis."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"status must be one of {REVIEW_STATUSES}, not {status!r}")
        self._exec(
            """
            INSERT INTO discrepancies (story_id, id, kind, severity, score, subject, explanation,
                evidence, evidence_signature, first_seen, last_seen, first_run, last_run, active, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            ON CONFLICT (story_id, id) DO UPDATE SET
                kind = excluded.kind, severity = excluded.severity, score = excluded.score,
                subject = excluded.subject, explanation = excluded.explanation,
                evidence = excluded.evidence, evidence_signature = excluded.evidence_signature,
                last_seen = excluded.last_seen, last_run = excluded.last_run, active = 1,
                status = excluded.status
            """,
            (story_id, d.id, d.kind.value, d.severity.value, float(d.score), d.subject, d.explanation,
             json.dumps([evidence_to_dict(e) for e in d.evidence], ensure_ascii=False),
             evidence_signature(d.evidence), (first_seen or seen).isoformat(), seen.isoformat(),
             first_run if first_run is not None else run_id, run_id, status),
        )

    def deactivate_discrepancies(self, story_id: int, keep: Iterable[str]) -> list[str]:
        """Mark the story's discrepancies not in ``keep`` as no longer found; returns their ids."""
        keep = set(keep)
        gone = [r["id"] for r in self._rows(
            "SELECT id FROM discrepancies WHERE story_id = ? AND active = 1", (story_id,)) if r["id"] not in keep]
        self._many("UPDATE discrepancies SET active = 0 WHERE story_id = ? AND id = ?",
                   [(story_id, i) for i in gone])
        return gone

    def find_discrepancies(
        self, *, story: int | str | None = None, status: str | None = None, active_only: bool = True,
    ) -> list[StoredDiscrepancy]:
        """Discrepancies, most severe first, filtered by story (id or slug) and status."""
        where, params = [], []
        if story is not None:
            where.append("d.story_id = ?")
            params.append(self.story(story).id)
        if status is not None:
            if status not in REVIEW_STATUSES:
                raise StoreError(f"unknown status {status!r}", hint=f"use one of {', '.join(REVIEW_STATUSES)}")
            where.append("d.status = ?")
            params.append(status)
        if active_only:
            where.append("d.active = 1")
        sql = self._DISCREPANCY_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += (" ORDER BY CASE d.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,"
                " d.score DESC, d.story_id, d.id")
        return [self._discrepancy(r) for r in self._rows(sql, params)]

    def resolve_discrepancy(self, key: str, *, story: int | str | None = None) -> StoredDiscrepancy:
        """One discrepancy by id or unique id prefix (and story, when the id is in several)."""
        story_id = self.story(story).id if story is not None else None
        scope = " AND d.story_id = ?" if story_id is not None else ""
        extra = (story_id,) if story_id is not None else ()
        rows = self._rows(f"{self._DISCREPANCY_SELECT} WHERE d.id = ?{scope}", (key, *extra))
        if not rows:
            rows = self._rows(
                f"{self._DISCREPANCY_SELECT} WHERE substr(d.id, 1, ?) = ?{scope}", (len(key), key, *extra))
        if not rows:
            raise StoreError(f"no discrepancy {key!r}", path=str(self.path),
                             hint="`claimcheck review list` shows the ids")
        if len(rows) > 1:
            which = ", ".join(f"{r['id']} in {r['story_slug'] or r['story_id']}" for r in rows)
            raise StoreError(f"{key!r} matches several discrepancies: {which}", path=str(self.path),
                             hint="give the whole id, and --story when one id is in several stories")
        return self._discrepancy(rows[0])

    def set_status(self, story_id: int, discrepancy_id: str, status: str, *, note: str, by: str,
                   at: str | None = None) -> ReviewEvent:
        """Record a decision (or a reopening) in the history and make it the current status."""
        if status not in REVIEW_STATUSES:
            raise StoreError(f"unknown status {status!r}", hint=f"use one of {', '.join(REVIEW_STATUSES)}")
        event = ReviewEvent(story_id, discrepancy_id, status, note, by, at or _now())
        with self.transaction():
            cur = self._exec("UPDATE discrepancies SET status = ? WHERE story_id = ? AND id = ?",
                             (status, story_id, discrepancy_id))
            if cur.rowcount != 1:
                raise StoreError(f"no discrepancy {discrepancy_id!r} in story {story_id}", path=str(self.path))
            cur = self._exec(
                "INSERT INTO review_events (story_id, discrepancy_id, status, note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
                (story_id, discrepancy_id, status, note, by, event.at),
            )
        return ReviewEvent(story_id, discrepancy_id, status, note, by, event.at, int(cur.lastrowid))

    def add_event(self, story_id: int, discrepancy_id: str, status: str, *, note: str, by: str,
                  at: str | None = None) -> None:
        """Append to a discrepancy's history without a decision of its own (the batch
        noting when it first found one; the status was set with it)."""
        self._exec(
            "INSERT INTO review_events (story_id, discrepancy_id, status, note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
            (story_id, discrepancy_id, status, note, by, at or _now()),
        )

    def history(self, story_id: int, discrepancy_id: str) -> list[ReviewEvent]:
        rows = self._rows(
            "SELECT * FROM review_events WHERE story_id = ? AND discrepancy_id = ? ORDER BY seq",
            (story_id, discrepancy_id))
        return [ReviewEvent(int(r["story_id"]), r["discrepancy_id"], r["status"], r["note"], r["by"], r["at"],
                            int(r["seq"])) for r in rows]

    def status_counts(self, story_id: int, *, new_on: dt.date | None = None) -> dict[str, int]:
        """Current discrepancies of a story by status, plus ``new``: first seen on ``new_on``."""
        rows = self._rows(
            "SELECT status, first_seen FROM discrepancies WHERE story_id = ? AND active = 1", (story_id,))
        counts = {"new": 0, **{s: 0 for s in REVIEW_STATUSES}}
        for r in rows:
            counts[r["status"]] += 1
            if new_on is not None and r["first_seen"] == new_on.isoformat():
                counts["new"] += 1
        return counts
