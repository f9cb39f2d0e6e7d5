"""One speaker's words quoted two ways: "This is a big deal" in one outlet, "This is a
significant event" in another.  A quotation is the speaker's own words, so two outlets
quoting one statement should agree word for word; a reworded quote (common in copies
rewritten by machine) is worth an editor's look.

Two quoted passages of different outlets are one statement when they mean the same
(``quote_similarity``) and share a speaker; they differ when, once case, punctuation and
contractions are set aside (``data/quotes.yaml``), words of one stand where the other has
other words (``quote_min_changed_words``).  A quote that is only shorter or longer than the
other (one outlet quotes more of it) is not reworded.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.claims import quoted_ranges
from claimcheck.data import load_data
from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.models import Claim, Discrepancy, DiscrepancyKind, Severity, Span, SpeakerKind

NAME = "quotes"
_MIN_QUOTE_WORDS = 4
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been this that these those it "
    "we i you he she they our my your his her their not".split()
)


@functools.lru_cache(maxsize=1)
def _contractions() -> tuple[tuple[str, str], ...]:
    forms = load_data("quotes.yaml")["contractions"]["forms"]
    return tuple(sorted(((str(k), str(v)) for k, v in forms.items()), key=lambda kv: -len(kv[0])))


def normalised_words(text: str) -> list[str]:
    """A quote's words as compared: lower case, straight apostrophes, contractions
    expanded, punctuation dropped."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    for short, long in _contractions():
        text = text.replace(short, long)
    return _WORD.findall(text)


@dataclass(frozen=True)
class _Quote:
    claim: Claim
    span: Span
    text: str
    speaker: str


def _quotes(ctx: StoryContext) -> list[_Quote]:
    out = []
    for article_id, article in ctx.articles.items():
        for start, end in quoted_ranges(article.text):
            text = article.text[start:end]
            if len(text.split()) < _MIN_QUOTE_WORDS:
                continue
            claim = ctx.claim_at(article_id, start)
            if claim is None or claim.speaker.kind != SpeakerKind.PERSON:
                continue  # a quote with no one named as saying it cannot be matched to another
            out.append(_Quote(claim, Span(start, end), text, claim.speaker.name))
    return out


def rewording(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    """The words of ``a`` replaced by other words in ``b`` (pairs of replaced runs),
    ignoring words only one of them has (a longer or shorter quote)."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        (" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op == "replace"
    ]


def _content(words: str) -> int:
    return sum(1 for w in words.split() if w not in _FUNCTION_WORDS)


@register_detector(NAME, kinds=[DiscrepancyKind.OTHER], label="Quotes", gates=("speaker", "wording", "same words"))
def detect_reworded_quotes(ctx: StoryContext) -> list[Discrepancy]:
    """One speaker's statement quoted in different words by two sources."""
    quotes = _quotes(ctx)
    pairs = [(a, b) for i, a in enumerate(quotes) for b in quotes[i + 1 :]
             if a.claim.article_id != b.claim.article_id]
    if not pairs:
        return []
    sims = ctx.similarity([a.text for a, _ in pairs], [b.text for _, b in pairs])
    out: dict[str, Discrepancy] = {}
    for (a, b), sim in zip(pairs, sims, strict=True):
        spans = [(a.claim.article_id, a.span.start, a.span.end), (b.claim.article_id, b.span.start, b.span.end)]
        if sim < ctx.config.quote_similarity:
            continue  # two different statements: most pairs, not worth a trace line each
        if not ctx.same_holder(f"name:{a.speaker.lower()}", f"name:{b.speaker.lower()}"):
            ctx.refuse(NAME, "speaker", spans, f"quoted from {a.speaker} / {b.speaker}")
            continue
        changed = [(x, y) for x, y in rewording(normalised_words(a.text), normalised_words(b.text))
                   if _content(x) or _content(y)]
        ctx.compared(NAME, (a.claim.id, b.claim.id), consistent=not changed)
        if sum(max(_content(x), _content(y)) for x, y in changed) < ctx.config.quote_min_changed_words:
            ctx.refuse(NAME, "same words", spans, "the same words, once case, punctuation and contractions are set aside")
            continue
        key = stable_id(DiscrepancyKind.OTHER, "quote", a.claim.article_id, str(a.span.start),
                        b.claim.article_id, str(b.span.start))
        words = "; ".join(f"“{x}” / “{y}”" for x, y in changed[:3])
        out.setdefault(key, Discrepancy(
            id=key,
            kind=DiscrepancyKind.OTHER,
            severity=Severity.LOW,
            score=min(1.0, 0.3 + (sim - ctx.config.quote_similarity)),
            explanation=f"{a.speaker} quoted in other words by {a.claim.article_id} and {b.claim.article_id}: {words}",
            evidence=(
                ctx.span_evidence(a.claim, a.span, value=changed[0][0], detail=f"as {a.claim.article_id} quotes it"),
                ctx.span_evidence(b.claim, b.span, value=changed[0][1], detail=f"as {b.claim.article_id} quotes it"),
            ),
            subject=a.speaker,
            title=f"Quote of {a.speaker} worded two ways",
        ))
    return list(out.values())
