"""One figure given two reaches: "124 cases statewide" in one outlet, the same 124 cases
"nationwide" in another.  Figures of different reaches are never a clash of figures (the
numeric detector keeps them apart); the same figure told with two reaches is a scope
discrepancy, low severity: one of the outlets has the reach wrong.

Both sides must state their reach (``data/scope.yaml``); a figure that states none is
not taken to claim any.
"""

from __future__ import annotations

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.numeric import _candidate_pairs, _story_slots, _threshold, intervals_overlap, slot_gate
from claimcheck.detect.registry import register_detector
from claimcheck.figures import Figure
from claimcheck.models import Discrepancy, DiscrepancyKind, Modality, Severity
from claimcheck.quantities import quantity_in_words

NAME = "scope"


def _reach(f: Figure) -> set[str]:
    return {s for s in f.scope if s.startswith("area:")}


@register_detector(NAME, kinds=[DiscrepancyKind.SCOPE], label="Scope", gates=("reach", "wording"))
def detect_scope_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """The same figure of one slot given two different reaches by two sources."""
    figures = [f for f in ctx.figures if f.modality != Modality.OPINION and _reach(f)]
    if len(figures) < 2:
        return []
    slots = _story_slots(ctx, list(ctx.figures))
    vectors = ctx.vectors([f.context for f in figures])
    out: dict[str, Discrepancy] = {}
    for i, j, sim in _candidate_pairs(figures, vectors):
        a, b = figures[i], figures[j]
        if _reach(a) == _reach(b) or not intervals_overlap(a.quantity, b.quantity):
            continue
        if slot_gate(a, b, slots) != "scope" or not a.measure or a.measure != b.measure:
            continue
        threshold = _threshold(a, b, slots, ctx)
        spans = [(f.article_id, ctx.claim(f.claim_id).start, ctx.claim(f.claim_id).end) for f in (a, b)]
        if sim < threshold:
            ctx.refuse(NAME, "wording", spans, f"context similarity {sim:.2f} < {threshold:.2f}")
            continue
        reach_a, reach_b = (", ".join(sorted(r.split(":", 1)[1] for r in _reach(f))) for f in (a, b))
        id_ = stable_id(DiscrepancyKind.SCOPE, a.measure, *sorted((f"{a.article_id}:{a.quantity.start}",
                                                                   f"{b.article_id}:{b.quantity.start}")))
        out.setdefault(id_, Discrepancy(
            id=id_,
            kind=DiscrepancyKind.SCOPE,
            severity=Severity.LOW,
            score=0.3,
            explanation=(f"{a.quantity.text} is “{reach_a}” in {a.article_id} and {b.quantity.text} "
                         f"“{reach_b}” in {b.article_id}: one figure, two reaches"),
            evidence=tuple(
                ctx.claim_evidence(ctx.claim(f.claim_id), value=f"{f.quantity.text} ({r})",
                                   highlights=[f.quantity.span], detail=f"{quantity_in_words(f.quantity)}, {r}")
                for f, r in ((a, reach_a), (b, reach_b))
            ),
            subject=a.measure,
            title=f"Reach of {a.quantity.text}: {reach_a} vs {reach_b}",
        ))
    return list(out.values())
