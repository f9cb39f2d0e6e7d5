"""Figures and text pieces that every report format shows the same way.

Kept in one place so the Markdown, HTML, JSON and CSV outputs cannot disagree about
what "single-source" means or which words of a side are highlighted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from claimcheck.models import Article, Claim, ClaimGroup, Discrepancy, DiscrepancyKind, Evidence, Report, Severity

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


# --------------------------------------------------------------------------- labels

#: What each kind means to an editor; the JSON and CSV keep the enum values.
KIND_LABELS: dict[str, str] = {
    DiscrepancyKind.NUMERIC.value: "Figures differ",
    DiscrepancyKind.QUALITATIVE_VS_NUMERIC.value: "Words vs figures",
    DiscrepancyKind.ENTITY_ATTRIBUTE.value: "Title or office",
    DiscrepancyKind.NAME_SPELLING.value: "Name spelling",
    DiscrepancyKind.DATE.value: "Date",
    DiscrepancyKind.SCOPE.value: "Scope",
    DiscrepancyKind.FRAMING.value: "Framing",
    DiscrepancyKind.OTHER.value: "Other",
}

#: Review states a store-backed run sets; anything else is shown as given.
STATUS_ORDER: tuple[str, ...] = ("open", "confirmed", "dismissed")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


# --------------------------------------------------------------------------- card titles

#: How a card title names what differs, per kind: "Spelling of Hendrik Vossberg: …".
TITLE_PHRASES: dict[str, str] = {
    DiscrepancyKind.NUMERIC.value: "Figures for {}",
    DiscrepancyKind.QUALITATIVE_VS_NUMERIC.value: "Words and figures on {}",
    DiscrepancyKind.ENTITY_ATTRIBUTE.value: "Title of {}",
    DiscrepancyKind.NAME_SPELLING.value: "Spelling of {}",
    DiscrepancyKind.DATE.value: "Date for {}",
    DiscrepancyKind.SCOPE.value: "Scope of {}",
    DiscrepancyKind.FRAMING.value: "Framing of {}",
    DiscrepancyKind.OTHER.value: "{}",
}
TITLE_CHARS = 140
TITLE_VALUE_CHARS = 48
TITLE_VALUES = 3  # more than this and the title says "and N more"

# Keys detection uses inside, never words for an editor: entity ids and holder keys
# ("person:ana-ruiz", "name:ana ruiz", "story:budget:cut") and measure keys ("job (dead)").
_INTERNAL_KEY_RE = re.compile(r"^[a-z][a-z_-]*:\S")
_MEASURE_KEY_RE = re.compile(r"^[a-z][a-z -]*\([a-z][a-z, -]*\)$")


def plain_subject(subject: str, entity_names: Mapping[str, str] | None = None) -> str:
    """A discrepancy's subject in words, or "" when it is an internal key.

    Entity ids become the entity's name; "A vs B" is plain only when both are.
    """
    names = entity_names or {}
    parts = []
    for part in subject.split(" vs "):
        part = " ".join(part.split())
        part = " ".join(names.get(part, part).split())
        if not part or _INTERNAL_KEY_RE.match(part) or _MEASURE_KEY_RE.match(part):
            return ""
        parts.append(part)
    return " vs ".join(parts)


def _distinct_values(d: Discrepancy) -> list[str]:
    """The sides' values in the order given, once each (case, accents and spacing aside)."""
    seen: dict[str, str] = {}
    for ev in d.evidence:
        value = " ".join((ev.value or "").split())
        if value and _value_key(value):
            seen.setdefault(_value_key(value), value)
    return list(seen.values())


def _differing_words(values: list[str]) -> list[str]:
    """Spellings cut to the words that differ: "Hendrik Vossberg" and "Hendrik
    Vosberg" -> "Vossberg", "Vosberg".  Words all spellings share at the start or the
    end go, as long as each spelling keeps one."""
    words = [v.split() for v in values]
    if len(words) < 2:
        return values

    def same(i: int) -> bool:
        return len({_value_key(w[i]) for w in words}) == 1

    lead = 0
    while all(len(w) - lead > 1 for w in words) and same(lead):
        lead += 1
    trail = 0
    while all(len(w) - lead - trail > 1 for w in words) and same(-1 - trail):
        trail += 1
    return [" ".join(w[lead:len(w) - trail]) for w in words]


def card_title(d: Discrepancy, entity_names: Mapping[str, str] | None = None) -> str:
    """The card's title in plain words: the detector's (``Discrepancy.title``), else one
    built from the subject, the kind and the sides' values.

    "Spelling of Hendrik Vossberg: Vossberg vs Vosberg", "Title of Ana Ruiz: Mayor vs
    Governor", "Figures differ: 9 vs at least 12" (a subject that is an internal key,
    such as an entity id or "job (dead)", is left out; ``entity_names`` maps entity ids
    to names).
    """
    if d.title.strip():
        return truncate(d.title, TITLE_CHARS)
    subject = plain_subject(d.subject, entity_names)
    kind = d.kind.value
    head = TITLE_PHRASES.get(kind, "{}").format(subject) if subject else kind_label(kind)
    values = _distinct_values(d)
    if kind == DiscrepancyKind.NAME_SPELLING.value:
        values = _differing_words(values)
    shown = [truncate(v, TITLE_VALUE_CHARS) for v in values[:TITLE_VALUES]]
    if len(values) > TITLE_VALUES:
        shown[-1] += f" and {len(values) - TITLE_VALUES} more"
    return truncate(f"{head}: {' vs '.join(shown)}" if shown else head, TITLE_CHARS)


def entity_names(report: Report) -> dict[str, str]:
    return {e.id: e.name for e in report.entities}


def source_label(article: Article) -> str:
    """The outlet's name, or the file name when the article names no outlet.

    ``Article.source`` defaults to the id, and a report that printed both would say
    "000_x.txt — 000_x.txt".
    """
    return article.outlet or article.id


def names_outlet(article: Article) -> bool:
    """True when the article names an outlet other than its file name."""
    return bool(article.source) and article.source != article.id


def is_dismissed(d: Discrepancy) -> bool:
    return d.status == "dismissed"


def by_status(report: Report) -> dict[str, int]:
    """Discrepancies per review status: the three known ones always, then any other."""
    counts = Counter(d.status for d in report.discrepancies)
    return {s: counts.get(s, 0) for s in dict.fromkeys([*STATUS_ORDER, *counts])}


def truncate(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary where possible."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


# --------------------------------------------------------------------------- single-source claims


def single_source_claims(report: Report) -> dict[str, list[Claim]]:
    """The claims no other outlet repeats, per article (article order, claim order)."""
    shared = multi_source_claim_ids(report)
    found: dict[str, list[Claim]] = {a.id: [] for a in report.articles}
    for claim in report.claims:
        if claim.id not in shared:
            found.setdefault(claim.article_id, []).append(claim)
    return found


# --------------------------------------------------------------------------- coverage matrix

AGREES = "agrees"
DISAGREES = "disagrees"
TELLS = "tells"
NOT_MENTIONED = "not_mentioned"
#: What each cell state means, in the order legends list them.
COVERAGE_STATES: dict[str, str] = {
    AGREES: "agrees",
    DISAGREES: "disagrees",
    TELLS: "tells it, not compared",
    NOT_MENTIONED: "does not mention",
}
#: Rows past this make the figure a wall; the JSON and the claims table keep them all.
COVERAGE_ROW_LIMIT = 40


@dataclass(frozen=True)
class CoverageRow:
    group_id: str
    label: str
    cells: tuple[str, ...]  # one state per source, in ``CoverageMatrix.sources`` order
    discrepancy_ids: tuple[str, ...] = ()
    # per source, the value it differs by ("" unless the cell disagrees)
    values: tuple[str, ...] = ()

    @property
    def n_sources(self) -> int:
        return sum(state != NOT_MENTIONED for state in self.cells)

    def value(self, index: int) -> str:
        return self.values[index] if index < len(self.values) else ""


@dataclass(frozen=True)
class CoverageMatrix:
    """Claim groups × sources: who tells each story element, and who tells it differently.

    ``sources`` are article ids; ``labels`` their display names.  ``omitted`` counts the
    eligible groups left out to keep the figure readable.
    """

    sources: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    omitted: int = 0


def _value_key(value: str) -> str:
    """A value as compared when counting who holds it: accents, case, spacing and the
    quotes around it do not make two values ("José Kast" is "Jose Kast")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return " ".join(folded.casefold().split()).strip("\"'“”‘’«»()[] ")


def differing_sides(d: Discrepancy) -> tuple[Evidence, ...]:
    """The sides of a discrepancy that differ: those whose value fewer sources hold.

    Four outlets spell a name one way and one another way: the one differs.  $85 million
    in one outlet and $58 million in another: a tie, so both differ.  A side with no
    value is context (the discrepancy does not say what it holds) and never differs,
    unless no side has a value, when there is no telling and every side differs.
    """
    valued = [ev for ev in d.evidence if ev.value and _value_key(ev.value)]
    if not valued:
        return tuple(d.evidence)
    holders: dict[str, set[str]] = {}
    for ev in valued:
        holders.setdefault(_value_key(ev.value or ""), set()).add(ev.file)
    fewest = min(len(files) for files in holders.values())
    return tuple(ev for ev in valued if len(holders[_value_key(ev.value or "")]) == fewest)


def agreeing_claims(report: Report) -> set[str]:
    """Claims a detector compared with another source's claim and found consistent."""
    article_of = {c.id: c.article_id for c in report.claims}
    agreed: set[str] = set()
    for comparison in report.comparisons:
        if not comparison.consistent:
            continue
        articles = {cid: article_of.get(cid) for cid in comparison.claim_ids}
        for cid, article in articles.items():
            if article is not None and any(other not in (None, article) for other in articles.values()):
                agreed.add(cid)
    return agreed


def coverage_matrix(report: Report, limit: int = COVERAGE_ROW_LIMIT) -> CoverageMatrix:
    """Rows: groups told by two or more sources and groups a discrepancy touches.

    A cell *disagrees* when the source is a differing side of a discrepancy an editor has
    not dismissed (``differing_sides``: the value fewer sources hold) and the group holds
    that side's claim, or the source tells a group the discrepancy touches; it *agrees* when a detector compared its claim in the group with
    another source's claim and found them consistent (``Report.comparisons``); it
    *tells* it when the source has a claim in the group that nothing compared; and it is
    *not mentioned* otherwise.  A source is never said to agree just for telling the
    same story element.  Groups a discrepancy touches come first when rows must be
    dropped; rows are then ordered by how many sources tell them.
    """
    articles = [a.id for a in report.articles]
    group_of = {cid: g.id for g in report.groups for cid in g.claim_ids}
    article_of = {c.id: c.article_id for c in report.claims}
    groups = {g.id: g for g in report.groups}

    def touched_group(d: Discrepancy, ev: Evidence) -> str | None:
        gid = group_of.get(ev.claim_id) if ev.claim_id else None
        if gid is None and d.group_id in groups and ev.file in groups[d.group_id].article_ids:
            gid = d.group_id
        return gid

    def source_of(ev: Evidence) -> str:
        return article_of.get(ev.claim_id, ev.file) if ev.claim_id else ev.file

    differs: dict[tuple[str, str], list[str]] = {}  # (group, article) -> the values it differs by
    touched: dict[str, list[str]] = {}
    for d in report.discrepancies:
        if is_dismissed(d):
            continue
        groups_touched = []
        for ev in d.evidence:
            gid = touched_group(d, ev)
            if gid is not None and d.id not in (ids := touched.setdefault(gid, [])):
                ids.append(d.id)
                groups_touched.append(gid)
        for ev in differing_sides(d):
            source = source_of(ev)
            # the group of its own claim, and any other group the discrepancy touches that
            # the source tells: there too it is the side that differs
            own = touched_group(d, ev)
            crossed = [own] if own else []
            crossed += [g for g in groups_touched if g != own and source in groups[g].article_ids]
            for gid in crossed:
                values = differs.setdefault((gid, source), [])
                value = " ".join((ev.value or "").split())
                if value and value not in values:
                    values.append(value)
    agreed = agreeing_claims(report)
    eligible = [(i, g) for i, g in enumerate(report.groups) if not g.single_source or g.id in touched]

    def breadth(g: ClaimGroup) -> int:
        return len(set(g.article_ids))

    kept = sorted(eligible, key=lambda ig: (ig[1].id not in touched, -breadth(ig[1]), ig[0]))[: max(0, limit)]
    kept.sort(key=lambda ig: (-breadth(ig[1]), ig[1].id not in touched, ig[0]))
    rows = []
    for _, g in kept:
        present = set(g.article_ids)
        agreeing = {article_of.get(cid) for cid in g.claim_ids if cid in agreed}
        cells = tuple(
            DISAGREES if (g.id, a) in differs
            else AGREES if a in agreeing
            else TELLS if a in present
            else NOT_MENTIONED
            for a in articles
        )
        values = tuple("; ".join(differs.get((g.id, a), ())) for a in articles)
        rows.append(CoverageRow(g.id, g.label, cells, tuple(touched.get(g.id, ())), values))
    labels = tuple(source_label(a) for a in report.articles)
    return CoverageMatrix(tuple(articles), labels, tuple(rows), omitted=len(eligible) - len(kept))


# --------------------------------------------------------------------------- descriptors


@dataclass(frozen=True)
class Descriptor:
    text: str  # as written in the article: "far-right", "former labour minister"
    is_office: bool = False
    former: bool = False


@dataclass(frozen=True)
class DescriptorRow:
    entity_id: str
    name: str
    cells: tuple[tuple[Descriptor, ...], ...]  # one tuple per source, in article order

    @property
    def n_sources(self) -> int:
        return sum(bool(c) for c in self.cells)


def descriptor_rows(report: Report) -> list[DescriptorRow]:
    """For each person, the labels each outlet gives them (offices and descriptions).

    Framing differences ("far-right" in one outlet, "conservative" in another) are
    information for an editor even when no fact conflicts.  Labels are taken from the
    titles found on person mentions, kept once per outlet (case-insensitively) in the
    order they first appear.  People no outlet labels are left out.
    """
    entities = {e.id: e for e in report.entities}
    order = {a.id: i for i, a in enumerate(report.articles)}
    found: dict[str, dict[str, dict[str, Descriptor]]] = {}
    names: dict[str, str] = {}
    for claim in report.claims:
        if claim.article_id not in order:
            continue
        for m in claim.entities:
            entity = entities.get(m.entity_id) if m.entity_id else None
            if (entity.label if entity else m.label) != "PERSON" or not m.titles:
                continue
            key = entity.id if entity else f"mention:{' '.join(m.text.split()).casefold()}"
            names.setdefault(key, entity.name if entity else " ".join(m.text.split()))
            per_source = found.setdefault(key, {}).setdefault(claim.article_id, {})
            for t in m.titles:
                text = " ".join(t.text.split())
                per_source.setdefault(text.casefold(), Descriptor(
                    text=text, is_office=t.is_office, former=t.tense.value == "former"))
    rows = [
        DescriptorRow(key, names[key], tuple(tuple(found[key].get(a.id, {}).values()) for a in report.articles))
        for key in found
    ]
    rows.sort(key=lambda r: (-r.n_sources, -sum(len(c) for c in r.cells), r.name.casefold()))
    return rows
