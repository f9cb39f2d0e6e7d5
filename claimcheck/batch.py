"""Nightly batch runs: new articles from an inbox folder filed under stories in a
``Store``, changed stories checked again, reports written per story and per night.

    >>> from claimcheck.batch import run_batch
    >>> result = run_batch("inbox/2025-12-15", "claimcheck.db", "reports")
    >>> print(result.summary())
    3 new articles in 1 stories (1 new stories); 0 skipped as duplicates; ...

A run, in order:

1. **Ingest.** Every article file in the inbox is read with
   ``claimcheck.ingest.load_articles`` (bad files become problems, the rest go on).  An
   article whose content hash is stored already, under any name, is skipped.
2. **Assign.** Each new article is filed under the story it matches best, or starts
   one (``choose_story``; thresholds in the config's ``# batch`` section).  The
   article, its membership and the story's new centroid and names are committed in
   one transaction.
3. **Analyse** every story that gained an article (``claimcheck.pipeline.analyse`` on
   all its stored articles; the embedding cache makes old claims free).  Its claims
   and discrepancies are saved in one transaction, discrepancies upserted by their
   stable id: new ones open, known ones keep their review status, and a dismissed one
   that gains a side (an article it did not cite before, saying what no side said:
   a third spelling, another office or figure) is reopened, with a history entry
   naming the articles and what they say.
4. **Report**: ``REPORTS/<date>/<story-slug>/report.{md,json,html}`` for each analysed
   story, then ``REPORTS/<date>/index.html``.

Crash safety: every step is either one transaction or an idempotent, atomic file
write, and the work still to do is recorded in the store (``needs_analysis``,
``needs_report``, a run without ``finished_at``).  A run killed at any point leaves a
consistent store; the next run resumes the unfinished run and finishes its work, with
the same rows and the same reports as if nothing had happened.  Only one batch runs
on a database at a time (``BatchLock``).

Test hook: set ``CLAIMCHECK_TEST_KILL_AT`` to one of ``KILL_POINTS`` and the process
kills itself with SIGKILL the first time it reaches that point (see ``_checkpoint``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from claimcheck.config import Config
from claimcheck.errors import (
    InputError,
    ModelLoadError,
    ReportError,
    StoreError,
    UnreadableFileError,
)
from claimcheck.ingest import InputProblem, article_location, content_hash, load_articles, undated_warning
from claimcheck.models import Article, Discrepancy, Evidence, Report
from claimcheck.checkpoints import (  # noqa: F401 - the env names are the batch's test hook too
    KILL_ENV,
    KILL_ONCE_ENV,
    PAUSE_ENV,
    PAUSE_FILE_ENV,
)
from claimcheck.checkpoints import checkpoint as _checkpoint
from claimcheck.store import FileFailure, Run, Store, StoredDiscrepancy, StoredStory, is_server_url
from claimcheck.story_features import (  # noqa: F401 - read here or by the engine; re-exported
    ArticleFeatures,
    article_features,
    articles_features,
    features_each,
)
from claimcheck.wording import counted

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.engine import Engine

__all__ = [
    "KILL_POINTS",
    "ArticleFeatures",
    "BatchLock",
    "BatchLockedError",
    "BatchResult",
    "Skipped",
    "StoryChoice",
    "StorySummary",
    "article_features",
    "articles_features",
    "features_each",
    "choose_story",
    "inbox_files",
    "render_index",
    "run_batch",
    "shared_entity_count",
    "story_slug",
    "with_review_status",
    "write_index",
]

REPORT_FORMATS = ("md", "json", "html")
BATCH_REVIEWER = "claimcheck batch"  # the "by" of history entries the batch writes

# --------------------------------------------------------------------------- test hook

#: Where ``CLAIMCHECK_TEST_KILL_AT`` can kill a run (each the first time it is reached):
#: an article parsed but not stored; stored inside its open transaction; committed; a
#: story's analysis inside its open transaction; committed; its report files written
#: but not marked written; the night's index written but the run not marked finished.
KILL_POINTS = (
    "article-parsed", "article-uncommitted", "article-committed",
    "analysis-uncommitted", "analysis-saved", "report-written", "index-written",
)


# --------------------------------------------------------------------------- the lock


class BatchLockedError(StoreError):
    """Another batch run holds the database."""

    code = "CC501"


class BatchLock:
    """An exclusive ``flock`` on ``DB.lock``, holding the owner's pid.

    ``wait`` seconds are spent retrying before giving up with ``BatchLockedError``.
    The kernel drops the lock when its process dies, so a killed run never leaves the
    database locked.
    """

    def __init__(self, db: str | os.PathLike[str], *, wait: float = 0.0):
        self.db = Path(db)
        self.path = Path(f"{db}.lock")
        self.wait = max(0.0, wait)
        self._fd: int | None = None

    def __enter__(self) -> BatchLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                    os.close(fd)
                    raise BatchLockedError(
                        f"another claimcheck batch is running on {self.db} (pid {holder})",
                        hint="let it finish, or pass --wait SECONDS to wait for it",
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# --------------------------------------------------------------------------- story assignment


def _top(names: Mapping[str, int], n: int) -> list[str]:
    """The ``n`` most mentioned names; ties go to the one named first."""
    return [name for name, _ in sorted(names.items(), key=lambda kv: -kv[1])[:n]]


def shared_entity_count(article: Mapping[str, int], story: Mapping[str, int], config: Config) -> int:
    """How many of the article's key names the story names too, allowing the variants
    ``entities.compare_names`` accepts ("Ruiz" / "Ana María Ruiz Tagle", "Mohammad" /
    "Mohammed")."""
    from claimcheck.entities import NameRelation, compare_names

    k = config.story_key_entities
    theirs = _top(story, 3 * k)
    exact = set(theirs)
    shared = 0
    for name in _top(article, k):
        if name in exact or any(
            compare_names(name, other, token_similarity=config.name_token_similarity) != NameRelation.DIFFERENT
            for other in theirs
        ):
            shared += 1
    return shared


@dataclass
class _Candidate:
    """A story as assignment sees it, updated in memory as articles join it."""

    story_id: int
    centroid: np.ndarray  # sum of member vectors
    n_articles: int
    entities: Counter[str]

    def add(self, features: ArticleFeatures) -> None:
        self.centroid = self.centroid + features.vector if self.centroid.size else features.vector.copy()
        self.n_articles += 1
        self.entities.update(features.entities)


@dataclass(frozen=True)
class StoryChoice:
    story_id: int | None  # None: start a new story
    similarity: float  # cosine between the article's lead and the story's centroid
    shared_entities: int


def choose_story(features: ArticleFeatures, candidates: Sequence[_Candidate], config: Config) -> StoryChoice:
    """The story an article joins, or ``StoryChoice(None, ...)`` for a new one.

    A story qualifies when the cosine of the article's lead with its centroid reaches
    ``story_min_similarity`` and they share enough key names (``story_min_shared_entities``,
    or every key name of an article that names fewer); or when the cosine reaches
    ``story_similarity_alone`` and the names do not speak against it (one is shared, or
    the article or the story names no one).  The most similar qualifying story wins.  One matrix
    product scores every story; names are compared only for stories similar enough, so
    the work is linear in stories x new articles.
    """
    if not candidates:
        return StoryChoice(None, 0.0, 0)
    centroids = np.stack([c.centroid for c in candidates])
    norms = np.linalg.norm(centroids, axis=1)
    norms[norms == 0] = 1.0
    similarities = centroids @ features.vector / norms
    key_names = min(len(features.entities), config.story_key_entities)
    needed = max(1, min(config.story_min_shared_entities, key_names)) if key_names else None
    for i in np.argsort(-similarities):
        similarity = float(similarities[i])
        if similarity < min(config.story_min_similarity, config.story_similarity_alone):
            break
        shared = shared_entity_count(features.entities, candidates[i].entities, config)
        names_agree = shared > 0 or not features.entities or not candidates[i].entities
        if (similarity >= config.story_similarity_alone and names_agree) or (
            needed is not None and similarity >= config.story_min_similarity and shared >= needed
        ):
            return StoryChoice(candidates[i].story_id, similarity, shared)
    return StoryChoice(None, float(similarities.max()), 0)


def story_slug(entities: Mapping[str, int], articles: Iterable[Article], title: str, run_date: dt.date) -> str:
    """``<first date>-<most mentioned person or organisation>``: ``2031-04-02-ana-maria-ruiz``.

    The first date is the earliest article date, or the run date when no article has one.
    """
    dates = [a.date for a in articles if a.date]
    first = min(dates) if dates else run_date
    top = _top(entities, 1)
    words = top[0] if top else " ".join(re.findall(r"\w+", title.lower())[:5])
    name = re.sub(r"[^a-z0-9]+", "-", _ascii(words)).strip("-")[:60].strip("-") or "story"
    return f"{first.isoformat()}-{name}"


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Skipped:
    """An article already in the store (same content hash), under this or another name."""

    path: str
    article_id: str
    stored_as: str
    record: str | None = None  # the JSONL record, for an article read from one

    def __str__(self) -> str:
        same = "" if self.stored_as == self.article_id else f" as {self.stored_as}"
        where = self.path if self.record is None else f"{self.path}, record {self.record!r}"
        return f"{where}: already stored{same}; skipped as a duplicate"


@dataclass(frozen=True)
class StorySummary:
    id: int
    slug: str
    title: str
    articles: int
    new_articles: int
    counts: Mapping[str, int]  # new, open, confirmed, dismissed
    report_date: dt.date | None
    created_this_run: bool


@dataclass(frozen=True)
class BatchResult:
    run_id: int | None  # None: nothing to do, so no run was recorded
    run_date: dt.date
    resumed: bool
    new_articles: int
    stories: tuple[StorySummary, ...]  # stories that gained an article in this run
    new_stories: int
    duplicates: tuple[Skipped, ...]
    problems: tuple[InputProblem | str, ...]
    notes: tuple[str, ...]
    discrepancies: int  # current discrepancies of this run's stories
    new_discrepancies: int  # of which first found by this run
    reopened: tuple[str, ...]  # history notes of dismissed discrepancies reopened
    written: tuple[Path, ...]  # report files
    index: Path | None
    reports_dir: Path
    inbox: Path
    files: int  # article files found in the inbox
    warnings: tuple[str, ...] = ()  # about the run as a whole (no new article has a date)
    held_back: tuple[str, ...] = ()  # files and stories not tried again: they failed too often

    @property
    def nothing_done(self) -> bool:
        return not (self.new_articles or self.duplicates or self.written or self.held_back)

    @property
    def nothing_done_reason(self) -> str | None:
        """Why the run did nothing, in words for the log (None when it did something)."""
        if not self.nothing_done:
            return None
        if not self.files:
            return (f"{self.inbox}: the inbox holds no article files (see article_suffixes in "
                    "`claimcheck config`); nothing done")
        return f"{self.inbox}: no article in the inbox could be read; nothing done"

    @property
    def exit_code(self) -> int:
        """0 everything processed; 1 some input rejected, the rest processed; 2 nothing done."""
        if self.nothing_done:
            return 2
        return 1 if self.problems else 0

    def summary(self) -> str:
        wrote = self.reports_dir / self.run_date.isoformat()
        return (
            f"{counted(self.new_articles, 'new article')} in {counted(len(self.stories), 'story', 'stories')} "
            f"({counted(self.new_stories, 'new story', 'new stories')}); "
            f"{len(self.duplicates)} skipped as duplicates; {len(self.problems)} rejected; "
            + (f"{len(self.held_back)} held back; " if self.held_back else "")
            + f"{counted(self.discrepancies, 'discrepancy', 'discrepancies')} ({self.new_discrepancies} new); "
            + (f"wrote {wrote}/" if self.run_id is not None else "wrote nothing")
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "summary": self.summary(), "new_articles": self.new_articles, "stories": [s.slug for s in self.stories],
            "new_stories": self.new_stories, "duplicates": len(self.duplicates),
            "rejected": len(self.problems), "held_back": len(self.held_back), "discrepancies": self.discrepancies,
            "new_discrepancies": self.new_discrepancies, "index": str(self.index) if self.index else None,
        }


class Progress(Protocol):
    """What the CLI's progress bar implements; the batch reports each step to it."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, label: str = "") -> None: ...


class _NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, label: str = "") -> None:
        pass


# --------------------------------------------------------------------------- the run


def inbox_files(inbox: Path, config: Config) -> list[Path]:
    """Article files directly in the inbox (``config.article_suffixes``; hidden files
    skipped), sorted by name: the files ``load_articles`` would read from the folder."""
    suffixes = tuple(s.lower() for s in config.article_suffixes)
    try:
        entries = list(inbox.iterdir())
    except OSError as exc:
        raise UnreadableFileError(f"inbox cannot be listed: {exc.strerror or exc}", path=str(inbox),
                                  hint="check the folder's permissions; nothing was done") from exc
    files = [p for p in entries if not p.name.startswith(".") and p.suffix.lower() in suffixes and p.is_file()]
    return sorted(files, key=lambda p: p.name)


def run_batch(
    inbox: str | os.PathLike[str],
    db: str | os.PathLike[str],
    reports_dir: str | os.PathLike[str],
    *,
    config: Config | None = None,
    run_date: dt.date | None = None,
    wait: float = 0.0,
    progress: Progress | None = None,
    engine: str | Engine = "inprocess",
    scheduler: str | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Ingest the inbox's new articles into the store at ``db``, check the stories they
    changed, and write the night's reports under ``reports_dir/<run date>/``.

    ``db`` is a SQLite file (one batch at a time: ``BatchLock``) or a ``postgresql://``
    URL (several batches may share it; see ``claimcheck.store``).  Stories are analysed
    by ``engine``: ``"inprocess"``, ``"dask"`` (on the cluster at ``scheduler``, or a
    LocalCluster of ``workers`` processes; see ``claimcheck.dask_engine``), or an
    ``Engine`` object, which the caller closes.

    Raises ``InputError`` when the inbox is missing (nothing is done) and
    ``BatchLockedError`` when another run holds a SQLite database; bad files are
    reported in the result, never raised.
    """
    config = config or Config()
    run_date = run_date or dt.date.today()
    progress = progress or _NoProgress()
    inbox = Path(inbox)
    reports_dir = Path(reports_dir)
    if not inbox.exists():
        raise InputError("inbox folder does not exist", path=str(inbox), hint="check the path; nothing was done")
    if not inbox.is_dir():
        raise InputError("inbox is not a folder", path=str(inbox), hint="pass the folder the articles arrive in")
    files = inbox_files(inbox, config)
    server = is_server_url(db)
    if not files and not server and not Path(db).is_file():
        return _nothing_to_do(inbox, reports_dir, run_date)

    # a PostgreSQL store takes locks of its own, per story and per run (claimcheck.store)
    lock = nullcontext() if server else BatchLock(db, wait=wait)
    with lock, Store(db, busy_timeout=config.store_busy_timeout_seconds) as store, ExitStack() as closing:
        if not files and store.unfinished_run() is None:
            # an empty inbox: no run, no dated folder (a killed run is still finished, below)
            return _nothing_to_do(inbox, reports_dir, run_date)
        run = store.begin_run(run_date, str(inbox))
        analyser = _LazyEngine(engine, config, scheduler, workers, closing)
        ingested = _ingest(store, run, files, config, progress, analyser)
        problems: list[InputProblem | str] = list(ingested.problems)
        checked = _analyse_stories(store, run, config, progress, analyser)
        problems.extend(checked.failures)
        written = _write_story_reports(store, run, reports_dir, checked, config, progress)

        stories = store.stories_of_run(run.id)
        current = [d for s in stories for d in store.story_discrepancies(s.id, active_only=True).values()]
        new_per_story = Counter(a.story_id for a in store.run_articles(run.id))
        summaries = tuple(_story_summary(store, s, new_per_story[s.id], run.id, run_date) for s in stories)
        result = BatchResult(
            run_id=run.id, run_date=run_date, resumed=run.resumed,
            new_articles=sum(new_per_story.values()), stories=summaries,
            new_stories=sum(s.created_run == run.id for s in stories),
            duplicates=tuple(ingested.duplicates), problems=tuple(problems), notes=tuple(ingested.notes),
            discrepancies=len(current), new_discrepancies=sum(d.first_run == run.id for d in current),
            reopened=tuple(checked.reopened), written=tuple(written), index=None, reports_dir=reports_dir,
            inbox=inbox, files=len(files),
            warnings=tuple(w for w in [undated_warning(a.article for a in store.run_articles(run.id))] if w),
            held_back=(*ingested.held_back, *checked.held_back),
        )
        index = write_index(store, run_date, reports_dir, result)
        _checkpoint("index-written")
        result = replace(result, index=index)
        store.finish_run(run.id, result.to_dict())
    return result


def _nothing_to_do(inbox: Path, reports_dir: Path, run_date: dt.date) -> BatchResult:
    return BatchResult(
        run_id=None, run_date=run_date, resumed=False, new_articles=0, stories=(), new_stories=0,
        duplicates=(), problems=(), notes=(), discrepancies=0, new_discrepancies=0, reopened=(), written=(),
        index=None, reports_dir=reports_dir, inbox=inbox, files=0,
    )


@dataclass
class _Ingested:
    duplicates: list[Skipped] = field(default_factory=list)
    problems: list[InputProblem | str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)


def file_digest(path: Path, config: Config) -> str | None:
    """What identifies an inbox file in the record of failures: the sha256 of its bytes,
    so a file that changes is tried afresh.  A file over ``max_file_bytes`` is not read
    for it: its name, size and modification time stand in.  None: it cannot be read."""
    try:
        stat = path.stat()
        if stat.st_size > config.max_file_bytes:
            return "stat:" + hashlib.sha256(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def _held_back_file(path: Path, failure: FileFailure) -> str:
    return (f"{path}: held back, not read: {failure.attempts} attempts failed (last: {failure.error}); "
            f"it is read again when its bytes change, or after `claimcheck failures clear {failure.content_hash[:12]}`")


def _ingest(store: Store, run: Run, files: Sequence[Path], config: Config, progress: Progress,
            engine: _LazyEngine) -> _Ingested:
    """Read the inbox's files and file their new articles under stories.

    Each file's attempt is counted in the store before it is read and settled once its
    articles are filed (``file_failures``): a file whose reading fails, or under way when
    the run stops, is tried on later runs until ``batch_max_attempts`` attempts, then
    held back until its bytes change or an operator clears it."""
    out = _Ingested()
    since = run.run_date - dt.timedelta(days=config.story_window_days)
    candidates = _candidates(store, since)
    read_now: set[str] = set()  # content hashes read by this attempt
    pending: dict[str, tuple[Article, Path]] = {}  # new articles awaiting filing, by content hash
    attempts: dict[Path, str] = {}  # files read since the last filing, by their digest
    errors: dict[Path, list[str]] = {}

    def file_pending() -> None:
        """Parse and embed the waiting articles together, then file each under a story,
        one transaction an article, in the order they were read; then settle the
        attempts of the files read so far."""
        if pending:
            # what assignment compares (each article's lead vector and names), read by the engine
            features = engine.get().features([a for a, _ in pending.values()], config)
            _checkpoint("article-parsed")
            with store.assignment():  # another run sharing the store files its articles before or after
                if store.concurrent_runs:  # the stories other runs started or grew meanwhile
                    candidates[:] = _candidates(store, since)
                for (digest, (article, path)), feature in zip(pending.items(), features, strict=True):
                    if isinstance(feature, Exception):
                        problem = (f"{article_location(article)}: could not be read for filing under a story "
                                   f"({type(feature).__name__}: {feature}); it was not stored")
                        out.problems.append(problem)
                        errors.setdefault(path, []).append(problem)
                        continue
                    if store.concurrent_runs and (stored := store.article_by_hash(digest)) is not None:
                        # another run stored it after this one looked
                        out.duplicates.append(Skipped(str(path), article.id, stored.article.id, article.record))
                        continue
                    _file_article(store, run, article, digest, feature, candidates, config)
                    _checkpoint("article-committed")
            pending.clear()
        store.end_file_attempts({file_key: "; ".join(errors[path]) if path in errors else None
                                 for path, file_key in attempts.items()})
        attempts.clear()

    progress.start("reading articles", len(files))
    for path in files:
        file_key = file_digest(path, config)
        if file_key is not None:
            known = store.file_failure(file_key)
            if known is not None and known.attempts >= config.batch_max_attempts:
                out.held_back.append(_held_back_file(path, known))
                progress.advance(path.name)
                continue
            store.begin_file_attempt(file_key, str(path))
            attempts[path] = file_key
        loaded = load_articles([path], config)
        out.problems.extend(loaded.problems)
        if loaded.problems:
            errors.setdefault(path, []).extend(str(p) for p in loaded.problems)
        out.notes.extend(loaded.notes)
        for article in loaded.articles:
            digest = content_hash(article.text[article.body_start :])
            stored = store.article_by_hash(digest)
            first_read = digest not in read_now
            read_now.add(digest)
            if stored is not None:
                # Stored by this run before it was killed, read again now: not a duplicate.
                if stored.run_id != run.id or not first_read:
                    out.duplicates.append(Skipped(str(path), article.id, stored.article.id, article.record))
                continue
            if digest in pending:
                out.duplicates.append(Skipped(str(path), article.id, pending[digest][0].id, article.record))
                continue
            pending[digest] = (article, path)
        if len(pending) >= config.batch_chunk_articles:
            file_pending()
        progress.advance(path.name)
    file_pending()
    return out


def _candidates(store: Store, since: dt.date) -> list[_Candidate]:
    """The stories a new article may join: those that gained one since ``since``."""
    return [_Candidate(s.id, s.centroid, s.n_articles, Counter(s.entities)) for s in store.stories(updated_since=since)]


def _file_article(
    store: Store, run: Run, article: Article, digest: str, features: ArticleFeatures,
    candidates: list[_Candidate], config: Config,
) -> None:
    """Store one new article under the story it matches best, or a new story; the
    in-memory ``candidates`` change only once the store has."""
    choice = choose_story(features, candidates, config)
    with store.transaction():
        if choice.story_id is None:
            story = store.create_story(title=features.title, run_date=run.run_date, run_id=run.id,
                                       dim=features.vector.shape[0])
            joined = _Candidate(story.id, np.zeros(0, np.float32), 0, Counter())
        else:
            old = next(c for c in candidates if c.story_id == choice.story_id)
            joined = _Candidate(old.story_id, old.centroid, old.n_articles, Counter(old.entities))
        store.add_article(article, content_hash=digest, run_id=run.id, story_id=joined.story_id,
                          similarity=choice.similarity if choice.story_id else None,
                          shared_entities=choice.shared_entities if choice.story_id else None)
        joined.add(features)
        store.update_story_features(joined.story_id, centroid=joined.centroid, n_articles=joined.n_articles,
                                    entities=joined.entities, updated=run.run_date)
        _checkpoint("article-uncommitted")
    candidates[:] = [c for c in candidates if c.story_id != joined.story_id] + [joined]


@dataclass
class _Checked:
    """What checking the changed stories gave: their reports, the dismissed discrepancies
    reopened, failures (one line each), stories held back, and the stories whose check
    this run began (and counted)."""

    reports: dict[int, Report] = field(default_factory=dict)
    reopened: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    attempted: set[int] = field(default_factory=set)


def _held_back_story(story: StoredStory) -> str:
    name = f"story {story.slug}" if story.slug else story.name
    return (f"{name}: held back, not checked: {story.attempts} attempts failed (last: {story.last_error}); "
            f"it is checked again when an article joins it, or after `claimcheck failures clear {story.slug or story.id}`")


def _story_failed(store: Store, story: StoredStory, articles: Sequence[Article], stage: str,
                  exc: BaseException, config: Config) -> str:
    """Record a story's failed check; the line for the run's problems."""
    error = f"{stage} failed: {type(exc).__name__}: {exc}"
    store.story_attempt_failed(story.id, error)
    tries = store.story(story.id).attempts
    again = ("it will be tried again next run" if tries < config.batch_max_attempts else
             f"it is held back after {tries} attempts (see `claimcheck failures list`)")
    return f"{story.name} ({', '.join(a.id for a in articles)}): {error}; {again}"


class _LazyEngine:
    """The engine that analyses stories, started when a story first needs it (a
    LocalCluster takes seconds to start, and a run with nothing new needs none)."""

    def __init__(self, engine: str | Engine, config: Config, scheduler: str | None, workers: int | None,
                 closing: ExitStack):
        self._spec, self._config, self._scheduler, self._workers = engine, config, scheduler, workers
        self._closing = closing
        self._engine: Engine | None = None if isinstance(engine, str) else engine

    def get(self) -> Engine:
        if self._engine is None:
            from claimcheck.engine import open_engine

            self._engine = self._closing.enter_context(open_engine(
                str(self._spec), self._config, scheduler=self._scheduler, workers=self._workers))
        return self._engine


def _analyse_stories(store: Store, run: Run, config: Config, progress: Progress, engine: _LazyEngine) -> _Checked:
    """Analyse every story that gained an article.  Stories whose check failed before
    are analysed one at a time, after the others: one that kills the run then takes only
    itself down, and on later runs the stories it shared a batch with get through.

    A story another run is checking (a shared PostgreSQL store) is left to it, then
    checked here once that run lets go of it, if an article it did not see still
    awaits analysis."""
    out = _Checked()
    todo: list[StoredStory] = []
    for story in store.stories_needing_analysis():
        if story.attempts >= config.batch_max_attempts:
            out.held_back.append(_held_back_story(story))
        else:
            todo.append(story)
    progress.start("checking stories", len(todo))
    fresh = [s for s in todo if not s.attempts]
    batches = ([fresh] if fresh else []) + [[s] for s in todo if s.attempts]
    elsewhere: list[StoredStory] = []
    for batch in batches:
        mine = [s for s in batch if store.try_lock_story(s.id)]
        taken = {s.id for s in mine}
        elsewhere += [s for s in batch if s.id not in taken]
        _check_stories(store, run, mine, config, progress, engine, out)
    for story in elsewhere:
        store.lock_story(story.id)  # waits for the other run to save it
        current = store.story(story.id)
        if current.needs_analysis and current.attempts < config.batch_max_attempts:
            _check_stories(store, run, [current], config, progress, engine, out)
        else:
            store.unlock_story(story.id)
            progress.advance(story.name)
    return out


def _check_stories(store: Store, run: Run, batch: Sequence[StoredStory], config: Config, progress: Progress,
                   engine: _LazyEngine, out: _Checked) -> None:
    """Analyse stories this run holds the locks of, save each as it comes, and let go of
    each once saved."""
    held = {s.id for s in batch}
    try:
        if not batch:
            return
        store.begin_story_attempts(s.id for s in batch)
        out.attempted.update(s.id for s in batch)
        stories_articles = [store.story_articles(story.id) for story in batch]
        # stories are analysed together (parsed and embedded in one go, or spread over a
        # cluster), and saved one by one as they come, in order
        results = engine.get().analyse(stories_articles, config)
        for story, articles, report in zip(batch, stories_articles, results, strict=True):
            try:
                _save_story(store, run, story, articles, report, config, out)
            finally:
                store.unlock_story(story.id)
                held.discard(story.id)
            progress.advance(story.name)
    finally:
        for story_id in held:  # the run stops (the engine or the store gave out)
            store.unlock_story(story_id)


def _save_story(store: Store, run: Run, story: StoredStory, articles: Sequence[Article],
                report: Report | Exception, config: Config, out: _Checked) -> None:
    """Save one story's analysis (its claims and discrepancies) in one transaction."""
    if isinstance(report, Exception):  # one story's failure must not stop the night
        if isinstance(report, (StoreError, ModelLoadError)):
            raise report
        out.failures.append(_story_failed(store, story, articles, "analysis", report, config))
        return
    out.failures.extend(report.problems)  # articles the analysis had to leave out
    outlets = {a.id: a.outlet for a in articles}
    with store.transaction():
        store.name_story(story.id, story_slug(story.entities, articles, story.title, run.run_date))
        store.replace_claims([a.id for a in articles], report.claims)
        out.reopened += _save_discrepancies(store, story.id, report.discrepancies, run, outlets)
        # only if no article joined it meanwhile (another run sharing the store filed one):
        # then the story still awaits an analysis that sees it
        analysed = store.mark_analysed(story.id, run_id=run.id, n_articles=len(articles))
        _checkpoint("analysis-uncommitted")
    _checkpoint("analysis-saved")
    if analysed:
        out.reports[story.id] = report


def _save_discrepancies(
    store: Store, story_id: int, found: Sequence[Discrepancy], run: Run, outlets: Mapping[str, str]
) -> list[str]:
    """Upsert by stable id; returns the notes of dismissed discrepancies reopened.

    The story's discrepancies are read and locked (``FOR UPDATE`` on PostgreSQL; SQLite's
    write lock is the transaction's) before they are rewritten: a reviewer's decision
    taken meanwhile waits, then applies to what this wrote; none is overwritten."""
    known = store.story_discrepancies(story_id, for_update=True)
    _checkpoint("discrepancies-read")
    reopened = []
    for d in found:
        old = known.get(d.id)
        if old is None:
            store.save_discrepancy(story_id, d, seen=run.run_date, run_id=run.id)
            store.add_event(story_id, d.id, "open", note=f"found by the run of {run.run_date}", by=BATCH_REVIEWER)
            continue
        gained = _new_sides(old, d)
        reopen = old.status == "dismissed" and bool(gained)
        store.save_discrepancy(story_id, d, seen=run.run_date, run_id=run.id, first_seen=old.first_seen,
                               first_run=old.first_run, status="open" if reopen else old.status)
        if reopen:
            by_file: dict[str, list[str]] = {}
            for e in gained:
                by_file.setdefault(e.file, []).append(e.value or e.text)
            sources = "; ".join(
                (f"{f} ({outlets[f]})" if outlets.get(f, f) != f else f) + ": " + ", ".join(map(repr, values))
                for f, values in sorted(by_file.items()))
            note = f"reopened: new evidence from {sources} in the run of {run.run_date}"
            store.add_event(story_id, d.id, "open", note=note, by=BATCH_REVIEWER)
            reopened.append(f"{d.id} (dismissed): new evidence from {sources}")
    store.deactivate_discrepancies(story_id, keep=[d.id for d in found])
    return reopened


def _side(evidence: Evidence) -> str:
    """What a side says: its value (a spelling, an office, a figure) as compared, case and
    spacing aside."""
    return " ".join((evidence.value or evidence.text).split()).casefold()


def _new_sides(old: StoredDiscrepancy, new: Discrepancy) -> list[Evidence]:
    """Evidence of an article the old evidence did not cite, saying something no old side
    said: a new spelling, a new office, a new figure.  Articles that merely repeat one of
    the sides (spell a name as others did) bring nothing a reviewer has not weighed."""
    cited = {e.file for e in old.evidence}
    said = {_side(e) for e in old.evidence}
    return [e for e in new.evidence if e.file not in cited and _side(e) not in said]


def _write_story_reports(
    store: Store, run: Run, reports_dir: Path, checked: _Checked, config: Config, progress: Progress
) -> list[Path]:
    written: list[Path] = []
    todo = store.stories_needing_report()
    progress.start("writing reports", len(todo))
    for story in todo:
        # on a shared store: a story another live run analysed is that run's to report,
        # and one another run is checking now will be reported by it
        if story.analysed_run not in (None, run.id) and store.run_alive(story.analysed_run):
            progress.advance(story.name)
            continue
        if not store.try_lock_story(story.id):
            progress.advance(story.name)
            continue
        try:
            story = store.story(story.id)
            if story.needs_report:
                written += _write_story_report(store, run, story, reports_dir, checked, config)
        finally:
            store.unlock_story(story.id)
        progress.advance(story.name)
    return written


def _write_story_report(store: Store, run: Run, story: StoredStory, reports_dir: Path, checked: _Checked,
                        config: Config) -> list[Path]:
    """One story's report files (none when it is held back or its report fails)."""
    from claimcheck.pipeline import analyse
    from claimcheck.report import write_report

    if story.id not in checked.attempted:  # analysed by an earlier attempt that stopped
        if story.attempts >= config.batch_max_attempts:
            checked.held_back.append(_held_back_story(story))
            return []
        store.begin_story_attempts([story.id])
        checked.attempted.add(story.id)
    try:
        report = checked.reports.get(story.id)
        if report is None:  # analysed by an earlier, killed attempt: the same articles give the same report
            report = analyse(store.story_articles(story.id), config)
        report = with_review_status(report, store.story_discrepancies(story.id))
        folder = reports_dir / run.run_date.isoformat() / (story.slug or f"story-{story.id}")
        written = list(write_report(report, folder, formats=REPORT_FORMATS).values())
    except (StoreError, ModelLoadError, ReportError):  # the disk, the store, the models: not this story
        raise
    except Exception as exc:  # noqa: BLE001 - one story's report must not stop the night
        articles = store.story_articles(story.id)
        checked.failures.append(_story_failed(store, story, articles, "its report", exc, config))
        return []
    _checkpoint("report-written")
    store.mark_reported(story.id, run.run_date)
    return written


def with_review_status(report: Report, stored: Mapping[str, StoredDiscrepancy]) -> Report:
    """The report with each discrepancy's review status; dismissed ones moved last
    (the writers show them in a collapsed "Dismissed" section)."""
    found = [replace(d, status=stored[d.id].status) if d.id in stored else d for d in report.discrepancies]
    ordered = [d for d in found if d.status != "dismissed"] + [d for d in found if d.status == "dismissed"]
    notes = list(dict.fromkeys([*report.notes, *(f"{a.id}: {n}" for a in report.articles for n in a.notes)]))
    return replace(report, discrepancies=ordered, notes=notes)


def _story_summary(store: Store, story: StoredStory, new_articles: int, run_id: int, run_date: dt.date) -> StorySummary:
    return StorySummary(
        id=story.id, slug=story.slug or f"story-{story.id}", title=story.title, articles=story.n_articles,
        new_articles=new_articles, counts=store.status_counts(story.id, new_on=run_date),
        report_date=story.report_date, created_this_run=story.created_run == run_id,
    )


# --------------------------------------------------------------------------- the night's index

_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="claimcheck batch">
<title>claimcheck — {{ date }}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th.n { text-align: right; }
.new { font-weight: bold; color: #a40000; }
.muted { color: #777; }
code { font-size: 90%; }
</style>
</head>
<body>
<h1>claimcheck — {{ date }}</h1>
{% for run in runs %}
<p>{% if runs|length > 1 %}Run {{ run.id }}: {% endif %}{{ run.summary }}</p>
{% endfor %}
<h2>Stories checked on {{ date }}</h2>
{% if tonight %}
<table>
<thead><tr><th>Story</th><th>Title</th><th class="n">Articles</th><th class="n">New</th><th class="n">Open</th><th class="n">Confirmed</th><th class="n">Dismissed</th></tr></thead>
<tbody>
{% for s in tonight %}
<tr><td><a href="{{ s.slug }}/report.html"><code>{{ s.slug }}</code></a>{% if s.created %} <span class="muted">(new story)</span>{% endif %}</td><td>{{ s.title }}</td>
<td class="n">{{ s.articles }}</td><td class="n{% if s.counts.new %} new{% endif %}">{{ s.counts.new }}</td><td class="n">{{ s.counts.open }}</td><td class="n">{{ s.counts.confirmed }}</td><td class="n">{{ s.counts.dismissed }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p class="muted">No story changed.</p>
{% endif %}
{% if earlier %}
<h2>Earlier stories with open discrepancies</h2>
<table>
<thead><tr><th>Story</th><th>Title</th><th>Last report</th><th class="n">Open</th><th class="n">Confirmed</th><th class="n">Dismissed</th></tr></thead>
<tbody>
{% for s in earlier %}
<tr><td><a href="../{{ s.report_date }}/{{ s.slug }}/report.html"><code>{{ s.slug }}</code></a></td><td>{{ s.title }}</td><td>{{ s.report_date }}</td>
<td class="n">{{ s.counts.open }}</td><td class="n">{{ s.counts.confirmed }}</td><td class="n">{{ s.counts.dismissed }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% if problems %}
<h2>Rejected input{% if runs|length > 1 %} (run {{ runs[-1].id }}){% endif %}</h2>
<ul>{% for p in problems %}<li>{{ p }}</li>{% endfor %}</ul>
{% endif %}
{% if held_back %}
<h2>Held back after failing before</h2>
<ul>{% for h in held_back %}<li>{{ h }}</li>{% endfor %}</ul>
{% endif %}
{% if duplicates %}
<h2>Skipped as duplicates{% if runs|length > 1 %} (run {{ runs[-1].id }}){% endif %}</h2>
<ul>{% for d in duplicates %}<li>{{ d }}</li>{% endfor %}</ul>
{% endif %}
</body>
</html>
"""


def render_index(
    date: dt.date, runs: Sequence[dict], tonight: Sequence[dict], earlier: Sequence[dict],
    problems: Sequence[str], duplicates: Sequence[str], held_back: Sequence[str] = (),
) -> str:
    """The night's ``index.html``: self-contained, every value escaped by Jinja2."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_INDEX_TEMPLATE).render(
        date=date.isoformat(), runs=runs, tonight=tonight, earlier=earlier,
        problems=problems, duplicates=duplicates, held_back=held_back,
    )


def write_index(store: Store, run_date: dt.date, reports_dir: Path, result: BatchResult) -> Path:
    """Write ``reports_dir/<date>/index.html``: the stories reported that night (by any
    run on that date) with their counts, then earlier stories still open."""
    from claimcheck.report import atomic_write_text

    tonight, earlier = [], []
    created_now = {s.id for s in result.stories if s.created_this_run}
    for story in store.stories():
        if story.report_date is None or story.slug is None:
            continue
        counts = store.status_counts(story.id, new_on=run_date)
        row = {"slug": story.slug, "title": story.title, "articles": story.n_articles, "counts": counts,
               "report_date": story.report_date.isoformat(),
               "created": story.id in created_now or story.created == run_date}
        if story.report_date == run_date:
            tonight.append(row)
        elif counts["open"]:
            earlier.append(row)
    earlier.sort(key=lambda r: r["report_date"], reverse=True)
    folder = reports_dir / run_date.isoformat()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"report folder cannot be created: {exc.strerror or exc}", path=str(folder),
                          hint="choose another --reports folder") from exc
    runs = [{"id": r.id, "summary": (r.summary or {}).get("summary", "")}
            for r in store.runs(run_date=run_date) if r.finished_at and r.id != result.run_id]
    runs.append({"id": result.run_id, "summary": result.summary()})
    html = render_index(run_date, runs, tonight, earlier,
                        [str(p) for p in result.problems], [str(d) for d in result.duplicates], result.held_back)
    return atomic_write_text(folder / "index.html", html)
