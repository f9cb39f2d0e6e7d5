"""Figures that fill one slot but do not agree.

Every figure of the story has a slot (``claimcheck.figures``): what it counts, whose it
is, when, in what reach, said by whom.  Two figures of different sources *meet* when
their slots cannot be told apart and their masked contexts read alike; how alike
depends on how much the slots already say (``_threshold``):

* the same measure and the same holder ("62 goals" / "63 goals" for one player): little
  more is needed (``numeric_slot_similarity``);
* the same measure, holder named on one side or neither: more
  (``numeric_measure_similarity``);
* a measure the story gives several values of in one article (months, counts of
  charges): the slot is not the measure alone, so much more (``numeric_multi_similarity``);
* no measure on one side: the wording must say it (``numeric_context_similarity``).

Slots are told apart, and never meet, when their measures, holders, years, days, reach
or spans of time differ, or when both are qualified by two values of one exclusive set
("confirmed" / "suspected" cases).  Two figures that meet *disagree* when their
intervals do not overlap, unless either article also gives the other's value for that
slot (then they are two moments or two parts of the story, not a disagreement).

Figures that meet and disagree are joined into one discrepancy per slot: its sides are
the values, the rarest first, each with the sentence that gives it.  Named sources that
differ ("police said" / "organisers said") make it a disputed figure, told at a lower
severity; a count worded as having moved ("rose to") is an update, lower still.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from claimcheck.data import load_data
from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.detect.values import exclusive_value
from claimcheck.entities import fold_name
from claimcheck.figures import Figure, measure_class
from claimcheck.quantities import quantity_in_words, stated_bounds_included
from claimcheck.models import Discrepancy, DiscrepancyKind, Modality, Quantity, QuantityKind, Severity

NAME = "numeric"
_BLOCK_NEIGHBOURS = 40  # in a large block of one kind of figure, each meets its nearest only


def intervals_overlap(a: Quantity, b: Quantity) -> bool:
    """Whether two figures can be the same amount.

    Intervals that merely touch at a rounding edge ("28.5%" ends where "28.6%" begins)
    do not: each figure was rounded away from that point; nor at a bound a hedge
    excludes ("just shy of £450m" and "beyond £450m").  They do at a bound both include
    ("at least 94" and exactly 94).
    """
    low, high = max(a.low, b.low), min(a.high, b.high)
    if low < high:
        return True
    if low > high:
        return False

    def holds(q: Quantity, point: float) -> bool:
        closed_low, closed_high = stated_bounds_included(q)
        return (q.low < point < q.high) or (point == q.low and closed_low) or (point == q.high and closed_high)

    return holds(a, low) and holds(b, low)


@functools.lru_cache(maxsize=1)
def _rates() -> tuple[dict[str, float], float]:
    data = load_data("currencies.yaml")
    return ({code: float(v["rate"]) for code, v in data["usd_per_unit"].items()},
            float(data["tolerance"]["fraction"]))


def convertible(a: Quantity, b: Quantity) -> bool:
    """Two sums in two currencies of ``data/currencies.yaml``."""
    rates, _ = _rates()
    return (a.kind == b.kind == QuantityKind.MONEY and a.unit != b.unit
            and a.unit in rates and b.unit in rates)


def in_currency_of(q: Quantity, other: Quantity) -> Quantity:
    """``q`` restated in ``other``'s currency, widened by the rate tolerance."""
    rates, tolerance = _rates()
    factor = rates[q.unit] / rates[other.unit]
    low, high = q.low * factor * (1 - tolerance), q.high * factor * (1 + tolerance)
    return replace(q, value=q.value * factor, low=low, high=high, unit=other.unit, hedge="about")


def figures_overlap(a: Quantity, b: Quantity) -> bool:
    """``intervals_overlap``, with a sum in another currency converted first."""
    if convertible(a, b):
        return intervals_overlap(in_currency_of(a, b), b)
    return intervals_overlap(a, b)


@functools.lru_cache(maxsize=1)
def _measure_labels() -> dict[str, str]:
    data = load_data("measures.yaml")
    return {name: entry.get("label", name) for name, entry in data["classes"].items()}


@functools.lru_cache(maxsize=1)
def _cumulative() -> frozenset[str]:
    data = load_data("measures.yaml")
    return frozenset(name for name, entry in data["classes"].items() if entry.get("cumulative"))


def _later_and_higher(ctx: StoryContext, shown: Sequence[Figure]) -> tuple[Figure, Figure] | None:
    """A cumulative count (a toll, cases) whose higher figure comes from a later article:
    (the earlier, the later) figure, for an update rather than a clash."""
    if not shown or shown[0].measure not in _cumulative():
        return None
    dated = [(ctx.articles[f.article_id].date, f) for f in shown]
    if any(d is None for d, _ in dated):
        return None
    (d1, f1), (d2, f2) = sorted(dated[:2], key=lambda df: df[0])
    if d1 < d2 and f1.quantity.high < f2.quantity.low:
        return f1, f2
    return None


@dataclass(frozen=True)
class _Slots:
    """What a story says about its figures as a whole."""

    story_year: int | None
    multi: frozenset[tuple[str, tuple[str, str]]]  # (measure, kind) given twice in one article
    same_holder: Callable[[str, str], bool] = operator.eq
    people: frozenset[str] = frozenset()  # entity ids of the story's people


def _holders(a: Figure, b: Figure, slots: _Slots) -> str:
    """"same" when the figures share an owner (or one's owner takes part in the other's
    clause), "different" when both have owners and none is shared, else "none"."""
    same = slots.same_holder
    if any(same(x, y) for x in a.holders for y in b.holders):
        return "same"
    if a.holders and b.holders:
        return "different"
    if any(same(x, y) for x in a.holders for y in b.participants) or any(
        same(x, y) for x in b.holders for y in a.participants
    ):
        return "same"
    people = slots.people
    if any(same(x, y) for x in a.participants if x in people for y in b.participants if y in people):
        return "same"  # "signing Wissa for £50m" / "the signing of Wissa for £55m": one person's deal
    if _named_source(a.speaker) and _named_source(b.speaker) and same(
        f"name:{fold_name(a.speaker or '')}", f"name:{fold_name(b.speaker or '')}"
    ):
        return "same"  # one named body's count of one measure ("the Interior Ministry said")
    return "none"


def _named_source(speaker: str | None) -> bool:
    """A source named as a body or a person ("the Interior Ministry", "Reuters"), not a
    description ("officials", "police", "the data")."""
    if not speaker:
        return False
    words = [w for w in speaker.split() if w.lower() not in ("the", "a", "an", "of", "for")]
    return bool(words) and all(w[:1].isupper() for w in words)


def _measures(a: Figure, b: Figure) -> str:
    """"same", "different", or "none" when either side names no measure.  Sums of money
    are named by many nouns for one thing (a fee, a bid, a deal, a package), so two
    nouns of money never keep them apart on their own: they count as "none"."""
    if a.measure and b.measure:
        if a.measure == b.measure:
            return "same"
        return "none" if a.quantity.kind == QuantityKind.MONEY else "different"
    return "none"


def _qualified_apart(a: Figure, b: Figure, *, one_article: bool = False) -> bool:
    """"20 confirmed cases" / "28 suspected cases": two values of one exclusive set; or a
    narrowing word on one side only that the other claim never uses ("23 league goals" /
    "62 goals").  Within one article a narrowing word on one side always sets the two
    apart: an article giving "62 goals" and "23 league goals" gives two tallies."""
    if one_article and set(a.qualifiers) != set(b.qualifiers):
        return True
    for x, y in ((a, b), (b, a)):
        for word in x.qualifiers:
            mine = exclusive_value(word)
            if mine is not None and any(
                (other := exclusive_value(w)) is not None and other[0] == mine[0] and other[1] != mine[1]
                for w in y.qualifiers
            ):
                return True
            if not y.qualifiers and word not in y.lemmas and mine is None:
                # one side narrows what it counts ("league goals"); a value of an exclusive
                # set on one side only ("confirmed deaths") narrows nothing the other denies
                return True
    return False


def slot_gate(a: Figure, b: Figure, slots: _Slots) -> str | None:
    """The gate that keeps two figures' slots apart, or None when they may be one."""
    if a.kind != b.kind and not convertible(a.quantity, b.quantity):
        return "kind"
    if a.modality != b.modality and {a.modality, b.modality} != {Modality.FACT, Modality.PREDICTION}:
        return "modality"
    if _measures(a, b) == "different":
        return "measure"
    if a.change != b.change:
        return "change"  # "+4.4 points" is a change, "28.6%" a level
    if _holders(a, b, slots) == "different":
        return "holder"
    if a.years and b.years and not set(a.years) & set(b.years):
        return "time"
    if bool(a.years) != bool(b.years) and slots.story_year is not None and any(
        y != slots.story_year for y in (*a.years, *b.years)
    ):
        return "time"  # "in 1960 a magnitude 6.7 quake" is another quake than the story's
    if a.days and b.days and not set(a.days) & set(b.days):
        return "time"
    if a.parts != b.parts and (a.parts and b.parts or a.quantity.kind == QuantityKind.PERCENT):
        # a first round's share is not the run-off's, nor the final result's; a sum or a
        # count told on "the final day" of something is not thereby of another contest
        return "part"
    if set(a.scope) != set(b.scope):
        return "scope"
    if a.periods and b.periods and not set(a.periods) & set(b.periods):
        return "period"
    return None


def _threshold(a: Figure, b: Figure, slots: _Slots, ctx: StoryContext) -> float:
    cfg = ctx.config
    if _measures(a, b) == "same":
        if _holders(a, b, slots) == "same":
            t = cfg.numeric_slot_similarity
        elif measure_class(a.measure) is not None:
            t = cfg.numeric_class_similarity  # a death toll, a crowd size: the class says much
        else:
            t = cfg.numeric_measure_similarity
        if (a.measure, a.kind) in slots.multi:
            t = max(t, cfg.numeric_multi_similarity)
    else:
        t = cfg.numeric_holder_similarity if _holders(a, b, slots) == "same" else cfg.numeric_context_similarity
    if a.quantity.kind == QuantityKind.DURATION:
        # a span's unit says nothing of what it times (a term in office, a window, a
        # sentence): spans are many in every story, so their wording must say it
        t = max(t, cfg.numeric_multi_similarity)
    if _qualified_apart(a, b):
        t += cfg.numeric_qualifier_penalty
    return t


def _story_slots(ctx: StoryContext, figures: Sequence[Figure]) -> _Slots:
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_article[f.article_id].append(f)
    date = ctx.story_date
    people = frozenset(e.id for e in ctx.entities if e.label == "PERSON")
    slots = _Slots(date.year if date else None, frozenset(), ctx.same_holder, people)
    multi = set()
    for fs in by_article.values():
        for x, y in itertools.combinations(fs, 2):
            # one article giving two values of one slot ("62 goals" and "23 league goals"
            # are two slots): the measure alone does not make the slot in this story
            if (x.measure and x.measure == y.measure and slot_gate(x, y, slots) is None
                    and not _qualified_apart(x, y, one_article=True) and not figures_overlap(x.quantity, y.quantity)):
                multi.add((x.measure, x.kind))
    return replace(slots, multi=frozenset(multi))


def _candidate_pairs(figures: Sequence[Figure], vectors: np.ndarray) -> list[tuple[int, int, float]]:
    """Cross-article pairs of figures of one kind and unit, with their context similarity.

    A block of one kind is compared whole when small; in a large one each figure meets
    its ``_BLOCK_NEIGHBOURS`` nearest, so the work stays linear in the story's figures."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        # sums meet across currencies (a fee in pounds and in euros); other figures by unit
        key = (f.kind[0], "") if f.quantity.kind == QuantityKind.MONEY else f.kind
        blocks[key].append(i)
    out: dict[tuple[int, int], float] = {}
    for members in blocks.values():
        if len(members) < 2:
            continue
        sims = vectors[members] @ vectors[members].T
        k = min(len(members) - 1, _BLOCK_NEIGHBOURS)
        for x, i in enumerate(members):
            order = np.argsort(-sims[x])[: k + 1] if len(members) > _BLOCK_NEIGHBOURS else range(len(members))
            for y in order:
                j = members[int(y)]
                if j == i or figures[i].article_id == figures[j].article_id:
                    continue
                key = (min(i, j), max(i, j))
                out[key] = float(sims[x, int(y)])
    return [(i, j, s) for (i, j), s in sorted(out.items())]


def _states_value(ctx: StoryContext, article: Sequence[Figure], mine: Figure, other: Figure,
                  slots: _Slots, sims: dict[tuple[str, str], float]) -> bool:
    """Whether ``article`` (the figures of ``mine``'s article) also gives ``other``'s value
    for a slot ``other`` could fill: then the two articles do not disagree."""
    for f in article:
        if f is mine or not figures_overlap(f.quantity, other.quantity):
            continue
        if slot_gate(f, other, slots) is not None:
            continue
        if _measures(mine, other) == "same" and _measures(f, other) != "same":
            continue
        if _holders(mine, other, slots) == "same" and _holders(f, other, slots) != "same":
            continue  # another person's 21 is not this person's age told again
        sim = sims.get((f.id, other.id), sims.get((other.id, f.id), 1.0))
        if sim >= _threshold(f, other, slots, ctx) - ctx.config.numeric_qualifier_penalty:
            return True
    return False


def _spans(*figures: Figure, ctx: StoryContext) -> list[tuple[str, int, int]]:
    out = []
    for f in figures:
        c = ctx.claim(f.claim_id)
        out.append((f.article_id, c.start, c.end))
    return out


@register_detector(
    NAME, kinds=[DiscrepancyKind.NUMERIC], label="Figures",
    gates=("kind", "modality", "measure", "change", "holder", "time", "part", "scope", "period", "wording", "echo"),
)
def detect_numeric_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """Two sources give one slot figures whose intervals do not overlap."""
    figures = [
        f for f in ctx.figures
        if f.modality != Modality.OPINION and f.quantity.kind not in (QuantityKind.OTHER,)
    ]
    if len(figures) < 2:
        return []
    vectors = ctx.vectors([f.context for f in figures])
    slots = _story_slots(ctx, figures)
    pairs = _candidate_pairs(figures, vectors)
    sims = {(figures[i].id, figures[j].id): s for i, j, s in pairs}
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_article[f.article_id].append(f)

    conflicts: list[tuple[Figure, Figure, float]] = []
    meet: dict[frozenset[str], float] = {}  # pairs whose slots are one, whatever their values
    for i, j, sim in pairs:
        a, b = figures[i], figures[j]
        apart = not figures_overlap(a.quantity, b.quantity)
        gate = slot_gate(a, b, slots)
        if gate is None:
            threshold = _threshold(a, b, slots, ctx)
            if sim < threshold:
                gate = "wording"
                detail = f"context similarity {sim:.2f} < {threshold:.2f}"
            else:
                meet[frozenset((a.id, b.id))] = sim
                ctx.compared(NAME, (a.claim_id, b.claim_id), consistent=not apart)
        else:
            detail = _gate_detail(gate, a, b)
        if not apart:
            continue
        if gate is None and (_states_value(ctx, by_article[a.article_id], a, b, slots, sims)
                             or _states_value(ctx, by_article[b.article_id], b, a, slots, sims)):
            gate, detail = "echo", "one article also gives the other's value for this slot"
        if gate is not None:
            if ctx.tracing:
                ctx.refuse(NAME, gate, _spans(a, b, ctx=ctx),
                           f"{a.quantity.text!r} vs {b.quantity.text!r}: {detail}")
            continue
        conflicts.append((a, b, sim))
    return _discrepancies(ctx, _slot_clusters(figures, conflicts, meet))


def _gate_detail(gate: str, a: Figure, b: Figure) -> str:
    if gate == "kind":
        return f"kinds {a.kind} / {b.kind}"
    if gate == "measure":
        return f"measures {a.measure} / {b.measure}"
    if gate == "holder":
        return f"holders {', '.join(a.holders)} / {', '.join(b.holders)}"
    if gate == "time":
        return f"times {a.years or ''}{a.days or ''} / {b.years or ''}{b.days or ''}"
    if gate == "scope":
        return f"reach {a.scope or '-'} / {b.scope or '-'}"
    if gate == "period":
        return f"spans {a.periods} / {b.periods}"
    if gate == "change":
        return "a change against a level"
    if gate == "part":
        return f"parts of the contest {a.parts or '-'} / {b.parts or '-'}"
    if gate == "modality":
        return f"modality {a.modality.value} / {b.modality.value}"
    return gate


# --------------------------------------------------------------------------- reporting


def _slot_clusters(
    figures: Sequence[Figure], conflicts: Sequence[tuple[Figure, Figure, float]], meet: dict[frozenset[str], float]
) -> list[list[tuple[Figure, Figure, float]]]:
    """One cluster of figures per slot that two sources disagree on.

    Each disagreement, closest first, seeds a cluster that takes in every other figure
    meeting *all* its members (one figure an article): complete linkage, so a chain of
    look-alikes ("Goncalves, 20" meets "21" meets "the 30-year-old") never makes one
    slot of two.  A figure belongs to one cluster; a disagreement one of whose figures
    is told already adds nothing.
    """
    by_id = {f.id: f for f in figures}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for key in meet:
        x, y = tuple(key)
        neighbours[x].add(y)
        neighbours[y].add(x)
    used: set[str] = set()
    out = []
    for a, b, _ in sorted(conflicts, key=lambda c: (-c[2], c[0].id, c[1].id)):
        if a.id in used or b.id in used:
            continue
        members = {a.article_id: a, b.article_id: b}
        candidates = (neighbours[a.id] | neighbours[b.id]) - used - {a.id, b.id}
        ranked = sorted(candidates, key=lambda c: (-(meet.get(frozenset((c, a.id)), 0) + meet.get(frozenset((c, b.id)), 0)), c))
        for cid in ranked:
            c = by_id[cid]
            if c.article_id in members:
                continue
            if all(frozenset((cid, m.id)) in meet for m in members.values()):
                members[c.article_id] = c
        used |= {m.id for m in members.values()}
        cluster = list(members.values())
        pairs = [(x, y, meet[frozenset((x.id, y.id))]) for x, y in itertools.combinations(cluster, 2)]
        out.append(pairs)
    return _merge_alike(out)


def _merge_alike(clusters: list[list[tuple[Figure, Figure, float]]]) -> list[list[tuple[Figure, Figure, float]]]:
    """Clusters of one measure that set the same values against each other ("26" against
    "28" found twice through different articles) are one disagreement."""
    merged: dict[tuple, list[tuple[Figure, Figure, float]]] = {}
    for pairs in clusters:
        sides = _sides(pairs)
        key = (
            sides[0][0].measure, sides[0][0].kind,
            tuple(sorted(f"{side[0].quantity.low:g}-{side[0].quantity.high:g}" for side in sides)),
        )
        merged.setdefault(key, []).extend(pairs)
    return list(merged.values())


def _sides(pairs: Sequence[tuple[Figure, Figure, float]]) -> list[list[Figure]]:
    """The figures of one slot grouped by value (figures whose intervals overlap are one
    value), the side told by fewest articles first."""
    members = {f.id: f for a, b, _ in pairs for f in (a, b)}
    sides: list[list[Figure]] = []
    for f in sorted(members.values(), key=lambda f: (f.quantity.value, f.id)):
        for side in sides:
            if all(figures_overlap(f.quantity, g.quantity) for g in side):
                side.append(f)
                break
        else:
            sides.append([f])
    return sorted(sides, key=lambda s: (len({f.article_id for f in s}), s[0].quantity.value))


def _label(f: Figure) -> str:
    """A figure's measure in newsroom words, for a card title: "Death toll", "Share of
    the vote", "Fee", "Number of goals", "Age"."""
    label = _measure_labels().get(f.measure or "")
    if label:
        return label
    noun = f.noun if f.noun and f.noun.isalpha() else None
    kind = f.quantity.kind
    if kind == QuantityKind.AGE:
        return "Age"
    if kind == QuantityKind.PERCENT:
        return f"Share of the {noun}" if noun else "Percentage"
    if kind == QuantityKind.MONEY:
        return noun.capitalize() if noun else "Sum"
    if kind == QuantityKind.DURATION:
        return f"Length of the {noun}" if noun and noun not in _TIME_UNITS else "Length of time"
    if noun:
        return f"Number of {noun if noun.endswith('s') else noun + 's'}"
    return "Figure"


_TIME_UNITS = frozenset("second minute hour day week month year decade century".split())


def _speakers_differ(sides: Sequence[Sequence[Figure]]) -> tuple[str, str] | None:
    """Two sides each credited to a named source, and not the same source."""
    firsts = []
    for side in sides[:2]:
        named = [f.speaker for f in side if f.speaker]
        if not named:
            return None
        firsts.append(named[0])
    if fold_name(firsts[0]) == fold_name(firsts[1]):
        return None
    return firsts[0], firsts[1]


def _discrepancies(ctx: StoryContext, clusters: Sequence[Sequence[tuple[Figure, Figure, float]]]) -> list[Discrepancy]:
    out = []
    for component in clusters:
        sides = _sides(component)
        if len(sides) < 2:
            continue
        odd = sides[0]
        # the rare side's most central telling, and on each other side the one most like
        # it (so the card sets the tellings side by side); the explanation names every
        # outlet of the rare side and how many more tell each other value
        score = {(a.id, b.id): s for a, b, s in component}
        score.update({(b.id, a.id): s for a, b, s in component})
        odd = list({f.article_id: f for f in odd}.values())

        def central(side: Sequence[Figure], among: Sequence[Figure] | None = None) -> Figure:
            """The telling of ``among`` (by default the whole side) most like the other
            sides' (the clearest contrast)."""
            others = [g for other in sides if other is not side for g in other]
            return max(among or side, key=lambda f: (sum(score.get((f.id, g.id), 0.0) for g in others), f.id))

        first = central(odd)
        odd = [first, *(f for f in odd if f is not first)]
        # each side is told by a figure that itself disagrees with the rare side's: a side
        # is a set of figures that all overlap each other, so one of its members may still
        # overlap the rare figure shown ("a little over 54%" and "just under 56%")
        apart = [[g for g in side if not figures_overlap(g.quantity, first.quantity)] for side in sides[1:]]
        kept = [(side, cands) for side, cands in zip(sides[1:], apart, strict=True) if cands]
        if not kept:
            continue
        sides = [sides[0], *(side for side, _ in kept)]
        reps = [central(side, cands) for side, cands in kept]
        shown = [first, *reps]
        # a second telling of each other value, when another outlet gives it: "A says
        # 28; B and C say 26" is the editor's first question answered
        extra = []
        for side, rep in zip(sides[1:], reps, strict=True):
            # written exactly alike: "26" beside "26", never "Fifteen" beside "15", so a card
            # never sets two wordings of one value side by side as if they differed
            ranked = sorted((f for f in side if f.article_id not in {rep.article_id, first.article_id}
                             and f.quantity.text.lower() == rep.quantity.text.lower()
                             and not figures_overlap(f.quantity, first.quantity)),
                            key=lambda f: (-sum(score.get((f.id, x.id), 0.0) for x in odd), f.id))
            extra += ranked[:1]
        if len({f.article_id for f in shown}) < 2:
            continue
        also = {id(rep): len({f.article_id for f in side}) - 1 for rep, side in zip(reps, sides[1:], strict=True)}
        disputed = _speakers_differ([[f] for f in shown])
        moved = any(f.successive for f in shown)
        first, second = shown[0].quantity, shown[1].quantity
        gap = max(first.low, second.low) - min(first.high, second.high)
        larger = max(abs(first.value), abs(second.value)) or 1.0
        update = _later_and_higher(ctx, shown)
        if moved:
            severity, why = Severity.LOW, "a count worded as having moved since: an update, not a clash"
        elif update is not None:
            earlier, later = update
            severity, why = Severity.LOW, (
                f"a later count ({ctx.articles[earlier.article_id].date} then "
                f"{ctx.articles[later.article_id].date}): likely an update, check the time of each"
            )
        elif disputed:
            severity, why = Severity.LOW, f"credited to {disputed[0]} and to {disputed[1]}: a disputed figure"
        elif gap / larger >= ctx.config.numeric_high_severity_gap:
            severity, why = Severity.HIGH, "the intervals do not overlap"
        else:
            severity, why = Severity.MEDIUM, "the intervals do not overlap, narrowly"
        holder = next((ctx.holder_name(h).title() if h.startswith("name:") else ctx.holder_name(h)
                       for f in shown for h in f.holders), "")
        measure = _label(shown[0])
        values = " vs ".join(f.quantity.text for f in shown)
        about = f" of {holder}" if holder else (f" {shown[0].topic}" if shown[0].topic else "")
        title = f"{measure}{about}: {values}"
        stated = "; ".join(
            f"{quantity_in_words(f.quantity)} ({', '.join(g.article_id for g in (odd if f is odd[0] else [f]))}"
            f"{' and ' + str(also[id(f)]) + ' more' if also.get(id(f)) else ''}"
            f"{', per ' + f.speaker if f.speaker else ''})"
            for f in shown
        )
        evidence = tuple(
            ctx.claim_evidence(ctx.claim(f.claim_id), value=f.quantity.text, highlights=[f.quantity.span],
                               detail=quantity_in_words(f.quantity))
            for f in [*shown, *extra]
        )
        key = sorted({f"{f.article_id}:{f.quantity.start}" for f in shown})
        out.append(
            Discrepancy(
                id=stable_id(DiscrepancyKind.NUMERIC, shown[0].measure or "", *key),
                kind=DiscrepancyKind.NUMERIC,
                severity=severity,
                score=min(1.0, 0.5 + gap / larger),
                explanation=f"{title} — {stated}: {why}",
                evidence=evidence,
                subject=holder or measure,
                title=title,
            )
        )
    return out
