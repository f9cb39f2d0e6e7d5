"""Fact-checkers' review of what the nightly runs flagged: list, show, confirm, dismiss.

    >>> from claimcheck.review import decide, open_store
    >>> with open_store("claimcheck.db") as store:
    ...     decide(store, "qua-4cd55d862f87", "dismissed", note="both readings are fair", by="ana")

Decisions are appended to the discrepancy's history and become its current status.  A
later batch run keeps them: a dismissed discrepancy stays dismissed (its report lists
it under "Dismissed") unless new evidence adds a side to it: an article it did not cite
before saying something no side said (a third spelling, another office or figure); then
the run reopens it and its history says why.  Articles that merely repeat a side (spell
a name as others did) keep it dismissed.  Deciding what is already decided (confirming a
confirmed one) records nothing and says who decided it.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from claimcheck.errors import StoreError
from claimcheck.store import ReviewEvent, Store, StoredDiscrepancy, StoredStory, is_server_url

__all__ = [
    "Decision",
    "DiscrepancyDetail",
    "ReviewStatus",
    "SideDetail",
    "decide",
    "default_reviewer",
    "format_detail",
    "format_list",
    "list_discrepancies",
    "open_store",
    "show_discrepancy",
]


class ReviewStatus(str, Enum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class SideDetail:
    """One side of a discrepancy as a reviewer reads it: where, what, and its sentence."""

    file: str
    outlet: str
    start: int
    end: int
    text: str
    value: str | None
    speaker: str
    sentence: str | None  # the whole sentence the evidence sits in, when known


@dataclass(frozen=True)
class DiscrepancyDetail:
    discrepancy: StoredDiscrepancy
    story: StoredStory
    sides: tuple[SideDetail, ...]
    history: tuple[ReviewEvent, ...]


@dataclass(frozen=True)
class Decision:
    """What ``decide`` did: the decision it recorded (``changed``), or, when the
    discrepancy had that status already, the decision in force (who made it, when, why);
    then nothing is recorded."""

    discrepancy_id: str
    status: str
    by: str
    note: str
    at: str
    changed: bool


def open_store(db: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> Store:
    """Open an existing batch database (a path, or a ``postgresql://`` URL); reviewing a
    database that is not there is a mistake (a typo in --db), not a reason to create an
    empty one."""
    if not is_server_url(db) and not Path(db).is_file():
        raise StoreError("no batch database here", path=str(db),
                         hint="pass the --db that `claimcheck batch` wrote")
    return Store(db, busy_timeout=busy_timeout, create=False)


def default_reviewer() -> str:
    """Who a decision is by when --by is not given: $USER, else the login name."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass fails without a passwd entry (containers)
        return "unknown"


def list_discrepancies(
    store: Store, *, story: str | None = None, status: str | ReviewStatus | None = None
) -> list[StoredDiscrepancy]:
    """Current discrepancies, most severe first; optionally one story's, one status's."""
    status = status.value if isinstance(status, ReviewStatus) else status
    return store.find_discrepancies(story=story, status=status)


def show_discrepancy(store: Store, key: str, *, story: str | None = None) -> DiscrepancyDetail:
    """A discrepancy with both sides' sentences and values, and its history."""
    d = store.resolve_discrepancy(key, story=story)
    sides = []
    for ev in d.evidence:
        stored = store.article(ev.file)
        sentence = None
        if stored is not None and ev.claim_id is not None:
            claim = store.claim(ev.file, ev.claim_id)
            if claim is not None:
                sentence = stored.article.text[claim.sentence.start : claim.sentence.end]
        sides.append(SideDetail(
            file=ev.file, outlet=stored.article.outlet if stored else ev.file, start=ev.start, end=ev.end,
            text=ev.text, value=ev.value, speaker=ev.speaker, sentence=sentence,
        ))
    return DiscrepancyDetail(d, store.story(d.story_id), tuple(sides), tuple(store.history(d.story_id, d.id)))


def decide(
    store: Store, key: str, status: str | ReviewStatus, *, note: str = "", by: str | None = None,
    story: str | None = None,
) -> Decision:
    """Confirm, dismiss or reopen a discrepancy (by id or unique id prefix).

    Deciding what is already decided (confirming a confirmed one) records nothing: the
    history keeps one line per change, and the result says who decided it first."""
    status = status.value if isinstance(status, ReviewStatus) else status
    d = store.resolve_discrepancy(key, story=story)
    if d.status == status:
        last = next((e for e in reversed(store.history(d.story_id, d.id)) if e.status == status), None)
        return Decision(d.id, status, last.by if last else "", last.note if last else "",
                        last.at if last else "", changed=False)
    event = store.set_status(d.story_id, d.id, status, note=note, by=by or default_reviewer())
    return Decision(event.discrepancy_id, event.status, event.by, event.note, event.at, changed=True)


# --------------------------------------------------------------------------- text for the terminal


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_list(items: list[StoredDiscrepancy]) -> str:
    if not items:
        return "No discrepancies."
    lines = []
    for d in items:
        lines.append(
            f"{d.id}  {d.status:<9}  {d.severity.value:<6}  {d.kind.value:<22}  "
            f"{d.story_slug or d.story_id}  first seen {d.first_seen}"
        )
        lines.append(f"    {_one_line(d.explanation, 110)}")
    return "\n".join(lines)


def format_detail(detail: DiscrepancyDetail) -> str:
    d = detail.discrepancy
    lines = [
        f"{d.id} — {d.kind.value}, {d.severity.value} severity, {d.status}"
        + ("" if d.active else " (no longer found by the latest run)"),
        f"story: {detail.story.slug or detail.story.id} — {detail.story.title}",
        f"first seen {d.first_seen}, last seen {d.last_seen}",
        "",
        d.explanation,
    ]
    for side in detail.sides:
        speaker = f", said by {side.speaker}" if side.speaker and side.speaker not in (side.file, side.outlet) else ""
        lines += ["", f"  {side.outlet} — {side.file} [{side.start}–{side.end}]{speaker}"]
        if side.value:
            lines.append(f"    value: {side.value}")
        lines.append(f"    evidence: {_one_line(side.text, 300)}")
        if side.sentence and " ".join(side.sentence.split()) != " ".join(side.text.split()):
            lines.append(f"    sentence: {_one_line(side.sentence, 400)}")
    lines += ["", "history:"]
    for e in detail.history:
        lines.append(f"  {e.at}  {e.status:<9}  by {e.by}" + (f": {e.note}" if e.note else ""))
    return "\n".join(lines)
