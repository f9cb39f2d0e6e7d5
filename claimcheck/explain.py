"""Why a hard gold item was missed: what the pipeline did with its spans, stage by stage.

For each missed hard item of a scored story (``claimcheck eval --explain``):

1. **extracted** — which claims cover each gold span (a claim span overlapping it);
2. **read** — which figures (``Claim.quantities``, with their intervals) and names
   (``Claim.entities``, with the entity they were linked to) lie inside each span;
3. **grouped** — whether claims of two different files were put in one claim group
   (``Report.groups``);
4. **weighed** — which detector gate refused a pair of the item's spans, from the
   ``DetectionTrace`` of the run (``DetectionTrace.between``).

Each explanation ends with the stage that lost the item, the first that applies:

* ``not extracted`` — fewer than two files have a claim over the item's spans;
* ``figure not read`` / ``name not read`` — a numeric or date item whose spans hold a
  figure in fewer than two files (a qualitative-vs-numeric item: in none); a name item
  whose spans hold a name in fewer than two files;
* ``refused by DETECTOR:GATE (...)`` — a detector that reports the item's kind weighed a
  pair of the spans and let it go; of several, the pair that went furthest through the
  gates (other detectors' refusals are listed, but did not lose the item);
* ``flagged on one side only`` — a discrepancy touches the item in one file only;
* ``names not linked`` — a name item whose spans name different entities;
* ``not grouped`` — no claim group holds claims of two of the item's files;
* ``no detector considered the pair``.

Detection does not read the claim groups (figures meet by holder, names by entity), so
a refusal says more than a missing group and comes first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from claimcheck.evaluate import (
    EvalResult,
    Gold,
    GoldItem,
    GoldSpan,
    Prediction,
    hits,
    touches,
)
from claimcheck.models import Claim, QuantityKind, Report
from claimcheck.trace import DetectionTrace, Refusal

def detectors_for_kind(kind: str) -> tuple[str, ...]:
    """The registered detectors that report a gold kind: their refusals explain a miss first."""
    from claimcheck.detect import registered

    return tuple(name for name, d in registered().items() if any(k.value == kind for k in d.kinds))


def gate_order(detector: str) -> tuple[str, ...]:
    """A detector's gates in the order a candidate meets them (as it registered them): a
    pair refused later got further, so its refusal is the one to act on."""
    from claimcheck.detect import registered

    found = registered().get(detector)
    return found.gates if found is not None else ()


_FIGURE_KINDS = {"numeric", "date", "qualitative_vs_numeric"}
_NAME_KINDS = {"name_spelling", "entity_attribute"}
_DATE_KINDS = {QuantityKind.DATE, QuantityKind.YEAR}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class FigureSeen:
    """A figure read inside a gold span."""

    text: str
    start: int
    end: int
    kind: str
    unit: str
    interval: str
    hedge: str | None = None
    measure: str | None = None


@dataclass(frozen=True)
class NameSeen:
    """A name read inside a gold span, and the story entity it was linked to."""

    text: str
    start: int
    end: int
    label: str
    entity_id: str | None
    entity_name: str | None
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimSeen:
    """A claim covering a gold span, with the figures and names it read inside the span."""

    id: str
    text: str
    start: int
    end: int
    modality: str
    subject: str | None
    group_id: str | None  # a group holding claims of two or more sources, else None
    figures: tuple[FigureSeen, ...] = ()
    names: tuple[NameSeen, ...] = ()


@dataclass(frozen=True)
class SpanSeen:
    """One gold span and what the pipeline made of it."""

    file: str
    quote: str
    start: int
    end: int
    claims: tuple[ClaimSeen, ...]

    @property
    def figures(self) -> tuple[FigureSeen, ...]:
        return tuple(dict.fromkeys(f for c in self.claims for f in c.figures))

    @property
    def names(self) -> tuple[NameSeen, ...]:
        return tuple(dict.fromkeys(n for c in self.claims for n in c.names))

    @property
    def group_ids(self) -> frozenset[str]:
        return frozenset(c.group_id for c in self.claims if c.group_id)


@dataclass(frozen=True)
class PairSeen:
    """Two spans of the item in two files: the groups they share and the refusals
    detection recorded between them."""

    a: int  # index into MissExplanation.spans
    b: int
    shared_groups: tuple[str, ...]
    refusals: tuple[Refusal, ...]


@dataclass(frozen=True)
class MissExplanation:
    """Why one hard item was missed; ``stage`` names the stage that lost it."""

    story: str
    item_id: str
    kind: str
    why: str
    spans: tuple[SpanSeen, ...]
    pairs: tuple[PairSeen, ...]
    one_sided: tuple[str, ...]  # ids of predictions touching the item in one file only
    stage: str
    detail: str = ""

    @property
    def verdict(self) -> str:
        return f"{self.stage} ({self.detail})" if self.detail else self.stage

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict
        for pair in data["pairs"]:
            pair["refusals"] = [
                {"detector": r["detector"], "gate": r["gate"], "detail": r["detail"],
                 "spans": [[s["file"], s["start"], s["end"]] for s in r["spans"]]}
                for r in pair["refusals"]
            ]
        return data


@dataclass(frozen=True)
class FalseAlarm:
    """A consistent pair that a prediction hit, with the prediction's evidence."""

    story: str
    item_id: str
    why: str
    prediction: Prediction


# --------------------------------------------------------------------------- explaining


def _overlap(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> int:
    return max((min(end, e) - max(start, s) for s, e in ranges), default=0)


def _covering(claims: Sequence[Claim], span: GoldSpan) -> list[Claim]:
    return [
        c for c in claims
        if c.article_id == span.file and any(_overlap(s.start, s.end, span.ranges) > 0 for s in c.spans)
    ]


def _claim_seen(claim: Claim, span: GoldSpan, group_of: dict[str, str], entity_names: dict[str, str]) -> ClaimSeen:
    figures = tuple(
        FigureSeen(q.text, q.start, q.end, q.kind.value, q.unit, q.interval(), q.hedge, q.measure)
        for q in claim.quantities if _overlap(q.start, q.end, span.ranges) > 0
    )
    names = tuple(
        NameSeen(m.text, m.start, m.end, m.label, m.entity_id, entity_names.get(m.entity_id or ""),
                 tuple(t.text for t in m.titles))
        for m in claim.entities if _overlap(m.start, m.end, span.ranges) > 0
    )
    return ClaimSeen(claim.id, claim.text, claim.start, claim.end, claim.modality.value, claim.subject,
                     group_of.get(claim.id), figures, names)


def _files_with(spans: Sequence[SpanSeen], test) -> set[str]:
    return {s.file for s in spans if test(s)}


def _refusal_rank(refusal: Refusal) -> int:
    gates = gate_order(refusal.detector)
    return gates.index(refusal.gate) if refusal.gate in gates else -1


def _stage(item: GoldItem, spans: Sequence[SpanSeen], pairs: Sequence[PairSeen],
           one_sided: Sequence[str]) -> tuple[str, str]:
    files = {s.file for s in spans}
    extracted = _files_with(spans, lambda s: s.claims)
    if len(extracted) < 2:
        missing = sorted(f"“{s.quote}” ({s.file})" for s in spans if not s.claims)
        return "not extracted", "no claim covers " + "; ".join(missing)
    if item.kind in _FIGURE_KINDS:
        wanted = (lambda f: f.kind in {k.value for k in _DATE_KINDS}) if item.kind == "date" else (lambda f: True)
        with_figure = _files_with(spans, lambda s: any(wanted(f) for f in s.figures))
        needed = 1 if item.kind == "qualitative_vs_numeric" else 2
        if len(with_figure) < needed:
            bare = sorted(s.file for s in spans if s.file not in with_figure)
            return "figure not read", "no figure read in " + ", ".join(dict.fromkeys(bare))
    if item.kind in _NAME_KINDS:
        with_name = _files_with(spans, lambda s: s.names)
        if len(with_name) < 2:
            bare = sorted(s.file for s in spans if s.file not in with_name)
            return "name not read", "no name read in " + ", ".join(dict.fromkeys(bare))
    # a refusal by a detector that never reports this kind is not what lost it
    refusals = [r for p in pairs for r in p.refusals if r.detector in detectors_for_kind(item.kind)]
    if refusals:
        best = max(refusals, key=_refusal_rank)  # the first of equals
        return f"refused by {best.detector}:{best.gate}", best.detail
    if one_sided:
        return "flagged on one side only", ", ".join(one_sided)
    if item.kind in _NAME_KINDS:
        entities = [{n.entity_id for n in s.names if n.entity_id} for s in spans]
        by_file: dict[str, set[str]] = {}
        for s, ids in zip(spans, entities, strict=True):
            by_file.setdefault(s.file, set()).update(ids)
        if not any(by_file[a] & by_file[b] for a, b in combinations(sorted(by_file), 2)):
            named = sorted({n.entity_name or n.text for s in spans for n in s.names})
            return "names not linked", " / ".join(named)
    if not any(p.shared_groups for p in pairs) and len(files) >= 2:
        return "not grouped", ""
    detail = "" if detectors_for_kind(item.kind) else f"no detector reports {item.kind}"
    return "no detector considered the pair", detail


def explain_item(item: GoldItem, report: Report, trace: DetectionTrace, predictions: Iterable[Prediction] = (),
                 *, story: str = "") -> MissExplanation:
    """What the pipeline did with one gold item's spans, and the stage that lost it."""
    group_of = {cid: g.id for g in report.groups if not g.single_source for cid in g.claim_ids}
    entity_names = {e.id: e.name for e in report.entities}
    spans = tuple(
        SpanSeen(span.file, span.quote, span.start, span.end,
                 tuple(_claim_seen(c, span, group_of, entity_names) for c in _covering(report.claims, span)))
        for span in item.spans
    )
    pairs = []
    for i, j in combinations(range(len(item.spans)), 2):
        a, b = item.spans[i], item.spans[j]
        if a.file == b.file:
            continue
        refusals: dict[int, Refusal] = {}
        for ra in a.ranges:
            for rb in b.ranges:
                for r in trace.between((a.file, *ra), (b.file, *rb)):
                    refusals.setdefault(id(r), r)
        pairs.append(PairSeen(i, j, tuple(sorted(spans[i].group_ids & spans[j].group_ids)),
                              tuple(refusals.values())))
    one_sided = tuple(
        p.id for p in predictions
        if not hits(p, item) and any(touches(ev, span) for ev in p.evidence for span in item.spans)
    )
    stage, detail = _stage(item, spans, pairs, one_sided)
    return MissExplanation(story, item.id, item.kind, item.why, spans, tuple(pairs), one_sided, stage, detail)


def explain_misses(gold: Gold, result: EvalResult, report: Report, trace: DetectionTrace,
                   *, story: str = "") -> list[MissExplanation]:
    """An explanation for every hard item ``result`` missed, in gold order.  ``report``
    and ``trace`` are of the run that was scored."""
    missed = set(result.missed_hard)
    predictions = list(result.predictions.values())
    return [explain_item(item, report, trace, predictions, story=story or gold.story)
            for item in gold.discrepancies if item.id in missed]


def explain_false_alarms(gold: Gold, result: EvalResult, *, story: str = "") -> list[FalseAlarm]:
    """Every consistent item a prediction hit, with that prediction."""
    why = {i.id: i.why for i in gold.consistent}
    return [FalseAlarm(story or gold.story, item_id, why.get(item_id, ""), p) for item_id, p in result.false_alarms]


def stage_counts(explanations: Iterable[MissExplanation]) -> Counter[str]:
    """How many misses each stage lost (the stage without its detail)."""
    return Counter(e.stage for e in explanations)


# --------------------------------------------------------------------------- printing


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_explanation(e: MissExplanation) -> str:
    """One missed item, stage by stage; the last line names the stage that lost it."""
    lines = [f"MISSED {e.story} / {e.item_id} ({e.kind}): {_short(e.why, 110)}"]
    for i, span in enumerate(e.spans):
        lines.append(f"  [{i}] {span.file} [{span.start}-{span.end}] “{_short(span.quote, 80)}”")
        if not span.claims:
            lines.append("      extracted: no claim covers it")
        for c in span.claims:
            group = f", group {c.group_id}" if c.group_id else ", no shared group"
            lines.append(f"      claim {c.id} ({c.modality}{group}): {_short(c.text, 90)}")
            for f in c.figures:
                extra = ", ".join(x for x in (f.kind + (f" {f.unit}" if f.unit else ""),
                                              f"hedge {f.hedge}" if f.hedge else "",
                                              f"measure {f.measure}" if f.measure else "") if x)
                lines.append(f"        figure “{f.text}” = {f.interval} ({extra})")
            for n in c.names:
                linked = f" -> {n.entity_name} ({n.entity_id})" if n.entity_id else " (not linked)"
                titles = f", titles: {'; '.join(n.titles)}" if n.titles else ""
                lines.append(f"        name “{n.text}” {n.label}{linked}{titles}")
            if not c.figures and not c.names:
                lines.append("        no figure or name read inside the span")
    for p in e.pairs:
        grouped = f"grouped together ({', '.join(p.shared_groups)})" if p.shared_groups else "not grouped together"
        lines.append(f"  pair [{p.a}]-[{p.b}]: {grouped}; "
                     + (f"{len(p.refusals)} refusal(s)" if p.refusals else "no detector refused a pair here"))
        said = Counter(f"{r.detector}:{r.gate}: {_short(r.detail, 110)}" for r in p.refusals)
        for text, n in list(said.items())[:6]:
            lines.append(f"      {text}" + (f" (×{n})" if n > 1 else ""))
        if len(said) > 6:
            lines.append(f"      … and {len(said) - 6} more")
    if e.one_sided:
        lines.append(f"  flagged with one side only: {', '.join(e.one_sided)}")
    lines.append(f"  lost at: {e.verdict}")
    return "\n".join(lines)


def format_false_alarm(a: FalseAlarm) -> str:
    lines = [f"FALSE ALARM {a.story} / {a.item_id}: {_short(a.why, 100)}",
             f"  <- {a.prediction.id}: {_short(a.prediction.summary, 110)}"]
    for ev in a.prediction.evidence:
        lines.append(f"    {ev.file} [{ev.start}-{ev.end}] {_short(ev.text, 90)}")
    return "\n".join(lines)


def format_stage_counts(explanations: Sequence[MissExplanation]) -> str:
    counts = stage_counts(explanations)
    lines = [f"missed hard items by the stage that lost them ({len(explanations)}):"]
    lines += [f"  {n:4d}  {stage}" for stage, n in counts.most_common()]
    return "\n".join(lines)


def format_explanations(explanations: Sequence[MissExplanation], false_alarms: Sequence[FalseAlarm] = ()) -> str:
    """Every missed item, every false alarm, then the stage counts."""
    blocks = [format_explanation(e) for e in explanations]
    blocks += [format_false_alarm(a) for a in false_alarms]
    blocks.append(format_stage_counts(explanations))
    return "\n\n".join(blocks)


__all__ = [
    "ClaimSeen", "FalseAlarm", "FigureSeen", "MissExplanation", "NameSeen", "PairSeen", "SpanSeen",
    "explain_false_alarms", "explain_item", "explain_misses", "format_explanation", "format_explanations",
    "format_false_alarm", "format_stage_counts", "stage_counts",
]
