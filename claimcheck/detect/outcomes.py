"""One event told with opposite outcomes by two sources.

"The council narrowly approved the budget" against "the council rejected the budget";
"won" against "lost", "convicted" against "acquitted", "resigned" against "was
dismissed", "shares rose" against "shares fell".  The sets of outcomes that exclude each other are data
(``data/outcomes.yaml``); a word names its outcome by its lemma in the parse (a verb,
an adjective said of a participant, or a noun), and negation is read from the parse
too: "did not approve" tells "rejected", "failed to win" a loss, and "not this side"
where a set has more than two.

Two tellings from two articles are *of one event* when they share a participant (a
linked name, or the noun of a subject or object: "the council", "the budget") and their
clauses, outcome masked, read alike (``outcome_context_similarity``), or when their
claims are in one claim group; never when their clauses name different days or years
("rose on Monday", "fell on Tuesday").  They are let go when the claim is not a statement of
fact (a prediction, a pledge, an opinion), or when either article itself tells both
outcomes of that event (a first round lost and a run-off won: two events), or some
article of the story does (a mixed verdict: two outlets may each tell one part).  Opposite
outcomes are joined per event into one discrepancy: one side per outcome, each with the
clause that tells it; credited to two different named sources, it is a dispute between
them, told at a lower severity.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claimcheck.data import load_data
from claimcheck.detect.context import StoryContext, paired_contexts, paired_readings, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.entities import fold_name
from claimcheck.figures import WEEKDAYS, weekday_day
from claimcheck.models import (
    Claim, Discrepancy, DiscrepancyKind, Modality, QuantityKind, Severity, Span, SpeakerKind,
)
from claimcheck.nlp import tokens_spelt

NAME = "outcomes"

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "attr", "oprd"})
# a verb whose clause shares its subject with the clause above ("wanted rates to remain",
# "voted to approve", "was ousted and resigned")
_SHARED_SUBJECT = frozenset({"xcomp", "ccomp", "conj", "advcl", "relcl"})
_TOLD = frozenset({"VERB", "ADJ", "NOUN"})
_NOT_FACT = frozenset({Modality.PREDICTION, Modality.PLEDGE, Modality.OPINION})


@dataclass(frozen=True)
class _Word:
    set: str
    side: str
    sides: int  # how many sides its set has
    pos: str | None  # the only part of speech it tells the outcome as


@functools.lru_cache(maxsize=1)
def _firsts() -> frozenset[str]:
    """The first words of the lexicon's entries: most tokens start none."""
    return frozenset(key[0] for key in _lexicon()[0])


@functools.lru_cache(maxsize=1)
def _about() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_data("outcomes.yaml")["about"]["words"])


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[tuple[str, ...], list[_Word]], frozenset[str]]:
    data = load_data("outcomes.yaml")
    words: dict[tuple[str, ...], list[_Word]] = defaultdict(list)
    for set_name, entry in data["sets"].items():
        sides = entry["sides"]
        for side, forms in sides.items():
            for form in forms:
                form, _, pos = str(form).partition(":")
                key = tuple(form.lower().split())
                words[key].append(_Word(set_name, str(side), len(sides), pos or None))
    return dict(words), frozenset(str(w).lower() for w in data["negators"]["words"])


@dataclass(frozen=True, eq=False)
class Outcome:
    """One telling of an outcome, read from one article's parse."""

    article_id: str
    claim: Claim
    set: str
    side: str
    positive: bool  # False: "not this side" (negated, in a set of more than two)
    text: str  # the outcome's words as written ("did not approve")
    span: Span  # the outcome word (article offsets)
    clause: Span  # the clause that tells it, shown as evidence
    agent: frozenset[str]  # linked entity ids, else nouns, of who acts
    patient: frozenset[str]  # ... of what is acted on: the budget approved, the man convicted
    theme: frozenset[str]  # ... of what it is about: the charge, the seat
    context: str  # the clause with the outcome word masked, for embedding
    sentence: int
    times: frozenset[str] = frozenset()  # the days and years its clause names ("on Monday")


# --------------------------------------------------------------------------- reading


def _climb(t):
    while (t.pos_ in ("ADP", "AUX") or t.dep_ in ("prep", "agent", "pcomp")) and t.head.i != t.i:
        t = t.head
    return t


def _word_of(t) -> _Word | None:
    if t.pos_ not in _TOLD:
        return None
    words, _ = _lexicon()
    lemma = t.lemma_.lower()
    if lemma not in _firsts():
        return None
    # the small parser labels a particle prt, advmod or prep ("stepped down", "voted down")
    particle = next(
        (c.lemma_.lower() for c in t.children
         if c.dep_ == "prt" or (c.i == t.i + 1 and c.dep_ in ("advmod", "prep"))),
        None,
    )
    for key in ((lemma, particle), (lemma,)):
        for word in words.get(key, ()) if None not in key else ():
            if word.pos is None or word.pos == t.pos_:
                return word
    return None


def _anchor(t):
    """The verb whose clause tells the outcome: the word itself, or the verb an
    adjective or a noun hangs from ("remain steady", "voted in favour of a cut")."""
    if t.pos_ == "VERB":
        return t
    up = _climb(t.head) if t.head.i != t.i else t
    while up.pos_ not in ("VERB", "AUX") and up.head.i != up.i and up.dep_ in ("pobj", "prep", "dobj", "acomp", "attr"):
        up = _climb(up.head)
    return up


def _negated(t, anchor) -> bool:
    _, negators = _lexicon()
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in t.children):
        return True
    if t.pos_ != "VERB" and any(c.dep_ == "neg" for c in anchor.children):
        return True
    v = t if t.pos_ == "VERB" else anchor
    return v.dep_ == "xcomp" and v.head.lemma_.lower() in negators


def _arguments(t, anchor) -> dict[str, list]:
    """The heads of an outcome's participants, by role: the *agent* who acts (a subject,
    the "by" of a passive, up the clauses that share a subject: "voted to reject"), the
    *patient* acted on (an object, the subject of a passive), and the *theme* it is about
    (the object of "of", "on", "for": "convicted of fraud"; a noun's own modifiers)."""
    roles: dict[str, list] = {"agent": [], "patient": [], "theme": []}
    about = _about()
    verbs = [anchor]
    v = anchor
    while v.dep_ in _SHARED_SUBJECT and v.head.i != v.i and len(verbs) < 3:
        v = v.head
        verbs.append(v)
    for k, v in enumerate(verbs):
        for c in v.children:
            if c.i == t.i:
                continue
            if c.dep_ == "nsubj":
                roles["agent"].append(c)
            elif c.dep_ == "nsubjpass":
                roles["agent" if k else "patient"].append(c)
            elif c.dep_ == "agent":
                roles["agent"].extend(g for g in c.children if g.dep_ == "pobj")
            elif k == 0 and c.dep_ in _OBJECTS:
                roles["patient"].append(c)
            elif k == 0 and c.dep_ == "ccomp" and t.pos_ == "VERB":  # "denied (that) he had resigned"
                roles["patient"].append(c)
            elif k == 0 and c.dep_ == "prep" and c.lower_ in about:
                roles["theme"].extend(g for g in c.children if g.dep_ == "pobj")
    for p in list(roles["patient"]):  # "convicted Velt of fraud"
        for c in p.children:
            if c.dep_ == "prep" and c.lower_ in about:
                roles["theme"].extend(g for g in c.children if g.dep_ == "pobj")
    if t.pos_ in ("NOUN", "ADJ"):
        for c in t.children:
            if c.dep_ in ("compound", "poss", "nmod"):
                roles["theme"].append(c)
            elif c.dep_ == "prep" and c.lower_ in about:
                roles["theme"].extend(g for g in c.children if g.dep_ == "pobj")
    return roles


# what a figure, a date or a time names is not a participant
_NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _keys(ctx: StoryContext, claim: Claim, heads: Iterable, offset: int) -> frozenset[str]:
    """Linked names, else nouns, of argument heads (and the names they coordinate)."""
    keys = set()
    mentions = ctx.mentions.get(claim.article_id, ())
    for h in heads:
        for tok in (h, *(c for c in h.children if c.dep_ == "conj")):
            if tok.ent_type_ in _NOT_PARTICIPANTS or not tok.is_alpha:
                continue
            pos = tok.idx + offset
            named = next((m for m in mentions if m.start <= pos < m.end and m.entity_id), None)
            if named is not None:
                keys.add(named.entity_id)
            elif tok.pos_ == "PRON" and tok.dep_ in _SUBJECTS and claim.subject_entity:
                keys.add(claim.subject_entity)
            elif tok.pos_ in ("NOUN", "PROPN", "VERB") and not tok.is_stop:
                keys.add(tok.lemma_.lower())
    return frozenset(keys)


def read_outcomes(ctx: StoryContext) -> list[Outcome]:
    """Every outcome word of the story's statements of fact."""
    out: list[Outcome] = []
    for article_id in ctx.articles:
        found = ctx.doc_of(article_id)
        if found is None:
            continue
        doc, offset = found
        for i in tokens_spelt(doc, _firsts(), lower=False):  # only these can be outcome words
            t = doc[i]
            word = _word_of(t)
            if word is None:
                continue
            start = t.idx + offset
            claim = ctx.claim_at(article_id, start)
            if claim is None or claim.modality in _NOT_FACT:
                continue
            anchor = _anchor(t)
            negated = _negated(t, anchor)
            roles = _arguments(t, anchor)
            side, positive = word.side, not negated
            if negated and word.sides == 2:
                side = _other_side(word)
                positive = True
            clause = list(anchor.subtree) if t.i in {x.i for x in anchor.subtree} else list(t.subtree)
            c_start = clause[0].idx + offset
            c_end = clause[-1].idx + len(clause[-1].text) + offset
            # "did not approve": the negation and the auxiliary before it are the outcome's words
            shown = [t, *(c for c in (*t.children, *anchor.children) if c.dep_ in ("neg", "aux") and c.i < t.i)] if negated else [t]
            w_start = min(x.idx for x in shown) + offset
            w_end = max(x.idx + len(x.text) for x in shown) + offset
            out.append(
                Outcome(
                    article_id=article_id,
                    claim=claim,
                    set=word.set,
                    side=side,
                    positive=positive,
                    text=ctx.text(article_id, w_start, w_end) if w_end - w_start < 40 else t.text,
                    span=Span(start, start + len(t.text)),
                    clause=Span(min(c_start, start), max(c_end, start + len(t.text))),
                    agent=_keys(ctx, claim, roles["agent"], offset),
                    patient=_keys(ctx, claim, roles["patient"], offset),
                    theme=_keys(ctx, claim, roles["theme"], offset),
                    context=" ".join(x.text for x in clause if x.i != t.i and x.dep_ != "neg"),
                    sentence=claim.sentence.start,
                    times=_times(ctx, claim, clause, offset),
                )
            )
    return out


def _times(ctx: StoryContext, claim: Claim, clause: Sequence, offset: int) -> frozenset[str]:
    """The days and years a clause names: its dates and years as intervals, and its
    weekdays as the day they name before the article's date."""
    start, end = clause[0].idx + offset, clause[-1].idx + len(clause[-1].text) + offset
    out = {q.interval() for q in claim.quantities
           if q.kind in (QuantityKind.DATE, QuantityKind.YEAR) and start <= q.start and q.end <= end}
    date = ctx.articles[claim.article_id].date or ctx.story_date
    out.update(weekday_day(t.lower_, date) for t in clause if t.lower_ in WEEKDAYS)
    return frozenset(out)


def _other_side(word: _Word) -> str:
    sides = load_data("outcomes.yaml")["sets"][word.set]["sides"]
    return next(str(s) for s in sides if str(s) != word.side)


# --------------------------------------------------------------------------- comparing


def opposite(a: Outcome, b: Outcome) -> bool:
    """Two tellings of one set that cannot both hold."""
    if a.set != b.set:
        return False
    if a.side == b.side:
        return a.positive != b.positive
    return a.positive and b.positive


_ROLES = ("agent", "patient", "theme")


def participants(o: Outcome) -> frozenset[str]:
    return o.agent | o.patient | o.theme


def _shares(a: Outcome, b: Outcome) -> bool:
    """Whether two tellings share a participant, in whatever role ("Morrow resigned",
    "Morrow was dismissed")."""
    return bool(participants(a) & participants(b))


def _other_event(a: Outcome, b: Outcome) -> bool:
    """Both name a role and none is the same: two events ("Ana won", "Per lost";
    convicted of one charge, acquitted of another; one on Monday, one on Tuesday)."""
    for role in _ROLES:
        x, y = getattr(a, role), getattr(b, role)
        if x and y and not x & y:
            return True
    return bool(a.times and b.times and not a.times & b.times)  # "rose on Monday", "fell on Tuesday"


def _echoes(mine: Sequence[Outcome], other: Outcome) -> bool:
    """Whether an article also tells ``other``'s outcome for its event: then it tells
    two events (a first round lost, a run-off won), not a rival outcome."""
    return any(
        c.set == other.set and c.side == other.side and c.positive == other.positive
        and _shares(c, other) and not _other_event(c, other)
        for c in mine
    )


def _split(by_article: dict[str, list[Outcome]]) -> set[tuple[str, str]]:
    """(set, participant) that some article itself tells two outcomes of: a mixed
    verdict, a round lost and one won.  Two other articles telling one side each may each
    tell one part, so they are not set against each other."""
    out = set()
    for outcomes in by_article.values():
        for x, y in itertools.combinations(outcomes, 2):
            if x.set == y.set and opposite(x, y) and not _other_event(x, y):
                out.update((x.set, k) for k in participants(x) & participants(y))
    return out


def _where(*outcomes: Outcome) -> list[tuple[str, int, int]]:
    return [(o.article_id, o.clause.start, o.clause.end) for o in outcomes]


def _candidates(ctx: StoryContext) -> tuple[Sequence[Outcome], list[tuple[Outcome, Outcome]]]:
    """The story's outcomes and the pairs of them that may tell one event (read once)."""
    return paired_readings(ctx, NAME, read_outcomes, lambda a, b: a.set == b.set and _shares(a, b))


def _texts(ctx: StoryContext) -> list[str]:
    return paired_contexts(_candidates(ctx)[1])


@register_detector(NAME, kinds=[DiscrepancyKind.OTHER], label="Outcomes", texts=_texts)
def detect_outcome_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """One event told with opposite outcomes by two sources."""
    outcomes, pairs = _candidates(ctx)
    by_article: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_article[o.article_id].append(o)
    group_of = ctx.group_of
    split = _split(by_article)
    if not pairs:
        return []
    sims = ctx.similarity([a.context for a, _ in pairs], [b.context for _, b in pairs])
    threshold = ctx.config.outcome_context_similarity
    conflicts: list[tuple[Outcome, Outcome, float]] = []
    for (a, b), sim in zip(pairs, sims, strict=True):
        grouped = group_of.get(a.claim.id) is not None and group_of.get(a.claim.id) == group_of.get(b.claim.id)
        if sim < threshold and not grouped:
            ctx.refuse(NAME, "wording", _where(a, b), f"“{a.text}” / “{b.text}”: similarity {sim:.2f} < {threshold}")
            continue
        if _other_event(a, b):
            ctx.refuse(NAME, "other", _where(a, b), f"“{a.text}” / “{b.text}”: of {sorted(participants(a))} / {sorted(participants(b))}")
            continue
        clash = opposite(a, b)
        ctx.compared(NAME, (a.claim.id, b.claim.id), consistent=not clash)
        if not clash:
            continue
        if _echoes(by_article[a.article_id], b) or _echoes(by_article[b.article_id], a):
            ctx.refuse(NAME, "echo", _where(a, b), f"“{a.text}” / “{b.text}”: one article tells both")
            continue
        if any((a.set, k) in split for k in participants(a) & participants(b)):
            ctx.refuse(NAME, "split", _where(a, b), f"“{a.text}” / “{b.text}”: another article tells both outcomes")
            continue
        conflicts.append((a, b, float(sim)))
    return [_discrepancy(ctx, component) for component in _components(conflicts)]


# --------------------------------------------------------------------------- reporting


def _components(conflicts: Iterable[tuple[Outcome, Outcome, float]]) -> list[list[tuple[Outcome, Outcome, float]]]:
    parent: dict[int, Outcome] = {}

    def find(x: Outcome) -> Outcome:
        while id(x) in parent:
            x = parent[id(x)]
        return x

    conflicts = list(conflicts)
    for a, b, _ in conflicts:
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[id(rb)] = ra
    groups: dict[int, list] = defaultdict(list)
    for pair in conflicts:
        groups[id(find(pair[0]))].append(pair)
    return list(groups.values())


def _told(o: Outcome) -> str:
    return o.side if o.positive else f"not {o.side}"


def _named_speaker(o: Outcome) -> str | None:
    speaker = o.claim.speaker
    return speaker.name if speaker.kind != SpeakerKind.OUTLET else None


def _discrepancy(ctx: StoryContext, component: Sequence[tuple[Outcome, Outcome, float]]) -> Discrepancy:
    score = {(id(a), id(b)): s for a, b, s in component}
    score.update({(id(b), id(a)): s for a, b, s in component})
    members = {id(x): x for a, b, _ in component for x in (a, b)}
    by_told: dict[str, list[Outcome]] = defaultdict(list)
    for x in sorted(members.values(), key=lambda x: (x.article_id, x.span.start)):
        by_told[_told(x)].append(x)
    sides = sorted(by_told.values(), key=lambda side: (len({x.article_id for x in side}), _told(side[0])))
    odd = sides[0][0]
    shown = [odd] + [max(side, key=lambda x: score.get((id(odd), id(x)), -1.0)) for side in sides[1:]]
    speakers = [_named_speaker(x) for x in shown]
    disputed = all(speakers) and len({fold_name(s) for s in speakers if s}) > 1
    subject = next(
        (ctx.names[k] for x in shown for k in sorted(participants(x)) if k in ctx.names),
        "",
    )
    told = " vs ".join(f"“{x.text}”" for x in shown)
    stated = "; ".join(f"“{x.text}” ({x.article_id}{', per ' + s if s else ''})" for x, s in zip(shown, speakers, strict=True))
    if disputed:
        severity, why = Severity.LOW, "credited to different sources: a dispute between them"
    else:
        severity, why = Severity.HIGH, "one event cannot end both ways"
    title = f"Outcome{' for ' + subject if subject else ''}: {' vs '.join(_told(x) for x in shown)}"
    evidence = tuple(
        ctx.span_evidence(x.claim, x.clause, value=x.text, highlights=[x.span], detail=f"tells: {_told(x)}")
        for x in shown
    )
    return Discrepancy(
        id=stable_id(DiscrepancyKind.OTHER, shown[0].set, *sorted(f"{x.article_id}:{x.span.start}" for x in shown)),
        kind=DiscrepancyKind.OTHER,
        severity=severity,
        score=min(1.0, 0.5 + max(s for _, _, s in component) / 2),
        explanation=f"{title} — {stated}: {why} ({told})",
        evidence=evidence,
        subject=subject,
        title=title,
    )
