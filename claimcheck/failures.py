"""What the nightly runs could not do, for an operator: files whose reading failed and
stories whose check failed, listed and cleared.

    >>> from claimcheck.failures import clear_failure, list_failures
    >>> with Store("claimcheck.db") as store:
    ...     print(format_failures(list_failures(store, max_attempts=3)))
    ...     clear_failure(store, "3f2a9c1e0b7d")      # a file's hash prefix or path, or a story

A batch run counts an attempt at a file before reading it, and at a story before
checking it, so a run killed by one counts too.  After ``batch_max_attempts`` attempts
the file is held back until its bytes change, the story until an article joins it;
clearing one makes the next run try it afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.errors import StoreError
from claimcheck.store import FileFailure, Store, StoredStory

__all__ = ["Failures", "clear_failure", "format_failures", "list_failures"]


@dataclass(frozen=True)
class Failures:
    files: tuple[FileFailure, ...]
    stories: tuple[StoredStory, ...]
    max_attempts: int


def list_failures(store: Store, *, max_attempts: int) -> Failures:
    return Failures(tuple(store.file_failures()), tuple(store.failing_stories()), max_attempts)


def clear_failure(store: Store, key: str) -> list[str]:
    """Forget the failed attempts of the files whose hash starts with ``key`` or whose
    path is ``key``, or of the story whose slug or number is ``key``; returns what was
    cleared, in words."""
    files = [f for f in store.file_failures() if f.content_hash.startswith(key) or f.path == key]
    stories = [s for s in store.failing_stories() if key in (s.slug, str(s.id))]
    if not files and not stories:
        raise StoreError(f"no failed file or story {key!r}", path=str(store.path),
                         hint="`claimcheck failures list` shows them, with the hash prefix to give")
    cleared = []
    for f in files:
        store.clear_file_failure(f.content_hash)
        cleared.append(f"cleared {f.path} ({f.content_hash[:12]}): the next run reads it again")
    for s in stories:
        store.clear_story_failure(s.id)
        cleared.append(f"cleared story {s.slug or s.id}: the next run checks it again")
    return cleared


def _attempts(n: int, max_attempts: int) -> str:
    word = "attempt" if n == 1 else "attempts"
    return f"{n} {word}" + (", held back" if n >= max_attempts else "")


def format_failures(failures: Failures) -> str:
    if not failures.files and not failures.stories:
        return "No failures."
    lines = []
    if failures.files:
        lines.append("Files:")
        for f in failures.files:
            lines.append(f"  {f.content_hash[:12]}  {_attempts(f.attempts, failures.max_attempts)}  last {f.last_attempt}  {f.path}")
            lines.append(f"      {f.error}")
    if failures.stories:
        lines.append("Stories:")
        for s in failures.stories:
            lines.append(f"  {s.slug or s.id}  {_attempts(s.attempts, failures.max_attempts)}  {s.title}")
            lines.append(f"      {s.last_error or ''}")
    return "\n".join(lines)
