"""The JSON report: the complete, machine-readable record of one run.

``claimcheck eval --report`` and other tools read it back, so its layout is a contract
(``schema_version``).  Every discrepancy side carries ``file, start, end, text`` as
shared/eval/README.md requires; offsets are Python ``str`` indices into the article file
as decoded.  JSON has no infinity, so open interval bounds are written as ``null``; enums
are written as their values and dates in ISO form.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Discrepancy,
    Entity,
    EntityMention,
    Evidence,
    Quantity,
    Report,
)
from claimcheck.report.common import (
    CoverageMatrix,
    DescriptorRow,
    by_kind,
    by_severity,
    by_status,
    card_title,
    claims_per_article,
    coverage_matrix,
    descriptor_rows,
    entity_names,
    single_source_claims,
)
from claimcheck.report.io import ReportError

# 1.1 added summary.by_status, articles[].single_source, coverage, descriptors; 1.2 the
# coverage state "tells" and coverage.rows[].values, discrepancies[].title, evidence[].detail and
# articles[].encoding
SCHEMA_VERSION = "1.2"
TOOL = "claimcheck"


def _number(x: float | None) -> float | int | None:
    """A float JSON can hold: infinities and NaN become null, whole numbers stay floats."""
    if x is None or math.isinf(x) or math.isnan(x):
        return None
    return x


def to_jsonable(value: Any) -> Any:
    """Turn config values and other loose data into plain JSON types."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [to_jsonable(v) for v in items]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def quantity_to_dict(q: Quantity) -> dict[str, Any]:
    return {
        "text": q.text, "start": q.start, "end": q.end,
        "value": _number(q.value), "low": _number(q.low), "high": _number(q.high),
        "kind": q.kind.value, "unit": q.unit, "hedge": q.hedge, "measure": q.measure,
    }


def mention_to_dict(m: EntityMention) -> dict[str, Any]:
    return {
        "text": m.text, "start": m.start, "end": m.end, "label": m.label,
        "entity_id": m.entity_id,
        "titles": [
            {"text": t.text, "start": t.start, "end": t.end, "head": t.head,
             "tense": t.tense.value, "is_office": t.is_office}
            for t in m.titles
        ],
    }


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """One claim; also what ``claimcheck claims --json`` prints, one per line."""
    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "spans": [[s.start, s.end] for s in claim.spans],
        "sentence": [claim.sentence.start, claim.sentence.end],
        "speaker": claim.speaker.name,
        "speaker_kind": claim.speaker.kind.value,
        "modality": claim.modality.value,
        "subject": claim.subject,
        "subject_entity": claim.subject_entity,
        "quantities": [quantity_to_dict(q) for q in claim.quantities],
        "entities": [mention_to_dict(m) for m in claim.entities],
    }


def evidence_to_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "file": ev.file, "start": ev.start, "end": ev.end, "text": ev.text,
        "speaker": ev.speaker, "value": ev.value, "detail": ev.detail,
        "highlights": [[h.start, h.end] for h in ev.highlights],
        "claim_id": ev.claim_id,
    }


def discrepancy_to_dict(d: Discrepancy, entity_names: dict[str, str] | None = None) -> dict[str, Any]:
    """One discrepancy; ``title`` is the card's title (the detector's, or one built from
    the subject, kind and values: ``common.card_title``)."""
    return {
        "id": d.id, "kind": d.kind.value, "severity": d.severity.value,
        "score": _number(d.score), "title": card_title(d, entity_names), "explanation": d.explanation,
        "subject": d.subject, "group_id": d.group_id, "status": d.status,
        "evidence": [evidence_to_dict(ev) for ev in d.evidence],
    }


def article_to_dict(a: Article, n_claims: int, n_single_source: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": a.id, "source": a.outlet, "date": a.date.isoformat() if a.date else None,
        "title": a.title, "chars": len(a.text), "claims": n_claims,
        "encoding": a.encoding,  # the decoding offsets into the text refer to
    }
    if n_single_source is not None:
        data["single_source"] = n_single_source
    return data


def group_to_dict(g: ClaimGroup) -> dict[str, Any]:
    return {"id": g.id, "label": g.label, "article_ids": list(g.article_ids), "claim_ids": list(g.claim_ids)}


def entity_to_dict(e: Entity) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "label": e.label, "variants": list(e.variants),
            "article_ids": list(e.article_ids)}


def coverage_to_dict(matrix: CoverageMatrix) -> dict[str, Any]:
    """Claim groups × sources; each cell "agrees", "disagrees", "tells" or "not_mentioned",
    and for each cell that disagrees the value that source gives (``values``)."""
    return {
        "sources": list(matrix.sources),
        "rows": [
            {"group_id": row.group_id, "label": row.label,
             "cells": dict(zip(matrix.sources, row.cells)),
             "values": {a: row.value(j) for j, a in enumerate(matrix.sources) if row.value(j)},
             "discrepancy_ids": list(row.discrepancy_ids)}
            for row in matrix.rows
        ],
        "omitted": matrix.omitted,
    }


def descriptor_to_dict(row: DescriptorRow, article_ids: list[str]) -> dict[str, Any]:
    return {
        "entity_id": row.entity_id, "name": row.name,
        "labels": {
            aid: [{"text": d.text, "is_office": d.is_office, "former": d.former} for d in cell]
            for aid, cell in zip(article_ids, row.cells) if cell
        },
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON types, in the documented layout."""
    per_article = claims_per_article(report)
    single = single_source_claims(report)
    article_ids = [a.id for a in report.articles]
    names = entity_names(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": TOOL,
        "created": report.created or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "config": to_jsonable(report.config),
        "articles": [article_to_dict(a, per_article.get(a.id, 0), len(single.get(a.id, ())))
                     for a in report.articles],
        "summary": {
            "articles": len(report.articles),
            "claims": len(report.claims),
            "groups": len(report.groups),
            "multi_source_groups": sum(not g.single_source for g in report.groups),
            "discrepancies": len(report.discrepancies),
            "by_kind": by_kind(report),
            "by_severity": by_severity(report),
            "by_status": by_status(report),
        },
        "discrepancies": [discrepancy_to_dict(d, names) for d in report.discrepancies],
        "groups": [group_to_dict(g) for g in report.groups],
        "claims": [claim_to_dict(c) for c in report.claims],
        "entities": [entity_to_dict(e) for e in report.entities],
        # Every eligible group, not just the rows the HTML figure has room for.
        "coverage": coverage_to_dict(coverage_matrix(report, limit=len(report.groups))),
        "descriptors": [descriptor_to_dict(r, article_ids) for r in descriptor_rows(report)],
        "problems": list(report.problems),
        "notes": list(report.notes),
        "timings": to_jsonable(report.timings),
    }


def render_json(report: Report) -> str:
    """The report as JSON text: one top-level key a line, and each discrepancy, group,
    claim, entity... on a line of its own, so a diff of two nights' reports shows which
    items changed.

    ``json.dumps`` with ``indent`` runs the pure-Python encoder; items rendered each on
    one line take the C encoder, which wrote the 222 reports of the 1,000-article
    benchmark several times faster (``render_json`` was 65% of the report stage).
    ``allow_nan=False``: a stray inf/NaN must fail here, not produce JSON other tools
    reject."""
    return _dumps_by_line(report_to_dict(report)) + "\n"


def _dumps_by_line(data: dict[str, Any]) -> str:
    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            body = ",\n".join(f"    {one(item)}" for item in value)
            lines.append(f"  {one(key)}: [\n{body}\n  ]")
        else:
            lines.append(f"  {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def load_report_json(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a ``report.json`` back, checking just enough that scoring can trust it."""
    name = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError("no such report file", path=name, hint="run `claimcheck check` first") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"cannot be read: {exc}", path=name) from exc
    except json.JSONDecodeError as exc:
        raise ReportError(f"is not valid JSON (line {exc.lineno}: {exc.msg})", path=name,
                          hint="write it again with `claimcheck check --format json`") from exc
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ReportError("is not a claimcheck JSON report (no schema_version)", path=name)
    major = str(data["schema_version"]).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise ReportError(f"has schema_version {data['schema_version']}, this claimcheck reads {SCHEMA_VERSION}",
                          path=name, hint="write the report again with this version of claimcheck")
    discrepancies = data.get("discrepancies")
    if not isinstance(discrepancies, list):
        raise ReportError("has no discrepancies list", path=name)
    for i, d in enumerate(discrepancies):
        evidence = d.get("evidence") if isinstance(d, dict) else None
        if not isinstance(evidence, list) or not all(
            isinstance(e, dict) and {"file", "start", "end"} <= e.keys() for e in evidence
        ):
            raise ReportError(f"discrepancy #{i + 1} has no evidence list of {{file, start, end, text}}", path=name)
    return data
