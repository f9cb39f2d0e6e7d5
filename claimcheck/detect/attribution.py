"""One figure credited to two different bodies: "25 cases, the WHO said" in one outlet,
the same 25 cases "according to the health ministry" in another.  The figure agrees;
who gives it does not, and an editor checks which source it is (issue: who says the
figure).  Both sides must name their source (a figure an outlet states as fact credits
no one), and the two names must not be one name written two ways.
"""

from __future__ import annotations

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.numeric import (
    _candidate_pairs,
    _named_source,
    _story_slots,
    _threshold,
    intervals_overlap,
    slot_gate,
)
from claimcheck.detect.registry import register_detector
from claimcheck.entities import NameRelation, compare_names
from claimcheck.models import Discrepancy, DiscrepancyKind, Modality, Severity
from claimcheck.quantities import quantity_in_words

NAME = "attribution"


@register_detector(NAME, kinds=[DiscrepancyKind.ENTITY_ATTRIBUTE], label="Who gives a figure",
                   gates=("wording",))
def detect_attribution_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """The same figure of one slot, credited to two different named sources."""
    figures = [f for f in ctx.figures if f.modality != Modality.OPINION and _named_source(f.speaker)]
    if len(figures) < 2:
        return []
    slots = _story_slots(ctx, list(ctx.figures))
    vectors = ctx.vectors([f.context for f in figures])
    out: dict[str, Discrepancy] = {}
    for i, j, sim in _candidate_pairs(figures, vectors):
        a, b = figures[i], figures[j]
        if not a.measure or a.measure != b.measure or not intervals_overlap(a.quantity, b.quantity):
            continue
        if slot_gate(a, b, slots) is not None:
            continue
        if compare_names(a.speaker or "", b.speaker or "") != NameRelation.DIFFERENT:
            continue
        threshold = max(_threshold(a, b, slots, ctx), ctx.config.attribution_similarity)
        spans = [(f.article_id, ctx.claim(f.claim_id).start, ctx.claim(f.claim_id).end) for f in (a, b)]
        if sim < threshold:
            ctx.refuse(NAME, "wording", spans, f"context similarity {sim:.2f} < {threshold:.2f}")
            continue
        key = stable_id(DiscrepancyKind.ENTITY_ATTRIBUTE, "attribution", a.measure,
                        *sorted((a.speaker or "", b.speaker or "")))
        out.setdefault(key, Discrepancy(
            id=key,
            kind=DiscrepancyKind.ENTITY_ATTRIBUTE,
            severity=Severity.LOW,
            score=0.35,
            explanation=(f"{a.quantity.text} is credited to {a.speaker} in {a.article_id} and "
                         f"{b.quantity.text} to {b.speaker} in {b.article_id}: one figure, two sources"),
            evidence=tuple(
                ctx.claim_evidence(ctx.claim(f.claim_id), value=f.speaker, highlights=[f.quantity.span],
                                   detail=f"{quantity_in_words(f.quantity)}, per {f.speaker}")
                for f in (a, b)
            ),
            subject=a.measure,
            title=f"Who gives {a.quantity.text}: {a.speaker} vs {b.speaker}",
        ))
    return list(out.values())
