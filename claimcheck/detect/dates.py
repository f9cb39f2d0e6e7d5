"""Dates: one event dated differently by two sources.

**Reading dates.**  Every date of an article comes from its figures (``Quantity`` of
kind DATE or YEAR: a day, or a month or year as the interval of days it covers) and from
its parse: weekdays ("died Sunday night", "Saturday's vote") and words that date
relative to the article ("yesterday", "last year"), both from ``data/dates.yaml``.  A
weekday is the most recent such day on or before the article's date; in an article with
no date of its own it stays a weekday (any Monday), since the story's date may be days
off for it.  "Last year" in such an article is read against the story's date;
"yesterday" is not read.  A weekday written with a date ("on Monday, June 10") is that
date, and the card says when the two do not match.  A date given without its year and
read into the future of the article ("was ousted in December", read in September) is
moved to the year before when its verb is in the past.

**What a date dates.**  From the date the parse is climbed to the verb it hangs from,
through the nouns on the way ("a decline on Thursday", "his conviction in July", "worst
day since 1998") and the noun of a light verb ("suffered a defeat").  These words name
the event, by their class in ``data/dates.yaml`` where they have one (one death is
"died", "passed away", "death"), else by their lemma.  The preposition says what part
the date plays: the *point* an event happened ("on", "in", none), the start of a state
of affairs (*since*), or which of several events it is (*attributive*: "the 2019
attack", "the July meeting").  Dates under "before", "after" or "by", datelines, dates
of statements ("said on Monday"), of plans ("is due to be sentenced on June 30", "will
resign tomorrow") and of yardsticks ("the last time ... was in 2009", "the deadliest
since") are not compared.

**One event.**  Two dates of different sources, of one part, are about one event when

* their claims are in one claim group, each names the other's event, and the claims
  with their dates masked are ``date_group_similarity`` alike; or
* their events are of one class (or one word), or their sentences give one precise
  amount and each names the other's event, and the masked claims are
  ``date_event_similarity`` alike; or
* both are the start of one holder's state ("X has ruled since ...", the claims' subject
  is one linked name) and the masked claims are ``date_holder_similarity`` alike; or
* each names the other's event and the masked claims alone are
  ``date_context_similarity`` alike.

They are never one event when their dates lie more than ``date_max_gap_days`` apart
(the 2004 quake and this one), when their sentences give amounts of one kind that all
differ ("fell 3.2% on Tuesday", "fell 5.1% on Wednesday"), when both name who did it
and the names differ ("Morrow was ousted in March" / "Ardent lost the vote on Monday"),
or when the event is one that this story has happen more than once (an article itself
dates it on two days) and no precise amount ties them.  Attributive dates meet only in
a claim group.

**Disagreeing.**  Two dates of one event disagree when no day can be both (intervals
that do not overlap, a weekday no day of the other falls on) and neither article also
gives the other's date, in the same sentence or for the same event.  The dates of one
event that disagree are one discrepancy: its sides are the values, the one told by the
fewest sources first, each shown with the phrase of the event.  It is high severity when
both dates are stated days or a weekday contradicts its date, medium otherwise (a month,
a year, or a date read against an article's date).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimcheck.data import load_data
from claimcheck.detect.context import StoryContext, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.models import (
    Claim,
    Discrepancy,
    DiscrepancyKind,
    Evidence,
    Quantity,
    QuantityKind,
    Severity,
    Span,
)
from claimcheck.quantities import parse_quantities, quantity_in_words

if TYPE_CHECKING:  # pragma: no cover
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Token

NAME = "dates"
_MASK = "WHEN"
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MAX_ANCHOR_STEPS = 8
_AMOUNT_KINDS = frozenset({QuantityKind.COUNT, QuantityKind.MONEY, QuantityKind.PERCENT})
_STATED = ("day", "month", "year")
# who did or underwent an event: the verb's subject, object and passive agent
_ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "agent"})
_ACTOR_PARTS = frozenset({"compound", "appos", "conj", "flat", "nmod", "amod"})
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
# clauses hung from an event's head that are not part of its phrase
_OTHER_CLAUSES = frozenset({"advcl", "relcl", "ccomp", "conj", "parataxis", "acl", "cc", "punct", "mark"})
_DATELINE_MARKS = frozenset({":", "—", "–", "-", "--"})


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Relative:
    words: tuple[str, ...]
    days: tuple[int, int] | None
    years: tuple[int, int] | None


@dataclass(frozen=True)
class _Vocabulary:
    weekdays: dict[str, int]
    months: frozenset[str]
    relative: tuple[_Relative, ...]  # longest first
    relative_by_words: dict[tuple[str, ...], _Relative]
    roles: dict[str, str]  # preposition ("" for none) -> part
    statement: frozenset[str]
    light: frozenset[str]
    benchmark: frozenset[str]
    plan: frozenset[str]
    events: dict[str, frozenset[str]]  # word or phrase -> classes
    labels: dict[str, str]  # class -> how a card names it


@functools.lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = load_data("dates.yaml")
    relative = tuple(
        _Relative(
            tuple(str(w).lower() for w in entry["words"]),
            tuple(entry["days"]) if "days" in entry else None,
            tuple(entry["years"]) if "years" in entry else None,
        )
        for entry in data["relative"]
    )
    events: dict[str, set[str]] = defaultdict(set)
    for name, entry in data["events"].items():
        for word in entry["words"]:
            events[str(word).lower()].add(name)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key]["words"])

    relative = tuple(sorted(relative, key=lambda r: -len(r.words)))
    return _Vocabulary(
        weekdays={str(name).lower(): i for i, name in enumerate(data["weekdays"]["names"])},
        months=frozenset(str(m).lower() for m in data["months"]["names"]),
        relative=relative,
        relative_by_words={r.words: r for r in relative},
        roles={str(w).lower(): role for role, entry in data["roles"].items() for w in entry["words"]},
        statement=words("statement_verbs"),
        light=words("light_verbs"),
        benchmark=words("benchmark"),
        plan=words("plan"),
        events={k: frozenset(v) for k, v in events.items()},
        labels={name: entry.get("label", name) for name, entry in data["events"].items()},
    )


# --------------------------------------------------------------------------- dates in the text


@dataclass
class _Unit:
    """A date as written, before it is attached to an event."""

    start: int  # article offsets
    end: int
    tokens: list  # its parsed tokens
    low: float  # first and last day it allows (proleptic ordinals; +-inf when open)
    high: float
    weekday: int | None  # a weekday the day must fall on
    grain: str  # "day", "month", "year", "weekday", "relative"
    reading: str  # how it was read, for the card
    resolved: bool = False  # read against an article's date
    mismatch: str = ""
    parts: list = field(default_factory=list)  # (start, end) of each piece ("Monday", "June 10")
    yearless: bool = False  # "May 16", "in December": the year was inferred


def _day_words(day: dt.date) -> str:
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%B} {day.year}"


def _quantity_unit(ctx: StoryContext, aid: str, q: Quantity) -> _Unit | None:
    if q.kind == QuantityKind.DATE and q.unit == "date":
        low, high = q.low, q.high
        grain = "day" if low == high else "month"
    elif q.kind == QuantityKind.YEAR and not math.isinf(q.low) and not math.isinf(q.high):
        try:
            low = float(dt.date(int(q.low), 1, 1).toordinal())
            high = float(dt.date(int(q.high), 12, 31).toordinal())
        except ValueError:
            return None
        grain = "year"
    else:  # a month and day with no year anywhere in the story, a span of time
        return None
    tokens = ctx.tokens(aid, q.start, q.end)
    if not tokens:
        return None
    yearless = q.kind == QuantityKind.DATE and not any(t.like_num and len(t.text) == 4 for t in tokens)
    return _Unit(q.start, q.end, tokens, low, high, None, grain, quantity_in_words(q), parts=[(q.start, q.end)],
                 yearless=yearless)


def _weekday_unit(ctx: StoryContext, aid: str, token: Token, offset: int, weekday: int) -> _Unit:
    start = token.idx + offset
    end = start + len(token.text)
    own = ctx.articles[aid].date
    if own is None:  # the story's date may be days or weeks off for this article
        return _Unit(start, end, [token], -math.inf, math.inf, weekday, "weekday",
                     f"{token.text} (the article gives no date of its own)", resolved=True, parts=[(start, end)])
    day = own - dt.timedelta(days=(own.weekday() - weekday) % 7)
    ordinal = float(day.toordinal())
    return _Unit(start, end, [token], ordinal, ordinal, None, "weekday",
                 f"{token.text}: {_day_words(day)}, the last {_WEEKDAY_NAMES[weekday]} on or before the article's date",
                 resolved=True, parts=[(start, end)])


def _relative_unit(ctx: StoryContext, aid: str, tokens: list, offset: int, rel: _Relative) -> _Unit | None:
    """A date relative to the article's date.  Days ("yesterday") need the article's own
    date; years ("last year") are read against the story's date when it has none."""
    own = ctx.articles[aid].date
    ref = own or ctx.story_date
    if ref is None or (own is None and rel.years is None):
        return None
    start, end = tokens[0].idx + offset, tokens[-1].idx + len(tokens[-1].text) + offset
    words = " ".join(t.text for t in tokens)
    if rel.years is not None:
        slack = dt.timedelta(days=0 if own else ctx.config.date_undated_slack_days)
        first, last = (ref - slack).year + rel.years[0], (ref + slack).year + rel.years[1]
        try:
            low = float(dt.date(first, 1, 1).toordinal())
            high = float(dt.date(last, 12, 31).toordinal())
        except ValueError:
            return None
        reading = f"{words}: {first}" if first == last else f"{words}: {first}–{last}"
        if own is None:
            reading += " (read against the story's date)"
        return _Unit(start, end, list(tokens), low, high, None, "year", reading, resolved=True, parts=[(start, end)])
    assert rel.days is not None
    low, high = float(ref.toordinal() + rel.days[0]), float(ref.toordinal() + rel.days[1])
    first, last = dt.date.fromordinal(int(low)), dt.date.fromordinal(int(high))
    days = _day_words(first) if first == last else f"{_day_words(first)} – {_day_words(last)}"
    return _Unit(start, end, list(tokens), low, high, None, "relative", f"{words}: {days}", resolved=True,
                 parts=[(start, end)])


def _joined(a: _Unit, b: _Unit, text: str) -> bool:
    """Two dates that are one: "Monday, June 10", "Wednesday (May 14)", "tonight
    (May 12)": only punctuation between them, or one the other's appositive."""
    a, b = (a, b) if a.start <= b.start else (b, a)
    gap = text[a.end : b.start]
    if len(gap) <= 3 and not any(ch.isalnum() for ch in gap):
        return True
    inside_a, inside_b = {t.i for t in a.tokens}, {t.i for t in b.tokens}
    return any(t.dep_ == "appos" and t.head.i in inside_a for t in b.tokens) or any(
        t.dep_ == "appos" and t.head.i in inside_b for t in a.tokens
    )


def _merge(units: list[_Unit], text: str) -> list[_Unit]:
    """A weekday or relative word joined to a stated date is that date; when the weekday
    does not fit the date, the card says so."""
    weekdays = _vocabulary().weekdays
    stated = [u for u in units if u.grain in _STATED]
    loose = [u for u in units if u.grain not in _STATED]
    used: set[int] = set()
    for s in stated:
        for k, u in enumerate(loose):
            if k in used or not _joined(s, u, text):
                continue
            used.add(k)
            named = next((weekdays[t.lower_] for t in u.tokens if t.lower_ in weekdays), None)
            if named is not None and s.grain == "day":
                day = dt.date.fromordinal(int(s.low))
                if day.weekday() != named:
                    s.mismatch = (f"{day.day} {day:%B} {day.year} was a {_WEEKDAY_NAMES[day.weekday()]}, "
                                  f"not a {_WEEKDAY_NAMES[named]}")
            s.start, s.end = min(s.start, u.start), max(s.end, u.end)
            if "(" in text[s.start : s.end] and text[s.end : s.end + 1] == ")":
                s.end += 1  # "Friday (May 16)"
            s.tokens = sorted([*s.tokens, *u.tokens], key=lambda t: t.i)
            s.parts.extend(u.parts)
    return stated + [u for k, u in enumerate(loose) if k not in used]


def _date_quantities(ctx: StoryContext, aid: str) -> list[Quantity]:
    """The dates and years of an article's claims.  A date the claim cutter left out of
    every claim ("on May 16, 2025, the judge sentenced ...", where the year became a
    claim of its own) is read again from its sentence by the same figure reader: the
    sentences of claims where the parse sees a date no claim's figure covers."""
    claims = ctx.claims_by_article.get(aid, ())
    found = [q for c in claims for q in c.quantities if q.kind in (QuantityKind.DATE, QuantityKind.YEAR)]
    covered = [(q.start, q.end) for q in found]
    parsed = ctx.doc_of(aid)
    if parsed is None:
        return found
    doc, offset = parsed
    sentences = {c.sentence for c in claims}
    missed = set()
    for key, start, _ in _matcher(doc.vocab)(doc):
        if doc.vocab.strings[key] != "MONTH":
            continue
        at = doc[start].idx + offset
        if not any(s <= at < e for s, e in covered):
            missed.update(s for s in sentences if s.start <= at < s.end)
    article = ctx.articles[aid]
    ref = article.date or ctx.story_date
    for sentence in sorted(missed, key=lambda s: s.start):
        text = article.text[sentence.start : sentence.end]
        for q in parse_quantities(text, offset=sentence.start, ref_date=ref, hedges=ctx.config.hedges):
            if q.kind in (QuantityKind.DATE, QuantityKind.YEAR) and not any(
                q.start < e and s < q.end for s, e in covered
            ):
                found.append(q)
                covered.append((q.start, q.end))
    return found


@functools.lru_cache(maxsize=4)
def _matcher(vocab) -> PhraseMatcher:
    """Weekdays, relative words and month names, matched on lower-cased tokens (spaCy's
    PhraseMatcher)."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    words = _vocabulary()
    phrases = [(w,) for w in words.weekdays] + [r.words for r in words.relative]
    matcher = PhraseMatcher(vocab, attr="LOWER")
    matcher.add("DATE_WORDS", [Doc(vocab, words=list(p)) for p in phrases])
    matcher.add("MONTH", [Doc(vocab, words=[m]) for m in words.months])
    return matcher


def _units(ctx: StoryContext, aid: str) -> list[_Unit]:
    """Every date of an article, as written."""
    found = ctx.doc_of(aid)
    if found is None:
        return []
    doc, offset = found
    vocab = _vocabulary()
    units: list[_Unit] = []
    taken: set[int] = set()
    seen: set[tuple[int, int]] = set()
    for q in _date_quantities(ctx, aid):
        if (q.start, q.end) in seen:
            continue
        seen.add((q.start, q.end))
        unit = _quantity_unit(ctx, aid, q)
        if unit is not None:
            units.append(unit)
            taken.update(t.i for t in unit.tokens)
    words_key = doc.vocab.strings["DATE_WORDS"]
    matches = sorted((m for m in _matcher(doc.vocab)(doc) if m[0] == words_key), key=lambda m: (m[1], -m[2]))
    skip_to = 0
    for _, start, end in matches:
        window = doc[start:end]
        first = window[0]
        if start < skip_to or any(t.i in taken or t.ent_type_ not in ("", "DATE", "TIME") for t in window):
            continue  # "Good Friday Agreement": a name, not a date
        skip_to = end
        if len(window) == 1 and first.lower_ in vocab.weekdays:
            units.append(_weekday_unit(ctx, aid, first, offset, vocab.weekdays[first.lower_]))
            continue
        if not first.is_lower and not (first.is_sent_start and first.is_title):
            continue  # "USA TODAY"
        rel = vocab.relative_by_words[tuple(t.lower_ for t in window)]
        unit = _relative_unit(ctx, aid, list(window), offset, rel)
        if unit is not None:
            units.append(unit)
    return _merge(units, ctx.articles[aid].text)


def _year_before(unit: _Unit) -> None:
    """Move a date given without its year to the year before: what has happened lies
    before the article ("was ousted in December", read in September)."""
    try:
        low, high = dt.date.fromordinal(int(unit.low)), dt.date.fromordinal(int(unit.high))
        low, high = low.replace(year=low.year - 1), high.replace(year=high.year - 1)
    except ValueError:  # 29 February
        return
    unit.low, unit.high = float(low.toordinal()), float(high.toordinal())
    written = " ".join(t.text for t in unit.tokens)
    when = _day_words(low) if unit.grain == "day" else f"{low:%B %Y}"
    unit.reading = f"{written}: {when}, the last before the article's date"


def _is_dateline(tokens: Sequence[Token]) -> bool:
    """"PARIS, April 22: ..." / "LUBBOCK, Texas, Feb. 26 —": the date the story was
    filed, before the story begins, not the date of what it tells."""
    first, last = tokens[0], tokens[-1]
    doc = first.doc
    if last.i + 1 >= len(doc) or doc[last.i + 1].text not in _DATELINE_MARKS:
        return False
    return all(t.pos_ in ("PROPN", "PUNCT", "SPACE") or t.is_upper for t in doc[first.sent.start : first.i])


# --------------------------------------------------------------------------- what a date dates


@dataclass(frozen=True)
class _Anchor:
    verb: Token | None
    role: str | None  # None: a part that is never compared
    words: tuple[Token, ...]  # the tokens that name the event
    head: Token | None  # the first noun or verb above the date: its phrase is the evidence


def _is_preposition(t: Token) -> bool:
    return t.pos_ == "ADP" or (t.dep_ == "prep" and t.pos_ in ("SCONJ", "ADV"))


def _anchor(tokens: Sequence[Token]) -> _Anchor:
    """Climb the parse from the date to the verb it dates, noting the preposition that
    introduces it and the nouns on the way.  A date that modifies a noun without a
    preposition ("the 2019 attack", "his May arrest") is *attributive*; a possessive
    ("Saturday's vote") dates its noun's event as a point."""
    vocab = _vocabulary()
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    t = roots[0] if roots else tokens[0]
    prep: str | None = None
    attributive = crossed_noun = False
    first: Token | None = None
    words: list[Token] = []
    verb: Token | None = None
    for _ in range(_MAX_ANCHOR_STEPS):
        head = t.head
        if head.i == t.i:
            break
        if head.i in inside:
            t = head
            continue
        if _is_preposition(head) and not crossed_noun:
            if prep is None:
                prep = head.lower_
                before = head.doc[head.i - 1] if head.i > 0 else None
                if before is not None and before.pos_ == "NOUN" and before.head.i != head.i:
                    words.append(before)  # "his conviction in July", hung by the parser from another verb
        elif head.pos_ in ("NOUN", "PROPN") and head.lower_ not in vocab.weekdays and head.ent_type_ not in ("DATE", "TIME"):
            attributive = attributive or (not crossed_noun and prep is None and t.dep_ != "poss")
            crossed_noun = True
            first = first or head
            if head.pos_ == "NOUN":
                words.append(head)
        elif head.pos_ in ("VERB", "AUX") and head.dep_ != "amod":
            verb = head
            words.extend([head, *_light_objects(head)])
            break
        t = head
    role = "attributive" if attributive else vocab.roles.get(prep or "")
    if role == "point" and _is_benchmark(verb, words):
        role = None
    if verb is not None and _is_plan(verb):
        role = None
    return _Anchor(verb, role, tuple(words), first or verb)


def _light_objects(verb: Token) -> list[Token]:
    if verb.lemma_.lower() not in _vocabulary().light:
        return []
    return [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.pos_ == "NOUN"]


def _is_benchmark(verb: Token | None, words: Sequence[Token]) -> bool:
    """An event named as a yardstick ("the last time a ferry sank ... was in 2009",
    "its previous record in 2001", "the deadliest in 1999"): its date is another event's."""
    nouns = [w for w in words if w.pos_ == "NOUN"]
    if verb is not None:
        nouns += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "attr") and c.pos_ == "NOUN"]
    marks = _vocabulary().benchmark
    return any(
        c.dep_ in ("amod", "advmod", "det", "nummod") and (c.tag_ in ("JJS", "RBS") or c.lower_ in marks)
        for noun in nouns
        for c in noun.children
    )


def _is_plan(verb: Token) -> bool:
    """A date of what is planned, due or expected ("is due to be sentenced on June 30",
    "will resign tomorrow", "is set to vote on Monday")."""
    plan = _vocabulary().plan
    t = verb
    for _ in range(4):
        if t.lemma_.lower() in plan or any(c.dep_ in ("aux", "auxpass") and c.lower_ in plan for c in t.children):
            return True
        if t.dep_ not in ("xcomp", "acomp") or t.head.i == t.i:
            return False
        t = t.head
    return False


def _event_word(t: Token) -> str:
    """A token's lemma, or the phrase it makes with its particle or object when the
    vocabulary knows that phrase: "pass away", "shell out", "open fire"."""
    lemma = t.lemma_.lower()
    if t.pos_ in ("VERB", "AUX"):
        events = _vocabulary().events
        for child in t.children:
            if child.dep_ in ("prt", "advmod", "dobj") and f"{lemma} {child.lower_}" in events:
                return f"{lemma} {child.lower_}"
    return lemma


def _event_keys(tokens: Iterable[Token]) -> frozenset[str]:
    """The classes of the words that name an event, or their lemmas when they are in no
    class; words that say nothing on their own ("be", "have", "make") are left out."""
    vocab = _vocabulary()
    keys: set[str] = set()
    for t in tokens:
        word = _event_word(t)
        found = vocab.events.get(word) or vocab.events.get(t.lemma_.lower()) or vocab.events.get(t.lower_)
        if found:
            keys.update(found)
        elif t.is_alpha and not t.is_stop and t.lemma_.lower() not in vocab.light:
            keys.add(word)
    return frozenset(keys)


def _actors(verb: Token | None) -> frozenset[str]:
    """Name words of who did or underwent the event, not of their possessors or clauses:
    "the mayor's predecessor, Lena Morrow, was ousted" -> {lena, morrow}."""
    if verb is None:
        return frozenset()
    words: set[str] = set()
    stack = [c for c in verb.children if c.dep_ in _ACTOR_DEPS]
    while stack:
        t = stack.pop()
        if t.dep_ == "agent":
            stack.extend(c for c in t.children if c.dep_ == "pobj")
            continue
        if t.ent_type_ in _NAME_TYPES and t.is_alpha:
            words.add(t.lower_)
        stack.extend(c for c in t.children if c.dep_ in _ACTOR_PARTS)
    return frozenset(words)


def _clause(head: Token | None, date: Sequence[Token]) -> tuple[int, int] | None:
    """Document character range of the phrase the date belongs to ("posting its worst
    day since 1998", "a decline on Thursday"): the head's subtree without the other
    clauses hung from it, the date always inside."""
    if head is None:
        return None
    inside = {t.i for t in date}
    keep = [head, *date]
    for child in head.children:
        sub = list(child.subtree)
        if child.dep_ in _OTHER_CLAUSES and not inside & {t.i for t in sub}:
            continue
        keep.extend(sub)
    first = min(keep, key=lambda t: t.i)
    last = max(keep, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True)
class DateMention:
    """One date an article gives, what it dates, and the days it allows."""

    id: str
    article_id: str
    claim: Claim  # the claim of the event the date is about
    words: Span  # the date as written (a weekday and its date together)
    phrase: Span  # the event's phrase, shown as evidence
    text: str
    low: float  # first and last day it allows (proleptic ordinals; +-inf when open)
    high: float
    weekday: int | None  # a weekday the day must fall on
    grain: str  # "day", "month", "year", "weekday", "relative"
    role: str  # "point", "since" or "attributive"
    events: frozenset[str]  # classes or lemmas of what it dates
    claim_events: frozenset[str]  # the same for every content word of its claim
    actors: frozenset[str]  # name words of who did or underwent the event
    amounts: tuple[Quantity, ...]  # counts, sums and shares of its sentence
    reading: str  # how the days were read, for the card
    mismatch: str = ""  # "8 August 2025 was a Friday, not a Monday"
    context: str = ""  # the event's claim with the date masked
    resolved: bool = False  # read against an article's date (a weekday, "last year")

    def allows(self, day: int) -> bool:
        return self.low <= day <= self.high and (
            self.weekday is None or dt.date.fromordinal(day).weekday() == self.weekday
        )


def consistent(a: DateMention, b: DateMention) -> bool:
    """Whether one day can be both dates."""
    low, high = max(a.low, b.low), min(a.high, b.high)
    if low > high:
        return False
    weekdays = {w for w in (a.weekday, b.weekday) if w is not None}
    if not weekdays:
        return True
    if len(weekdays) == 2:
        return False
    if high - low >= 6:
        return True
    return any(a.allows(d) and b.allows(d) for d in range(int(low), int(high) + 1))


def _masked_context(ctx: StoryContext, claim: Claim, dates: Sequence[tuple[int, int]]) -> str:
    """The claim as written, its date words replaced by a mask: what two tellings of one
    event share once their dates are set aside."""
    text = ctx.articles[claim.article_id].text
    pieces = []
    for span in claim.spans:
        pos, out = span.start, []
        for start, end in sorted(dates):
            if start < span.end and pos < end:
                out.append(text[pos : max(pos, start)])
                out.append(_MASK)
                pos = max(pos, end)
        out.append(text[pos : span.end])
        pieces.append("".join(out))
    return " ".join(" ".join(pieces).split())


def _phrase(claim: Claim, unit: _Unit, anchor: _Anchor, offset: int) -> Span:
    """The event's phrase within the claim's sentence, else the claim."""
    found = _clause(anchor.head, unit.tokens)
    if found is not None:
        start = max(found[0] + offset, claim.sentence.start)
        end = min(found[1] + offset, claim.sentence.end)
        if end - start > unit.end - unit.start:
            return Span(min(start, unit.start), max(end, unit.end))
    return Span(min(claim.start, unit.start), max(claim.end, unit.end))


def read_date_mentions(ctx: StoryContext, article_id: str) -> list[DateMention]:
    """Every date of one article that says when an event happened."""
    found = ctx.doc_of(article_id)
    if found is None:
        return []
    offset = found[1]
    vocab = _vocabulary()
    ref = ctx.articles[article_id].date or ctx.story_date
    out: list[DateMention] = []
    for unit in _units(ctx, article_id):
        if _is_dateline(unit.tokens):
            continue
        anchor = _anchor(unit.tokens)
        verb = anchor.verb
        if anchor.role is None or (
            verb is not None and verb.lemma_.lower() in vocab.statement and not _light_objects(verb)
        ):
            continue
        if (unit.yearless and ref is not None and unit.low > ref.toordinal() and verb is not None
                and verb.tag_ in ("VBD", "VBN")):
            _year_before(unit)
        claim = ctx.claim_at(article_id, verb.idx + offset if verb is not None else unit.start)
        claim = claim or ctx.claim_at(article_id, unit.start)
        if claim is None:
            continue
        amounts = {
            (q.start, q.end): q
            for c in ctx.claims_by_article[article_id] if c.sentence == claim.sentence
            for q in c.quantities if q.kind in _AMOUNT_KINDS
        }
        events = _event_keys(anchor.words)
        out.append(
            DateMention(
                id=f"{article_id}@{unit.start}",
                article_id=article_id,
                claim=claim,
                words=Span(unit.start, unit.end),
                phrase=_phrase(claim, unit, anchor, offset),
                text=ctx.text(article_id, unit.start, unit.end),
                low=unit.low,
                high=unit.high,
                weekday=unit.weekday,
                grain=unit.grain,
                role=anchor.role,
                events=events,
                claim_events=events | _event_keys(ctx.tokens(article_id, claim.start, claim.end)),
                actors=_actors(verb),
                amounts=tuple(amounts.values()),
                reading=unit.reading,
                mismatch=unit.mismatch,
                context=_masked_context(ctx, claim, unit.parts),
                resolved=unit.resolved,
            )
        )
    return out


# --------------------------------------------------------------------------- one event


def _gap_days(a: DateMention, b: DateMention) -> float:
    return max(0.0, max(a.low, b.low) - min(a.high, b.high))


def _significant_digits(x: float) -> int:
    if float(x).is_integer():
        return len(str(int(abs(x))).rstrip("0"))
    return len(f"{abs(x):.6f}".rstrip("0").replace(".", "").lstrip("0"))


def _amounts(a: DateMention, b: DateMention) -> str | None:
    """"shared" when both sentences give one precise amount (unhedged, three significant
    digits or more: "4.84%", "£115m", "1,679 points"; round numbers meet by chance), a
    figure with and without its currency included; "apart" when they give amounts of
    one kind and none of them agree."""
    comparable = overlap = False
    for x in a.amounts:
        for y in b.amounts:
            same_kind = x.kind == y.kind and x.unit == y.unit
            if not (same_kind or {x.kind, y.kind} == {QuantityKind.COUNT, QuantityKind.MONEY}):
                continue
            if x.overlaps(y):
                if x.hedge is None and y.hedge is None and max(
                    _significant_digits(x.value), _significant_digits(y.value)
                ) >= 3:
                    return "shared"
                overlap = True
            comparable = comparable or same_kind
    return "apart" if comparable and not overlap else None


def _recurring(by_article: dict[str, list[DateMention]]) -> frozenset[str]:
    """Events one article itself dates on two different days ("fell 3% on Tuesday",
    "shed 5% on Wednesday"): in this story they happen more than once, so naming the same
    event does not make two dates one event."""
    out: set[str] = set()
    for mentions in by_article.values():
        for x, y in itertools.combinations(mentions, 2):
            if x.role == y.role and not consistent(x, y):
                out |= x.events & y.events
    return frozenset(out)


def _rules(
    ctx: StoryContext, a: DateMention, b: DateMention, recurring: frozenset[str]
) -> tuple[list[tuple[str, float, str]], str]:
    """The rules by which two dates may be of one event, each with the similarity it
    needs and what it rests on, strongest first; or none and why not.  Everything but
    the wording is read here, so only dates some rule may join are embedded."""
    cfg = ctx.config
    if a.role != b.role:
        return [], f"parts {a.role} / {b.role}"
    if _gap_days(a, b) > cfg.date_max_gap_days:
        return [], "years apart: two events"
    amounts = _amounts(a, b)
    if amounts == "apart":
        return [], "their amounts differ: two events"
    if a.actors and b.actors and not a.actors & b.actors:
        return [], f"done by {', '.join(sorted(a.actors))} / {', '.join(sorted(b.actors))}: two events"
    told = (a.events & b.claim_events) | (b.events & a.claim_events)  # each names the other's event
    rules: list[tuple[str, float, str]] = []
    group = ctx.group_of.get(a.claim.id)
    if group is not None and group == ctx.group_of.get(b.claim.id) and told:
        rules.append(("group", cfg.date_group_similarity, "one claim group"))
    if a.role == "attributive":
        return rules, "a date that says which event it is ('the July meeting') meets only in a claim group"
    shared = a.events & b.events
    if shared and shared <= recurring and amounts != "shared":
        return rules, f"{', '.join(sorted(shared))} happens more than once in this story"
    if shared or (amounts == "shared" and told):
        rules.append(("event", cfg.date_event_similarity, ", ".join(sorted(shared)) or "one amount"))
    if a.role == "since" and a.claim.subject_entity and a.claim.subject_entity == b.claim.subject_entity:
        rules.append(("holder", cfg.date_holder_similarity, "one holder's state"))
    if told:
        rules.append(("wording", cfg.date_context_similarity, "the wording"))
    return rules, f"events {sorted(a.events)} / {sorted(b.events)}"


def one_event(
    ctx: StoryContext, a: DateMention, b: DateMention, similarity: float, recurring: frozenset[str] = frozenset()
) -> tuple[str | None, str]:
    """Whether two dates are about one event (see the module docstring): the rule that
    says so ("group", "event", "holder", "wording") or None, and a line saying why."""
    rules, detail = _rules(ctx, a, b, recurring)
    return _decide(rules, detail, similarity)


def _decide(rules: Sequence[tuple[str, float, str]], detail: str, similarity: float) -> tuple[str | None, str]:
    for rule, threshold, basis in rules:
        if similarity >= threshold:
            return rule, f"{basis}, similarity {similarity:.2f}"
    if rules:
        return None, f"{detail}: similarity {similarity:.2f} under {min(t for _, t, _ in rules):.2f}"
    return None, detail


# how strongly each rule says two dates are of one event, for choosing what a card shows
_RULE_STRENGTH = {"group": 3, "event": 2, "holder": 1, "wording": 0}


@dataclass(frozen=True)
class _Pair:
    a: DateMention
    b: DateMention
    similarity: float
    why: str  # the rule that made them one event

    @property
    def strength(self) -> tuple[int, float]:
        return _RULE_STRENGTH[self.why], self.similarity


@register_detector(NAME, kinds=[DiscrepancyKind.DATE], label="Dates")
def detect_date_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """Two sources date one event on days that cannot be the same."""
    mentions = [m for aid in ctx.articles for m in read_date_mentions(ctx, aid)]
    if len({m.article_id for m in mentions}) < 2:
        return []
    by_article: dict[str, list[DateMention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    recurring = _recurring(by_article)
    rules = {
        (a.id, b.id): _rules(ctx, a, b, recurring)
        for a, b in itertools.combinations(mentions, 2) if a.article_id != b.article_id
    }
    # only dates some rule may join are embedded, in one call
    needed = sorted({i for key, (found, _) in rules.items() if found for i in key})
    index = {mid: k for k, mid in enumerate(needed)}
    by_id = {m.id: m for m in mentions}
    vectors = ctx.vectors([by_id[mid].context for mid in needed])
    sims = vectors @ vectors.T if needed else None

    def same(x: DateMention, y: DateMention) -> tuple[str | None, str]:
        found, detail = rules.get((x.id, y.id)) or rules[(y.id, x.id)]
        if not found:
            return None, detail
        return _decide(found, detail, float(sims[index[x.id], index[y.id]]))

    conflicts: list[_Pair] = []
    for a, b in itertools.combinations(mentions, 2):
        if a.article_id == b.article_id:
            continue
        why, detail = same(a, b)
        agree = consistent(a, b)
        if why is None:
            if ctx.tracing and not agree:
                ctx.refuse(NAME, "event", _spans(a, b), f"{a.text!r} vs {b.text!r}: {detail}")
            continue
        ctx.compared(NAME, (a.claim.id, b.claim.id), consistent=agree)
        if agree:
            continue
        echo = _echo(by_article[a.article_id], a, b, same) or _echo(by_article[b.article_id], b, a, same)
        if echo:
            if ctx.tracing:
                ctx.refuse(NAME, "echo", _spans(a, b), f"{a.text!r} vs {b.text!r}: {echo}")
            continue
        conflicts.append(_Pair(a, b, float(sims[index[a.id], index[b.id]]), why))
    return _discrepancies(ctx, conflicts)


def _echo(
    article: Sequence[DateMention], mine: DateMention, other: DateMention,
    same: Callable[[DateMention, DateMention], tuple[str | None, str]],
) -> str:
    """Whether ``mine``'s article also gives ``other``'s date, in the same sentence or
    for the same event: then it tells two events (two days of falls) or two stages ("the
    highest since 1994, before the merger in 1997") and does not contradict it."""
    for m in article:
        if m is mine or not consistent(m, other):
            continue
        if m.claim.sentence == mine.claim.sentence or same(m, other)[0] is not None:
            return f"{m.article_id} also gives {m.text!r}"
    return ""


def _spans(*mentions: DateMention) -> list[tuple[str, int, int]]:
    return [(m.article_id, m.phrase.start, m.phrase.end) for m in mentions]


# --------------------------------------------------------------------------- reporting


def _components(pairs: Sequence[_Pair]) -> list[list[_Pair]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a.id), find(p.b.id)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[_Pair]] = defaultdict(list)
    for p in pairs:
        groups[find(p.a.id)].append(p)
    return [groups[k] for k in sorted(groups)]


def _sides(pairs: Sequence[_Pair]) -> list[list[DateMention]]:
    """The dates of one event grouped into values that can be one day, the side told by
    the fewest articles first."""
    members = {m.id: m for p in pairs for m in (p.a, p.b)}
    sides: list[list[DateMention]] = []
    for m in sorted(members.values(), key=lambda m: (m.low, m.id)):
        for side in sides:
            if all(consistent(m, other) for other in side):
                side.append(m)
                break
        else:
            sides.append([m])
    return sorted(sides, key=lambda s: (len({m.article_id for m in s}), s[0].low, s[0].id))


def _evidence(ctx: StoryContext, m: DateMention) -> Evidence:
    detail = m.reading + (f"; {m.mismatch}" if m.mismatch else "")
    return ctx.span_evidence(m.claim, m.phrase, value=m.text, highlights=[m.words], detail=detail)


def _title(ctx: StoryContext, shown: Sequence[DateMention]) -> tuple[str, str]:
    """The card's title and subject: "Date of the sentencing: May 17, 2025 vs Friday
    (May 16)", "Since when (Ana Ruiz): 2009 vs 2011"."""
    values = " vs ".join(m.text for m in shown)
    if shown[0].role == "since":
        holder = ctx.names.get(shown[0].claim.subject_entity or "", "")
        return (f"Since when ({holder}): {values}" if holder else f"Since when: {values}"), holder
    vocab = _vocabulary()
    common = frozenset.intersection(*(m.events for m in shown))
    told = frozenset.intersection(*(m.claim_events for m in shown))
    for keys in (common, told & shown[0].events, common | told):
        named = sorted(k for k in keys if k in vocab.labels)
        if named:
            event = vocab.labels[named[0]]
            return f"Date of {event}: {values}", event
    return f"Dates differ: {values}", ""


def _discrepancies(ctx: StoryContext, conflicts: Sequence[_Pair]) -> list[Discrepancy]:
    out = []
    for component in _components(conflicts):
        sides = _sides(component)
        if len(sides) < 2:
            continue
        # one phrase per side: the rare side's best-matched date, and on each other side
        # the date most surely of the same event (a claim group before a shared event
        # word before wording alone), so the card sets the two tellings side by side
        none = (-1, -1.0)
        score = {(p.a.id, p.b.id): p.strength for p in component}
        score.update({(p.b.id, p.a.id): p.strength for p in component})
        others = [m for side in sides[1:] for m in side]
        first = max(sides[0], key=lambda m: (max(score.get((m.id, o.id), none) for o in others), m.id))
        shown = [first] + [max(side, key=lambda m: (score.get((first.id, m.id), none), m.id)) for side in sides[1:]]
        if len({m.article_id for m in shown}) < 2:
            continue
        # a second source of each other date, written exactly alike ("A says last year; B and
        # C say 2023"), as the figure and spelling cards do
        extra = []
        for side, rep in zip(sides[1:], shown[1:], strict=True):
            alike = sorted((m for m in side if m.article_id not in {rep.article_id, first.article_id}
                            and m.text.lower() == rep.text.lower()),
                           key=lambda m: (score.get((first.id, m.id), none), m.id), reverse=True)
            extra += alike[:1]
        stated_days = all(m.grain == "day" and not m.resolved for m in shown)
        severity = Severity.HIGH if stated_days or any(m.mismatch for m in shown) else Severity.MEDIUM
        title, subject = _title(ctx, shown)
        mismatch = "; ".join(m.mismatch for m in shown if m.mismatch)
        stated = "; ".join(f"{m.reading} ({m.article_id})" for m in shown)
        out.append(
            Discrepancy(
                id=stable_id(DiscrepancyKind.DATE, *sorted(f"{m.article_id}:{m.words.start}" for m in shown)),
                kind=DiscrepancyKind.DATE,
                severity=severity,
                score=max(p.similarity for p in component),
                explanation=f"{title} — {stated}: no day is both" + (f"; {mismatch}" if mismatch else ""),
                evidence=tuple(_evidence(ctx, m) for m in [*shown, *extra]),
                subject=subject,
                title=title,
            )
        )
    return out
