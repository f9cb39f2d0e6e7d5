"""Tables for spreadsheets and notebooks (pandas).

``discrepancies_frame`` is what ``claimcheck.to_frame(report)`` returns and what
``discrepancies.csv`` holds: one row per discrepancy, the first two sides flattened into
``*_a``/``*_b`` columns (most discrepancies have exactly two) and any further sides kept
as JSON in ``other_sides`` so no evidence is lost.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from claimcheck.models import Evidence, Report
from claimcheck.report.common import (
    COVERAGE_ROW_LIMIT,
    article_index,
    card_title,
    coverage_matrix,
    entity_names,
    descriptor_rows,
    multi_source_claim_ids,
    source_label,
)
from claimcheck.report.io import atomic_write_text
from claimcheck.report.jsonfmt import evidence_to_dict

if TYPE_CHECKING:  # pandas costs half a second to import: each table imports it when built
    import pandas as pd

SIDE_FIELDS: tuple[str, ...] = ("file", "start", "end", "text", "value", "speaker", "detail")
DISCREPANCY_COLUMNS: tuple[str, ...] = (
    "rank", "id", "kind", "severity", "score", "subject", "explanation",
    *(f"{f}_a" for f in SIDE_FIELDS), *(f"{f}_b" for f in SIDE_FIELDS),
    "n_sides", "other_sides", "status", "title",
)
CLAIM_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "outlet", "start", "end", "speaker", "speaker_kind", "modality",
    "subject", "text", "quantities", "group_id", "single_source",
)
_OFFSET_COLUMNS = ("start_a", "end_a", "start_b", "end_b")


def _side(ev: Evidence | None, suffix: str) -> dict[str, object]:
    if ev is None:
        return {f"{f}_{suffix}": None for f in SIDE_FIELDS}
    return {f"{f}_{suffix}": getattr(ev, f) for f in SIDE_FIELDS}


def discrepancies_frame(report: Report) -> pd.DataFrame:
    """One row per discrepancy, most severe first, sides flattened: what the CSV report holds."""
    import pandas as pd

    names = entity_names(report)
    rows = []
    for rank, d in enumerate(report.discrepancies, start=1):
        sides = list(d.evidence)
        rows.append({
            "rank": rank, "id": d.id, "kind": d.kind.value, "severity": d.severity.value,
            "score": d.score, "subject": d.subject, "explanation": d.explanation,
            **_side(sides[0] if sides else None, "a"),
            **_side(sides[1] if len(sides) > 1 else None, "b"),
            "n_sides": len(sides),
            "other_sides": json.dumps([evidence_to_dict(ev) for ev in sides[2:]], ensure_ascii=False),
            "status": d.status,
            "title": card_title(d, names),
        })
    frame = pd.DataFrame(rows, columns=list(DISCREPANCY_COLUMNS))
    # Nullable integers: a one-sided discrepancy must not turn every offset into a float.
    for column in _OFFSET_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def claims_frame(report: Report) -> pd.DataFrame:
    import pandas as pd

    articles = article_index(report)
    group_of = {cid: g.id for g in report.groups for cid in g.claim_ids}
    shared = multi_source_claim_ids(report)
    rows = [
        {
            "id": c.id, "article_id": c.article_id,
            "outlet": articles[c.article_id].outlet if c.article_id in articles else c.article_id,
            "start": c.start, "end": c.end, "speaker": c.speaker.name,
            "speaker_kind": c.speaker.kind.value, "modality": c.modality.value,
            "subject": c.subject, "text": c.text,
            "quantities": "; ".join(q.describe() for q in c.quantities),
            "group_id": group_of.get(c.id), "single_source": c.id not in shared,
        }
        for c in report.claims
    ]
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def groups_frame(report: Report) -> pd.DataFrame:
    """One row per claim group: its label, how many sources tell it, and its claims."""
    import pandas as pd

    articles = article_index(report)
    rows = [
        {
            "id": g.id, "label": g.label, "n_sources": len(set(g.article_ids)), "n_claims": len(g.claim_ids),
            "sources": ", ".join(dict.fromkeys(
                source_label(articles[a]) if a in articles else a for a in g.article_ids)),
            "claim_ids": ", ".join(g.claim_ids), "single_source": g.single_source,
        }
        for g in report.groups
    ]
    columns = ["id", "label", "n_sources", "n_claims", "sources", "claim_ids", "single_source"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["n_sources", "n_claims"], ascending=False, kind="stable").reset_index(drop=True)


def coverage_frame(report: Report, limit: int = COVERAGE_ROW_LIMIT) -> pd.DataFrame:
    """The coverage matrix: one row per claim group, one column per article id.

    Cells are "agrees", "disagrees", "tells" or "not_mentioned"; see ``common.coverage_matrix``.
    """
    import pandas as pd

    matrix = coverage_matrix(report, limit)
    rows = [{"group_id": r.group_id, "label": r.label, **dict(zip(matrix.sources, r.cells))} for r in matrix.rows]
    return pd.DataFrame(rows, columns=["group_id", "label", *matrix.sources])


def descriptors_frame(report: Report) -> pd.DataFrame:
    """People × article ids: the titles and labels each source gives them, comma-separated."""
    import pandas as pd

    ids = [a.id for a in report.articles]
    rows = [{"person": r.name, **{aid: ", ".join(d.text for d in cell) for aid, cell in zip(ids, r.cells)}}
            for r in descriptor_rows(report)]
    return pd.DataFrame(rows, columns=["person", *ids])


def render_csv(frame: pd.DataFrame) -> str:
    # "\n" line ends whatever the OS: the file is data, and diffs should stay quiet.
    return frame.to_csv(index=False, lineterminator="\n")


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a frame as UTF-8 CSV through the atomic writer."""
    return atomic_write_text(path, render_csv(frame))
