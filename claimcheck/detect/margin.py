"""Words against figures: a margin word in one outlet against the shares another gives.

"Narrowly won" meets the shares another source gives for the same contest (the
standings: two or more holders' shares in one sentence).  A narrow win should be within
``narrow_margin_max_points``, a wide one at least ``wide_margin_min_points``; a margin
word that the figures do not bear out is shown, for the editor to judge.  "Won a
majority of the vote" meets a share under half for the same holder.

Margin words, the parts of a contest and their ordinals are data (``data/contests.yaml``)
and are matched on the parse's lemmas and words, not on the raw text.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.data import load_data
from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import fold_name
from claimcheck.figures import Figure, contest_parts
from claimcheck.models import Claim, Discrepancy, DiscrepancyKind, Modality, Quantity, QuantityKind, Severity, Span
from claimcheck.quantities import quantity_in_words

NAME = "margin"
# a tally won by this many votes or fewer is narrow whatever the share ("voting 7-6")
_NARROW_TALLY_VOTES = 2
# how ids name the parts of a contest (kept from the first release, so stored ids stay)
_ID_PARTS = {"first": "ordinal:1", "second": "ordinal:2", "third": "ordinal:3", "final": "ordinal:-1",
             "runoff": "ordinal:runoff"}


@functools.lru_cache(maxsize=1)
def _words() -> dict:
    return load_data("contests.yaml")


@dataclass(frozen=True)
class _Cue:
    reading: str  # "narrow" | "wide"
    text: str
    span: Span


def margin_cue(ctx: StoryContext, claim: Claim) -> _Cue | None:
    """The first margin word or phrase of a claim, read from its tokens."""
    data = _words()
    for span in claim.spans:
        tokens = ctx.tokens(claim.article_id, span.start, span.end)
        offset = ctx.articles[claim.article_id].body_start
        lowered = [t.lower_ for t in tokens]
        for reading in ("narrow", "wide"):
            words = set(data[reading]["words"])
            for t in tokens:
                if t.lower_ in words or t.lemma_.lower() in words:
                    return _Cue(reading, t.text, Span(t.idx + offset, t.idx + offset + len(t.text)))
            for phrase in data[reading]["phrases"]:
                parts = phrase.split()
                for k in range(len(tokens) - len(parts) + 1):
                    if lowered[k : k + len(parts)] == parts:
                        first, last = tokens[k], tokens[k + len(parts) - 1]
                        start, end = first.idx + offset, last.idx + len(last.text) + offset
                        return _Cue(reading, ctx.text(claim.article_id, start, end), Span(start, end))
    return None


def sentence_parts(ctx: StoryContext, claim: Claim) -> frozenset[str]:
    """Which part of a multi-part contest a claim's sentence is about."""
    return frozenset(contest_parts(ctx.tokens(claim.article_id, claim.sentence.start, claim.sentence.end)))


def _names_in(ctx: StoryContext, claim: Claim) -> set[str]:
    """Who a claim names: its linked mentions, and proper nouns of its parse no mention
    covers (as "name:<folded>" keys, the way figure holders are kept)."""
    names = {m.entity_id for m in claim.entities if m.entity_id}
    covered = [(m.start, m.end) for m in claim.entities]
    offset = ctx.articles[claim.article_id].body_start
    for span in claim.spans:
        run: list[str] = []
        for t in [*ctx.tokens(claim.article_id, span.start, span.end), None]:
            if t is not None and t.pos_ == "PROPN" and not any(a <= t.idx + offset < b for a, b in covered):
                run.append(t.text)
                continue
            if run:
                names.add(f"name:{fold_name(' '.join(run))}")
                run = []
    return names


@dataclass(frozen=True)
class _Standing:
    """Shares of one contest stated together in one sentence: who got what."""

    claim: Claim
    shares: tuple[tuple[str, Quantity], ...]  # (holder, share), largest first
    parts: frozenset[str]
    votes: tuple[int, int] | None = None  # a tally ("voting 7-6"): for and against

    @property
    def margin(self) -> float:
        return self.shares[0][1].value - self.shares[1][1].value

    def fits(self, reading: str, config) -> bool:
        """Whether a margin word fits: a narrow win is within ``narrow_margin_max_points``
        (or, in a tally, one or two votes); a wide one at least ``wide_margin_min_points``."""
        if reading == "narrow":
            close_tally = self.votes is not None and self.votes[0] - self.votes[1] <= _NARROW_TALLY_VOTES
            return close_tally or self.margin <= config.narrow_margin_max_points
        close_tally = self.votes is not None and self.votes[0] - self.votes[1] <= _NARROW_TALLY_VOTES
        return not close_tally and self.margin >= config.wide_margin_min_points

    @property
    def margin_bounds(self) -> tuple[float, float]:
        (_, a), (_, b) = self.shares[0], self.shares[1]
        return max(a.low - b.high, 0.0), a.high - b.low


def _shares(ctx: StoryContext) -> list[Figure]:
    return [
        f for f in ctx.figures
        if f.quantity.kind == QuantityKind.PERCENT and f.quantity.unit == "%" and f.holders
        and f.measure in (None, "vote", "ballot", "share")
    ]


def _standings(ctx: StoryContext) -> list[_Standing]:
    by_sentence: dict[tuple[str, int], list[Figure]] = defaultdict(list)
    for f in _shares(ctx):
        by_sentence[(f.article_id, ctx.claim(f.claim_id).sentence.start)].append(f)
    out = []
    for figures in by_sentence.values():
        best: dict[str, Quantity] = {}
        for f in figures:
            holder = f.holders[0]
            if holder not in best or f.quantity.value > best[holder].value:
                best[holder] = f.quantity
        if len(best) < 2:
            continue
        claim = ctx.claim(figures[0].claim_id)
        shares = tuple(sorted(best.items(), key=lambda hq: -hq[1].value))
        out.append(_Standing(claim, shares, sentence_parts(ctx, claim)))
    return out


def _tallies(ctx: StoryContext) -> list[_Standing]:
    """Votes told as a tally in a claim about a vote: "voting 7-6", "by 59 votes to 13",
    "364 to 194".  Read from the parse: two whole numbers joined by a dash or "to", in a
    claim with a vote word, larger first."""
    vote_words = set(_words()["tally_words"]["words"])
    out = []
    for claim in ctx.claims:
        tokens = [t for span in claim.spans for t in ctx.tokens(claim.article_id, span.start, span.end)]
        if not any(t.lemma_.lower() in vote_words for t in tokens):
            continue
        for k, t in enumerate(tokens):
            pair = None
            if "-" in t.text or "–" in t.text:  # "7-6" as one token
                left, _, right = t.text.replace("–", "-").partition("-")
                if left.isdigit() and right.isdigit():
                    pair = (int(left), int(right), t, t)
            elif t.text.isdigit() and k + 2 < len(tokens) and tokens[k + 1].text in ("-", "–", "to"):
                nxt = tokens[k + 2]
                if nxt.text.isdigit():
                    pair = (int(t.text), int(nxt.text), t, nxt)
                elif k + 3 < len(tokens) and tokens[k + 1].text == "votes" and tokens[k + 2].text == "to":
                    pair = None
            elif t.text.isdigit() and k + 3 < len(tokens) and tokens[k + 1].lemma_.lower() in vote_words \
                    and tokens[k + 2].text == "to" and tokens[k + 3].text.isdigit():
                pair = (int(t.text), int(tokens[k + 3].text), t, tokens[k + 3])  # "59 votes to 13"
            if pair is None:
                continue
            a, b, first, last = pair
            if a + b == 0 or a > 10_000 or b > 10_000:
                continue
            big, small = max(a, b), min(a, b)
            offset = ctx.articles[claim.article_id].body_start
            start, end = first.idx + offset, last.idx + len(last.text) + offset
            text = ctx.text(claim.article_id, start, end)
            share_big, share_small = 100 * big / (a + b), 100 * small / (a + b)
            shares = (
                ("tally:for", Quantity(text, start, end, share_big, share_big, share_big, QuantityKind.PERCENT, "%")),
                ("tally:against", Quantity(text, start, end, share_small, share_small, share_small, QuantityKind.PERCENT, "%")),
            )
            out.append(_Standing(claim, shares, sentence_parts(ctx, claim), votes=(big, small)))
            break
    return out


@register_detector(NAME, kinds=[DiscrepancyKind.QUALITATIVE_VS_NUMERIC], label="Words against figures",
                   gates=("part", "wording", "fits"))
def detect_margin_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """A margin word in one outlet against the shares another gives for that contest."""
    standings = _standings(ctx) + _tallies(ctx)
    if not standings:
        return []
    config = ctx.config
    pairs: list[tuple[Claim, _Cue, _Standing]] = []
    for claim in ctx.claims:
        if claim.modality in (Modality.PREDICTION, Modality.OPINION):
            continue  # "expected to win comfortably" is not a statement about the count
        cue = margin_cue(ctx, claim)
        if cue is None:
            continue
        people = _names_in(ctx, claim)
        parts = sentence_parts(ctx, claim)
        for st in standings:
            if st.claim.article_id == claim.article_id:
                continue
            # a tally's sides are the ayes and the noes: the wording alone says it is one vote
            if st.votes is None and not any(ctx.same_holder(p, h) for p in people for h, _ in st.shares):
                continue
            if parts != st.parts:
                ctx.refuse(NAME, "part", [(claim.article_id, claim.start, claim.end),
                                          (st.claim.article_id, st.claim.start, st.claim.end)],
                           f"parts of the contest {sorted(parts)} / {sorted(st.parts)}")
                continue
            pairs.append((claim, cue, st))
    if not pairs:
        return []
    sims = ctx.similarity([p[0].text for p in pairs], [p[2].claim.text for p in pairs])

    found: dict[tuple[int, str], list[tuple[Claim, _Cue]]] = defaultdict(list)
    standing_of: dict[int, _Standing] = {}
    for (claim, cue, st), sim in zip(pairs, sims, strict=True):
        spans = [(claim.article_id, claim.start, claim.end), (st.claim.article_id, st.claim.start, st.claim.end)]
        if sim < config.margin_claim_similarity:
            ctx.refuse(NAME, "wording", spans, f"similarity {sim:.2f} < {config.margin_claim_similarity}")
            continue
        gap = st.margin
        fits = st.fits(cue.reading, config)
        ctx.compared(NAME, (claim.id, st.claim.id), consistent=fits)
        if fits:
            ctx.refuse(NAME, "fits", spans, f"“{cue.text}” fits a gap of {gap:.3g} points")
            continue
        found[(id(st), cue.reading)].append((claim, cue))
        standing_of[id(st)] = st
    return [_margin_discrepancy(ctx, standing_of[key], reading, worded) for (key, reading), worded in found.items()]


def _margin_discrepancy(ctx: StoryContext, st: _Standing, reading: str, worded: Sequence[tuple[Claim, _Cue]]) -> Discrepancy:
    config = ctx.config
    seen: dict[str, tuple[Claim, _Cue]] = {}
    for claim, cue in worded:
        seen.setdefault(claim.article_id, (claim, cue))
    (h1, q1), (h2, q2) = st.shares[0], st.shares[1]
    n1, n2 = (ctx.holder_name(h).title() if h.startswith("name:") else ctx.holder_name(h) for h in (h1, h2))
    low, high = st.margin_bounds
    words = sorted({c.text.lower() for _, c in seen.values()})
    limit = (
        f"“narrow” is read as at most {config.narrow_margin_max_points:g} points"
        if reading == "narrow"
        else f"a wide win is read as at least {config.wide_margin_min_points:g} points"
    )
    if st.votes is not None:
        big, small = st.votes
        explanation = (
            f"{' / '.join(f'“{w}”' for w in words)} ({', '.join(seen)}) vs a {big}-{small} vote "
            f"({st.claim.article_id}): won by {big - small} vote{'s' if big - small != 1 else ''}; {limit}, "
            f"or won by {_NARROW_TALLY_VOTES} votes or fewer — judge whether they agree"
        )
        evidence = [ctx.claim_evidence(st.claim, value=q1.text, highlights=[q1.span],
                                       detail=f"{big} for, {small} against")]
        title = f"“{words[0]}” against a {big}-{small} vote"
    else:
        explanation = (
            f"{' / '.join(f'“{w}”' for w in words)} ({', '.join(seen)}) vs {n1} “{q1.text}” and "
            f"{n2} “{q2.text}” ({st.claim.article_id}): a gap of about {st.margin:.3g} points "
            f"({low:.3g}–{high:.3g} allowing for hedges); {limit} — judge whether they agree"
        )
        evidence = [
            ctx.claim_evidence(st.claim, value=f"{q1.text} vs {q2.text}", highlights=[q1.span, q2.span],
                               detail=f"{n1} {quantity_in_words(q1)}; {n2} {quantity_in_words(q2)}")
        ]
        title = f"“{words[0]}” against {n1} {q1.text}, {n2} {q2.text}"
    for claim, cue in seen.values():
        evidence.append(ctx.claim_evidence(claim, value=cue.text, highlights=[cue.span],
                                           detail=f"“{cue.text}”: {limit}"))
    return Discrepancy(
        id=stable_id(DiscrepancyKind.QUALITATIVE_VS_NUMERIC, reading, h1, h2, *sorted(_ID_PARTS.get(p, p) for p in st.parts)),
        kind=DiscrepancyKind.QUALITATIVE_VS_NUMERIC,
        severity=Severity.MEDIUM,
        score=min(1.0, 0.4 + abs(st.margin - config.narrow_margin_max_points) / 20),
        explanation=explanation,
        evidence=tuple(evidence),
        subject=f"{n1} vs {n2}",
        title=title,
    )
