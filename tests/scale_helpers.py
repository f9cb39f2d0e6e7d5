"""What the scale tests compare: a batch store's answers read through the Store API, so
a SQLite store and a PostgreSQL one, or runs on different engines, compare as equals."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from claimcheck.models import Claim
from claimcheck.store import Store

from .conftest import FIXTURES


def fixture_inbox(folder: Path) -> Path:
    """The invented fixture stories' articles, side by side in one inbox (3 stories)."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in sorted(FIXTURES.glob("*/*.txt")):
        shutil.copy(article, folder / article.name)
    return folder


def _claim(c: Claim) -> tuple:
    figures = tuple((q.text, q.start, q.end, "nan" if math.isnan(q.value) else q.value, q.low, q.high, q.kind.value,
                     q.unit, q.hedge, q.measure) for q in c.quantities)
    return (c.id, c.text, c.spans, c.sentence, c.speaker, c.modality, c.subject, c.subject_entity, figures,
            c.entities)


def store_answers(target: str | Path, *, with_runs: bool = True) -> dict:
    """Stories (ids, slugs, members), claims and discrepancies (ids, sides, status, and
    when they were found) with their review history; ``with_runs=False`` leaves out
    which run did what (runs that overlap share the work differently)."""
    out = {}
    with Store(target) as store:
        for s in store.stories():
            ids = [a.id for a in store.story_articles(s.id)]
            found = store.story_discrepancies(s.id)
            out[s.slug] = {
                "story": (s.id, s.title, s.n_articles, dict(s.entities), s.needs_analysis, s.needs_report,
                          s.report_date, s.attempts),
                "articles": ids,
                "claims": [_claim(c) for c in store.claims(ids)],
                "discrepancies": {
                    d.id: (d.kind, d.severity, d.score, d.subject, d.explanation, d.title, d.group_id, d.evidence,
                           d.evidence_signature, d.status, d.active, d.first_seen, d.last_seen,
                           *((d.first_run, d.last_run) if with_runs else ()))
                    for d in found.values() if with_runs or d.active},
                "history": {i: [(e.status, e.note, e.by) for e in store.history(s.id, i)]
                            for i in found if with_runs or found[i].active},
            }
    return out
