"""Figure slots: what each figure counts, what it is about, when, and who gives it.

A figure alone ("26") says nothing; two outlets disagree on a figure only when both
figures fill the same *slot*: the same measure (people killed, seats, a transfer fee, a
share of the vote) of the same thing (the attack, the party, the player), at the same
moment, stated as fact.  This stage reads each figure's slot from the article's one
spaCy parse, so detectors never re-read the raw text:

* **measure**: what is counted or measured, by lemma.  The noun the figure is the value
  of ("a turnout of 83%", "a £130m bid"), the noun it counts ("62 goals"), or what
  happened to what it counts ("26 people were killed", "injured individuals", "the
  bodies of 94 victims").  Words of one class in ``data/measures.yaml`` share a key
  (``dead``, ``injured``…); any other word is its own key;
* **holders**: the entities the figure hangs from in the parse: the name just before it
  ("AfD 152", "Goncalves, 20"), the subject of its verb ("Nike declined 12.1%"), a name
  compounded with or possessing the counted noun, the object of "for", "of" or "in";
* **qualifiers**: words that narrow the counted noun ("league goals", "confirmed cases");
* **time**: years, dates and weekdays attached to the figure in the parse, and other
  spans of time in its claim ("over two days");
* **scope**: reach words of ``data/scope.yaml`` in its claim ("statewide", "overall");
* **speaker**: who gives the figure when it is not the outlet ("police said",
  "according to the ministry");
* **successive**: worded as a count that moved ("rose to", "climbed to", "the latest");
* **context**: the figure's claim with the figure masked, for embedding.

The numeric detector (``claimcheck.detect.numeric``) lines figures up by these fields and
by the similarity of their contexts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from claimcheck.claims import (
    FUTURE_MODALS,
    OPINION_LEMMAS,
    PLEDGE_LEMMAS,
    PLEDGE_WITH_COMPLEMENT,
    PREDICTION_LEMMAS,
    PREDICTION_MODALS,
)
from claimcheck.data import load_data
from claimcheck.entities import fold_name
from claimcheck.models import Claim, EntityMention, Modality, Quantity, QuantityKind, SpeakerKind

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = ["Figure", "read_figures", "measure_class", "MASK"]

#: what replaces the figure in its context sentence before embedding
MASK = "N"

# Figures that set a scene rather than state an amount: compared by the date detector.
_SCENE_KINDS = frozenset({QuantityKind.DATE, QuantityKind.YEAR, QuantityKind.ORDINAL})

# Tokens that belong to how an amount is written, not to what it counts.
_AMOUNT_WORDS = frozenset(
    "% percent per cent pc million billion trillion thousand hundred dozen m bn mn k tn "
    "m. bn. point points pp".split()
)
# Verbs that say a figure moved; "rose to 329" is a later count, not a rival one.
_MOVED = frozenset("rise climb increase jump grow mount swell surge soar revise update raise".split())
_MOVED_AMOD = frozenset("latest updated revised new".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Light verbs whose object says what they mean: "lost their lives", "took part",
# "took to the streets".
_LIGHT_VERBS = frozenset("lose take make have suffer sustain give hold".split())
# Verbs that equate their subject with the figure: "turnout reached 84%", "the toll
# stood at 26", "the fee was £50m": the subject names the measure.
_VALUE_VERBS = frozenset("be reach total stand hit amount remain come rise climb fall drop".split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Modifiers that add to a count without narrowing what it counts: "another 25", "a further 15".
_NOT_QUALIFIERS = frozenset("another further other additional more some many several such same few".split())
# Between a name and its figure in a list or an appositive: "AfD 152", "AfD — 151", "Ruiz, 20", "AfD (152)".
_LIST_GAP = re.compile(r"[\s,:;—–(-]*")
_MAX_TIME_ARCS = 3
# Between a figure and its restatement in another unit: "72 km (45 miles)", "£116m ($156m)".
_CONVERSION_GAP = re.compile(r"\s*(?:[A-Za-z]{1,12}\.?)?\s*\(\s*")  # a year or weekday this close to a figure in the parse dates it


@dataclass(frozen=True)
class Figure:
    """One figure of one claim and the slot it fills (see the module docstring)."""

    id: str  # "<claim id>/<index of the quantity in the claim>"
    claim_id: str
    article_id: str
    quantity: Quantity
    measure: str | None  # class key or lemma: "dead", "goal", "turnout", "fee"
    measure_words: tuple[str, ...]  # lemmas of the counted phrase, for the report's words
    predicate: str | None  # lemma of the verb the figure hangs from
    holders: tuple[str, ...]  # entity ids (or "name:<folded>") whose figure it is
    years: tuple[int, ...]  # years attached to the figure
    days: tuple[str, ...]  # weekdays and dates attached to the figure
    speaker: str | None  # the named source that gives the figure, if not the outlet
    modality: Modality
    successive: bool
    context: str  # the claim's text, the figure replaced by MASK
    qualifiers: tuple[str, ...] = ()  # what narrows the counted noun: "league" goals, "confirmed" cases
    periods: tuple[str, ...] = ()  # spans of time the claim gives: "2 days", "12 hours"
    scope: tuple[str, ...] = ()  # stated reach: "area:statewide", "span:cumulative"
    lemmas: frozenset[str] = frozenset()  # content lemmas of the figure's claim
    parts: tuple[str, ...] = ()  # the part of a contest its sentence names: "first", "runoff"
    participants: tuple[str, ...] = ()  # others its clause names (agents, places): never keep apart
    change: bool = False  # a change, not a level: "+4.4%", "up 3 points", "fell by 5%"
    noun: str | None = None  # the noun it counts, is the value of, or is a share of: "goal", "fee", "vote"
    topic: str = ""  # what it is for, as written: "for road repairs", "of the vote"

    @property
    def kind(self) -> tuple[str, str]:
        return self.quantity.kind.value, self.quantity.unit


# --------------------------------------------------------------------------- word data


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], frozenset[str]]:
    data = load_data("measures.yaml")
    classes: dict[str, str] = {}
    for name, entry in data["classes"].items():
        for word in entry["words"]:
            classes.setdefault(str(word).lower(), name)
    return classes, frozenset(str(w).lower() for w in data["generic_counted"]["words"])


@functools.lru_cache(maxsize=1)
def _scope_words() -> dict[str, str]:
    data = load_data("scope.yaml")
    return {str(w).lower(): group for group, entry in data["groups"].items() for w in entry["words"]}


@functools.lru_cache(maxsize=1)
def _contest_words() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    data = load_data("contests.yaml")
    ordinals = {str(w): name for name, forms in data["ordinals"].items() for w in forms}
    return frozenset(data["event_nouns"]["words"]), ordinals, frozenset(data["runoff"])


def contest_parts(tokens: Iterable[Token]) -> tuple[str, ...]:
    """Which part of a multi-part contest some words name ("In the first round", "the
    run-off"): an ordinal modifying an event noun, or a run-off word."""
    nouns, ordinals, runoff = _contest_words()
    parts = set()
    for t in tokens:
        word, lemma = t.lower_, t.lemma_.lower()
        if word in runoff or lemma in runoff:
            parts.add("runoff")
        elif word in ordinals and t.head.lemma_.lower() in nouns:
            name = ordinals[word]
            # a two-round election's second round is its run-off
            parts.add("runoff" if name == "second" and t.head.lemma_.lower() == "round" else name)
    return tuple(sorted(parts))


@functools.lru_cache(maxsize=1)
def _having_verbs() -> frozenset[str]:
    return frozenset(str(w) for w in load_data("measures.yaml")["having_verbs"]["words"])


@functools.lru_cache(maxsize=1)
def _amount_nouns() -> frozenset[str]:
    return frozenset(str(w) for w in load_data("measures.yaml")["amount_nouns"]["words"])


def measure_class(lemma: str | None) -> str | None:
    """The measures.yaml class of a lemma, if it has one."""
    if not lemma:
        return None
    return _lexicon()[0].get(lemma.lower())


def is_generic_count_noun(lemma: str) -> bool:
    """A noun that counts people without saying what happened to them."""
    return lemma.lower() in _lexicon()[1]


# --------------------------------------------------------------------------- reading


def read_figures(
    claims: Sequence[Claim], doc: Doc, *, offset: int = 0, date: dt.date | None = None
) -> list[Figure]:
    """The slots of every amount in an article's claims.

    ``doc`` is the parse of the article text from ``offset`` on (claims carry article
    offsets, and their mentions carry linked entity ids); ``date``, the article's, resolves
    a weekday ("on Saturday") to the day it names, so it meets "March 15".
    """
    out: list[Figure] = []
    ordered = sorted({(q.start, q.end): q for c in claims for q in c.quantities}.values(), key=lambda q: q.start)
    conversions = {
        (q.start, q.end) for before, q in zip(ordered, ordered[1:]) if _is_conversion(before, q, doc.text, offset)
    }
    # a figure stated once is read once, in the tightest claim that holds it (claims of
    # one sentence may share words: a shared subject, a list's frame)
    home: dict[tuple[int, int], str] = {}
    for claim in sorted(claims, key=lambda c: (sum(len(s) for s in c.spans), c.start)):
        for q in claim.quantities:
            home.setdefault((q.start, q.end), claim.id)
    for claim in claims:
        mentions = sorted((m for m in claim.entities if m.entity_id), key=lambda m: m.start)
        for index, q in enumerate(claim.quantities):
            if q.kind in _SCENE_KINDS or (q.start, q.end) in conversions or home[(q.start, q.end)] != claim.id:
                continue
            figure = _read_one(claim, index, q, doc, offset, mentions, date)
            if figure is None:
                continue
            before = out[-1] if out and out[-1].claim_id == claim.id else None
            if (figure.measure is None and before is not None and before.kind == figure.kind
                    and before.predicate == figure.predicate):
                # "Ruiz took 27% of the vote and Lund about 24%": the gapped figure is
                # of the same measure as the one before it
                figure = replace(figure, measure=before.measure, measure_words=before.measure_words)
            out.append(figure)
    return out


def _is_conversion(previous: Quantity, q: Quantity, text: str, offset: int) -> bool:
    """A figure restated in another unit right after it: "72 km (45 miles)", "£116m
    ($156m)".  The conversion's rounding is not the source's figure."""
    gap = text[previous.end - offset : q.start - offset]
    return _CONVERSION_GAP.fullmatch(gap) is not None


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(max(0, start), min(len(doc.text), end), alignment_mode="expand")
    return list(span) if span is not None else []


def _root(tokens: Sequence[Token]) -> Token | None:
    """The token of the figure whose head lies outside it (the last such)."""
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    return roots[-1] if roots else None


def _is_amount_token(t: Token) -> bool:
    return (
        t.like_num
        or t.pos_ in ("NUM", "SYM")
        or t.lower_ in _AMOUNT_WORDS
        or t.lemma_.lower() in _AMOUNT_WORDS
        or any(ch.isdigit() for ch in t.text)  # "130million", "R2.8"
    )


def _is_name(t: Token) -> bool:
    """A name, whatever the tagger says: a proper noun, an entity, or a word written with
    capitals inside it ("AfD", "SPD", "McLaren")."""
    lemma = t.lemma_.lower()
    if is_generic_count_noun(lemma) or measure_class(lemma):
        return False  # "MPs", "CEOs": acronyms of common nouns
    return (
        t.pos_ == "PROPN"
        or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
        or (t.is_alpha and any(ch.isupper() for ch in t.text[1:]))
    )


def _of_object(t: Token) -> Token | None:
    for child in t.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


@dataclass
class _Parts:
    """The parse around one figure."""

    root: Token
    inside: set[int]
    counted: Token | None = None  # the noun the figure counts ("62 goals")
    value_of: Token | None = None  # the noun the figure is the value of ("a fee of £50m")
    base: Token | None = None  # what a share is of ("28.5% of the vote", "82.5% of voters")
    verb: Token | None = None


def _parts(root: Token, inside: set[int], money_or_share: bool = False) -> _Parts:
    p = _Parts(root, inside)
    first = root.doc[min(inside)]
    before = root.doc[first.i - 1] if first.i > 0 else None
    head = root.head
    if (before is not None and before.pos_ == "NOUN" and before.dep_ in ("compound", "nmod")
            and before.head.i == head.i and head.i not in inside):
        p.counted = before  # "a magnitude 6.7 quake": the noun before the figure is what it measures
    elif not _is_amount_token(root) and root.pos_ in ("NOUN", "PROPN") and not money_or_share:
        p.counted = root  # the figure ends in its own noun: "four minutes", "12-hour"
    elif (root.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod", "det", "npadvmod")
          and head.i not in inside and head.pos_ in ("NOUN", "PROPN") and not _is_amount_token(head)):
        p.counted = head  # "25 MPs", "164-page", "94 confirmed deaths"
    else:
        of = _of_object(root)
        if of is not None:
            p.base = of  # "28.5% of the vote", "three dozen of them"
        elif root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
            p.value_of = head.head  # "a turnout of 83.5%", "a fee of £125 million"
        elif root.dep_ in ("amod", "npadvmod") and head.lower_ == "worth" and head.head.pos_ == "NOUN":
            p.value_of = head.head  # "a deal worth £116 million"
        else:
            p.value_of = _brought_to(root)  # "took summer spending to just shy of £450m"
    if p.counted is not None and _is_name(p.counted):
        p.counted = None  # "AfD 152": the name holds the figure, it is not what is counted
    p.verb = _predicate(p.counted or p.value_of or root)
    if p.value_of is None and p.counted is None and p.verb is not None and p.verb.lemma_.lower() in _VALUE_VERBS:
        for child in p.verb.children:  # "Turnout reached 84%", "the fee was £50m"
            if child.dep_ in _SUBJECT_DEPS and child.pos_ in ("NOUN", "PROPN") and not _is_amount_token(child):
                if measure_class(child.lemma_.lower()) or child.pos_ == "NOUN":
                    p.value_of = child
    return p


_BRING_PREPS = frozenset("to beyond past above over toward towards".split())


def _brought_to(root: Token) -> Token | None:
    """"The deal takes Liverpool's spending to £455.5m", "pushed the toll to 26": a
    figure that is where a verb brings its object, the object is what it measures.
    Hedge words in between ("to just shy of £450m") are stepped over."""
    t = root
    for _ in range(4):
        head = t.head
        if head.i == t.i:
            return None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in _BRING_PREPS and head.head.pos_ in ("VERB", "AUX"):
                for child in head.head.children:
                    if child.dep_ == "dobj" and child.pos_ == "NOUN":
                        return child
                return None
            if head.lower_ not in ("of", "than"):
                return None
        elif head.pos_ not in ("ADJ", "ADV"):
            return None
        t = head
    return None


def _predicate(t: Token) -> Token | None:
    """The verb a noun phrase hangs from (its own clause's verb)."""
    for step in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ != "amod":
            return t
        if step == 0:  # "15 MPs abstained" parsed with the noun as root and the verb as its clause
            for child in t.children:
                if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB" and child.i > t.i:
                    return child
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _light_object(verb: Token) -> str | None:
    """What a light verb means by its object: "lose" + "lives", "take" + "part"/"streets"."""
    if verb.lemma_.lower() not in _LIGHT_VERBS:
        return None
    for child in verb.children:
        if child.dep_ in ("dobj", "prt") and child.pos_ in ("NOUN", "ADP", "ADV"):
            return child.lemma_.lower()
        if child.dep_ == "prep":  # "took to the streets"
            for g in child.children:
                if g.dep_ == "pobj" and g.pos_ == "NOUN":
                    return g.lemma_.lower()
    return None


def _measure(p: _Parts) -> tuple[str | None, tuple[str, ...]]:
    """The measure key and the words that say it.

    What the figure is the value of ("a turnout of") says it first, then a class word
    of the counted noun ("15 fatalities"), then what happened to what it counts (an
    adjective, the noun owning it, a light verb's object, the verb: "injured
    individuals", "the bodies of 94 victims", "lost their lives", "were killed"), then
    the counted noun itself ("62 goals").  A share of a population ("82.5% of voters
    participated") is measured by what the population did; a share of a thing ("28.5%
    of the vote") by the thing.
    """
    if p.value_of is not None:
        lemma = p.value_of.lemma_.lower()
        of = _of_object(p.value_of) if lemma in _amount_nouns() else None
        if of is not None and of.i in p.inside:
            of = None  # "a total of £116 million": the "of" object is the figure itself
        if of is not None:  # "the proportion of votes was 28.6%", "the number of injured rose to 329"
            inner = of.lemma_.lower()
            return measure_class(inner) or inner, (lemma, inner)
        if lemma in _amount_nouns():  # "the US tariff rate", "the death toll level": the noun before says what
            kinds = [c for c in p.value_of.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
            if kinds:
                inner = kinds[-1].lemma_.lower()
                return measure_class(inner) or inner, (inner, lemma)
        return measure_class(lemma) or lemma, (lemma,)
    words: list[str] = []
    candidates: list[str] = []
    noun = p.counted or p.base
    if p.base is not None:
        # "95% of ballots counted", "82.5% of voters participated": a share of a
        # population is measured by what that share did, when the words say it
        did = [c for c in p.base.children if c.dep_ in ("acl", "relcl", "amod") and c.pos_ == "VERB"]
        for verb in did:
            lemma = verb.lemma_.lower()
            return measure_class(lemma) or f"{p.base.lemma_.lower()} {lemma}", (p.base.lemma_.lower(), lemma)
        if p.verb is not None and measure_class(p.verb.lemma_.lower()):
            return measure_class(p.verb.lemma_.lower()), (p.base.lemma_.lower(), p.verb.lemma_.lower())
    if noun is not None:
        lemma = noun.lemma_.lower()
        modifiers = [c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i]
        words.extend([*modifiers, lemma])
        if measure_class(lemma):
            return measure_class(lemma), tuple(words)
        candidates.extend(modifiers)
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
            candidates.append(noun.head.head.lemma_.lower())  # "the bodies of 94 victims"
        for child in noun.children:
            if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
                candidates.append(child.lemma_.lower())
    if p.verb is not None:
        light = _light_object(p.verb)
        if light:
            candidates.append(light)
            words.append(f"{p.verb.lemma_.lower()} {light}")
        candidates.append(p.verb.lemma_.lower())
        # "four men are believed to have carried out": the verb below the reporting one
        candidates.extend(c.lemma_.lower() for c in p.verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB")
        if noun is None or is_generic_count_noun(noun.lemma_.lower()) or p.base is not None:
            words.append(p.verb.lemma_.lower())
    if noun is not None and not is_generic_count_noun(noun.lemma_.lower()):
        # a thing counted keeps its own name: "a 6.8 earthquake killed" measures the quake
        return noun.lemma_.lower(), tuple(words)
    for c in candidates:
        cls = measure_class(c)
        if cls:  # "750 girls attending" and "23 girls missing" are two counts
            return cls, tuple(words)
    if noun is None and p.verb is not None:
        # "Of the fatalities, 87 occurred in Kerr County": the set the figure is taken from
        for child in p.verb.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for g in child.children:
                    if g.dep_ == "pobj" and measure_class(g.lemma_.lower()):
                        return measure_class(g.lemma_.lower()), (g.lemma_.lower(),)
    if p.root is not None and noun is None:
        # "$2.48 trillion in lost value": a sum "in" what it is counted as
        for child in p.root.children:
            if child.dep_ == "prep" and child.lower_ == "in" and child.i not in p.inside:
                for g in child.children:
                    if g.dep_ == "pobj" and g.pos_ == "NOUN":
                        return measure_class(g.lemma_.lower()) or g.lemma_.lower(), (g.lemma_.lower(),)
    return None, tuple(words)


def _holder_tokens(p: _Parts) -> tuple[list[Token], list[Token]]:
    """Tokens that say whose figure it is, and tokens of others taking part.

    The owner: a name compounded with or possessing the counted noun ("Nike's 12%",
    "the AfD's seats"), the object of "of"/"for" next to it ("the fee for Ana Ruiz"), the
    subject of a verb that gives its subject the figure ("Nike declined 12.1%", "Ruiz
    won 54%", "the striker scored 62 goals").  Others taking part: the subject and
    object of any other verb ("Newcastle accepted a £130m bid"), places and bodies in
    "in", "at", "by", "on" phrases.  Only owners keep two figures apart; a participant
    in common only makes them more alike.
    """
    owners: list[Token] = []
    others: list[Token] = []
    anchors = [t for t in (p.counted, p.value_of, p.root) if t is not None]
    for a in anchors:
        for child in a.children:
            if child.i in p.inside:
                continue
            if child.dep_ in ("compound", "poss", "nmod") and child.pos_ in ("PROPN", "NOUN", "PRON"):
                owners.append(child)
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                owners.extend(g for g in child.children if g.dep_ == "pobj")
            elif child.dep_ == "prep" and child.lower_ in ("in", "at", "by", "on"):
                others.extend(g for g in child.children if g.dep_ == "pobj")
    if p.verb is not None:
        having = p.verb.lemma_.lower() in _having_verbs()
        for child in p.verb.children:
            if any(child.i == a.i for a in anchors):
                continue
            if child.dep_ in _SUBJECT_DEPS:
                (owners if having else others).append(child)
            elif child.dep_ == "dobj":
                others.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("in", "for", "at", "of"):
                others.extend(g for g in child.children if g.dep_ == "pobj")
    return owners, others


def _entities_at(tokens: Iterable[Token], mentions: Sequence[EntityMention], offset: int) -> list[str]:
    """The linked entities at some tokens; a proper noun no mention covers (the small
    tagger misses many names) is kept by its folded name, "name:<folded>"."""
    found: list[str] = []
    for t in tokens:
        # the token, or the words compounded into it ("Kerr County" -> County)
        parts = [t, *(c for c in t.children if c.dep_ in ("compound", "flat"))]
        linked = False
        for part in parts:
            start = part.idx + offset
            for m in mentions:
                if m.start <= start < m.end:
                    linked = True
                    if m.entity_id not in found:
                        found.append(m.entity_id)
        if not linked and t.pos_ == "PROPN":
            words = sorted((c for c in parts if c.pos_ == "PROPN"), key=lambda c: c.i)
            key = f"name:{fold_name(' '.join(w.text for w in words))}"
            if key != "name:" and key not in found:
                found.append(key)
    return found


def _adjacent_name(q: Quantity, mentions: Sequence[EntityMention], doc: Doc, offset: int) -> str | None:
    """The name a figure directly follows in a list or an appositive: "AfD 152",
    "AfD — 151", "Goncalves, 20", "AfD (152)".  A name the tagger did not mark is read
    from the parse: the proper nouns just before the figure ("name:<folded>")."""
    text = doc.text
    for m in reversed(mentions):
        if m.end <= q.start:
            gap = text[m.end - offset : q.start - offset]
            if len(gap) <= 4 and _LIST_GAP.fullmatch(gap):
                return m.entity_id
            break
    first = _tokens(doc, q.start - offset, q.end - offset)
    if not first:
        return None
    k = first[0].i - 1
    while k >= 0 and doc[k].is_punct and doc[k].text in ",:;—–-(" and first[0].i - k <= 2:
        k -= 1
    words = []
    while k >= 0 and doc[k].pos_ == "PROPN" and len(words) < 4:
        words.insert(0, doc[k].text)
        k -= 1
    if not words or not _LIST_GAP.fullmatch(text[doc[k + len(words)].idx + len(doc[k + len(words)].text) : q.start - offset]):
        return None
    return f"name:{fold_name(' '.join(words))}"


def _age_holder(q: Quantity, mentions: Sequence[EntityMention], doc: Doc, offset: int) -> tuple[str, ...]:
    """Whose age: the name it follows ("Ana Ruiz, 20,") or the name the "20-year-old"
    phrase leads to ("the 20-year-old student Ana Ruiz")."""
    named = _adjacent_name(q, mentions, doc, offset)
    if named:
        return (named,)
    tokens = _tokens(doc, q.start - offset, q.end - offset)
    root = _root(tokens)
    if root is None:
        return ()
    # "the 21-year-old victim Kaylee Goncalves": the phrase the age modifies holds the
    # name, as its head or in apposition or compound with it
    head = root.head
    near = {head.i, *(c.i for c in head.children if c.dep_ in ("appos", "compound", "flat"))}
    if head.head.i != head.i and head.dep_ in ("appos", "compound"):
        near.add(head.head.i)
    for m in mentions:
        covered = {t.i for t in _tokens(doc, m.start - offset, m.end - offset)}
        if m.start >= q.end and covered & near:
            return (m.entity_id,)
    return ()


_WEEKDAY_INDEX = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}


def _weekday(name: str, date: dt.date | None) -> str:
    """A weekday as the day it names: the last such day on or before the article's date,
    written as a date interval is (so "on Saturday" meets "March 15"); the name alone when
    the article has no date."""
    if date is None:
        return name
    back = (date.weekday() - _WEEKDAY_INDEX[name]) % 7
    day = date - dt.timedelta(days=back)
    return f"[{day.isoformat()}]"


def _arcs(a: Token, b: Token) -> int:
    """Dependency arcs between two tokens of one sentence."""
    up_a = [a, *a.ancestors]
    depth = {t.i: k for k, t in enumerate(up_a)}
    for k, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return k + depth[t.i]
    return 99


def _times(
    claim: Claim, q: Quantity, p: _Parts, doc: Doc, offset: int, date: dt.date | None = None
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Years, dates and weekdays attached to the figure in the parse: "in 1960 a
    magnitude 6.7 quake", "fell 5.5% on Friday"; a year that dates something else in the
    sentence ("+4.4% compared to 2021") is not the figure's."""
    anchor = p.verb or p.root
    years: set[int] = set()
    days: set[str] = set()
    for other in claim.quantities:
        if other is q or other.kind not in (QuantityKind.YEAR, QuantityKind.DATE):
            continue
        tokens = _tokens(doc, other.start - offset, other.end - offset)
        t = _root(tokens)
        if t is None or min(_arcs(t, p.root), _arcs(t, anchor)) > _MAX_TIME_ARCS:
            continue
        if other.kind == QuantityKind.YEAR and other.low == other.high:
            years.add(int(other.low))
        elif other.kind == QuantityKind.DATE:
            days.add(other.interval())
    for t in p.root.sent:
        if t.lower_ in _WEEKDAYS and min(_arcs(t, p.root), _arcs(t, anchor)) <= _MAX_TIME_ARCS:
            days.add(_weekday(t.lower_, date))
    return tuple(sorted(years)), tuple(sorted(days))


_ATTRIBUTION_RE = re.compile(r"\b(?:according to|citing|cited by)\s+((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)")


def _speaker(claim: Claim, sentence: str) -> str | None:
    if claim.speaker.kind != SpeakerKind.OUTLET:
        return claim.speaker.name
    m = _ATTRIBUTION_RE.search(sentence)
    return m.group(1) if m else None


def _moved(p: _Parts) -> bool:
    if p.verb is not None and p.verb.lemma_.lower() in _MOVED:
        # "the number of injured had risen to 329", "the toll climbed to 2,012"
        return any(c.dep_ == "prep" and c.lower_ in ("to", "from") for c in p.verb.children) or p.root.head.lower_ == "to"
    for t in (p.counted, p.value_of, p.root):
        if t is not None and any(c.lemma_.lower() in _MOVED_AMOD for c in t.children if c.dep_ == "amod"):
            return True
    return False


def _qualifiers(p: _Parts) -> tuple[str, ...]:
    noun = p.counted  # a share's base ("of the eligible voters") is not what it measures
    if noun is None:
        return ()
    return tuple(
        c.lemma_.lower() for c in noun.children
        if c.dep_ in ("amod", "compound") and c.i < noun.i and c.i not in p.inside
        and c.is_alpha and not _is_name(c) and c.lemma_.lower() not in _NOT_QUALIFIERS
    )


# Dependents that open a clause of their own: the figure's clause stops at them.
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "acl", "xcomp"})


def _clause_tokens(p: _Parts) -> set[int]:
    """The figure's own clause: its verb and what hangs from it, less the clauses of
    their own that hang from it."""
    head = p.verb or p.root
    keep: set[int] = set()
    stack = [head]
    while stack:
        t = stack.pop()
        keep.add(t.i)
        for c in t.children:
            if c.dep_ in _CLAUSE_DEPS and c.pos_ in ("VERB", "AUX") and not any(x.i in p.inside for x in c.subtree):
                continue
            stack.append(c)
    return keep | p.inside


def _clause_context(p: _Parts) -> str:
    """The figure's own clause with the figure masked ("Turnout in the election reached
    N", not the whole sentence around it).  What the embedding of a figure compares."""
    keep = _clause_tokens(p)
    words: list[str] = []
    masked = False
    for t in p.root.doc[min(keep) : max(keep) + 1]:
        if t.i not in keep or t.is_space:
            continue
        if t.i in p.inside:
            if not masked:
                words.append(MASK)
                masked = True
            continue
        words.append(t.text)
    return " ".join(words)


_MIN_CONTEXT_WORDS = 6


def _context(p: _Parts, claim: Claim, q: Quantity) -> str:
    """The figure's clause, masked; a clause of a few words ("while N others were
    injured") says too little to compare, so the whole claim stands in for it."""
    clause = _clause_context(p)
    if len(clause.split()) >= _MIN_CONTEXT_WORDS:
        return clause
    return claim.text.replace(q.text, MASK, 1) if q.text in claim.text else claim.text


def _topic(p: _Parts) -> str:
    """The words that say what a figure is for or of ("$85 million for road repairs",
    "a fee of £50m for the striker"), at most a few words, from the parse."""
    heads = [t for t in (p.value_of, p.counted, p.base, p.root) if t is not None]
    if p.verb is not None and p.root.dep_ in ("dobj", "attr"):
        heads.append(p.verb)
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "on", "of") and child.i not in p.inside:
                words = list(child.subtree)
                if any(w.i in p.inside for w in words) or len(words) > 6:
                    continue
                return " ".join(w.text for w in words)
    return ""


_BASE_PREPS = frozenset("in over across during from within".split())


def _periods(claim: Claim, q: Quantity, p: _Parts, doc: Doc, offset: int) -> tuple[str, ...]:
    """What the figure is counted over: spans of time in its claim ("over two days"), and
    a count it is given against ("62 goals in 109 appearances", "34 goals in two
    seasons") -- a tally over 109 games is not a tally over two seasons."""
    out: set[str] = set()
    for o in claim.quantities:
        if o is q:
            continue
        if o.kind == QuantityKind.DURATION:
            out.add(f"{o.value:g} {o.unit}")
            continue
        if o.kind != QuantityKind.COUNT:
            continue
        t = _root(_tokens(doc, o.start - offset, o.end - offset))
        if t is None:
            continue
        noun = t.head if t.dep_ in ("nummod", "quantmod", "compound") else t
        prep = noun.head
        heads = {x.i for x in (p.verb, p.counted, p.root) if x is not None}
        if p.counted is not None:  # "57 goals and 65 assists in 197 appearances": shared by the conjuncts
            heads |= {c.i for c in p.counted.children if c.dep_ == "conj"}
        if prep.lower_ in _BASE_PREPS and prep.head.i in heads:
            out.add(f"{noun.lemma_.lower()}:{o.value:g}")
    return tuple(sorted(out))


def _is_change(q: Quantity, p: _Parts, text: str, offset: int) -> bool:
    """A figure that states a change rather than a level: signed ("+4.4%", "-2.1 points"),
    "up/down 3 points", "by 5%" after a verb of moving, or "compared to/with" after it."""
    before = text[max(0, q.start - offset - 2) : q.start - offset].strip()
    if before.endswith(("+", "−", "–")) or (before.endswith("-") and not before[:-1].strip()[-1:].isalnum()):
        return True
    head = p.root.head
    if head.lower_ == "by" and head.head.lemma_.lower() in _MOVED | _CHANGE_VERBS:
        return True
    if any(c.lower_ in ("up", "down") and c.dep_ == "advmod" for c in p.root.children):
        return True
    after = text[q.end - offset : q.end - offset + 20].lower()
    return after.lstrip(" )").startswith(("compared to", "compared with", "from a year", "year-on-year"))


_CHANGE_VERBS = frozenset("fall drop decline sink shed lose gain add slip slide tumble plunge".split())


def _modality(claim: Claim, p: _Parts) -> Modality:
    """The claim's modality, unless the figure's own clause carries none of its cues: in
    "the manager had wanted two strikers and succeeded, signing Wissa for £50m" the want
    is a plan, the £50m a fact; in "in a tragic turn of events, 26 people died" the
    judgement is the outlet's, the toll a fact.  The clause is followed up from the figure's verb through
    its complements, not across a coordinated verb (a separate statement)."""
    if claim.modality == Modality.FACT:
        return claim.modality
    # "In a tragic turn of events, 26 people lost their lives": a judging word around a
    # count does not make the count an opinion
    cues = PLEDGE_LEMMAS | PLEDGE_WITH_COMPLEMENT | PREDICTION_LEMMAS | OPINION_LEMMAS
    modals = PREDICTION_MODALS | FUTURE_MODALS
    t = p.verb or p.root
    for _ in range(10):
        if t.lemma_.lower() in cues or any(c.dep_ == "aux" and c.lower_ in modals for c in t.children):
            return claim.modality
        if t.dep_ in ("conj", "ROOT") or t.head.i == t.i:
            break
        t = t.head
    return Modality.FACT


def _read_one(
    claim: Claim, index: int, q: Quantity, doc: Doc, offset: int, mentions: Sequence[EntityMention],
    date: dt.date | None = None,
) -> Figure | None:
    tokens = _tokens(doc, q.start - offset, q.end - offset)
    root = _root(tokens)
    if root is None:
        return None
    p = _parts(root, {t.i for t in tokens}, q.kind in (QuantityKind.MONEY, QuantityKind.PERCENT))
    participants: tuple[str, ...] = ()
    if q.kind == QuantityKind.AGE:
        measure, words = "age", ("age",)
        holders = _age_holder(q, mentions, doc, offset)
    else:
        measure, words = _measure(p)
        if measure is None and q.measure and p.counted is None and p.base is None:
            word = q.measure.split()[-1].lower()  # a noun after it that the parse did not attach
            if not is_generic_count_noun(word.rstrip("s")):
                measure = measure_class(word) or word
        adjacent = _adjacent_name(q, mentions, doc, offset)
        owner_tokens, other_tokens = _holder_tokens(p)
        # only words of the claim itself: a heading the parser ran into the sentence
        # ("Context And Stakes / In the first round, ...") holds nothing
        within = [(sp.start - offset, sp.end - offset) for sp in claim.spans]
        owner_tokens = [t for t in owner_tokens if any(a <= t.idx < b for a, b in within)]
        other_tokens = [t for t in other_tokens if any(a <= t.idx < b for a, b in within)]
        holders = (adjacent,) if adjacent else tuple(_entities_at(owner_tokens, mentions, offset))
        # others taking part: anyone named in the figure's own clause ("the signing of
        # Yoane Wissa from Brentford for £55m"), the agents and places read above first
        clause = _clause_tokens(p)
        named = [m.entity_id for m in mentions
                 if any(t.i in clause for t in _tokens(doc, m.start - offset, m.end - offset))]
        participants = tuple(dict.fromkeys(
            e for e in [*_entities_at(other_tokens, mentions, offset), *named] if e not in holders
        ))
    years, days = _times(claim, q, p, doc, offset, date)
    sentence = doc.text[claim.sentence.start - offset : claim.sentence.end - offset]
    claim_tokens = [t for sp in claim.spans for t in _tokens(doc, sp.start - offset, sp.end - offset)]
    scope_of = _scope_words()
    return Figure(
        id=f"{claim.id}/{index}",
        claim_id=claim.id,
        article_id=claim.article_id,
        quantity=q,
        measure=measure,
        measure_words=words,
        predicate=p.verb.lemma_.lower() if p.verb is not None else None,
        holders=holders,
        participants=participants,
        years=years,
        days=days,
        speaker=_speaker(claim, sentence),
        modality=_modality(claim, p),
        successive=_moved(p),
        context=_context(p, claim, q),
        qualifiers=_qualifiers(p),
        periods=_periods(claim, q, p, doc, offset),
        scope=tuple(sorted({f"{scope_of[t.lower_]}:{t.lower_}" for t in claim_tokens if t.lower_ in scope_of})),
        lemmas=frozenset(t.lemma_.lower() for t in claim_tokens if t.is_alpha and not t.is_stop),
        parts=contest_parts(root.sent),
        change=_is_change(q, p, doc.text, offset),
        noun=next((t.lemma_.lower() for t in (p.value_of, p.counted, p.base) if t is not None), None),
        topic=_topic(p),
    )
