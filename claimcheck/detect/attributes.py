"""One thing given two values of an exclusive set by two sources.

"72 km north-east of the city" against "72 km south-west of the city", "minor injuries"
against "moderate injuries", "the second-highest level on record" against "the
third-highest", a boy against a girl for the same child, an apartment against a house for
the same scene.  The sets are data (``data/exclusive.yaml``, read by
``claimcheck.detect.values``); each says how its value words meet the thing they
describe in the parse:

* a *modifier* qualifies a noun: the thing is that noun ("injuries", "level");
* a *reference* places something from a point: the thing is the point ("of the city");
* a *noun* is the thing itself ("boy", "house"): it is known by its neighbours in the
  parse, the verb it hangs from ("died", "stabbed in") and its own modifiers.

Two values of one set from two articles are *about the same thing* when they attach to
the same noun or point (or, for nouns, share a neighbour) and their clauses, value
masked, read alike (``attribute_context_similarity``; ``attribute_figure_similarity``
when both clauses give one precise figure, "at 29.45 feet").  They are let go when:

* the value qualifies a count ("51 in critical condition", "four consecutive life
  sentences"): a breakdown of a group, not one thing's attribute;
* either article itself also gives the other's value for that thing (a breakdown, or
  two things: "a man and a woman were hurt"; one gauge's crest the third-highest,
  another's the fifth);
* the rest of the two clauses already differs in a way that explains it: figures of one
  unit that cannot be the same, or names of one kind that are not the same (two places,
  two people);
* a value is negated in the parse ("not a house").

Agreeing pairs are recorded as compared; disagreeing ones are joined per thing into one
discrepancy, one side per value: the rarest value's clause first, and on each other
side the clause that met it most clearly.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimcheck.detect.context import StoryContext, paired_contexts, paired_readings, stable_id
from claimcheck.detect.registry import register_detector
from claimcheck.detect.values import ExclusiveSet, first_words, match_exclusive
from claimcheck.entities import fold_name
from claimcheck.models import Claim, Discrepancy, DiscrepancyKind, Severity, Span
from claimcheck.nlp import tokens_spelt

NAME = "attributes"

_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
# dependencies by which a modifier qualifies the noun it describes
_QUALIFIES = frozenset({"amod", "compound", "nmod", "npadvmod", "advmod", "appos", "nummod", "poss"})
# dependencies by which an adjective is said of its clause's subject ("were minor")
_PREDICATES = frozenset({"acomp", "attr", "oprd"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# entity labels that name one thing: two different ones set two clauses apart
_NAMED = frozenset({"PERSON", "GPE", "LOC", "FAC", "ORG"})


@dataclass(frozen=True, eq=False)
class Attribute:
    """One value word of an exclusive set, read from one article's parse."""

    article_id: str
    claim: Claim
    set: ExclusiveSet
    value: str
    text: str  # the words as written
    span: Span  # of the words (article offsets)
    clause: Span  # the clause around them, shown as evidence
    thing: str | None  # what the value is of: a noun's lemma, a point's folded name
    thing_entity: str | None  # the point's linked entity, when it is a name
    thing_text: str  # the thing as written, for the card
    neighbours: frozenset[str]  # lemmas and entity ids next to it in the parse
    context: str  # the clause with the value masked, for embedding
    names: tuple[tuple[str, str], ...]  # (label, folded name) of names in the clause
    figures: tuple[tuple[str, float, float, float], ...]  # (unit, value, low, high) of figures in the clause


# --------------------------------------------------------------------------- reading


def _climb(t):
    """From a token to the word it hangs from, through prepositions and auxiliaries."""
    while (t.pos_ in ("ADP", "AUX") or t.dep_ in ("prep", "agent")) and t.head.i != t.i:
        t = t.head
    return t


def _head_of(tokens: Sequence):
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[-1])


def _subject(verb):
    return next((c for c in verb.children if c.dep_ in _SUBJECTS), None)


def _thing_token(head, attach: str):
    """The token naming the thing a value describes, or None when it names none."""
    if attach == "modifier":
        if head.dep_ in _QUALIFIES and head.head.pos_ in ("NOUN", "PROPN") and head.head.i != head.i:
            return head.head
        if head.dep_ in _PREDICATES or (head.dep_ == "advmod" and head.head.pos_ in ("VERB", "AUX")):
            # "the injuries were serious"; not "critical of the plan", "serious about it":
            # an adjective with a complement tells an attitude, not a grade
            if any(c.dep_ in ("prep", "xcomp", "ccomp") for c in head.children):
                return None
            return _subject(head.head)
        return None
    if attach == "reference":
        for prep in head.children:
            if prep.dep_ == "prep":
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
        return None
    if attach == "noun":
        # the thing's own noun: one thing (singular), not a modifier of another noun
        if head.pos_ == "NOUN" and head.tag_ == "NN" and head.dep_ not in ("compound", "nmod") and not head.ent_type_:
            return head
    return None


def _in_figure(t, figures: Sequence[Span], offset: int) -> bool:
    pos = t.idx + offset
    return t.like_num or any(s.start <= pos < s.end for s in figures)


def _counts_a_group(thing, figures: Sequence[Span], offset: int) -> bool:
    """"51 in a critical condition", "four consecutive sentences", "28 suspected cases":
    the value sorts a counted group, it is not one thing's attribute."""
    if any(c.dep_ == "nummod" or _in_figure(c, figures, offset) for c in thing.children):
        return True
    up = thing.head
    if thing.dep_ == "pobj" and up.dep_ == "prep" and up.head.i != up.i:
        up = up.head
        if _in_figure(up, figures, offset) or any(c.dep_ == "nummod" for c in up.children):
            return True
    verb = _climb(thing.head) if thing.head.i != thing.i else thing
    subject = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
    return subject is not None and subject.i != thing.i and (
        _in_figure(subject, figures, offset) or any(c.dep_ == "nummod" for c in subject.children)
    )


def _neighbours(head, thing, inside: set[int]) -> list:
    """Words next to a value in the parse: what it and its thing hang from, and their
    own modifiers and objects."""
    out = []
    for t in {head.i: head, thing.i: thing}.values():
        while t.dep_ == "conj" and t.head.i != t.i:  # "a man and a woman were hurt": as the first
            t = t.head
        if t.head.i != t.i:
            up = _climb(t.head)
            out.append(up)
            if up.dep_ in ("relcl", "acl") and up.head.i != up.i:
                out.append(up.head)
        for c in t.children:
            if c.dep_ == "prep":
                out.extend(g for g in c.children if g.dep_ == "pobj")
            elif c.dep_ in ("relcl", "acl", "amod", "compound", "nmod", "poss"):
                out.append(c)
    return [t for t in out if t.i not in inside and t.pos_ in _CONTENT and not t.is_stop]


def _clause(head) -> list:
    """The tokens of the clause a value stands in: the subtree of its nearest verb."""
    t = head
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return list(t.subtree)


def _negated(head, thing) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for t in (head, thing) for c in t.children)


def read_attributes(ctx: StoryContext) -> list[Attribute]:
    """Every value word of a compared set in the story's articles."""
    out: list[Attribute] = []
    for article_id in ctx.articles:
        found = ctx.doc_of(article_id)
        if found is None:
            continue
        doc, offset = found
        figures = [Span(q.start, q.end) for c in ctx.claims_by_article.get(article_id, ()) for q in c.quantities]
        units = {(q.start, q.end): q for c in ctx.claims_by_article.get(article_id, ()) for q in c.quantities}
        mentions = list(ctx.mentions.get(article_id, ()))
        after = 0  # a match's words are not read again
        for i in tokens_spelt(doc, first_words()):  # only these can start a value
            if i < after:
                continue
            match = match_exclusive(doc, i)
            if match is None:
                continue
            words = list(doc[i : i + match.length])
            after = i + match.length
            if match.set.attach == "none" or " ".join(t.lower_ for t in words) in match.set.loose:
                continue
            attribute = _read_one(ctx, article_id, offset, words, match, figures, units, mentions)
            if attribute is not None:
                out.append(attribute)
    return out


def _read_one(ctx, article_id, offset, words, match, figures, units, mentions) -> Attribute | None:
    head = _head_of(words)
    thing = _thing_token(head, match.set.attach)
    if thing is None or _negated(head, thing):
        return None
    if match.set.attach != "noun" and _counts_a_group(thing, figures, offset):
        return None
    if match.set.attach == "noun" and any(c.dep_ == "nummod" for c in head.children):
        return None
    start, end = words[0].idx + offset, words[-1].idx + len(words[-1].text) + offset
    claim = ctx.claim_at(article_id, start)
    if claim is None:
        return None
    inside = {t.i for t in words}
    clause = _clause(head)
    c_start = clause[0].idx + offset
    c_end = clause[-1].idx + len(clause[-1].text) + offset
    in_clause = [m for m in mentions if c_start <= m.start < c_end]
    near = _neighbours(head, thing, inside)
    keys = {t.lemma_.lower() for t in near}
    for m in in_clause:
        if m.entity_id and any(m.start <= t.idx + offset < m.end for t in near):
            keys.add(m.entity_id)
    thing_key, thing_entity, thing_text = None, None, thing.text
    if match.set.attach == "modifier":
        thing_key = thing.lemma_.lower()
    elif match.set.attach == "reference":
        named = next((m for m in mentions if m.start <= thing.idx + offset < m.end), None)
        thing_key = fold_name(named.text) if named else thing.lemma_.lower()
        thing_entity = named.entity_id if named else None
        thing_text = named.text if named else thing.text
    context = " ".join(t.text for t in clause if t.i not in inside)
    clause_figures = tuple(  # the value's own words ("second" of "second-highest") are not a figure
        (q.unit or q.kind.value, q.value, q.low, q.high)
        for (s, e), q in units.items() if c_start <= s < c_end and not (s < end and start < e)
    )
    return Attribute(
        article_id=article_id,
        claim=claim,
        set=match.set,
        value=match.value,
        text=ctx.text(article_id, start, end),
        span=Span(start, end),
        clause=Span(min(c_start, start), max(c_end, end)),
        thing=thing_key,
        thing_entity=thing_entity,
        thing_text=thing_text,
        neighbours=frozenset(keys),
        context=context,
        names=tuple((m.label, fold_name(m.text)) for m in in_clause if m.label in _NAMED),
        figures=clause_figures,
    )


# --------------------------------------------------------------------------- comparing


def _same_name(x: str, y: str, similarity: float) -> bool:
    """One name, maybe spelt two ways ("Marrakesh", "Marrakech"), or one inside the other
    ("Texas", "West Texas")."""
    return x in y or y in x or fuzz.ratio(x, y) >= similarity


def _same_thing(a: Attribute, b: Attribute, similarity: float) -> bool:
    if a.set.attach == "noun":
        return bool(a.neighbours & b.neighbours)
    if a.thing is None or b.thing is None:
        return False
    if a.set.attach == "reference":
        return (a.thing_entity is not None and a.thing_entity == b.thing_entity) or _same_name(a.thing, b.thing, similarity)
    return a.thing == b.thing


def _names_differ(a: Attribute, b: Attribute, similarity: float) -> bool:
    """Both clauses name a place, person or body of one kind, and none of one is the
    other's."""
    for label in {lab for lab, _ in a.names} & {lab for lab, _ in b.names}:
        mine = {n for lab, n in a.names if lab == label}
        theirs = {n for lab, n in b.names if lab == label}
        if not any(_same_name(x, y, similarity) for x in mine for y in theirs):
            return True
    return False


def _overlap(x: tuple[str, float, float, float], y: tuple[str, float, float, float]) -> bool:
    return x[0] == y[0] and max(x[2], y[2]) <= min(x[3], y[3])


def _figures_differ(a: Attribute, b: Attribute) -> bool:
    """Both clauses give figures in one unit, and none of one can be any of the other's
    (29.45 feet at one gauge, 34.76 feet at another): two readings, two things."""
    if _shares_figure(a, b):
        return False
    units = {f[0] for f in a.figures} & {f[0] for f in b.figures}
    return any(not any(_overlap(x, y) for x in a.figures for y in b.figures if x[0] == u == y[0]) for u in units)


def _shares_figure(a: Attribute, b: Attribute) -> bool:
    """Both clauses give one precise figure (29.45, 72 — not a bare "two"): they tell the
    same reading."""
    return any(
        _overlap(x, y) for x in a.figures for y in b.figures
        if not (float(x[1]).is_integer() and abs(x[1]) < 10)
    )


def _echoes(mine: Sequence[Attribute], other: Attribute, similarity: float) -> bool:
    """Whether an article (its values ``mine``) also gives ``other``'s value for the thing
    ``other`` describes: then it tells a breakdown or two things ("a man and a woman were
    hurt"; one gauge's crest the third-highest, another's the fifth), not a rival value."""
    return any(
        c.value == other.value and c.set.name == other.set.name and _same_thing(c, other, similarity)
        and not _names_differ(c, other, similarity) and not _figures_differ(c, other)
        for c in mine
    )


def _where(*attributes: Attribute) -> list[tuple[str, int, int]]:
    return [(a.article_id, a.clause.start, a.clause.end) for a in attributes]


def _candidates(ctx: StoryContext) -> tuple[Sequence[Attribute], list[tuple[Attribute, Attribute]]]:
    """The story's attributes and the pairs of them that may be of one thing (read once)."""
    names = ctx.config.name_token_similarity
    return paired_readings(ctx, NAME, read_attributes,
                           lambda a, b: a.set.name == b.set.name and _same_thing(a, b, names))


def _texts(ctx: StoryContext) -> list[str]:
    return paired_contexts(_candidates(ctx)[1])


@register_detector(NAME, kinds=[DiscrepancyKind.ENTITY_ATTRIBUTE], label="Who or what", texts=_texts)
def detect_attribute_conflicts(ctx: StoryContext) -> list[Discrepancy]:
    """One thing given two values of an exclusive set by two sources."""
    cfg = ctx.config
    names = cfg.name_token_similarity
    attributes, pairs = _candidates(ctx)
    by_article: dict[str, list[Attribute]] = defaultdict(list)
    for a in attributes:
        by_article[a.article_id].append(a)
    if not pairs:
        return []
    sims = ctx.similarity([a.context for a, _ in pairs], [b.context for _, b in pairs])
    conflicts: list[tuple[Attribute, Attribute, float]] = []
    for (a, b), sim in zip(pairs, sims, strict=True):
        threshold = cfg.attribute_figure_similarity if _shares_figure(a, b) else cfg.attribute_context_similarity
        if sim < threshold:
            ctx.refuse(NAME, "wording", _where(a, b), f"“{a.text}” / “{b.text}”: similarity {sim:.2f} < {threshold}")
            continue
        if _names_differ(a, b, names) or _figures_differ(a, b):
            ctx.refuse(NAME, "other", _where(a, b), f"“{a.text}” / “{b.text}”: the clauses name other things")
            continue
        ctx.compared(NAME, (a.claim.id, b.claim.id), consistent=a.value == b.value)
        if a.value == b.value:
            continue
        if _echoes(by_article[a.article_id], b, names) or _echoes(by_article[b.article_id], a, names):
            ctx.refuse(NAME, "echo", _where(a, b), f"“{a.text}” / “{b.text}”: one article gives both")
            continue
        conflicts.append((a, b, float(sim - threshold)))
    return [_discrepancy(ctx, component) for component in _components(conflicts)]


# --------------------------------------------------------------------------- reporting


def _components(conflicts: Iterable[tuple[Attribute, Attribute, float]]) -> list[list[tuple[Attribute, Attribute, float]]]:
    parent: dict[Attribute, Attribute] = {}

    def find(x: Attribute) -> Attribute:
        while parent.get(x, x) is not x:
            x = parent[x]
        return x

    conflicts = list(conflicts)
    for a, b, _ in conflicts:
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[rb] = ra
    groups: dict[int, list] = defaultdict(list)
    for pair in conflicts:
        groups[id(find(pair[0]))].append(pair)
    return list(groups.values())


def _discrepancy(ctx: StoryContext, component: Sequence[tuple[Attribute, Attribute, float]]) -> Discrepancy:
    score = {(id(a), id(b)): s for a, b, s in component}
    score.update({(id(b), id(a)): s for a, b, s in component})
    members = {id(x): x for a, b, _ in component for x in (a, b)}
    by_value: dict[str, list[Attribute]] = defaultdict(list)
    for x in sorted(members.values(), key=lambda x: (x.article_id, x.span.start)):
        by_value[x.value].append(x)
    sides = sorted(by_value.values(), key=lambda side: (len({x.article_id for x in side}), side[0].value))
    odd = sides[0][0]
    # on each other side, the telling that met the odd one most clearly (similarity
    # above the threshold that applied)
    shown = [odd] + [max(side, key=lambda x: score.get((id(odd), id(x)), -1.0)) for side in sides[1:]]
    first = shown[0]
    label = first.set.label
    if first.set.attach == "reference":
        label = f"{label} from {first.thing_text}"
    elif first.set.attach == "modifier":
        label = f"{label} ({first.thing_text.lower()})" if first.thing_text.lower() not in label.lower() else label
    values = " vs ".join(x.text for x in shown)
    stated = "; ".join(f"“{x.text}” ({x.article_id})" for x in shown)
    best = max(s for _, _, s in component)  # margin over the threshold
    evidence = tuple(
        ctx.span_evidence(x.claim, x.clause, value=x.text, highlights=[x.span], detail=f"{x.set.label}: {x.value}")
        for x in shown
    )
    return Discrepancy(
        id=stable_id(DiscrepancyKind.ENTITY_ATTRIBUTE, first.set.name, *sorted(f"{x.article_id}:{x.span.start}" for x in shown)),
        kind=DiscrepancyKind.ENTITY_ATTRIBUTE,
        severity=Severity.MEDIUM,
        score=min(1.0, 0.5 + best),
        explanation=f"{label}: {stated} — one {first.set.label.lower()} cannot take both values",
        evidence=evidence,
        subject=first.thing_text,
        title=f"{label}: {values}",
    )

