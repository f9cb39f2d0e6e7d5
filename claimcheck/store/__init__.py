"""The persistent store behind nightly batch runs: articles, stories, claims,
discrepancies and fact-checkers' review decisions.

One class, ``Store``, is the interface; nothing else in claimcheck issues SQL.  It
keeps its data in SQLite (a path: the default) or PostgreSQL (a ``postgresql://`` URL,
through psycopg 3 from the ``scale`` extra); ``claimcheck.store.backends`` holds what
differs between the two, and every method below is the same SQL on both.

    >>> with Store("claimcheck.db") as store:        # or Store("postgresql://cc@db-host/claimcheck")
    ...     for d in store.find_discrepancies(status="open"):
    ...         print(d.story_slug, d.id, d.explanation)

Decisions worth knowing:

* **Migrations.** ``MIGRATIONS`` (``claimcheck.store.schema``) is one list for both
  back-ends; migration *n* takes the schema from version *n-1* to *n*, each in its own
  transaction together with its row in ``schema_migrations``, so a database is always
  at exactly one version.  Where the dialects differ a migration says ``{term}`` and
  ``schema.TERMS`` gives each dialect's words.
* **Its own records.** Claims and discrepancies' sides are rows of their own
  (``claims``, ``claim_spans``, ``claim_figures``, ``claim_names``,
  ``discrepancy_sides``...), read back as the pipeline's typed records (``Claim``,
  ``Evidence``), not JSON in the report's format: the report can change its layout
  without changing the store.
* **Transactions.** The connection is in autocommit mode; ``Store.transaction()``
  opens one (SQLite: ``BEGIN IMMEDIATE``, taking the write lock up front, so two
  writers queue on the busy timeout instead of failing half-way) and commits or rolls
  back as a whole.  A process killed inside one leaves the database as before it began.
* **Several runs at once (PostgreSQL).** Writers do not queue on one lock there, so the
  store takes locks where two writers could meet: a run holds an advisory lock for its
  life (a run without ``finished_at`` whose lock is free was killed, and the next run
  resumes it); filing articles under stories holds the ``assignment`` lock; a story is
  analysed, saved and reported under its own lock; a story's discrepancies are read
  ``FOR UPDATE`` before the batch rewrites them, so a reviewer's decision made
  meanwhile waits for the batch and is never overwritten.  On SQLite these locks are
  no-ops: one batch runs at a time (``claimcheck.batch.BatchLock``).
* **SQLite**: WAL journal, foreign keys on, a busy timeout from the config.
  **PostgreSQL**: the same timeout is the ``lock_timeout`` for rows.
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
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from claimcheck.errors import StoreError
from claimcheck.models import (
    Article,
    Claim,
    Discrepancy,
    DiscrepancyKind,
    EntityMention,
    Evidence,
    Modality,
    Quantity,
    QuantityKind,
    Severity,
    Span,
    Speaker,
    SpeakerKind,
    Title,
    TitleTense,
)
from claimcheck.store.backends import Backend, is_server_url, open_backend
from claimcheck.store.schema import MIGRATIONS, render, steps

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
    "is_server_url",
]

REVIEW_STATUSES = ("open", "confirmed", "dismissed")

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
    analysed_run: int | None = None  # the run whose analysis its report awaits

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
    title: str = ""
    group_id: str | None = None

    def to_discrepancy(self) -> Discrepancy:
        return Discrepancy(
            id=self.id, kind=self.kind, severity=self.severity, score=self.score,
            explanation=self.explanation, evidence=self.evidence, subject=self.subject,
            group_id=self.group_id, status=self.status, title=self.title,
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


def evidence_signature(evidence: Iterable[Evidence]) -> str:
    """What the evidence is, independent of order: file, range and value of each side."""
    sides = sorted((e.file, e.start, e.end, e.value or "") for e in evidence)
    return hashlib.sha1(json.dumps(sides, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _number_out(x: float) -> float | None:
    """NaN is stored as NULL (SQLite turns it into NULL anyway)."""
    return None if math.isnan(x) else float(x)


def _number_in(x: float | None) -> float:
    return math.nan if x is None else float(x)


# --------------------------------------------------------------------------- the store


class Store:
    """The batch database.  Open it, use it, close it (or use ``with``).

    ``target`` is a path (SQLite, created if missing) or a ``postgresql://`` URL.
    With ``create=False`` a database without claimcheck's tables is refused instead of
    being given them (the review commands: a typo in --db is not a new database)."""

    def __init__(self, target: str | os.PathLike[str], *, busy_timeout: float = 30.0, create: bool = True):
        self._backend: Backend = open_backend(target if is_server_url(target) else os.fspath(target),
                                              busy_timeout=busy_timeout)
        self.path = self._backend.location  # where it is, for messages (a URL without its password)
        self._depth = 0
        if not create and self.schema_version() == 0:
            self.close()
            raise StoreError("holds no claimcheck batch database", path=self.path,
                             hint="pass the --db that `claimcheck batch` wrote")
        self.migrate()

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._backend.name

    @property
    def concurrent_runs(self) -> bool:
        """Whether several batch runs may work on this database at once (PostgreSQL)."""
        return self._backend.CONCURRENT_RUNS

    # ------------------------------------------------------------------ plumbing

    def _error(self, what: str, exc: BaseException) -> StoreError:
        if isinstance(exc, self._backend.integrity_errors):
            hint = "the store refused an inconsistent change; nothing of it was saved"
        elif self._backend.busy(exc):
            hint = "another program holds the database; try again, or raise store_busy_timeout_seconds"
        else:
            hint = "check that it is a claimcheck database on a writable disk"
        return StoreError(f"{what}: {exc}", path=self.path, hint=hint)

    def close(self) -> None:
        self._backend.close()

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
            self._backend.begin()
        except self._backend.errors as exc:
            raise self._error("cannot start a transaction", exc) from exc
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            try:
                self._backend.rollback()
            except self._backend.errors:  # the connection is gone: the server rolled back
                pass
            raise
        self._depth = 0
        try:
            self._backend.commit()
        except self._backend.errors as exc:
            self._backend.rollback()
            raise self._error("cannot commit", exc) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._backend.execute(sql, params).fetchall()
        except self._backend.errors as exc:
            raise self._error("query failed", exc) from exc

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._backend.execute(sql, params)
        except self._backend.errors as exc:
            raise self._error("write failed", exc) from exc

    def _insert_id(self, sql: str, params: Sequence[Any], *, key: str = "id") -> int:
        try:
            return self._backend.insert_id(sql, params, key=key)
        except self._backend.errors as exc:
            raise self._error("write failed", exc) from exc

    def _many(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        try:
            self._backend.executemany(sql, params)
        except self._backend.errors as exc:
            raise self._error("write failed", exc) from exc

    # ------------------------------------------------------------------ locks

    def try_lock_story(self, story_id: int) -> bool:
        """Take a story for analysis, saving and reporting, unless another run has it
        (PostgreSQL; always granted on SQLite, where one batch runs at a time)."""
        return self._backend.try_lock("story", story_id)

    def lock_story(self, story_id: int) -> None:
        """Take a story, waiting for the run that has it."""
        self._backend.lock("story", story_id)

    def unlock_story(self, story_id: int) -> None:
        self._backend.unlock("story", story_id)

    @contextmanager
    def assignment(self) -> Iterator[None]:
        """Hold the right to file articles under stories: two runs never assign at once,
        so neither starts a story the other is starting, nor stores an article twice."""
        self._backend.lock("assignment")
        try:
            yield
        finally:
            self._backend.unlock("assignment")

    def run_alive(self, run_id: int) -> bool:
        """Whether another process is running this run now (its run lock is held)."""
        return self._backend.held_elsewhere("run", run_id)

    # ------------------------------------------------------------------ migrations

    def schema_version(self) -> int:
        """The migrations applied (0: none, or not a claimcheck database).  It only
        reads: a review command pointed at the wrong database leaves it as it was, and
        only ``migrate``, under its lock, creates ``schema_migrations``."""
        try:
            rows = self._backend.execute("SELECT MAX(version) AS v FROM schema_migrations").fetchall()
        except self._backend.errors as exc:
            # no table yet: nothing applied.  Inside a transaction the error stands
            # (PostgreSQL has aborted the transaction; it cannot go on as if nothing failed)
            if self._depth or not self._backend.missing_table(exc):
                raise self._error("cannot read its schema version", exc) from exc
            return 0
        return int(rows[0]["v"] or 0)

    def migrate(self) -> int:
        """Apply the migrations this database lacks, each in its own transaction.  Two
        processes opening a new database at once apply each migration once: each
        transaction takes the ``migrations`` lock and looks again."""
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"has schema version {version}, newer than this claimcheck knows ({len(MIGRATIONS)})",
                path=self.path, hint="upgrade claimcheck",
            )
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            try:
                with self.transaction():
                    self._backend.lock_for_transaction("migrations")
                    self._exec("CREATE TABLE IF NOT EXISTS schema_migrations "
                               "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
                    if self.schema_version() >= number:  # another process applied it first
                        continue
                    for step in steps(migration):
                        if isinstance(step, str):
                            self._backend.run_script(render(step, self.dialect))
                        else:
                            step(self)
                    self._exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                               (number, _now()))
            except StoreError as exc:
                raise StoreError(f"migration {number} failed: {exc.message}", path=self.path, hint=exc.hint) from exc
            except self._backend.errors as exc:
                raise self._error(f"migration {number} failed", exc) from exc
        return self.schema_version()

    # ------------------------------------------------------------------ runs

    def _run(self, r: Any, *, resumed: bool = False) -> Run:
        return Run(int(r["id"]), dt.date.fromisoformat(r["run_date"]), r["inbox"], r["started_at"], r["finished_at"],
                   resumed=resumed, summary=json.loads(r["summary"]) if r["summary"] else None)

    def unfinished_run(self) -> Run | None:
        """The latest run killed before it finished, if any: the next run resumes it.
        (A run another process is running now is not killed.)"""
        for r in self._rows("SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id DESC"):
            if not self.run_alive(int(r["id"])):
                return self._run(r, resumed=True)
        return None

    def begin_run(self, run_date: dt.date, inbox: str) -> Run:
        """Start a run, or resume the latest one that was killed before finishing: its
        articles still count as this run's, so the summary and reports come out the same.
        The run's lock is held until ``finish_run`` (or until this connection ends)."""
        with self.transaction():
            for r in self._rows("SELECT * FROM runs WHERE finished_at IS NULL ORDER BY id DESC"):
                run_id = int(r["id"])
                if self._backend.try_lock("run", run_id):  # nobody runs it: it was killed
                    self._exec("UPDATE runs SET run_date = ?, inbox = ? WHERE id = ?",
                               (run_date.isoformat(), inbox, run_id))
                    return Run(run_id, run_date, inbox, r["started_at"], resumed=True)
            started = _now()
            run_id = self._insert_id("INSERT INTO runs (run_date, inbox, started_at) VALUES (?, ?, ?)",
                                     (run_date.isoformat(), inbox, started))
            self._backend.try_lock("run", run_id)  # a new number: nobody else holds it
            return Run(run_id, run_date, inbox, started)

    def finish_run(self, run_id: int, summary: Mapping[str, Any]) -> None:
        with self.transaction():
            self._exec("UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
                       (_now(), json.dumps(dict(summary), ensure_ascii=False), run_id))
        self._backend.unlock("run", run_id)

    def runs(self, *, run_date: dt.date | None = None) -> list[Run]:
        """All runs, or those filed under ``run_date``, oldest first."""
        if run_date is None:
            rows = self._rows("SELECT * FROM runs ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM runs WHERE run_date = ? ORDER BY id", (run_date.isoformat(),))
        return [self._run(r) for r in rows]

    # ------------------------------------------------------------------ articles

    def _article(self, row: Any) -> StoredArticle:
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
                         "review_events", "runs", "discrepancy_sides", "claim_figures", "claim_names"}:
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

    def _story(self, row: Any) -> StoredStory:
        return StoredStory(
            id=int(row["id"]), slug=row["slug"], title=row["title"],
            created=dt.date.fromisoformat(row["created"]), updated=dt.date.fromisoformat(row["updated"]),
            created_run=int(row["created_run"]),
            centroid=np.frombuffer(bytes(row["centroid"]), dtype=np.float32).copy(),
            n_articles=int(row["n_articles"]), entities=json.loads(row["entities"]),
            needs_analysis=bool(row["needs_analysis"]), needs_report=bool(row["needs_report"]),
            report_date=_date(row["report_date"]), attempts=int(row["attempts"]), last_error=row["last_error"],
            analysed_run=row["analysed_run"],
        )

    def create_story(self, *, title: str, run_date: dt.date, run_id: int, dim: int) -> StoredStory:
        story_id = self._insert_id(
            "INSERT INTO stories (title, created, updated, created_run, centroid) VALUES (?, ?, ?, ?, ?)",
            (title, run_date.isoformat(), run_date.isoformat(), run_id, np.zeros(dim, np.float32).tobytes()),
        )
        return self.story(story_id)

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
            raise StoreError(f"no story {key!r}", path=self.path,
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
        with self.transaction():
            self._backend.lock_for_transaction("slugs")  # two runs naming two stories alike
            current = self.story(story_id)
            if current.slug:
                return current.slug
            slug, n = base_slug, 2
            while self._rows("SELECT 1 FROM stories WHERE slug = ?", (slug,)):
                slug, n = f"{base_slug}-{n}", n + 1
            self._exec("UPDATE stories SET slug = ? WHERE id = ?", (slug, story_id))
            return slug

    def mark_analysed(self, story_id: int, *, run_id: int | None = None, n_articles: int | None = None) -> bool:
        """The story's analysis is saved; its report is awaited (by ``run_id``).  With
        ``n_articles``, only if the story still has that many: an article another run
        filed meanwhile keeps it waiting for analysis.  Returns whether it was marked."""
        sql = "UPDATE stories SET needs_analysis = 0, needs_report = 1, analysed_run = ? WHERE id = ?"
        params: tuple[Any, ...] = (run_id, story_id)
        if n_articles is not None:
            sql += " AND (SELECT COUNT(*) FROM story_articles WHERE story_id = ?) = ?"
            params += (story_id, n_articles)
        return self._exec(sql, params).rowcount == 1

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

    def _file_failure(self, row: Any) -> FileFailure:
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
                "attempts = file_failures.attempts + 1, error = excluded.error, last_attempt = excluded.last_attempt",
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

    def replace_claims(self, article_ids: Iterable[str], claims: Iterable[Claim]) -> None:
        """Replace the stored claims of these articles."""
        ids = list(article_ids)
        with self.transaction():
            self._many("DELETE FROM claims WHERE article_id = ?", [(i,) for i in ids])
            self._insert_claims(list(claims))

    _CLAIM_COLUMNS = ("seq", "text", "sentence_start", "sentence_end", "speaker", "speaker_kind", "modality",
                      "subject", "subject_entity")

    @staticmethod
    def _claim_rows(claims: Sequence[Claim]) -> tuple[list[tuple], ...]:
        """Rows of the store's own format: claims (key, then ``_CLAIM_COLUMNS``), their
        spans, figures, names and the names' titles."""
        seq: dict[str, int] = defaultdict(int)
        rows, spans, figures, names, titles = [], [], [], [], []
        for c in claims:
            key = (c.article_id, c.id)
            rows.append((*key, seq[c.article_id], c.text, c.sentence.start, c.sentence.end, c.speaker.name,
                         c.speaker.kind.value, c.modality.value, c.subject, c.subject_entity))
            seq[c.article_id] += 1
            spans += [(*key, i, s.start, s.end) for i, s in enumerate(c.spans)]
            figures += [(*key, i, q.text, q.start, q.end, _number_out(q.value), q.low, q.high, q.kind.value,
                         q.unit, q.hedge, q.measure) for i, q in enumerate(c.quantities)]
            for i, m in enumerate(c.entities):
                names.append((*key, i, m.text, m.start, m.end, m.label, m.entity_id))
                titles += [(*key, i, j, t.text, t.start, t.end, t.head, t.tense.value, int(t.is_office))
                           for j, t in enumerate(m.titles)]
        return rows, spans, figures, names, titles

    def _insert_claims(self, claims: Sequence[Claim], *, rows_exist: bool = False) -> None:
        """Store claims (``rows_exist``: their ``claims`` rows are there, to be filled in)."""
        rows, spans, figures, names, titles = self._claim_rows(claims)
        if rows_exist:
            sets = ", ".join(f"{c} = ?" for c in self._CLAIM_COLUMNS)
            self._many(f"UPDATE claims SET {sets} WHERE article_id = ? AND claim_id = ?",
                       [(*r[2:], r[0], r[1]) for r in rows])
        else:
            self._many(f"INSERT INTO claims (article_id, claim_id, {', '.join(self._CLAIM_COLUMNS)}) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._many("INSERT INTO claim_spans (article_id, claim_id, seq, span_start, span_end) "
                   "VALUES (?, ?, ?, ?, ?)", spans)
        self._many("INSERT INTO claim_figures (article_id, claim_id, seq, text, span_start, span_end, value, low, "
                   "high, kind, unit, hedge, measure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", figures)
        self._many("INSERT INTO claim_names (article_id, claim_id, seq, text, span_start, span_end, label, "
                   "entity_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", names)
        self._many("INSERT INTO claim_name_titles (article_id, claim_id, name_seq, seq, text, span_start, span_end, "
                   "head, tense, is_office) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", titles)

    def claims(self, article_ids: Iterable[str]) -> list[Claim]:
        """The stored claims of these articles, article by article in the order given,
        each article's in the order its analysis cut them."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return []
        out: list[Claim] = []
        for i in range(0, len(ids), 500):
            out += self._claims_where(ids[i : i + 500])
        rank = {a: n for n, a in enumerate(ids)}
        return sorted(out, key=lambda c: rank[c.article_id])

    def claim(self, article_id: str, claim_id: str) -> Claim | None:
        found = [c for c in self._claims_where([article_id]) if c.id == claim_id]
        return found[0] if found else None

    def _claims_where(self, article_ids: Sequence[str]) -> list[Claim]:
        marks = ", ".join("?" * len(article_ids))
        where = f"WHERE article_id IN ({marks})"
        order = "ORDER BY article_id, claim_id, seq"
        parts: dict[str, dict[tuple[str, str], list[Any]]] = {}
        for table in ("claim_spans", "claim_figures", "claim_names"):
            grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
            for r in self._rows(f"SELECT * FROM {table} {where} {order}", article_ids):
                grouped[(r["article_id"], r["claim_id"])].append(r)
            parts[table] = grouped
        titles: dict[tuple[str, str, int], list[Title]] = defaultdict(list)
        for r in self._rows(f"SELECT * FROM claim_name_titles {where} ORDER BY article_id, claim_id, name_seq, seq",
                            article_ids):
            titles[(r["article_id"], r["claim_id"], int(r["name_seq"]))].append(Title(
                r["text"], int(r["span_start"]), int(r["span_end"]), r["head"], TitleTense(r["tense"]),
                bool(r["is_office"])))
        out = []
        for r in self._rows(f"SELECT * FROM claims {where} ORDER BY article_id, seq", article_ids):
            key = (r["article_id"], r["claim_id"])
            out.append(Claim(
                id=r["claim_id"], article_id=r["article_id"], text=r["text"],
                spans=tuple(Span(int(s["span_start"]), int(s["span_end"])) for s in parts["claim_spans"][key]),
                sentence=Span(int(r["sentence_start"]), int(r["sentence_end"])),
                speaker=Speaker(r["speaker"], SpeakerKind(r["speaker_kind"])), modality=Modality(r["modality"]),
                subject=r["subject"], subject_entity=r["subject_entity"],
                quantities=tuple(Quantity(
                    text=q["text"], start=int(q["span_start"]), end=int(q["span_end"]), value=_number_in(q["value"]),
                    low=float(q["low"]), high=float(q["high"]), kind=QuantityKind(q["kind"]), unit=q["unit"],
                    hedge=q["hedge"], measure=q["measure"]) for q in parts["claim_figures"][key]),
                entities=tuple(EntityMention(
                    m["text"], int(m["span_start"]), int(m["span_end"]), m["label"],
                    tuple(titles[(*key, int(m["seq"]))]), m["entity_id"]) for m in parts["claim_names"][key]),
            ))
        return out

    # ------------------------------------------------------------------ discrepancies

    _DISCREPANCY_SELECT = (
        "SELECT d.*, s.slug AS story_slug FROM discrepancies d JOIN stories s ON s.id = d.story_id"
    )

    def _insert_sides(self, story_id: int, discrepancy_id: str, evidence: Sequence[Evidence]) -> None:
        self._many(
            "INSERT INTO discrepancy_sides (story_id, discrepancy_id, seq, file, span_start, span_end, text, "
            "speaker, value, detail, claim_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(story_id, discrepancy_id, i, e.file, e.start, e.end, e.text, e.speaker, e.value, e.detail, e.claim_id)
             for i, e in enumerate(evidence)])
        self._many(
            "INSERT INTO side_highlights (story_id, discrepancy_id, side, seq, span_start, span_end) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(story_id, discrepancy_id, i, j, h.start, h.end)
             for i, e in enumerate(evidence) for j, h in enumerate(e.highlights)])

    def _sides(self, story_ids: Iterable[int]) -> dict[tuple[int, str], tuple[Evidence, ...]]:
        """Every side of the discrepancies of these stories, by (story, discrepancy id)."""
        ids = sorted(set(story_ids))
        sides: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            where = f"WHERE story_id IN ({', '.join('?' * len(chunk))})"
            highlights: dict[tuple[int, str, int], list[Span]] = defaultdict(list)
            for r in self._rows(f"SELECT * FROM side_highlights {where} ORDER BY story_id, discrepancy_id, side, seq",
                                chunk):
                highlights[(int(r["story_id"]), r["discrepancy_id"], int(r["side"]))].append(
                    Span(int(r["span_start"]), int(r["span_end"])))
            for r in self._rows(f"SELECT * FROM discrepancy_sides {where} ORDER BY story_id, discrepancy_id, seq",
                                chunk):
                key = (int(r["story_id"]), r["discrepancy_id"])
                sides[key].append(Evidence(
                    file=r["file"], start=int(r["span_start"]), end=int(r["span_end"]), text=r["text"],
                    speaker=r["speaker"], value=r["value"], highlights=tuple(highlights[(*key, int(r["seq"]))]),
                    claim_id=r["claim_id"], detail=r["detail"]))
        return {k: tuple(v) for k, v in sides.items()}

    def _discrepancies(self, rows: Sequence[Any]) -> list[StoredDiscrepancy]:
        sides = self._sides(int(r["story_id"]) for r in rows)
        return [StoredDiscrepancy(
            story_id=int(row["story_id"]), story_slug=row["story_slug"], id=row["id"],
            kind=DiscrepancyKind(row["kind"]), severity=Severity(row["severity"]), score=float(row["score"]),
            subject=row["subject"], explanation=row["explanation"],
            evidence=sides.get((int(row["story_id"]), row["id"]), ()),
            evidence_signature=row["evidence_signature"],
            first_seen=dt.date.fromisoformat(row["first_seen"]), last_seen=dt.date.fromisoformat(row["last_seen"]),
            first_run=int(row["first_run"]), last_run=int(row["last_run"]),
            active=bool(row["active"]), status=row["status"], title=row["title"], group_id=row["group_id"],
        ) for row in rows]

    def story_discrepancies(
        self, story_id: int, *, active_only: bool = False, for_update: bool = False,
    ) -> dict[str, StoredDiscrepancy]:
        """A story's discrepancies by id.  ``for_update`` (inside a transaction) locks
        their rows until it ends: a reviewer's decision on one of them waits, and then
        applies to what the transaction wrote, instead of being overwritten by it."""
        if for_update and self._backend.FOR_UPDATE:
            self._rows(f"SELECT id FROM discrepancies WHERE story_id = ? ORDER BY id{self._backend.FOR_UPDATE}",
                       (story_id,))
        sql = f"{self._DISCREPANCY_SELECT} WHERE d.story_id = ?" + (" AND d.active = 1" if active_only else "")
        return {d.id: d for d in self._discrepancies(self._rows(sql + " ORDER BY d.id", (story_id,)))}

    def save_discrepancy(
        self, story_id: int, d: Discrepancy, *, seen: dt.date, run_id: int,
        first_seen: dt.date | None = None, first_run: int | None = None, status: str = "open",
    ) -> None:
        """Insert or update one discrepancy as found by the story's latest analysis."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"status must be one of {REVIEW_STATUSES}, not {status!r}")
        with self.transaction():
            self._exec(
                """
                INSERT INTO discrepancies (story_id, id, kind, severity, score, subject, explanation, title,
                    group_id, evidence_signature, first_seen, last_seen, first_run, last_run, active, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                ON CONFLICT (story_id, id) DO UPDATE SET
                    kind = excluded.kind, severity = excluded.severity, score = excluded.score,
                    subject = excluded.subject, explanation = excluded.explanation, title = excluded.title,
                    group_id = excluded.group_id, evidence_signature = excluded.evidence_signature,
                    last_seen = excluded.last_seen, last_run = excluded.last_run, active = 1,
                    status = excluded.status
                """,
                (story_id, d.id, d.kind.value, d.severity.value, float(d.score), d.subject, d.explanation, d.title,
                 d.group_id, evidence_signature(d.evidence), (first_seen or seen).isoformat(), seen.isoformat(),
                 first_run if first_run is not None else run_id, run_id, status),
            )
            self._exec("DELETE FROM discrepancy_sides WHERE story_id = ? AND discrepancy_id = ?", (story_id, d.id))
            self._insert_sides(story_id, d.id, d.evidence)

    def deactivate_discrepancies(self, story_id: int, keep: Iterable[str]) -> list[str]:
        """Mark the story's discrepancies not in ``keep`` as no longer found; returns their ids."""
        keep = set(keep)
        gone = [r["id"] for r in self._rows(
            "SELECT id FROM discrepancies WHERE story_id = ? AND active = 1 ORDER BY id", (story_id,))
            if r["id"] not in keep]
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
        return self._discrepancies(self._rows(sql, params))

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
            raise StoreError(f"no discrepancy {key!r}", path=self.path,
                             hint="`claimcheck review list` shows the ids")
        if len(rows) > 1:
            which = ", ".join(f"{r['id']} in {r['story_slug'] or r['story_id']}" for r in rows)
            raise StoreError(f"{key!r} matches several discrepancies: {which}", path=self.path,
                             hint="give the whole id, and --story when one id is in several stories")
        return self._discrepancies(rows)[0]

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
                raise StoreError(f"no discrepancy {discrepancy_id!r} in story {story_id}", path=self.path)
            seq = self._insert_id(
                "INSERT INTO review_events (story_id, discrepancy_id, status, note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
                (story_id, discrepancy_id, status, note, by, event.at), key="seq")
        return ReviewEvent(story_id, discrepancy_id, status, note, by, event.at, seq)

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
