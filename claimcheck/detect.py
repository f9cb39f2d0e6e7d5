"""Find where sources disagree.

Four detectors, each a pure function over one story's linked claims:

* ``detect_numeric_conflicts`` — the same figure about the same holder, stated by two
  outlets with intervals that do not overlap once hedges and rounding are allowed for;
* ``detect_margin_conflicts`` — a margin word ("narrowly", "a landslide") against the
  figures another outlet gives for the same contest, and ``detect_majority_conflicts``
  — "won a majority" against a share under half;
* ``detect_title_conflicts`` — one person given two offices that cannot be held at once;
* ``detect_spelling_variants`` — one person whose name is spelled two ways.

Comparisons are blocked by holder entity (and kind/unit of figure), so the work grows
with the size of each block, never with all claims squared.  The guiding rule is
precision: a pair is compared only when it is clearly about the same thing (same holder,
same measure, same event anchor, same modality, similar wording); otherwise it is left
alone, because an editor must read every line of the report.  Where a rule is relaxed
(a figure whose sentence names no holder takes the story's; a plain "will cut" meets "is
cutting"), the wording must be more alike still.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from claimcheck.config import Config
from claimcheck.entities import (
    compare_names,
    entity_spelling_variants,
    fold_name,
    offices_compatible,
    organisation_spelling_variant,
)
from claimcheck.models import (
    Article,
    Claim,
    Discrepancy,
    DiscrepancyKind,
    Entity,
    EntityMention,
    Evidence,
    Modality,
    Quantity,
    QuantityKind,
    Severity,
    Span,
    Title,
    TitleTense,
)
from claimcheck.trace import DetectionTrace

#: rowwise cosine similarity of two equally long lists of texts
Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def embedding_similarity(embed: Callable[[Sequence[str]], np.ndarray]) -> Similarity:
    """Build a ``Similarity`` from an encoder returning unit vectors (``Embedder.encode``)."""

    def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if not a:
            return np.zeros(0)
        vectors = embed(list(a) + list(b))
        return np.einsum("ij,ij->i", vectors[: len(a)], vectors[len(a) :])

    return similarity


@dataclass(frozen=True)
class Story:
    """What the detectors look at: one story's articles, linked claims and mentions."""

    articles: Mapping[str, Article]
    claims: Sequence[Claim]
    entities: Sequence[Entity]
    mentions: Mapping[str, Sequence[EntityMention]]  # per article, linked

    def text(self, article_id: str, start: int, end: int) -> str:
        return self.articles[article_id].text[start:end]

    def sentence_text(self, claim: Claim) -> str:
        return self.text(claim.article_id, claim.sentence.start, claim.sentence.end)

    @functools.cached_property
    def claims_by_article(self) -> dict[str, list[Claim]]:
        by_article: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            by_article[claim.article_id].append(claim)
        return by_article


# --------------------------------------------------------------------------- shared parts


def stable_id(kind: DiscrepancyKind, *parts: str) -> str:
    """An id that stays the same across runs for the same disagreement."""
    digest = hashlib.sha1("\x1f".join([kind.value, *parts]).encode("utf-8")).hexdigest()
    return f"{kind.value[:3]}-{digest[:12]}"


def claim_evidence(
    story: Story, claim: Claim, *, value: str | None = None, highlights: Iterable[Span] = ()
) -> Evidence:
    start, end = claim.start, claim.end
    return Evidence(
        file=claim.article_id,
        start=start,
        end=end,
        text=story.text(claim.article_id, start, end),
        speaker=claim.speaker.name,
        value=value,
        highlights=tuple(highlights),
        claim_id=claim.id,
    )


def span_evidence(
    story: Story, claim: Claim, span: Span, *, value: str | None = None, highlights: Iterable[Span] = ()
) -> Evidence:
    """Evidence that is a few words (a name, a title): the claim gives its context."""
    return Evidence(
        file=claim.article_id,
        start=span.start,
        end=span.end,
        text=story.text(claim.article_id, span.start, span.end),
        speaker=claim.speaker.name,
        value=value,
        highlights=tuple(highlights),
        claim_id=claim.id,
    )


def claim_at(claims_by_article: Mapping[str, Sequence[Claim]], article_id: str, pos: int) -> Claim | None:
    """The claim whose own span holds ``pos``, else the first claim of its sentence."""
    in_sentence = None
    for claim in claims_by_article.get(article_id, ()):
        if any(s.start <= pos < s.end for s in claim.spans):
            return claim
        if in_sentence is None and claim.sentence.start <= pos < claim.sentence.end:
            in_sentence = claim
    return in_sentence


# Words after a figure that say nothing about what it measures.
_NOT_A_MEASURE = frozenset(
    "a an the and or but by in on at to for from with while after before since as of than "
    "that which who whom whose this these those its his her their our your is are was were "
    "be been has have had will would could may might".split()
)
_MEASURE_RE = re.compile(
    r"\s*(?:of\s+(?:the\s+|all\s+|its\s+|their\s+)?)?([A-Za-z][A-Za-z-]*)(?:\s+([a-z][a-z-]*))?"
)


#: Nouns that name the same thing: a cut of 500 jobs is a cut of 500 workers, and a
#: $19 billion spending plan is a budget of $19 billion.
_SAME_MEASURE = {
    "worker": "job", "employee": "job", "staff": "job", "staffer": "job", "position": "job",
    "spending plan": "budget", "budget plan": "budget",
}


def quantity_measure(q: Quantity, text_after: str) -> str | None:
    """What a figure counts: the parser's reading, else the word right after it (or the
    two words, when together they name something: "spending plan")."""
    if q.measure:
        word = _singular(q.measure.split()[-1].lower())
    else:
        m = _MEASURE_RE.match(text_after)
        if not m or m.group(1).lower() in _NOT_A_MEASURE:
            return None
        word = _singular(m.group(1).lower())
        if m.group(2):
            pair = f"{word} {_singular(m.group(2))}"
            if pair in _SAME_MEASURE:
                return _SAME_MEASURE[pair]
    return _SAME_MEASURE.get(word, word)


# Nouns before a sum that say how much, not of what: "a total of $3 billion".
_NOT_A_SUM = frozenset(
    "total sum amount figure number value tune excess upward upwards estimate average maximum minimum "
    "least most more less".split()
)
_NOUN_OF_RE = re.compile(r"\b([a-z][a-z-]+)\s+of\s+$")
# A subject and a verb that makes it the sum after it: "the budget would total $19 billion".
_AMOUNTS_TO_RE = re.compile(
    r"\s+(?:(?:would|will|could|should|is|was|has|have|had|now|already)\s+)*(?:be\s+|been\s+)?"
    r"(?:total(?:s|l?ed|l?ing)?|reach(?:es|ed|ing)?|amount(?:s|ed|ing)?\s+to|c[oa]mes?\s+to|stand(?:s|ing)?\s+at|stood\s+at|"
    r"is|was|are|were|be|been)\s+\Z",
    re.IGNORECASE,
)
_PREPOSITION_RE = re.compile(r"\b(?:for|of|in|on|at|from|to|with|by|under|over|after|before)\b")


def _common_noun(word: str) -> str | None:
    word = word.strip(".,;:'’\"")
    if not word.isalpha() or not word.islower() or word in _NOT_A_MEASURE or word in _NOT_A_SUM:
        return None
    word = _singular(word)
    return _SAME_MEASURE.get(word, word)


def sum_noun(claim: Claim, q: Quantity, sentence_text: str) -> str | None:
    """The noun a sum is the amount of, when the words before it say: "a budget of $7.7
    billion", "the budget would total $15 billion", "The fee for Ruiz was £66 million"."""
    before = sentence_text[: q.start - claim.sentence.start]
    m = _NOUN_OF_RE.search(before)
    if m:
        return _common_noun(m.group(1))
    verb = _AMOUNTS_TO_RE.search(before)
    if verb is None:
        return None
    subject = claim.subject or ""
    at = sentence_text.find(subject) if subject else -1
    if 0 <= at and at + len(subject) <= verb.start():  # "The fee for Ana Ruiz was ..."
        head = _PREPOSITION_RE.split(subject)[0].split()
    else:  # the parse missed the subject ("The Norland budget totals", "totals" read as a noun)
        head = before[: verb.start()].split()[-1:]
    return _common_noun(head[-1]) if head else None


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_CONTEXT_KINDS = frozenset({QuantityKind.ORDINAL, QuantityKind.DATE, QuantityKind.YEAR})


def subject_holder(claim: Claim) -> str | None:
    """The entity a claim's subject names: the linked entity, else the subject itself
    when it reads as a proper name the tagger missed.

    A small tagger leaves many unfamiliar names untagged ("Fumum Textiles is cutting
    1,303 jobs" yields no mention at all), so the subject links to nothing and its
    figures were never compared.  Two or more words, every one capitalised, are a name
    wherever they stand; one capitalised word opening a sentence may be any noun
    ("Rescuers"), and "Residents of Lima" is a common noun before a name, so neither is
    taken.  The key is the folded name: outlets that write the name alike share a holder.
    """
    if claim.subject_entity:
        return claim.subject_entity
    words = (claim.subject or "").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    folded = fold_name(" ".join(words))
    return f"name:{folded}" if folded else None


@dataclass(frozen=True)
class Held:
    """A figure, the entity it is about, and where the words about it begin."""

    quantity: Quantity
    holder: str | None
    frame_start: int


def quantity_holders(claim: Claim, sentence_text: str | None = None) -> list[Held]:
    """Pair each figure with the entity it is about.

    The holder is named between the previous figure and this one ("A took 27% and B
    about 24%" gives A and B): the claim's subject if it is there, else the last person,
    else the last name.  A claim's first figure with no name before it falls back to
    the claim's subject.  No mention in between means no holder: better unknown than
    wrong, since a wrong holder makes a false conflict.  ``frame_start`` is where the
    words that say what the figure is begin (just after the holder's name).
    """
    mentions = sorted((m for m in claim.entities if m.entity_id), key=lambda m: m.start)
    out: list[Held] = []
    window_start = claim.start
    for i, q in enumerate(sorted(claim.quantities, key=lambda q: q.start)):
        if q.kind in _CONTEXT_KINDS:
            # "led the first round with 33%", "on March 11 she won 52%": an ordinal or a
            # date sets the scene; it neither takes the name nor ends the holder's window
            out.append(Held(q, subject_holder(claim) if i == 0 else None, window_start))
            continue
        # a mention may begin before the window: "the 47-year-old newcomer won 61%"
        candidates = [m for m in mentions if window_start < m.end <= q.start]
        if candidates:
            # the clause's subject, else the last person, else the last name before it
            subject = [m for m in candidates if m.entity_id == claim.subject_entity]
            people = [m for m in candidates if m.label == "PERSON"]
            chosen = (subject or people or candidates)[-1]
            out.append(Held(q, chosen.entity_id, chosen.end))
        else:
            holder = subject_holder(claim) if i == 0 else None
            frame_start = window_start
            if holder and sentence_text is not None and claim.subject:
                at = sentence_text.find(claim.subject)
                if at >= 0 and claim.sentence.start + at + len(claim.subject) <= q.start:
                    frame_start = claim.sentence.start + at + len(claim.subject)
            out.append(Held(q, holder, frame_start))
        window_start = q.end
    return out


_FRAME_WORDS_BEFORE = 8
_FRAME_WORDS_AFTER = 5
_CLAUSE_END = re.compile(r"[,.;:!?—–()\[\]\n]")
_COORDINATOR = re.compile(r"\b(?:and|but|while|whereas|or)\b", re.IGNORECASE)


def figure_frames(story: Story, claim: Claim, held: Sequence[Held]) -> list[str]:
    """The few words that say what each figure is, with the figure and its holder left
    out: "Ana Ruiz received 54% of the vote, ..." -> "received X of the vote".  Similar
    frames mean two figures measure the same thing.  A gapped figure ("A took 27% of
    the vote and B about 24%") shares the frame of the figure before it."""
    frames: list[str] = []
    previous: tuple[str, str] | None = None
    for h in held:
        q = h.quantity
        before = story.text(claim.article_id, h.frame_start, q.start)
        before = _COORDINATOR.split(_CLAUSE_END.split(before)[-1])[-1]
        before = " ".join(before.split()[-_FRAME_WORDS_BEFORE:])
        after = story.text(claim.article_id, q.end, min(q.end + 80, claim.sentence.end))
        after = " ".join(_COORDINATOR.split(_CLAUSE_END.split(after)[0])[0].split()[:_FRAME_WORDS_AFTER])
        if not before and not after and previous is not None:
            before, after = previous
        previous = (before, after)
        frames.append(f"{before} X {after}".strip())
    return frames


_ORDINALS = {
    "first": 1, "initial": 1, "opening": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3,
    "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "final": -1, "last": -1,
}
_EVENT_NOUNS = (
    "round|rounds|vote|voting|ballot|balloting|election|leg|stage|phase|half|quarter|"
    "period|inning|game|match|race|heat|session|term|day"
)
_ANCHOR_RE = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")[\s-]+(?:\w+[\s-]+)?(" + _EVENT_NOUNS + r")\b",
    re.IGNORECASE,
)
_RUNOFF_RE = re.compile(r"\brun[\s-]?offs?\b", re.IGNORECASE)


def event_anchors(text: str) -> frozenset[str]:
    """Which part of a multi-part event a sentence is about ("first round", "run-off").

    Two figures for "the vote" are only the same figure when they are about the same
    round: 27% in the first round and 41% in the run-off do not conflict.
    """
    anchors = set()
    for m in _ANCHOR_RE.finditer(text):
        n = _ORDINALS[m.group(1).lower()]
        # a two-round election's second round is its run-off
        anchors.add("ordinal:runoff" if n == 2 and m.group(2).lower() == "round" else f"ordinal:{n}")
    if _RUNOFF_RE.search(text):
        anchors.add("ordinal:runoff")
    return frozenset(anchors)


# --------------------------------------------------------------------------- numeric


@dataclass(frozen=True)
class _Figure:
    claim: Claim
    quantity: Quantity
    holder: str | None  # None only before ``_story_holders`` has looked at it
    measure: str | None
    anchors: frozenset[str]
    frame: str
    inferred: bool = False  # the holder is the story's, not named in the sentence
    by_noun: bool = False  # a sum keyed by the noun it is the amount of (``_story_sums``)


def _figures(story: Story, *, unheld: bool = False) -> list[_Figure]:
    """Every figure of the story's non-opinion claims with its holder, measure, anchors
    and frame; figures with no holder only when ``unheld``."""
    out = []
    for claim in story.claims:
        if claim.modality == Modality.OPINION:
            continue
        sentence = story.sentence_text(claim)
        held_figures = quantity_holders(claim, sentence)
        for held, frame in zip(held_figures, figure_frames(story, claim, held_figures), strict=True):
            q, holder = held.quantity, held.holder
            if (holder is None and not unheld) or q.kind == QuantityKind.OTHER:
                continue
            after = story.text(claim.article_id, q.end, min(q.end + 40, claim.sentence.end))
            # a sum's noun before it ("a budget of $3 billion") says more than the word
            # after it, which may be a verb ("$3 billion grew")
            noun = sum_noun(claim, q, sentence) if q.kind == QuantityKind.MONEY else None
            measure = noun or quantity_measure(q, after)
            # other dates in the sentence anchor the figure in time ("by December 2023")
            dated = {
                f"date:{o.low:.0f}-{o.high:.0f}"
                for o in claim.quantities
                if o is not q and o.kind in (QuantityKind.DATE, QuantityKind.YEAR)
            }
            out.append(
                _Figure(claim, q, holder, measure, event_anchors(sentence) | dated, frame)
            )
    return out


#: Outcomes that are counted separately: dead and injured people are both "people".
_OUTCOMES = {
    "dead": re.compile(r"\b(?:kill\w*|die[ds]?|dead|deaths?|death toll|fatalit\w*|lost their lives)\b", re.I),
    "injured": re.compile(r"\b(?:injur\w*|wound\w*|hurt|hospitali[sz]ed)\b", re.I),
    "missing": re.compile(r"\b(?:missing|unaccounted)\b", re.I),
    "displaced": re.compile(r"\b(?:displaced|homeless|evacuat\w*|fled)\b", re.I),
    "arrested": re.compile(r"\b(?:arrest\w*|detain\w*)\b", re.I),
    "rescued": re.compile(r"\b(?:rescu\w*|pulled out alive)\b", re.I),
    "destroyed": re.compile(r"\b(?:destroy\w*|flatten\w*|razed|collaps\w*)\b", re.I),
    "damaged": re.compile(r"\b(?:damag\w*)\b", re.I),
    # jobs lost and jobs made are both "jobs"
    "cut": re.compile(
        r"\b(?:cut|cuts|cutting|lay(?:s|ing)? off|laid off|layoffs?|shed\w*|ax(?:e|es|ed|ing)|"
        r"eliminat\w*|redundan\w*|slash\w*|(?:be|been|being|are|were|was|is) lost)\b",
        re.I,
    ),
    "created": re.compile(r"\b(?:creat\w*|hir(?:e|es|ed|ing))\b", re.I),
}


@functools.lru_cache(maxsize=65536)
def _outcomes(frame: str) -> frozenset[str]:
    """The outcomes a frame counts (dead, injured, jobs cut...); called for every pair
    of a block, so remembered per frame."""
    return frozenset(name for name, pattern in _OUTCOMES.items() if pattern.search(frame))


def _measures_match(a: _Figure, b: _Figure) -> bool:
    if _outcomes(a.frame) != _outcomes(b.frame):
        return False  # 200 killed vs 4,488 injured: two counts, not one
    if a.quantity.kind == QuantityKind.ORDINAL:
        # "third time" and "first far-right president" are different ordinals
        return a.measure is not None and a.measure == b.measure
    return a.measure is None or b.measure is None or a.measure == b.measure


#: Kinds of figure a sentence can state without naming whose they are: counts, sums and
#: shares.  Dates, ages and ordinals need their holder to mean anything.
_STORY_KINDS = frozenset({QuantityKind.COUNT, QuantityKind.MONEY, QuantityKind.PERCENT})
_STORY_HOLDER = "story"


def _alike(a: _Figure, b: _Figure) -> bool:
    """Could be the same figure: same kind, unit, outcome and a compatible measure."""
    return (a.quantity.kind, a.quantity.unit) == (b.quantity.kind, b.quantity.unit) and _measures_match(a, b)


def _story_holders(figures: Sequence[_Figure]) -> list[_Figure]:
    """The figures that have a holder, and those without one that can take the story's.

    "678 people died in the earthquake" and "Some 1,100 people had been killed" name no
    one, yet each is the story's death toll.  A figure with no holder is the story's
    figure of its measure when nothing else could own it: the story gives that measure
    (kind, unit, measure, outcome) to at most one holder, and no article states two
    different values of it (the winner's and the runner-up's share, a toll before and
    after).  It then takes that holder, or one standing for the whole story, and is
    marked ``inferred`` so that its pairs pass stricter gates.  A count that says
    neither what it counts nor what happened ("by 59 votes to 13") stays out: nothing
    but its wording would tie it to another count.
    """
    out = [f for f in figures if f.holder]
    for f in figures:
        if f.holder or f.quantity.kind not in _STORY_KINDS:
            continue
        outcomes = _outcomes(f.frame)
        if f.quantity.kind == QuantityKind.COUNT and f.measure is None and not outcomes:
            continue
        like = [g for g in figures if g is not f and _alike(f, g)]
        holders = {g.holder for g in like if g.holder}
        if len(holders) > 1:
            continue
        if not _one_value_per_article([f, *like], per_anchor=True):
            continue
        holder = next(iter(holders), None) or ":".join([_STORY_HOLDER, f.measure or "", *sorted(outcomes)])
        out.append(replace(f, holder=holder, inferred=True))
    return out


def _holder_kind(holder: str, entities: Mapping[str, Entity]) -> str:
    """Person, place, organisation, or just a name.  A small tagger calls many one-word
    names people ("Norland" as PERSON), so a person is a name of two words or more."""
    entity = entities.get(holder)
    label = entity.label if entity else ""
    if label == "PERSON":
        return "person" if len(entity.name.split()) > 1 else "name"
    if label in ("GPE", "LOC", "NORP"):
        return "place"
    return "organisation" if label else "name"


def _story_sums(story: Story, figures: Sequence[_Figure]) -> tuple[list[_Figure], list[_Figure]]:
    """Sums the story names by one noun, whoever the sentence gives them to, and the rest.

    "Finance Minister Ana Ruiz presented a budget of $32 billion", "The Norland budget
    totals $19 billion" and "The budget would total $19 billion" are one budget: the
    minister presents it, the country holds it, the third names neither.  Sums of one
    noun (same unit and outcome) become the story's sum of that noun when the sentences
    hold it no more than one person, one place and one organisation (two countries'
    budgets stay apart) and no article gives two different values of it; a sum with no
    noun joins the one sum its holder holds.  The noun says
    what they are, so their wording need only be related (``numeric_sum_similarity``),
    and a year given on one side only does not set them apart.
    """
    groups: dict[tuple[str, str, frozenset[str]], list[_Figure]] = defaultdict(list)
    for f in figures:
        if f.quantity.kind == QuantityKind.MONEY and f.measure:
            groups[(f.quantity.unit, f.measure, _outcomes(f.frame))].append(f)
    entities = {e.id: e for e in story.entities}
    accepted: list[tuple[tuple[str, str, frozenset[str]], list[_Figure]]] = []
    for key, members in groups.items():
        kinds = [_holder_kind(h, entities) for h in {g.holder for g in members if g.holder}]
        if len(kinds) == len(set(kinds)) and _one_value_per_article(members):
            accepted.append((key, members))
    # A sum with no noun held by a holder of one of these ("Acme paid €72 million" beside
    # "Acme have agreed a fee of €48 million") is that sum, when the holder has only one.
    owners: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, ((unit, _, _), members) in enumerate(accepted):
        for holder in {g.holder for g in members if g.holder}:
            owners[(unit, holder)].append(i)
    joiners: dict[int, list[_Figure]] = defaultdict(list)
    for f in figures:
        if f.quantity.kind == QuantityKind.MONEY and f.measure is None and f.holder:
            at = owners.get((f.quantity.unit, f.holder), [])
            if len(at) == 1 and accepted[at[0]][0][2] == _outcomes(f.frame):
                joiners[at[0]].append(f)
    keyed: list[_Figure] = []
    for i, ((_, measure, _), members) in enumerate(accepted):
        if joiners[i] and _one_value_per_article(members + joiners[i]):
            members = members + joiners[i]
        if len({g.claim.article_id for g in members}) < 2:
            continue  # one article's sum: nothing to compare it with
        keyed += [
            replace(g, holder=f"{_STORY_HOLDER}:{measure}", measure=measure, inferred=True, by_noun=True)
            for g in members
        ]
    taken = {id(f.quantity) for f in keyed}
    return keyed, [f for f in figures if id(f.quantity) not in taken]


def _one_value_per_article(figures: Sequence[_Figure], *, per_anchor: bool = False) -> bool:
    """No article states two different values among ``figures`` (with ``per_anchor``:
    two different values for the same part of the event)."""
    by_article: dict[str, list[_Figure]] = defaultdict(list)
    for f in figures:
        by_article[f.claim.article_id].append(f)
    return all(
        g.quantity.overlaps(h.quantity) or (per_anchor and g.anchors != h.anchors)
        for stated in by_article.values()
        for g, h in combinations(stated, 2)
    )


def compared_figures(story: Story) -> list[_Figure]:
    """Every figure that has, or can take, a holder: the figures the detector compares."""
    sums, rest = _story_sums(story, _figures(story, unheld=True))
    return sums + _story_holders(rest)


def _anchors_agree(a: _Figure, b: _Figure) -> bool:
    """Same part of the event.  A story's sum dated on one side only ("a budget of $32
    billion for 2027" and "the budget would total $19 billion") is the same sum."""
    if a.anchors == b.anchors:
        return True
    if not (a.by_noun and b.by_noun):
        return False
    undated = [{x for x in f.anchors if not x.startswith("date:")} for f in (a, b)]
    return undated[0] == undated[1] and not (a.anchors - undated[0] and b.anchors - undated[1])


# Words that make a future figure a hope, a forecast or a promise rather than the plain
# announcement of what is being done ("will cut 1,900 jobs"): those are not compared
# with what happened.
_NOT_PLAIN_FUTURE = re.compile(
    r"\b(?:could|may|might|can|expect\w*|anticipat\w*|forecast\w*|predict\w*|project(?:ed|ions?)|"
    r"likely|unlikely|possibl[ey]|probabl[ey]|potential\w*|estimat\w*|hop(?:e|es|ed|ing)|"
    r"promis\w*|pledg\w*|vow\w*|propos\w*|want\w*|plan|plans|planned|planning|intend\w*|"
    r"seek\w*|aim\w*|target\w*|goal|if|unless|up to|as many as|as much as)\b",
    re.IGNORECASE,
)


def _plain_future(a: _Figure, b: _Figure) -> bool:
    """One figure stated as done or under way, the other as what will be done, with no
    word of doubt or promise: "is cutting 1,303 jobs" and "will cut 1,900 jobs" report
    one announced cut two ways, so they may conflict; "could reach 1,000" may not."""
    modalities = {a.claim.modality, b.claim.modality}
    if len(modalities) != 2 or not modalities <= {Modality.FACT, Modality.PLEDGE, Modality.PREDICTION}:
        return False
    return not any(
        f.claim.modality != Modality.FACT and _NOT_PLAIN_FUTURE.search(f.claim.text) for f in (a, b)
    )


def _pair_gate(a: _Figure, b: _Figure, config: Config) -> tuple[float | None, str]:
    """How alike two figures' frames must be for them to be compared, and the setting
    that says so; or None and the gate that refuses the pair (``_refusal_detail`` says
    why, only when a trace asks)."""
    if a.claim.article_id == b.claim.article_id:
        return None, "same article"
    if a.quantity.overlaps(b.quantity):
        # the same figure twice is agreement; different figures whose hedges meet are not
        return None, "agree" if a.quantity.value == b.quantity.value else "overlap"
    if not _anchors_agree(a, b):
        return None, "anchor"
    if not _measures_match(a, b):
        return None, "measure"
    threshold, setting = config.numeric_context_similarity, "numeric_context_similarity"
    if a.claim.modality != b.claim.modality:
        if not _plain_future(a, b):
            return None, "modality"
        if config.numeric_modality_similarity > threshold:
            threshold, setting = config.numeric_modality_similarity, "numeric_modality_similarity"
    if a.inferred or b.inferred:
        if a.measure != b.measure:
            return None, "measure"
        if config.numeric_story_similarity > threshold:
            threshold, setting = config.numeric_story_similarity, "numeric_story_similarity"
    if a.by_noun and b.by_noun:
        threshold, setting = config.numeric_sum_similarity, "numeric_sum_similarity"
    return threshold, setting


def _refusal_detail(gate: str, a: _Figure, b: _Figure) -> str:
    """The values a numeric gate compared, in words, for a trace."""
    if gate in ("agree", "overlap"):
        return f"{a.quantity.describe()} and {b.quantity.describe()} overlap"
    if gate == "anchor":
        return f"{sorted(a.anchors) or 'none'} vs {sorted(b.anchors) or 'none'}"
    if gate == "modality":
        return f"{a.claim.modality.value} vs {b.claim.modality.value}"
    if gate == "measure" and _measures_match(a, b):
        return f"a story's figure needs one measure: {a.measure or '?'} vs {b.measure or '?'}"
    if gate == "measure":
        return (f"{a.measure or '?'} {sorted(_outcomes(a.frame))} vs "
                f"{b.measure or '?'} {sorted(_outcomes(b.frame))}")
    return ""


def _pair_threshold(a: _Figure, b: _Figure, config: Config) -> float | None:
    """How alike two figures' frames must be for them to be compared (None: never)."""
    return _pair_gate(a, b, config)[0]


def _figure_spans(*figures: _Figure) -> list[tuple[str, int, int]]:
    return [(f.claim.article_id, f.quantity.start, f.quantity.end) for f in figures]


def _trace_unblocked(story: Story, compared: Sequence[_Figure], trace: DetectionTrace) -> None:
    """Say why figures of two articles never met in one block: a kind or unit apart, an
    opinion, a figure of no known kind, no holder or two holders.  Only with a trace: it
    looks at every pair of figures in the story."""
    held: dict[tuple[str, int, int], _Figure] = {}
    for f in compared:
        held.setdefault((f.claim.article_id, f.quantity.start, f.quantity.end), f)
    names = _holder_names(story)
    entries: list[tuple[tuple[str, int, int], Quantity, Claim, _Figure | None]] = []
    seen: set[tuple[str, int, int]] = set()
    for claim in story.claims:
        for q in claim.quantities:
            key = (claim.article_id, q.start, q.end)
            if key not in seen:
                seen.add(key)
                entries.append((key, q, claim, held.get(key)))
    for i, (ka, qa, ca, fa) in enumerate(entries):
        for kb, qb, cb, fb in entries[i + 1 :]:
            if ka[0] == kb[0]:
                continue
            if (qa.kind, qa.unit) != (qb.kind, qb.unit):
                gate = "kind"
                detail = f"“{qa.text}” is {qa.kind.value} {qa.unit}".rstrip() + f", “{qb.text}” {qb.kind.value} {qb.unit}".rstrip()
            elif Modality.OPINION in (ca.modality, cb.modality):
                gate, detail = "opinion", "an opinion's figures are not compared"
            elif qa.kind == QuantityKind.OTHER:
                gate, detail = "kind", f"“{qa.text}” and “{qb.text}” are of no known kind"
            elif fa is None or fb is None:
                gate = "holder"
                detail = "; ".join(f"no holder for “{q.text}” ({k[0]})" for k, q, f in ((ka, qa, fa), (kb, qb, fb)) if f is None)
            elif fa.holder != fb.holder:
                gate = "holder"
                detail = f"{names.get(fa.holder, fa.holder)} vs {names.get(fb.holder, fb.holder)}"
            else:
                continue  # one block: its pairs are traced by their own gates
            trace.refuse("numeric", gate, (ka, kb), detail)


def _gap(a: Quantity, b: Quantity) -> float:
    return max(a.low - b.high, b.low - a.high, 0.0)


def detect_numeric_conflicts(
    story: Story, similarity: Similarity, config: Config, trace: DetectionTrace | None = None
) -> list[Discrepancy]:
    """Figures for the same holder and measure whose intervals do not overlap.

    With a ``trace``, every pair of figures from two articles that is let go is recorded
    with the gate that refused it."""
    compared = compared_figures(story)
    blocks: dict[tuple[str, str, str], list[_Figure]] = defaultdict(list)
    for f in compared:
        blocks[(f.holder, f.quantity.kind.value, f.quantity.unit)].append(f)
    if trace is not None:
        _trace_unblocked(story, compared, trace)

    candidates: list[tuple[_Figure, _Figure, float, str]] = []
    for figures in blocks.values():
        for i, a in enumerate(figures):
            for b in figures[i + 1 :]:
                threshold, setting = _pair_gate(a, b, config)
                if threshold is not None:
                    candidates.append((a, b, threshold, setting))
                elif trace is not None and setting != "same article":
                    trace.refuse("numeric", setting, _figure_spans(a, b), _refusal_detail(setting, a, b))
    if not candidates:
        return []
    # the words around the figures must say the same thing (only now: it costs a model call)
    sims = similarity([a.frame for a, _, _, _ in candidates], [b.frame for _, b, _, _ in candidates])
    conflicts: dict[tuple[str, str, str, str], list[tuple[_Figure, _Figure, float]]] = defaultdict(list)
    for (a, b, threshold, setting), sim in zip(candidates, sims, strict=True):
        if sim >= threshold:
            key = (a.holder, a.quantity.kind.value, a.quantity.unit, a.measure or b.measure or "")
            conflicts[key].append((a, b, float(sim)))
        elif trace is not None:
            trace.refuse("numeric", "wording", _figure_spans(a, b),
                         f"frames {float(sim):.2f} < {setting} {threshold:g}: “{a.frame}” / “{b.frame}”")

    out = []
    names = _holder_names(story)
    for (holder, kind, unit, measure), pairs in conflicts.items():
        sides: dict[str, _Figure] = {}
        for a, b, _ in pairs:
            for f in (a, b):
                sides.setdefault(f.claim.article_id, f)
        if trace is not None:  # one figure per article stands for it in the evidence
            for a, b, _ in pairs:
                dropped = [f for f in (a, b) if sides[f.claim.article_id] is not f]
                if dropped:
                    trace.refuse("numeric", "evidence", _figure_spans(a, b),
                                 "; ".join(f"“{f.quantity.text}” ({f.claim.article_id}) is shown by "
                                           f"“{sides[f.claim.article_id].quantity.text}”" for f in dropped))
        figures = sorted(sides.values(), key=lambda f: f.quantity.value)
        worst = max(pairs, key=lambda p: _gap(p[0].quantity, p[1].quantity))
        qa, qb = worst[0].quantity, worst[1].quantity
        scale = max(abs(qa.value), abs(qb.value), 1e-9)
        relative = _gap(qa, qb) / scale
        is_date = kind in (QuantityKind.DATE.value, QuantityKind.YEAR.value)
        if holder.startswith(f"{_STORY_HOLDER}:"):  # no one named: say what is counted
            outcomes = holder.split(":")[2:]
            what = f"{measure or 'figure'} ({', '.join(outcomes)})" if outcomes else (measure or "figure")
            subject = what
        else:
            subject = names.get(holder, holder)
            what = f"{subject}, {measure}" if measure else subject
        readings = " vs ".join(
            f"“{f.quantity.text}” {f.quantity.interval()} ({f.claim.article_id})" for f in figures
        )
        out.append(
            Discrepancy(
                id=stable_id(
                    DiscrepancyKind.DATE if is_date else DiscrepancyKind.NUMERIC,
                    holder, kind, unit, measure or "",
                ),
                kind=DiscrepancyKind.DATE if is_date else DiscrepancyKind.NUMERIC,
                severity=(
                    Severity.HIGH
                    if relative >= config.numeric_high_severity_gap or is_date
                    else Severity.MEDIUM
                ),
                score=min(1.0, 0.5 + relative),
                explanation=f"{what}: {readings} — the intervals do not overlap",
                evidence=tuple(
                    claim_evidence(story, f.claim, value=f.quantity.text, highlights=[f.quantity.span])
                    for f in figures
                ),
                subject=subject,
            )
        )
    return out


def _holder_names(story: Story) -> dict[str, str]:
    """Display names of holders: entities, and subjects read as names."""
    names = {}
    for claim in story.claims:
        key = subject_holder(claim)
        if key and key.startswith("name:") and claim.subject:
            names.setdefault(key, re.sub(r"^the\s+", "", claim.subject, flags=re.IGNORECASE))
    names.update({e.id: e.name for e in story.entities})
    return names


# --------------------------------------------------------------------------- margins


_NARROW_RE = re.compile(
    r"\b(narrow(?:ly)?|slim(?:mest)?|slender|razor[- ]thin|wafer[- ]thin|"
    r"(?:followed|trailed|trailing|chased) closely|closely (?:followed|fought|contested)|"
    r"neck[- ]and[- ]neck|edged(?: out)?|squeak(?:ed|s)? (?:by|past|through)|"
    r"by a (?:hair|whisker|nose))\b",
    re.IGNORECASE,
)
_WIDE_RE = re.compile(
    r"\b(landslide|comfortabl[ey]|overwhelming(?:ly)?|decisive(?:ly)?|convincing(?:ly)?|"
    r"resounding(?:ly)?|sweeping|crushing|trounc\w+|handily|"
    r"by a (?:wide|large|huge|big|comfortable) margin)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Standing:
    """Shares of one contest stated together in one sentence: who got what."""

    claim: Claim
    shares: tuple[tuple[str, Quantity], ...]  # (holder, share), largest first
    anchors: frozenset[str]

    @property
    def margin(self) -> float:
        return self.shares[0][1].value - self.shares[1][1].value

    @property
    def margin_bounds(self) -> tuple[float, float]:
        (_, a), (_, b) = self.shares[0], self.shares[1]
        return max(a.low - b.high, 0.0), a.high - b.low


def _standings(story: Story) -> list[_Standing]:
    by_sentence: dict[tuple[str, int], list[tuple[Claim, str, Quantity]]] = defaultdict(list)
    for claim in story.claims:
        for held in quantity_holders(claim, story.sentence_text(claim)):
            q, holder = held.quantity, held.holder
            if holder and q.kind == QuantityKind.PERCENT and q.unit == "%":
                by_sentence[(claim.article_id, claim.sentence.start)].append((claim, holder, q))
    out = []
    for items in by_sentence.values():
        best: dict[str, Quantity] = {}
        for _, holder, q in items:
            if holder not in best or q.value > best[holder].value:
                best[holder] = q
        if len(best) < 2:
            continue
        shares = tuple(sorted(best.items(), key=lambda hq: -hq[1].value))
        claim = items[0][0]
        out.append(_Standing(claim, shares, event_anchors(story.sentence_text(claim))))
    return out


def _margin_spans(claim: Claim, match: re.Match[str], st: _Standing) -> list[tuple[str, int, int]]:
    """The margin word and the two shares it is weighed against."""
    at = claim.start + match.start()
    return [(claim.article_id, at, at + len(match.group(0))),
            *((st.claim.article_id, q.start, q.end) for _, q in st.shares[:2])]


def detect_margin_conflicts(
    story: Story, similarity: Similarity, config: Config, trace: DetectionTrace | None = None
) -> list[Discrepancy]:
    """A margin word in one outlet against the figures another gives for that contest."""
    standings = _standings(story)
    if not standings:
        return []
    pairs: list[tuple[Claim, str, re.Match[str], _Standing]] = []
    for claim in story.claims:
        if claim.modality in (Modality.PREDICTION, Modality.OPINION):
            continue  # "expected to win comfortably" is not a statement about the count
        text = story.text(claim.article_id, claim.start, claim.end)
        for reading, pattern in (("narrow", _NARROW_RE), ("wide", _WIDE_RE)):
            match = pattern.search(text)
            if not match:
                continue
            people = {m.entity_id for m in claim.entities if m.entity_id}
            anchors = event_anchors(story.sentence_text(claim))
            for st in standings:
                if st.claim.article_id == claim.article_id:
                    continue
                if people & {h for h, _ in st.shares} and anchors == st.anchors:
                    pairs.append((claim, reading, match, st))
                elif trace is not None:
                    gate, detail = (
                        ("anchor", f"{sorted(anchors) or 'none'} vs {sorted(st.anchors) or 'none'}")
                        if people & {h for h, _ in st.shares}
                        else ("holder", f"“{match.group(0)}” names none of the figures' holders")
                    )
                    trace.refuse("margin", gate, _margin_spans(claim, match, st), detail)
            break
    if not pairs:
        return []
    sims = similarity([p[0].text for p in pairs], [p[3].claim.text for p in pairs])

    found: dict[tuple[int, str], list[tuple[Claim, re.Match[str]]]] = defaultdict(list)
    standing_of: dict[int, _Standing] = {}
    for (claim, reading, match, st), sim in zip(pairs, sims, strict=True):
        if sim < config.margin_claim_similarity:
            if trace is not None:
                trace.refuse("margin", "wording", _margin_spans(claim, match, st),
                             f"claims {float(sim):.2f} < margin_claim_similarity {config.margin_claim_similarity:g}")
            continue
        gap = st.margin
        if (reading == "narrow" and gap > config.narrow_margin_max_points) or (
            reading == "wide" and gap < config.wide_margin_min_points
        ):
            found[(id(st), reading)].append((claim, match))
            standing_of[id(st)] = st
        elif trace is not None:
            trace.refuse("margin", "margin", _margin_spans(claim, match, st),
                         f"a gap of {gap:.3g} points fits “{match.group(0)}”")

    names = {e.id: e.name for e in story.entities}
    out = []
    for (key, reading), worded in found.items():
        st = standing_of[key]
        seen: dict[str, tuple[Claim, re.Match[str]]] = {}
        for claim, match in worded:
            seen.setdefault(claim.article_id, (claim, match))
        (h1, q1), (h2, q2) = st.shares[0], st.shares[1]
        low, high = st.margin_bounds
        words = sorted({m.group(0).lower() for _, m in seen.values()})
        limit = (
            f"“narrow” is read as at most {config.narrow_margin_max_points:g} points"
            if reading == "narrow"
            else f"a wide win is read as at least {config.wide_margin_min_points:g} points"
        )
        explanation = (
            f"{' / '.join(f'“{w}”' for w in words)} ({', '.join(seen)}) vs "
            f"{names.get(h1, h1)} “{q1.text}” and {names.get(h2, h2)} “{q2.text}” "
            f"({st.claim.article_id}): a gap of about {st.margin:.3g} points "
            f"({low:.3g}–{high:.3g} allowing for hedges); {limit} — judge whether they agree"
        )
        evidence = [
            claim_evidence(
                story, st.claim, value=f"{q1.text} vs {q2.text}", highlights=[q1.span, q2.span]
            )
        ]
        for claim, match in seen.values():
            offset = claim.start
            evidence.append(
                claim_evidence(
                    story,
                    claim,
                    value=match.group(0),
                    highlights=[Span(offset + match.start(), offset + match.end())],
                )
            )
        out.append(
            Discrepancy(
                id=stable_id(DiscrepancyKind.QUALITATIVE_VS_NUMERIC, reading, h1, h2, *sorted(st.anchors)),
                kind=DiscrepancyKind.QUALITATIVE_VS_NUMERIC,
                severity=Severity.MEDIUM,
                score=min(1.0, 0.4 + abs(st.margin - config.narrow_margin_max_points) / 20),
                explanation=explanation,
                evidence=tuple(evidence),
                subject=f"{names.get(h1, h1)} vs {names.get(h2, h2)}",
            )
        )
    return out


_MAJORITY_RE = re.compile(
    r"\b(?:won|wins|win|secured|secures|took|takes|received|receives|has|had|with|commands?)\s+"
    r"(?:an?\s+|the\s+)?(?:outright\s+|absolute\s+|clear\s+|overall\s+|comfortable\s+)?majority\b",
    re.IGNORECASE,
)
_NEGATION_RE = re.compile(r"\b(?:not|no|neither|nor|never|failed|fails|short of|without|lacks?)\b", re.IGNORECASE)


def _majority_spans(claim: Claim, match: re.Match[str], f: _Figure) -> list[tuple[str, int, int]]:
    at = claim.start + match.start()
    return [(claim.article_id, at, at + len(match.group(0))), *_figure_spans(f)]


def detect_majority_conflicts(
    story: Story, similarity: Similarity, config: Config, trace: DetectionTrace | None = None
) -> list[Discrepancy]:
    """"Won a majority" in one outlet against a share under half in another."""
    shares: dict[str, list[_Figure]] = defaultdict(list)
    for f in _figures(story):
        if f.quantity.kind == QuantityKind.PERCENT and f.quantity.unit == "%" and f.measure in (None, "vote", "ballot"):
            shares[f.holder].append(f)
    pairs: list[tuple[Claim, re.Match[str], _Figure]] = []
    for claim in story.claims:
        if claim.modality in (Modality.PREDICTION, Modality.OPINION):
            continue
        text = story.text(claim.article_id, claim.start, claim.end)
        match = _MAJORITY_RE.search(text)
        if not match or _NEGATION_RE.search(text[: match.start()]):
            continue
        anchors = event_anchors(story.sentence_text(claim))
        holder = claim.subject_entity
        for f in shares.get(holder, ()) if holder else ():
            if f.claim.article_id != claim.article_id and f.anchors == anchors and f.quantity.high < 50:
                pairs.append((claim, match, f))
            elif trace is not None and f.claim.article_id != claim.article_id:
                gate, detail = (
                    ("anchor", f"{sorted(anchors) or 'none'} vs {sorted(f.anchors) or 'none'}")
                    if f.anchors != anchors
                    else ("share", f"{f.quantity.describe()} can be more than half")
                )
                trace.refuse("majority", gate, _majority_spans(claim, match, f), detail)
    if not pairs:
        return []
    sims = similarity([c.text for c, _, _ in pairs], [f.claim.text for _, _, f in pairs])
    names = {e.id: e.name for e in story.entities}
    found: dict[tuple[str, str], tuple[Claim, re.Match[str], _Figure]] = {}
    for (claim, match, f), sim in zip(pairs, sims, strict=True):
        if sim >= config.margin_claim_similarity:
            found.setdefault((f.holder, f.claim.article_id), (claim, match, f))
        elif trace is not None:
            trace.refuse("majority", "wording", _majority_spans(claim, match, f),
                         f"claims {float(sim):.2f} < margin_claim_similarity {config.margin_claim_similarity:g}")
    out = []
    for (holder, _), (claim, match, f) in found.items():
        name = names.get(holder, holder)
        out.append(
            Discrepancy(
                id=stable_id(DiscrepancyKind.QUALITATIVE_VS_NUMERIC, "majority", holder, f.claim.article_id),
                kind=DiscrepancyKind.QUALITATIVE_VS_NUMERIC,
                severity=Severity.HIGH,
                score=0.6 + (50 - f.quantity.high) / 100,
                explanation=(
                    f"“{match.group(0)}” ({claim.article_id}) vs {name} “{f.quantity.text}” "
                    f"{f.quantity.interval()} ({f.claim.article_id}): a majority needs more than half"
                ),
                evidence=(
                    claim_evidence(
                        story, claim, value=match.group(0),
                        highlights=[Span(claim.start + match.start(), claim.start + match.end())],
                    ),
                    claim_evidence(story, f.claim, value=f.quantity.text, highlights=[f.quantity.span]),
                ),
                subject=name,
            )
        )
    return out


# --------------------------------------------------------------------------- titles


def _from_two_outlets(a: Iterable[str], b: Iterable[str]) -> bool:
    return any(x != y for x in a for y in b)


def _trace_titles(story: Story, trace: DetectionTrace) -> None:
    """Titles of one person in two outlets that are not weighed as two offices: one is
    not a current office, or the two can be held at once."""
    titled: dict[str, list[tuple[str, EntityMention, Title]]] = defaultdict(list)
    for article_id, mentions in story.mentions.items():
        for m in mentions:
            if m.label == "PERSON" and m.entity_id:
                titled[m.entity_id] += [(article_id, m, t) for t in m.titles]
    for uses in titled.values():
        for (aa, ma, ta), (ab, mb, tb) in combinations(uses, 2):
            if aa == ab or ta.head == tb.head:
                continue
            spans = [(aa, min(ta.start, ma.start), max(ta.end, ma.end)),
                     (ab, min(tb.start, mb.start), max(tb.end, mb.end))]
            plain = [t for t in (ta, tb) if not (t.is_office and t.tense == TitleTense.CURRENT)]
            if plain:
                trace.refuse("title", "not a current office", spans, "; ".join(
                    f"“{t.text}” is {t.tense.value if t.is_office else 'not an office'}" for t in plain))
            elif offices_compatible(ta.head, tb.head):
                trace.refuse("title", "compatible", spans, f"“{ta.head}” and “{tb.head}” can be held at once")


def detect_title_conflicts(story: Story, config: Config, trace: DetectionTrace | None = None) -> list[Discrepancy]:
    """One person given two offices, both current, by different outlets."""
    claims_by_article = story.claims_by_article
    if trace is not None:
        _trace_titles(story, trace)
    # person -> office head -> first (article, mention, title) per article
    offices: dict[str, dict[str, dict[str, tuple[EntityMention, Title]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for article_id, mentions in story.mentions.items():
        for m in mentions:
            if m.label != "PERSON" or not m.entity_id:
                continue
            for t in m.titles:
                if t.is_office and t.tense == TitleTense.CURRENT:
                    offices[m.entity_id][t.head].setdefault(article_id, (m, t))

    names = {e.id: e.name for e in story.entities}
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
        evidence = []
        for head in sorted(clashing):
            for article_id, (m, t) in sorted(heads[head].items()):
                claim = claim_at(claims_by_article, article_id, m.start)
                if claim is None:
                    continue
                # the title and the name together: "U.S. Senator Jane Doe", "Doe, a former senator"
                span = Span(min(t.start, m.start), max(t.end, m.end))
                evidence.append(
                    span_evidence(story, claim, span, value=t.text, highlights=[Span(t.start, t.end)])
                )
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


# --------------------------------------------------------------------------- spelling


def _spelling_discrepancy(
    story: Story, key: Sequence[str], subject: str, noun: str,
    a: str, uses_a: Mapping[str, EntityMention], b: str, uses_b: Mapping[str, EntityMention],
) -> Discrepancy | None:
    """One name written ``a`` in some sources and ``b`` in others, the rarer first."""
    claims_by_article = story.claims_by_article
    (rare, rare_uses), (common, common_uses) = sorted(((a, uses_a), (b, uses_b)), key=lambda x: (len(x[1]), x[0]))
    evidence = []
    for side in (rare_uses, common_uses):
        for article_id, m in sorted(side.items()):
            claim = claim_at(claims_by_article, article_id, m.start)
            if claim is not None:
                evidence.append(span_evidence(story, claim, m.span, value=m.text, highlights=[m.span]))
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


def _use_spans(*sides: Mapping[str, EntityMention]) -> list[tuple[str, int, int]]:
    return [(aid, m.start, m.end) for side in sides for aid, m in sorted(side.items())]


def _trace_not_variants(
    uses: Mapping[str, Mapping[str, EntityMention]], variants: Sequence[tuple[str, str]],
    token_similarity: float, trace: DetectionTrace,
) -> None:
    """Two written forms of one person's name that are not read as a slip (accents, an
    added or dropped name, a short form)."""
    told = {frozenset((fold_name(a), fold_name(b))) for a, b in variants}
    for (a, uses_a), (b, uses_b) in combinations(sorted(uses.items()), 2):
        if frozenset((a, b)) not in told and set(uses_a) != set(uses_b):
            relation = compare_names(a, b, token_similarity=token_similarity).value.replace("_", " ")
            trace.refuse("spelling", "variant", _use_spans(uses_a, uses_b), f"“{a}” / “{b}”: {relation}")


def _differing_words(a: str, b: str) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(fold_name(a).split(), fold_name(b).split()) if p[0] != p[1]}


def detect_spelling_variants(story: Story, config: Config, trace: DetectionTrace | None = None) -> list[Discrepancy]:
    """One person, two spellings (accents and an added surname do not count); and one
    organisation written two ways by different outlets when the difference is a slip of
    a letter (see ``organisation_spelling_variant``)."""
    # uses are keyed by folded name: "José" and "Jose" are one spelling
    first_use: dict[str, dict[str, dict[str, EntityMention]]] = defaultdict(lambda: defaultdict(dict))
    for article_id, mentions in sorted(story.mentions.items()):
        for m in sorted(mentions, key=lambda m: m.start):
            if m.entity_id:
                first_use[m.entity_id][fold_name(m.text)].setdefault(article_id, m)

    out = []
    person_slips: set[frozenset[str]] = set()  # the words the person spellings differ in
    for entity in story.entities:
        if entity.label != "PERSON":
            continue
        variants = entity_spelling_variants(entity, config.name_token_similarity)
        if trace is not None:
            _trace_not_variants(first_use[entity.id], variants, config.name_token_similarity, trace)
        for a, b in variants:
            uses = first_use[entity.id]
            uses_a, uses_b = uses.get(fold_name(a), {}), uses.get(fold_name(b), {})
            if not uses_a or not uses_b or set(uses_a) == set(uses_b):
                if trace is not None and uses_a and uses_b:
                    trace.refuse("spelling", "same sources", _use_spans(uses_a, uses_b),
                                 f"“{a}” and “{b}” are both used by {', '.join(sorted(uses_a))}")
                continue
            key = (entity.id, *sorted((fold_name(a), fold_name(b))))
            found = _spelling_discrepancy(story, key, entity.name, "person", a, uses_a, b, uses_b)
            if found is not None:
                out.append(found)
                person_slips |= _differing_words(a, b)

    # organisations are linked by exact name, so two spellings are two entities; two
    # outlets that never use each other's form are the only safe sign of one name
    orgs = [e for e in story.entities if e.label == "ORG" and len(fold_name(e.name).split()) >= 2]
    for x, y in combinations(orgs, 2):
        if not organisation_spelling_variant(x.name, y.name, max_edits=config.org_spelling_max_edits):
            continue
        uses_x = {aid: m for spelling in first_use[x.id].values() for aid, m in spelling.items()}
        uses_y = {aid: m for spelling in first_use[y.id].values() for aid, m in spelling.items()}
        if _differing_words(x.name, y.name) <= person_slips:
            if trace is not None and uses_x and uses_y:
                trace.refuse("spelling", "person slip", _use_spans(uses_x, uses_y),
                             f"“{x.name}” / “{y.name}” differ only where a person's name was told")
            continue  # a person's misspelt name inside a longer span ("Club for Ana Ruis"): told already
        if not uses_x or not uses_y or set(uses_x) & set(uses_y):
            if trace is not None and uses_x and uses_y:
                trace.refuse("spelling", "same sources", _use_spans(uses_x, uses_y),
                             f"“{x.name}” and “{y.name}” are both used by {', '.join(sorted(set(uses_x) & set(uses_y)))}")
            continue
        subject = x.name if len(uses_x) >= len(uses_y) else y.name
        key = tuple(sorted((x.id, y.id)))
        found = _spelling_discrepancy(story, key, subject, "name", x.name, uses_x, y.name, uses_y)
        if found is not None:
            out.append(found)
    return out


# --------------------------------------------------------------------------- all together


def find_discrepancies(
    story: Story, similarity: Similarity, config: Config | None = None, trace: DetectionTrace | None = None
) -> list[Discrepancy]:
    """Run every detector; most severe first, then by score.  A ``trace`` collects what
    each detector weighed and let go (``claimcheck eval --explain``); None costs nothing."""
    config = config or Config()
    found = [
        *detect_numeric_conflicts(story, similarity, config, trace),
        *detect_margin_conflicts(story, similarity, config, trace),
        *detect_majority_conflicts(story, similarity, config, trace),
        *detect_title_conflicts(story, config, trace),
        *detect_spelling_variants(story, config, trace),
    ]
    return sorted(found, key=lambda d: (-d.severity.rank, -d.score, d.kind.value, d.id))
