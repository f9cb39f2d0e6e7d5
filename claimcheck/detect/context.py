"""The story context every detector reads: one story's articles, parses, claims, claim
groups, figure slots, linked names, dates and the embedding function, built once.

Detectors never re-read raw text for something an earlier stage gives: figures come as
``Figure`` slots (``claimcheck.figures``), names as linked ``EntityMention``s, sentences
as the article's one spaCy parse (``doc_of``).  What a detector weighed and let go goes to
the optional trace (``refuse``); which claims it compared, and whether they agreed, goes to
``compared`` for the "who reports what" matrix.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from claimcheck.config import Config
from claimcheck.entities import NameRelation, compare_names
from claimcheck.figures import Figure
from claimcheck.nlp import tokens_between
from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Comparison,
    DiscrepancyKind,
    Entity,
    EntityMention,
    Evidence,
    Span,
)
from claimcheck.trace import DetectionTrace

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

#: rowwise cosine similarity of two equally long lists of texts
Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]
#: texts -> unit vectors, one row per text
Encoder = Callable[[Sequence[str]], np.ndarray]


def paired_readings(
    ctx: StoryContext, key: str, read: Callable[[StoryContext], Sequence[Any]], may_meet: Callable[[Any, Any], bool]
) -> tuple[Sequence[Any], list[tuple[Any, Any]]]:
    """A detector's readings of the story (``read(ctx)``, each with an ``article_id``),
    and the pairs of them from two articles that ``may_meet``: read once per story."""

    def both() -> tuple[Sequence[Any], list[tuple[Any, Any]]]:
        items = read(ctx)
        pairs = [(a, b) for a, b in itertools.combinations(items, 2)
                 if a.article_id != b.article_id and may_meet(a, b)]
        return items, pairs

    return ctx.once(key, both)


def paired_contexts(pairs: Sequence[tuple[Any, Any]]) -> list[str]:
    """The clauses of paired readings (their ``context``), for a ``texts`` function."""
    return [x.context for pair in pairs for x in pair]


def figure_contexts(ctx: StoryContext) -> list[str]:
    """The figures' clauses, figure masked: what the figure detectors embed (a
    ``texts`` function for their registrations)."""
    return [f.context for f in ctx.figures]


def embedding_similarity(embed: Encoder) -> Similarity:
    """Build a ``Similarity`` from an encoder returning unit vectors (``Embedder.encode``)."""

    def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if not a:
            return np.zeros(0)
        vectors = embed(list(a) + list(b))
        return np.einsum("ij,ij->i", vectors[: len(a)], vectors[len(a) :])

    return similarity


def stable_id(kind: DiscrepancyKind, *parts: str) -> str:
    """An id that stays the same across runs for the same disagreement."""
    digest = hashlib.sha1("\x1f".join([kind.value, *parts]).encode("utf-8")).hexdigest()
    return f"{kind.value[:3]}-{digest[:12]}"


@dataclass
class StoryContext:
    """What detectors look at (see the module docstring)."""

    articles: Mapping[str, Article]
    claims: Sequence[Claim]
    entities: Sequence[Entity]
    mentions: Mapping[str, Sequence[EntityMention]]  # per article, linked
    groups: Sequence[ClaimGroup] = ()
    figures: Sequence[Figure] = ()
    docs: Mapping[str, Doc] = field(default_factory=dict)  # article id -> parse of its body
    embed: Encoder | None = None
    config: Config = field(default_factory=Config)
    trace: DetectionTrace | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    # what detectors read from the parse, kept for the story (see ``once``)
    readings: dict[str, Any] = field(default_factory=dict, repr=False)

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """``read()`` the first time ``key`` is asked for, then the same value: a detector's
        readings, named ahead for embedding (``texts_to_embed``) and used again to detect."""
        if key not in self.readings:
            self.readings[key] = read()
        return self.readings[key]

    # ------------------------------------------------------------------ text and parse

    def text(self, article_id: str, start: int, end: int) -> str:
        return self.articles[article_id].text[start:end]

    def sentence_text(self, claim: Claim) -> str:
        return self.text(claim.article_id, claim.sentence.start, claim.sentence.end)

    def doc_of(self, article_id: str) -> tuple[Doc, int] | None:
        """The parse of an article's body and the offset of its first character."""
        doc = self.docs.get(article_id)
        return (doc, self.articles[article_id].body_start) if doc is not None else None

    def tokens(self, article_id: str, start: int, end: int) -> list[Any]:
        """The parsed tokens covering ``[start, end)`` of an article (article offsets)."""
        found = self.doc_of(article_id)
        if found is None:
            return []
        doc, offset = found
        return tokens_between(doc, max(0, start - offset), max(0, end - offset))

    # ------------------------------------------------------------------ lookups

    @functools.cached_property
    def claims_by_article(self) -> dict[str, list[Claim]]:
        by_article: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            by_article[claim.article_id].append(claim)
        return by_article

    @functools.cached_property
    def claim_index(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    def claim(self, claim_id: str) -> Claim:
        return self.claim_index[claim_id]

    @functools.cached_property
    def group_of(self) -> dict[str, str]:
        """Claim id -> the id of its claim group."""
        return {cid: g.id for g in self.groups for cid in g.claim_ids}

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Entity id -> its canonical name."""
        return {e.id: e.name for e in self.entities}

    @functools.cached_property
    def story_date(self) -> dt.date | None:
        """The date most of the story's articles carry."""
        dates = Counter(a.date for a in self.articles.values() if a.date)
        return max(dates, key=lambda d: (dates[d], d)) if dates else None

    def holder_name(self, key: str) -> str:
        """How a holder is named: an entity's canonical name, or the name read from the
        parse for a "name:<folded>" key."""
        if key in self.names:
            return self.names[key]
        return key.removeprefix("name:")

    def same_holder(self, a: str, b: str) -> bool:
        """Whether two holder keys name one person, body or place: the same entity, or
        names that are one name written shorter, longer or slightly differently
        ("Lund" / "Per Lund")."""
        if a == b:
            return True
        return compare_names(self.holder_name(a), self.holder_name(b)) != NameRelation.DIFFERENT

    def article_date(self, article_id: str) -> dt.date | None:
        return self.articles[article_id].date or self.story_date

    def claim_at(self, article_id: str, pos: int) -> Claim | None:
        """The claim whose own span holds ``pos``, else the first claim of its sentence."""
        in_sentence = None
        for claim in self.claims_by_article.get(article_id, ()):
            if any(s.start <= pos < s.end for s in claim.spans):
                return claim
            if in_sentence is None and claim.sentence.start <= pos < claim.sentence.end:
                in_sentence = claim
        return in_sentence

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each ``a[i]`` with ``b[i]`` (1.0 without an encoder)."""
        if self.embed is None:
            return np.ones(len(a))
        return embedding_similarity(self.embed)(a, b)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (one batched, cached call)."""
        if self.embed is None or not texts:
            return np.ones((len(texts), 1))
        return np.asarray(self.embed(list(texts)))

    # ------------------------------------------------------------------ evidence

    def claim_evidence(
        self, claim: Claim, *, value: str | None = None, highlights: Iterable[Span] = (), detail: str = ""
    ) -> Evidence:
        """One side: the claim, with the differing words highlighted."""
        return Evidence(
            file=claim.article_id,
            start=claim.start,
            end=claim.end,
            text=self.text(claim.article_id, claim.start, claim.end),
            speaker=claim.speaker.name,
            value=value,
            highlights=tuple(highlights),
            claim_id=claim.id,
            detail=detail,
        )

    def span_evidence(
        self, claim: Claim, span: Span, *, value: str | None = None, highlights: Iterable[Span] = (),
        detail: str = "",
    ) -> Evidence:
        """One side that is a few words (a name, a title): the claim gives its context."""
        return Evidence(
            file=claim.article_id,
            start=span.start,
            end=span.end,
            text=self.text(claim.article_id, span.start, span.end),
            speaker=claim.speaker.name,
            value=value,
            highlights=tuple(highlights),
            claim_id=claim.id,
            detail=detail,
        )

    # ------------------------------------------------------------------ trace and comparisons

    def refuse(self, detector: str, gate: str, spans: Iterable[tuple[str, int, int]], detail: str = "") -> None:
        """Record a candidate let go (only when a trace is being kept)."""
        if self.trace is not None:
            self.trace.refuse(detector, gate, spans, detail)

    @property
    def tracing(self) -> bool:
        return self.trace is not None

    def compared(self, detector: str, claim_ids: Iterable[str], consistent: bool) -> None:
        """Record that claims of different sources were compared on one point."""
        ids = tuple(dict.fromkeys(claim_ids))
        if len(ids) >= 2:
            self.comparisons.append(Comparison(detector, ids, consistent))
