"""One person given two offices, both current, by different outlets.

Offices are read with each name mention (``EntityMention.titles``); two offices of one
person conflict unless they can be held together or name the same post
(``claimcheck.entities.offices_compatible``, from ``claimcheck/data/offices.yaml``): "Fire
Chief Maria Delgado" against "Police Chief Maria Delgado" conflicts, "Premier" against
"Prime Minister" and a senator who is foreign minister do not.  The evidence is one
mention per office: the first source that gives it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import offices_compatible
from claimcheck.models import Discrepancy, DiscrepancyKind, EntityMention, Severity, Span, Title, TitleTense

NAME = "offices"


def _from_two_outlets(a: Iterable[str], b: Iterable[str]) -> bool:
    return any(x != y for x in a for y in b)


@register_detector(NAME, kinds=[DiscrepancyKind.ENTITY_ATTRIBUTE], label="Offices")
def detect_title_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """One person given two offices, both current, by different outlets."""
    # person -> office head -> first (article, mention, title) per article
    offices: dict[str, dict[str, dict[str, tuple[EntityMention, Title]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for article_id, mentions in ctx.mentions.items():
        for m in mentions:
            if m.label != "PERSON" or not m.entity_id:
                continue
            for t in m.titles:
                if t.is_office and t.tense == TitleTense.CURRENT:
                    offices[m.entity_id][t.head].setdefault(article_id, (m, t))

    names = {e.id: e.name for e in ctx.entities}
    out = []
    for person, heads in offices.items():
        if len(heads) < 2:
            continue
        clashing = {
            head
            for h, g in combinations(sorted(heads), 2)
            if not offices_compatible(h, g) and _from_two_outlets(heads[h], heads[g])
            for head in (h, g)
        }
        if len(clashing) < 2:
            continue
        # one source per office, a different one for each where possible: the card shows
        # the offices, not every repeat of them
        evidence = []
        for head in sorted(clashing, key=lambda h: (len(heads[h]), h)):
            used = {e.file for e in evidence}
            for article_id, (m, t) in sorted(heads[head].items(), key=lambda kv: (kv[0] in used, kv[0])):
                claim = ctx.claim_at(article_id, m.start)
                if claim is None:
                    continue
                # the title and the name together: "U.S. Senator Jane Doe", "Doe, a former senator"
                span = Span(min(t.start, m.start), max(t.end, m.end))
                evidence.append(
                    ctx.span_evidence(claim, span, value=t.text, highlights=[Span(t.start, t.end)])
                )
                break
        if len({e.file for e in evidence}) < 2:
            continue
        name = names.get(person, person)
        stated = "; ".join(
            f"“{h}” ({', '.join(sorted(heads[h]))})" for h in sorted(clashing)
        )
        out.append(
            Discrepancy(
                id=stable_id(DiscrepancyKind.ENTITY_ATTRIBUTE, person, *sorted(clashing)),
                kind=DiscrepancyKind.ENTITY_ATTRIBUTE,
                severity=Severity.HIGH,
                score=0.9,
                explanation=f"{name} holds different offices in different sources: {stated}",
                evidence=tuple(evidence),
                subject=name,
            )
        )
    return out


