"""Figures and text pieces that every report format shows the same way.

Kept in one place so the Markdown, HTML, JSON and CSV outputs cannot disagree about
what "single-source" means or which words of a side are highlighted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from claimcheck.models import Article, DiscrepancyKind, Evidence, Report, Severity

SEVERITY_ORDER: tuple[str, ...] = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


@dataclass(frozen=True)
class Segment:
    """A piece of evidence text; ``marked`` when it is (part of) the differing value."""

    text: str
    marked: bool = False
    context: bool = False  # sentence context around the claim span, not evidence itself


def by_severity(report: Report) -> dict[str, int]:
    """Discrepancies per severity, every severity present (most severe first)."""
    counts = Counter(d.severity.value for d in report.discrepancies)
    return {s: counts.get(s, 0) for s in SEVERITY_ORDER}


def by_kind(report: Report) -> dict[str, int]:
    """Discrepancies per kind, every kind present so the JSON keys are stable."""
    counts = Counter(d.kind.value for d in report.discrepancies)
    return {k.value: counts.get(k.value, 0) for k in DiscrepancyKind}


def claims_per_article(report: Report) -> dict[str, int]:
    counts = Counter(c.article_id for c in report.claims)
    return {a.id: counts.get(a.id, 0) for a in report.articles}


def multi_source_claim_ids(report: Report) -> set[str]:
    return {cid for g in report.groups if not g.single_source for cid in g.claim_ids}


def single_source_per_outlet(report: Report) -> dict[str, int]:
    """Claims no other outlet repeats, per outlet: what an editor cannot cross-check.

    A claim in no group at all counts as single-source too.
    """
    shared = multi_source_claim_ids(report)
    outlet = {a.id: a.outlet for a in report.articles}
    counts: Counter[str] = Counter()
    for claim in report.claims:
        if claim.id not in shared:
            counts[outlet.get(claim.article_id, claim.article_id)] += 1
    # Outlets with no single-source claim still get a row; claims whose article is not in
    # the report (should not happen) are kept under their article id.
    names = dict.fromkeys([*outlet.values(), *counts])
    return {name: counts.get(name, 0) for name in names}


def article_index(report: Report) -> dict[str, Article]:
    return {a.id: a for a in report.articles}


def _relative_ranges(evidence: Evidence, window_start: int, window_len: int) -> list[tuple[int, int]]:
    """Highlight ranges made relative to a window, clipped to it, sorted and merged.

    ``Evidence.highlights`` are absolute offsets into the article, while the text shown
    starts at ``window_start``.  When no highlight is given but ``value`` occurs in the
    evidence text, that occurrence is marked instead.
    """
    ranges = [(h.start - window_start, h.end - window_start) for h in evidence.highlights]
    if not ranges and evidence.value:
        found = evidence.text.find(evidence.value)
        if found >= 0:
            offset = evidence.start - window_start
            ranges = [(offset + found, offset + found + len(evidence.value))]
    clipped = sorted((max(0, s), min(window_len, e)) for s, e in ranges)
    merged: list[tuple[int, int]] = []
    for s, e in clipped:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def evidence_segments(evidence: Evidence, article: Article | None = None,
                      context: tuple[int, int] | None = None) -> list[Segment]:
    """Split a side's text into plain and marked pieces, ready to escape one by one.

    With ``article`` and a ``context`` range (the claim's sentence), the pieces of that
    sentence outside the evidence span come back as ``context`` segments.  The article
    text is only used when it really holds the evidence text at those offsets, so a
    report built from mismatched inputs still shows what the evidence says.
    """
    start, end, text = evidence.start, evidence.end, evidence.text
    if (article is not None and context is not None
            and article.text[evidence.start:evidence.end] == evidence.text):
        start = max(0, min(start, context[0]))
        end = min(len(article.text), max(end, context[1]))
        text = article.text[start:end]
    cuts = {0, len(text), evidence.start - start, evidence.end - start}
    ranges = _relative_ranges(evidence, start, len(text))
    for s, e in ranges:
        cuts.update((s, e))
    ordered = sorted(c for c in cuts if 0 <= c <= len(text))
    segments: list[Segment] = []
    for s, e in zip(ordered, ordered[1:]):
        if e <= s:
            continue
        marked = any(rs <= s and e <= re for rs, re in ranges)
        in_evidence = evidence.start - start <= s and e <= evidence.end - start
        segments.append(Segment(text[s:e], marked=marked, context=not in_evidence))
    return segments


def sources_of(evidence: tuple[Evidence, ...]) -> list[str]:
    """The distinct files a discrepancy cites, in the order its sides give them."""
    return list(dict.fromkeys(ev.file for ev in evidence))
