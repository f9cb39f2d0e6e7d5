"""Typed records passed between the pipeline stages.

Data flows one way: ``Article -> Claim (+ Quantity, EntityMention) -> ClaimGroup ->
Discrepancy -> Report``.  Every record that points into an article does so with
character offsets into ``Article.text``, which is the file exactly as decoded from
disk, so evidence can always be traced back to the original bytes.

The records import nothing else of claimcheck, so every stage can build on them: what is
computed from a record (a figure in words, a report as a table) lives with the stage
that computes it (``quantities.quantity_in_words``, ``report.tables.discrepancies_frame``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Article:
    """One news article.

    ``text`` is the whole file as decoded (offsets point into it); ``body_start`` is
    where the article body begins when the file opens with metadata (a header block or
    an inline ``date 2025-12-15``).  ``date`` accepts a ``datetime.date`` or an ISO string.
    ``encoding`` is the decoding the text came from (``utf-8``, ``cp1252``...; None for
    an article given as text); ``record`` is the record id of an article read from JSONL,
    whose ``id`` is then ``<file name>#<record id>``.
    """

    id: str
    text: str
    source: str | None = None
    date: dt.date | None = None
    title: str | None = None
    path: str | None = None
    url: str | None = None
    body_start: int = 0
    notes: tuple[str, ...] = ()
    encoding: str | None = None
    record: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.date, str):
            object.__setattr__(self, "date", _parse_iso_date(self.date))
        if isinstance(self.date, dt.datetime):
            object.__setattr__(self, "date", self.date.date())
        if self.source is None:
            object.__setattr__(self, "source", self.id)

    @property
    def outlet(self) -> str:
        return self.source or self.id


def _parse_iso_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in an article's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} precedes start {self.start}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


# --------------------------------------------------------------------------- quantities


class QuantityKind(str, Enum):
    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"
    AGE = "age"
    ORDINAL = "ordinal"
    YEAR = "year"  # a calendar year, also "35 years ago" resolved against a date
    DATE = "date"  # a calendar day or month; low/high are proleptic ordinals
    DURATION = "duration"
    OTHER = "other"


@dataclass(frozen=True)
class Quantity:
    """A number as stated, with the interval it allows.

    ``low``/``high`` are inclusive bounds of what the wording allows once its hedge and
    rounding are taken into account ("nearly 27%" -> [25.5, 27.0]; "58.30%" ->
    [58.295, 58.305]; "more than 95%" -> [95.0, 100.0]).  Open-ended bounds are
    ``math.inf``/``-math.inf``.  ``unit`` is what makes two quantities comparable: two
    quantities are only compared when their ``kind`` and ``unit`` match.
    For DATE, ``low``/``high`` are ``datetime.date.toordinal()`` values; a date whose year
    cannot be resolved gets unit ``"month-day"`` and low/high ``month*100+day``.
    """

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    kind: QuantityKind
    unit: str = ""
    hedge: str | None = None
    measure: str | None = None  # what the number counts: "vote", "ballots counted"

    def __post_init__(self) -> None:
        if not (self.low <= self.value <= self.high) and not math.isnan(self.value):
            raise ValueError(f"{self.text!r}: value {self.value} outside [{self.low}, {self.high}]")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high

    def interval(self) -> str:
        """The interval in words a reader can check: ``[25.5, 27]``, ``[2026-03-11]``."""
        if self.kind == QuantityKind.DATE and self.unit == "date":
            low, high = dt.date.fromordinal(int(self.low)), dt.date.fromordinal(int(self.high))
            return f"[{low}]" if low == high else f"[{low} – {high}]"
        if self.kind == QuantityKind.DATE:  # month*100 + day, year unknown
            low, high = int(self.low), int(self.high)
            return f"[{low // 100:02d}-{low % 100:02d} – {high // 100:02d}-{high % 100:02d}, year unknown]"
        if self.kind == QuantityKind.YEAR:
            return f"[{int(self.low)}]" if self.low == self.high else f"[{int(self.low)} – {int(self.high)}]"
        return f"[{_fmt(self.low)}, {_fmt(self.high)}]"

    def describe(self) -> str:
        """The normalised reading, for explanations: ``nearly 27% = [25.5, 27]``."""
        return f"{self.text} = {self.interval()}"


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


# --------------------------------------------------------------------------- entities


class TitleTense(str, Enum):
    CURRENT = "current"
    FORMER = "former"  # "former", "ex-", "outgoing"
    FUTURE = "future"  # "-elect", "incoming", "would-be"


@dataclass(frozen=True)
class Title:
    """A title or role attached to a person mention ("U.S. Senator", "former congressman")."""

    text: str
    start: int
    end: int
    head: str  # normalised office or role: "senator", "secretary of state", "president"
    tense: TitleTense = TitleTense.CURRENT
    is_office: bool = False  # an office one holds (exclusive) rather than a label ("far-right")


@dataclass(frozen=True)
class EntityMention:
    text: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, NORP, ...
    titles: tuple[Title, ...] = ()
    entity_id: str | None = None  # filled by entities.link_entities

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place as one canonical record across articles."""

    id: str
    name: str  # canonical (most complete, most frequent) surface form
    label: str
    variants: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()


# --------------------------------------------------------------------------- claims


class SpeakerKind(str, Enum):
    OUTLET = "outlet"
    PERSON = "person"
    SOCIAL_POST = "social_post"


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: SpeakerKind = SpeakerKind.OUTLET


class Modality(str, Enum):
    FACT = "fact"
    PLEDGE = "pledge"  # pledge / proposal / plan
    PREDICTION = "prediction"  # prediction / expectation / forecast
    OPINION = "opinion"


@dataclass(frozen=True)
class Claim:
    """One atomic claim: a single assertion, with where it sits in the original file.

    ``text`` is standalone (subject restored, pronoun subject resolved when clear) and
    is what gets embedded; ``spans`` are the exact character ranges of the claim in the
    article (several when the clause is discontinuous); ``sentence`` is the enclosing
    sentence, shown as context.
    """

    id: str
    article_id: str
    text: str
    spans: tuple[Span, ...]
    sentence: Span
    speaker: Speaker
    modality: Modality = Modality.FACT
    subject: str | None = None  # surface text of the subject as resolved
    subject_entity: str | None = None  # Entity.id once linked
    quantities: tuple[Quantity, ...] = ()
    entities: tuple[EntityMention, ...] = ()

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans)


@dataclass(frozen=True)
class ClaimGroup:
    """Claims from one or more sources that say the same thing."""

    id: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    label: str  # a representative claim text

    @property
    def single_source(self) -> bool:
        return len(set(self.article_ids)) < 2


# --------------------------------------------------------------------------- discrepancies


class DiscrepancyKind(str, Enum):
    NUMERIC = "numeric"
    QUALITATIVE_VS_NUMERIC = "qualitative_vs_numeric"
    ENTITY_ATTRIBUTE = "entity_attribute"
    NAME_SPELLING = "name_spelling"
    DATE = "date"
    SCOPE = "scope"
    FRAMING = "framing"
    OTHER = "other"


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


@dataclass(frozen=True)
class Evidence:
    """One side of a discrepancy: where in which file, and what it says."""

    file: str  # article id (the file name)
    start: int
    end: int
    text: str
    speaker: str = ""
    value: str | None = None  # the differing value as written ("nearly 27%")
    highlights: tuple[Span, ...] = ()  # absolute offsets of the differing words
    claim_id: str | None = None
    # the value in words, for the card's details line: "about 45 million, so 44–46 million"
    detail: str = ""


@dataclass(frozen=True)
class Discrepancy:
    id: str  # stable: derived from kind, subject and evidence
    kind: DiscrepancyKind
    severity: Severity
    score: float  # 0..1, orders discrepancies within a severity
    explanation: str  # one line, with the normalised values
    evidence: tuple[Evidence, ...]
    subject: str = ""
    group_id: str | None = None
    status: str = "open"
    # the card's title in newsroom words, from the parse: "Death toll at the plant: 9 vs at
    # least 12"; empty when the detector has none (the report then builds one)
    title: str = ""


@dataclass(frozen=True)
class Comparison:
    """Claims of different sources that a detector compared on one point (a figure, a
    name, a date), and whether they were found consistent.  The "who reports what"
    matrix says a source *agrees* only where such a comparison found it consistent."""

    detector: str
    claim_ids: tuple[str, ...]
    consistent: bool


# --------------------------------------------------------------------------- report


@dataclass
class Report:
    """Everything one run found: articles, claims, groups, discrepancies."""

    articles: list[Article]
    claims: list[Claim]
    groups: list[ClaimGroup]
    entities: list[Entity]
    discrepancies: list[Discrepancy]
    problems: list[str] = field(default_factory=list)  # rejected files, with reasons
    notes: list[str] = field(default_factory=list)  # accepted with a remark ("decoded as cp1252")
    config: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    comparisons: list[Comparison] = field(default_factory=list)  # what detection compared

    def claim(self, claim_id: str) -> Claim:
        index = self.__dict__.get("_claim_index")
        if index is None or len(index) != len(self.claims):
            index = self.__dict__["_claim_index"] = {c.id: c for c in self.claims}
        return index[claim_id]
