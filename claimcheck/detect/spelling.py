"""One name, two spellings, in different outlets.

A person's name spelled two ways (accents and an added surname do not count), and an
organisation's name written two ways when the difference is a slip of a letter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import entity_spelling_variants, fold_name, organisation_spelling_variant
from claimcheck.models import Discrepancy, DiscrepancyKind, EntityMention, Severity

NAME = "spelling"


def _spelling_discrepancy(
    ctx: StoryContext, key: Sequence[str], subject: str, noun: str,
    a: str, uses_a: Mapping[str, EntityMention], b: str, uses_b: Mapping[str, EntityMention],
) -> Discrepancy | None:
    """One name written ``a`` in some sources and ``b`` in others, the rarer first."""
    (rare, rare_uses), (common, common_uses) = sorted(((a, uses_a), (b, uses_b)), key=lambda x: (len(x[1]), x[0]))
    evidence = []
    for side in (rare_uses, common_uses):
        for article_id, m in sorted(side.items()):
            claim = ctx.claim_at(article_id, m.start)
            if claim is not None:
                evidence.append(ctx.span_evidence(claim, m.span, value=m.text, highlights=[m.span]))
    if len({e.file for e in evidence}) < 2:
        return None
    return Discrepancy(
        id=stable_id(DiscrepancyKind.NAME_SPELLING, *key),
        kind=DiscrepancyKind.NAME_SPELLING,
        severity=Severity.MEDIUM,
        score=0.5 + 0.1 * min(len(common_uses), 4),
        explanation=(
            f"“{rare}” ({', '.join(sorted(rare_uses))}) vs “{common}” "
            f"({len(common_uses)} source{'s' if len(common_uses) != 1 else ''}): "
            f"one {noun}, two spellings"
        ),
        evidence=tuple(evidence),
        subject=subject,
    )


def _differing_words(a: str, b: str) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(fold_name(a).split(), fold_name(b).split()) if p[0] != p[1]}


@register_detector(NAME, kinds=[DiscrepancyKind.NAME_SPELLING], label="Spelling of a name")
def detect_spelling_variants(ctx: StoryContext) -> list[Discrepancy]:
    """One person, two spellings (accents and an added surname do not count); and one
    organisation written two ways by different outlets when the difference is a slip of
    a letter (see ``organisation_spelling_variant``)."""
    # uses are keyed by folded name: "José" and "Jose" are one spelling
    first_use: dict[str, dict[str, dict[str, EntityMention]]] = defaultdict(lambda: defaultdict(dict))
    for article_id, mentions in sorted(ctx.mentions.items()):
        for m in sorted(mentions, key=lambda m: m.start):
            if m.entity_id:
                first_use[m.entity_id][fold_name(m.text)].setdefault(article_id, m)

    out = []
    person_slips: set[frozenset[str]] = set()  # the words the person spellings differ in
    for entity in ctx.entities:
        if entity.label != "PERSON":
            continue
        for a, b in entity_spelling_variants(entity, ctx.config.name_token_similarity):
            uses = first_use[entity.id]
            uses_a, uses_b = uses.get(fold_name(a), {}), uses.get(fold_name(b), {})
            if not uses_a or not uses_b or set(uses_a) == set(uses_b):
                continue
            key = (entity.id, *sorted((fold_name(a), fold_name(b))))
            found = _spelling_discrepancy(ctx, key, entity.name, "person", a, uses_a, b, uses_b)
            if found is not None:
                out.append(found)
                person_slips |= _differing_words(a, b)

    # organisations are linked by exact name, so two spellings are two entities; two
    # outlets that never use each other's form are the only safe sign of one name
    orgs = [e for e in ctx.entities if e.label == "ORG" and len(fold_name(e.name).split()) >= 2]
    for x, y in combinations(orgs, 2):
        if not organisation_spelling_variant(x.name, y.name, max_edits=ctx.config.org_spelling_max_edits):
            continue
        if _differing_words(x.name, y.name) <= person_slips:
            continue  # a person's misspelt name inside a longer span ("Club for Ana Ruis"): told already
        uses_x = {aid: m for spelling in first_use[x.id].values() for aid, m in spelling.items()}
        uses_y = {aid: m for spelling in first_use[y.id].values() for aid, m in spelling.items()}
        if not uses_x or not uses_y or set(uses_x) & set(uses_y):
            continue
        subject = x.name if len(uses_x) >= len(uses_y) else y.name
        key = tuple(sorted((x.id, y.id)))
        found = _spelling_discrepancy(ctx, key, subject, "name", x.name, uses_x, y.name, uses_y)
        if found is not None:
            out.append(found)
    return out


