"""Cross-article linking: one ``Entity`` per person, organisation or place of a story.

``link_entities(mentions_by_article)`` groups the mentions of a whole story ("José Pérez",
"Jose Perez" and "Pérez's" are one person) and says which entity each mention points at;
``is_person_description`` and ``resolve_description``
link "the 59-year-old politician" to the person an article is about.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from claimcheck.entities.mentions import is_person_form
from claimcheck.entities.names import (
    NAME_PARTICLES,
    NameRelation,
    compare_names,
    fold_name,
    short_form_tokens,
    surname_tokens,
)
from claimcheck.entities.offices import OFFICES
from claimcheck.entities.titles import ROLE_WORDS
from claimcheck.models import Entity, EntityMention

_LABEL_PREFERENCE = {"PERSON": 0, "GPE": 1, "ORG": 2, "NORP": 3}

# --------------------------------------------------------------------------- linking

_LINKING = {
    NameRelation.SAME: 0,
    NameRelation.ACCENT_VARIANT: 0,
    NameRelation.SPELLING_VARIANT: 1,
    NameRelation.EXTENDED: 2,
}


@dataclass
class _Use:
    article_id: str
    mention: EntityMention
    order: int  # position in the story: article order, then offset
    form: str  # folded name

    @property
    def tokens(self) -> list[str]:
        return self.form.split()


class _Clusters:
    """Union-find over full-name forms that refuses to join two clusters holding two
    names of equal length that are different people ("Ana Ruiz" / "Eva Ruiz"): a shorter
    bridging form must not chain two relatives into one person."""

    def __init__(self, forms: Iterable[str], token_similarity: float):
        self.parent = {f: f for f in forms}
        self.members = {f: [f] for f in forms}
        self.similarity = token_similarity

    def find(self, f: str) -> str:
        while self.parent[f] != f:
            self.parent[f] = self.parent[self.parent[f]]
            f = self.parent[f]
        return f

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        for x in self.members[ra]:
            for y in self.members[rb]:
                if len(x.split()) == len(y.split()) and compare_names(
                    x, y, token_similarity=self.similarity
                ) is NameRelation.DIFFERENT:
                    return
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)


def _story_person_names(uses: Iterable[_Use]) -> tuple[set[str], set[str]]:
    tokens: set[str] = set()
    surnames: set[str] = set()
    for u in uses:
        names = [t for t in u.tokens if t not in NAME_PARTICLES]
        if u.mention.label == "PERSON" and len(names) >= 2:
            tokens.update(names)
            surnames.update(surname_tokens(names))
    return tokens, surnames


def _majority_label(votes: Counter[str]) -> str:
    return min(votes, key=lambda lab: (-votes[lab], _LABEL_PREFERENCE.get(lab, 9), lab))


def _person_forms(uses: Sequence[_Use], token_similarity: float) -> set[str]:
    """Forms that name people: mostly tagged PERSON; made of the story's person names (a
    surname tagged ORG in one article); or a full name that is a variant of a person's
    full name ("Mariella Fonseca" tagged ORG next to "Mariela Fonseca" tagged PERSON)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for u in uses:
        votes[u.form][u.mention.label] += 1
    tokens, surnames = _story_person_names(uses)
    people, undecided = set(), []
    for form, counts in votes.items():
        label = _majority_label(counts)
        if label == "PERSON":
            people.add(form)
        elif label != "GPE" and is_person_form(form.split(), tokens, surnames):
            people.add(form)
        elif label != "GPE" and len(form.split()) >= 2:
            undecided.append(form)
    full_people: dict[str, list[str]] = defaultdict(list)
    for form in people:
        if len(form.split()) >= 2:
            for t in set(form.split()) - NAME_PARTICLES:
                full_people[t].append(form)
    for form in undecided:
        near = {p for t in set(form.split()) - NAME_PARTICLES for p in full_people.get(t, ())}
        if any(compare_names(form, p, token_similarity=token_similarity) in _LINKING for p in near):
            people.add(form)
    return people


def _cluster_full_names(full_uses: Sequence[_Use], token_similarity: float) -> _Clusters:
    """Join full names that are one person; compares only names sharing a token.

    Strongest relations join first (accents, then spellings, then added names); among
    equals, names used in the same article first, so that an ambiguous shorter name
    ("Ana Ruiz" beside "Ana María Ruiz" and "Ana Lucía Ruiz") joins the one it appears with.
    """
    articles: dict[str, set[str]] = defaultdict(set)
    for u in full_uses:
        articles[u.form].add(u.article_id)
    by_token: dict[str, list[str]] = defaultdict(list)
    for f in articles:
        for t in set(f.split()) - NAME_PARTICLES:
            by_token[t].append(f)
    edges = set()
    for f in articles:
        for t in set(f.split()) - NAME_PARTICLES:
            for g in by_token[t]:
                if g > f:
                    rel = compare_names(f, g, token_similarity=token_similarity)
                    if rel in _LINKING:
                        edges.add((_LINKING[rel], -len(articles[f] & articles[g]), f, g))
    clusters = _Clusters(sorted(articles), token_similarity)
    for *_, f, g in sorted(edges):
        clusters.union(f, g)
    return clusters


def _pick_for_short_form(
    short: _Use,
    candidates: Sequence[str],
    full_orders: Mapping[tuple[str, str], Sequence[int]],
    story_count: Mapping[str, int],
    first_seen: Mapping[str, int],
) -> str | None:
    """The person a bare surname means.

    A bare surname points back to someone already named in full in the same article
    (the most mentioned of them there); with nobody named before it (a headline, a
    lede), to the person with that surname mentioned most in the whole story.
    """
    earlier = {
        r: bisect.bisect_left(full_orders.get((short.article_id, r), ()), short.order) for r in candidates
    }
    earlier = {r: n for r, n in earlier.items() if n}
    if earlier:
        return min(earlier, key=lambda r: (-earlier[r], -story_count[r], first_seen[r]))
    return min(candidates, key=lambda r: (-story_count[r], first_seen[r])) if candidates else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_name(name)).strip("-") or "unnamed"


def _canonical_name(uses: Sequence[_Use]) -> str:
    full = Counter(u.mention.text for u in uses if len(u.tokens) >= 2)
    counts = full or Counter(u.mention.text for u in uses)
    first = {}
    for u in uses:
        first.setdefault(u.mention.text, u.order)
    return min(counts, key=lambda t: (-counts[t], -len(t), first[t]))


def link_entities(
    mentions_by_article: Mapping[str, Sequence[EntityMention]], *, token_similarity: float = 80.0
) -> tuple[list[Entity], dict[tuple[str, int, int], str]]:
    """Group one story's mentions into entities.

    Returns the entities (in order of first appearance) and a map
    ``(article_id, start, end) -> entity id`` for every mention that was linked.
    """
    uses: list[_Use] = []
    for a_index, (article_id, mentions) in enumerate(mentions_by_article.items()):
        for m in sorted(mentions, key=lambda m: (m.start, m.end)):
            form = fold_name(m.text)
            if form:
                uses.append(_Use(article_id, m, a_index * 10**9 + m.start, form))
    article_order = list(mentions_by_article)

    people = _person_forms(uses, token_similarity)
    person_uses = [u for u in uses if u.form in people]
    full_forms = sorted({u.form for u in person_uses if len(u.tokens) >= 2})
    clusters = _cluster_full_names([u for u in person_uses if len(u.tokens) >= 2], token_similarity)

    groups: dict[tuple[str, str], list[_Use]] = defaultdict(list)  # (label, key) -> uses
    full_orders: dict[tuple[str, str], list[int]] = defaultdict(list)  # (article, person) -> positions
    story_count: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for u in person_uses:  # in story order, so the position lists come out sorted
        if len(u.tokens) >= 2:
            root = clusters.find(u.form)
            groups["PERSON", root].append(u)
            full_orders[u.article_id, root].append(u.order)
            story_count[root] += 1
            first_seen.setdefault(root, u.order)

    # bare names: bucket the full names by the tokens they may be shortened to; a
    # surname first, else the first word of a two-word name ("Xi" of "Xi Jinping")
    by_surname: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for f in full_forms:
        tokens = f.split()
        for t in surname_tokens(tokens):
            by_surname[t].add(clusters.find(f))
        for t in short_form_tokens(tokens) - surname_tokens(tokens):
            by_first[t].add(clusters.find(f))
    for u in person_uses:
        if len(u.tokens) >= 2:
            continue
        candidates = sorted(by_surname.get(u.form) or by_first.get(u.form, ()))
        root = _pick_for_short_form(u, candidates, full_orders, story_count, first_seen)
        groups["PERSON", root or u.form].append(u)

    other_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for u in uses:
        if u.form not in people:
            other_votes[u.form][u.mention.label] += 1
    for u in uses:
        if u.form not in people:
            votes = other_votes[u.form]
            votes_no_person = Counter({k: v for k, v in votes.items() if k != "PERSON"}) or votes
            groups[_majority_label(votes_no_person), u.form].append(u)

    entities: list[Entity] = []
    links: dict[tuple[str, int, int], str] = {}
    taken_ids: set[str] = set()
    for (label, _key), members in sorted(groups.items(), key=lambda kv: min(u.order for u in kv[1])):
        members.sort(key=lambda u: u.order)
        name = _canonical_name(members)
        base = f"{label.lower()}:{_slug(name)}"
        entity_id, n = base, 2
        while entity_id in taken_ids:
            entity_id, n = f"{base}-{n}", n + 1
        taken_ids.add(entity_id)
        seen = Counter(u.mention.text for u in members)
        first = {}
        for u in members:
            first.setdefault(u.mention.text, u.order)
        entities.append(
            Entity(
                id=entity_id,
                name=name,
                label=label,
                variants=tuple(sorted(seen, key=lambda t: (-seen[t], first[t]))),
                article_ids=tuple(a for a in article_order if any(u.article_id == a for u in members)),
            )
        )
        for u in members:
            links[u.article_id, u.mention.start, u.mention.end] = entity_id
    return entities, links


# --------------------------------------------------------------------------- descriptions

_DEFINITE = re.compile(r"^(?:the|this|that)\s+", re.IGNORECASE)
_AGE_ADJECTIVE = re.compile(r"\b\d{1,3}-year-old\b", re.IGNORECASE)


def is_person_description(text: str) -> bool:
    """Whether a noun phrase is a definite description of a person: "the 59-year-old
    politician", "the newcomer", "the former minister" (not "the government")."""
    text = text.strip()
    if not _DEFINITE.match(text) or len(text.split()) > 8:
        return False
    if _AGE_ADJECTIVE.search(text):
        return True
    head = fold_name(text.split()[-1])
    return head in ROLE_WORDS or head in OFFICES


def resolve_description(
    salience: Sequence[str], named_nearby: Iterable[str]
) -> str | None:
    """The person a definite description most likely refers to: the article's most
    mentioned person (``salience``, most first) who is not already named in the same
    sentence ("the 59-year-old politician ... while his rival, Ana Ruiz, ..." is not Ana
    Ruiz)."""
    nearby = set(named_nearby)
    return next((p for p in salience if p not in nearby), None)

