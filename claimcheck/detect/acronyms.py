"""One acronym spelled out as two different names: "the Bund Frei Wählen (BSW)" in one
outlet, "the Sahra Wagenknecht Alliance (BSW)" in another.  An acronym in brackets
after a name says what it stands for; two outlets whose expansions share no word name
two different bodies for one acronym, and at most one of them is right.  Expansions that
share a word are one name told two ways ("Alliance Sahra Wagenknecht" / "Sahra
Wagenknecht Alliance – Reason and Justice"), a translation or a shortening, not a clash.
Read from the parse: a bracketed run of capitals after a run of capitalised words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import fold_name
from claimcheck.models import Claim, Discrepancy, DiscrepancyKind, Severity, Span

NAME = "acronyms"
_LINKS = frozenset("and of for the de des du la le der die das und y e –  - & ".split())
_MAX_WORDS = 8


@dataclass(frozen=True)
class _Expansion:
    acronym: str
    name: str
    claim: Claim
    span: Span  # the name and its bracketed acronym


def _expansions(ctx: StoryContext) -> list[_Expansion]:
    out = []
    for article_id in ctx.articles:
        found = ctx.doc_of(article_id)
        if found is None:
            continue
        doc, offset = found
        for k in range(1, len(doc) - 2):
            open_, acr, close = doc[k], doc[k + 1], doc[k + 2]
            if open_.text != "(" or close.text != ")" or not (2 <= len(acr.text) <= 6):
                continue
            if not (acr.text.isalpha() and acr.text.isupper()):
                continue
            words: list = []
            j = k - 1
            while j >= 0 and len(words) < _MAX_WORDS and doc[j].sent.start == open_.sent.start:
                t = doc[j]
                if t.text[:1].isupper() and t.is_alpha or (t.lower_ in _LINKS and words):
                    words.insert(0, t)
                    j -= 1
                    continue
                break
            while words and words[0].lower_ in _LINKS:
                words.pop(0)
            if len(words) < 2:
                continue
            start, end = words[0].idx + offset, close.idx + 1 + offset
            claim = ctx.claim_at(article_id, start)
            if claim is None:
                continue
            name = ctx.text(article_id, start, words[-1].idx + len(words[-1].text) + offset)
            out.append(_Expansion(acr.text, name, claim, Span(start, end)))
    return out


def _words(name: str) -> set[str]:
    return {w for w in fold_name(name).split() if w not in _LINKS and len(w) > 1}


@register_detector(NAME, kinds=[DiscrepancyKind.ENTITY_ATTRIBUTE], label="Acronyms", gates=("shared word",))
def detect_acronym_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """One acronym spelled out by two sources as names sharing no word."""
    by_acronym: dict[str, list[_Expansion]] = defaultdict(list)
    for e in _expansions(ctx):
        by_acronym[e.acronym].append(e)
    out = []
    for acronym, items in sorted(by_acronym.items()):
        # one expansion per article; the names that share no word with the most told one
        per_article = {e.claim.article_id: e for e in items}
        if len(per_article) < 2:
            continue
        told = sorted(per_article.values(), key=lambda e: (-sum(bool(_words(e.name) & _words(o.name))
                                                                for o in per_article.values()), e.claim.article_id))
        common = told[0]
        odd = [e for e in told[1:] if not _words(e.name) & _words(common.name)]
        for e in told[1:]:
            if e not in odd:
                ctx.refuse(NAME, "shared word", [(e.claim.article_id, e.span.start, e.span.end),
                                                 (common.claim.article_id, common.span.start, common.span.end)],
                           f"“{e.name}” and “{common.name}” share a word: one name told two ways")
        if not odd:
            continue
        sides = [odd[0], common]
        out.append(Discrepancy(
            id=stable_id(DiscrepancyKind.ENTITY_ATTRIBUTE, "acronym", acronym, *sorted(fold_name(e.name) for e in sides)),
            kind=DiscrepancyKind.ENTITY_ATTRIBUTE,
            severity=Severity.MEDIUM,
            score=0.5,
            explanation=(f"{acronym} stands for “{odd[0].name}” in {odd[0].claim.article_id} and for "
                         f"“{common.name}” in {common.claim.article_id}: names with no word in common"),
            evidence=tuple(ctx.span_evidence(e.claim, e.span, value=e.name, detail=f"{acronym} = {e.name}")
                           for e in sides),
            subject=acronym,
            title=f"What {acronym} stands for: {odd[0].name} vs {common.name}",
        ))
    return out
