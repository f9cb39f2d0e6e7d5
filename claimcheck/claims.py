"""Atomic claims: split one article into single assertions, each with who makes it.

The stage reads the one spaCy parse the pipeline made of the article body and works on
*sets of token indices*: a claim is the set of tokens that state it, so its spans are the
maximal runs of those tokens and always point at the original words, even when the claim
is discontinuous (a shared subject plus a second verb phrase, a list prefix plus one item).
Its ``text`` is rendered from the same tokens, with the few edits that make it stand
alone (a pronoun subject replaced by the name it refers to, "is" between a name and its
appositive).

Per sentence (the parser's sentences, further cut at line breaks):

1. skip headline lines (no final punctuation, Title Case or short and verbless) and the
   signature of an embedded social-media post (``pic.twitter.com/… — Name (@handle) date``);
   when the parser ran a headline into the line below, re-attach the line's pieces (its
   subject often hangs off a headline word);
2. decide who speaks: the outlet by default; the poster for every line of a social-media
   post; a person for quoted speech (``“…,” X said``, ``X: "…"``) and reported speech
   (``X said that …``, ``X told Y that …``, ``according to X, …``);
3. split coordinated clauses, restoring the shared subject (and auxiliary) of the first;
4. turn appositives ("Ana Ruiz, 59, leader of …") and non-restrictive *who* clauses into
   claims of their own;
5. split lists of verb complements (or of three or more nouns) into one claim per item
   that keeps the shared frame;
6. replace a he/she/they subject by the person subject of the previous sentences;
7. label modality (pledge, prediction, opinion, fact) from the word lists below.

A split that would leave a piece shorter than ``MIN_CLAIM_WORDS`` words is not made, so an
odd parse degrades to fewer, longer claims rather than fragments; a sentence that yields
nothing else becomes one claim.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from claimcheck.config import Config
from claimcheck.models import (
    Article,
    Claim,
    EntityMention,
    Modality,
    Quantity,
    Span,
    Speaker,
    SpeakerKind,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["extract_claims", "quoted_ranges"]

# --------------------------------------------------------------------------- word lists
# Every lexical rule of the stage lives here, so tuning means editing one block.

MIN_CLAIM_WORDS = 3  # a split piece shorter than this is not a claim
MIN_SENTENCE_WORDS = 2  # a whole sentence shorter than this is not a claim either
PRONOUN_LOOKBACK = 2  # sentences searched for the person a pronoun subject names
MAX_CLAIMS_PER_CLAUSE = 8  # list splitting stops before a clause explodes
HEADLINE_MAX_WORDS = 20  # a Title Case line without final punctuation, up to this long
HEADLINE_VERBLESS_MAX_WORDS = 8  # a verbless line without final punctuation, shorter than this
SOCIAL_POST_LOOKBACK = 3  # lines above a post signature that may belong to the post

RESOLVABLE_PRONOUNS = frozenset({"he", "she", "they"})
FIRST_PERSON = frozenset({"i", "we"})

# Verbs that introduce what someone said (their clausal complement is the speech).
REPORTING_VERBS = frozenset({
    "say", "tell", "state", "add", "claim", "announce", "insist", "warn", "argue", "note",
    "write", "explain", "declare", "assert", "stress", "acknowledge", "admit", "confirm",
    "deny", "allege", "predict", "promise", "pledge", "vow", "tweet", "post", "reply",
    "respond", "remark", "comment", "contend", "maintain", "caution", "report",
})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Children of a reporting verb that only frame the speech ("told reporters on Monday").
FRAME_DEPS = frozenset({
    "aux", "auxpass", "neg", "advmod", "prt", "dative", "dobj", "iobj", "punct", "cc",
    "mark", "prep", "npadvmod", "agent",
})
# Children that never travel with a subject when it is restored to a later conjunct.
NP_ASIDE_DEPS = frozenset({"appos", "relcl", "acl", "advcl", "parataxis", "punct", "cc", "conj"})

# Titles stripped from the front of a name ("Congresswoman Ana Ruiz" -> "Ana Ruiz").
TITLE_WORDS = frozenset({
    "president", "senator", "sen", "congressman", "congresswoman", "representative", "rep",
    "minister", "mayor", "governor", "gov", "secretary", "chancellor", "premier", "judge",
    "general", "gen", "dr", "mr", "mrs", "ms", "sir", "dame", "prime", "councillor",
    "councilor", "commissioner", "ambassador", "deputy", "candidate", "leader", "former",
    "outgoing", "incoming", "vice", "chief", "speaker", "state", "of",
})
NON_PERSON_LABELS = frozenset({
    "GPE", "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART",
    "LANGUAGE", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
})

# Pledges: a commitment to act.
PLEDGE_LEMMAS = frozenset({
    "promise", "pledge", "vow", "propose", "advocate", "guarantee",
})
# ... these only with a complement ("wants to shrink the state", "plans to", "committed to").
PLEDGE_WITH_COMPLEMENT = frozenset({"want", "plan", "seek", "intend", "aim", "commit", "commitment"})
PLATFORM_LEMMAS = frozenset({"platform", "manifesto", "agenda"})
PLATFORM_VERBS = frozenset({"include", "feature", "contain"})

# Predictions: expectations, forecasts, possibility, scheduled future events.
PREDICTION_LEMMAS = frozenset({
    "expect", "anticipate", "likely", "unlikely", "forecast", "predict", "foreshadow",
    "schedule", "poised", "probably", "possibly", "potentially", "projected", "poll",
})
PREDICTION_MODALS = frozenset({"could", "may", "might", "will", "would", "shall", "'ll"})
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll"})
# With a person subject, "will" + one of these is a forecast, not a promise.
NON_ACTION_VERBS = frozenset({
    "be", "become", "have", "remain", "face", "need", "get", "win", "lose", "receive",
    "take", "assume", "see", "meet", "visit", "travel", "arrive", "lead", "continue",
})

# Opinions: judgement verbs, perception frames, evaluative words in someone's speech.
OPINION_LEMMAS = frozenset({
    "criticise", "criticize", "warn", "condemn", "denounce", "praise", "slam", "blast",
    "accuse", "argue", "lament", "decry", "hail", "applaud",
})
PERCEPTION_LEMMAS = frozenset({"perceive", "view", "regard", "see", "consider"})  # + "as"
JUDGEMENT_WORDS = frozenset({
    "bad", "worse", "worst", "good", "better", "best", "great", "greatest", "terrible",
    "awful", "horrible", "disastrous", "catastrophic", "dangerous", "extreme", "shameful",
    "disgraceful", "unacceptable", "wrong", "excellent", "wonderful", "fantastic",
    "brilliant", "incompetent", "corrupt", "failed", "convincing", "outrageous",
    "ridiculous", "absurd", "reckless", "irresponsible", "historic", "crucial", "vital",
    "afraid", "alarming", "scandalous", "tragic", "proud", "ambitious", "radical", "fair",
    "unfair",
})

# --------------------------------------------------------------------------- layout rules

_TERMINAL_CHARS = ".!?…\"”’'»):;"
_HEADLINE_SMALL_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by",
    "with", "from", "as", "vs", "v", "via", "per", "into", "over", "than",
})
_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")
_OPEN_QUOTES = {"“": "”", "«": "»", '"': '"'}
_QUOTE_TOKENS = frozenset({'"', "“", "”", "«", "»", "'", "‘", "’", "``", "''"})
_SEPARATORS = frozenset({",", ";", ":", "—", "–", "-", "--", "/"})
_SENTENCE_STOPS = frozenset({".", "!", "?", "…"})
_OPENERS = {"(": ")", "[": "]", "“": "”", "«": "»", '"': '"', "‘": "’", "``": "''"}
_CLOSERS = {")": "(", "]": "[", "”": "“", "»": "«", '"': '"', "’": "‘", "''": "``"}

# An embedded post: "… pic.twitter.com/xyz — Name (@handle) December 15, 2025".
_POST_LINK_RE = re.compile(r"(?:pic\.twitter\.com|https?://t\.co|https?://(?:x|twitter)\.com)/\S+")
_POST_SIGNATURE_RE = re.compile(
    r"[—–-]{1,2}\s*(?P<name>[^\n()—–]{1,80}?)\s*\(@(?P<handle>\w{1,30})\)"
    r"(?:\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})?"
)
# A line that opens like a post: an emoji, or an all-caps tag such as "BREAKING:".
_POST_MARKER_RE = re.compile(
    r"^\s*(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+\s*)"
    r"(?:(?:BREAKING|JUST IN|DEVELOPING|UPDATE|ALERT|NEW)\b\s*:?\s*)?"
    r"|^\s*(?:BREAKING|JUST IN|DEVELOPING)\b\s*:\s*",
    re.MULTILINE,
)


# --------------------------------------------------------------------------- public API


def extract_claims(
    article: Article,
    doc: Doc,
    *,
    offset: int = 0,
    quantities: Sequence[Quantity] = (),
    mentions: Sequence[EntityMention] = (),
    config: Config | None = None,
) -> list[Claim]:
    """Split an article into atomic claims, in text order.

    ``doc`` is the spaCy parse of ``article.text[offset:]``; every span of the result is an
    offset into ``article.text``.  ``quantities`` and ``mentions`` (article offsets) are
    attached to the claims whose spans contain them.  ``config`` is accepted so every
    stage takes the same arguments; no setting of this stage is configurable yet.
    """
    del config
    ctx = _Context(doc=doc, offset=offset, outlet=Speaker(article.outlet, SpeakerKind.OUTLET),
                   mentions=mentions)
    drafts: list[_Draft] = []
    for segment in _segments(ctx):
        drafts.extend(_segment_claims(ctx, segment))
    return _finish(ctx, article, drafts, quantities, mentions)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class _Segment:
    """A sentence cut at line breaks: doc character range and its word tokens."""

    index: int
    start: int
    end: int
    line: int
    tokens: frozenset[int]


@dataclass(frozen=True)
class _Clause:
    tokens: frozenset[int]  # the clause's own tokens (with its subject when it has one)
    head: int
    subject: int | None  # its subject token, own or shared with the first conjunct
    shared: frozenset[int] = frozenset()  # subject/auxiliary tokens restored from the first


@dataclass(frozen=True)
class _Draft:
    tokens: frozenset[int]
    segment: _Segment
    speaker: Speaker
    head: int | None = None
    subject: int | None = None
    cues: frozenset[str] = frozenset()  # lemmas from outside the claim (the reporting verb)
    insert_after: tuple[tuple[int, str], ...] = ()  # ("is" between a name and its appositive)


@dataclass
class _Quote:
    start: int  # inner text, doc offsets
    end: int
    speaker: Speaker | None = None


@dataclass(frozen=True)
class _Post:
    start: int
    end: int
    speaker: Speaker


@dataclass
class _Context:
    """Per-article state: the parse, its layout, names, and the pronoun history."""

    doc: Doc
    offset: int
    outlet: Speaker
    mentions: Sequence[EntityMention]
    line_starts: list[int] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)
    posts: list[_Post] = field(default_factory=list)
    quotes: list[_Quote] = field(default_factory=list)
    resolved: dict[int, str] = field(default_factory=dict)  # pronoun token -> name
    history: list[tuple[str, bool] | None] = field(default_factory=list)  # per sentence
    last_speech: tuple[Speaker, int, int] | None = None  # speaker, segment index, line
    # Repairs for sentences the parser ran across a line break (see _repair_line_cut).
    virtual_head: dict[int, int] = field(default_factory=dict)
    virtual_subject: dict[int, int] = field(default_factory=dict)
    _subtrees: dict[int, frozenset[int]] = field(default_factory=dict)
    _persons: list[tuple[int, int, str]] = field(default_factory=list)  # doc offsets
    _person_words: set[str] = field(default_factory=set)
    _other_words: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        text = self.doc.text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._index_names()
        self.posts, self.masked = _find_posts(text, self.line_starts)
        self.quotes = _find_quotes(text)
        self._attribute_colon_quotes()

    # ---------------------------------------------------------------- tokens
    def subtree(self, i: int) -> frozenset[int]:
        found = self._subtrees.get(i)
        if found is None:
            found = frozenset(t.i for t in self.doc[i].subtree)
            self._subtrees[i] = found
        return found

    def head(self, i: int) -> int:
        return self.virtual_head.get(i, self.doc[i].head.i)

    def line_of(self, char: int) -> int:
        return bisect_right(self.line_starts, char) - 1

    def is_masked(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.masked)

    def post_at(self, char: int) -> _Post | None:
        return next((p for p in self.posts if p.start <= char < p.end), None)

    def quote_at(self, char: int) -> _Quote | None:
        return next((q for q in self.quotes if q.start <= char < q.end), None)

    # ---------------------------------------------------------------- names
    def _index_names(self) -> None:
        spans = [(m.start - self.offset, m.end - self.offset, m.text)
                 for m in self.mentions if m.label == "PERSON"]
        spans += [(e.start_char, e.end_char, e.text) for e in self.doc.ents if e.label_ == "PERSON"]
        # A name never runs across a line break (the parser may join a headline to it).
        self._persons = [(start + p.start(), start + p.end(), p.group())
                         for start, _, text in spans for p in re.finditer(r"[^\n]+", text)
                         if p.group().strip()]
        spans = self._persons
        for _, _, text in spans:
            self._person_words.update(w for w in text.split() if w[:1].isupper())
        others = [m.text for m in self.mentions if m.label in NON_PERSON_LABELS]
        others += [e.text for e in self.doc.ents if e.label_ in NON_PERSON_LABELS]
        for text in others:
            self._other_words.update(text.split())
        self._other_words -= self._person_words

    def person_name(self, i: int) -> str | None:
        """The person a noun token names, or None when it does not look like a person."""
        tok = self.doc[i]
        for start, end, text in self._persons:
            if start <= tok.idx < end:
                return _strip_titles(text)
        if tok.pos_ != "PROPN":
            return None
        if tok.text in self._person_words or (
            tok.ent_type_ in ("", "PERSON") and tok.text not in self._other_words
        ):
            return _strip_titles(_name_chain(self.doc, tok))
        return None

    def person_like(self, i: int) -> tuple[str, bool] | None:
        """(name, plural) when a subject token refers to a person (or to several)."""
        if i in self.resolved:
            return self.resolved[i], self.doc[i].lower_ == "they"
        name = self.person_name(i)
        tok = self.doc[i]
        if name is None:
            for child in tok.children:  # "His opponent, Ana Ruiz, ..."
                if child.dep_ == "appos" and (name := self.person_name(child.i)):
                    break
        if name is None:
            return None
        others = [self.person_name(c.i) for c in tok.children if c.dep_ == "conj"]
        others = [o for o in others if o]
        if others:
            return " and ".join([name, *others]), True
        return name, False

    def noun_phrase(self, i: int) -> str:
        """A compact surface form of the noun phrase headed by token ``i``."""
        tok = self.doc[i]
        keep = {i}
        for child in tok.lefts:
            if child.dep_ in ("det", "poss", "amod", "compound", "nummod", "nmod", "quantmod"):
                keep |= self.subtree(child.i)
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                keep |= self.subtree(child.i)
                break
        line = self.line_of(tok.idx)  # never reach into a headline the parser joined on
        return _render(self, [sorted(i for i in keep if self.line_of(self.doc[i].idx) == line)], ())

    def subject_text(self, i: int) -> str:
        if i in self.resolved:
            return self.resolved[i]
        return self.person_name(i) or self.noun_phrase(i)

    def speaker_for(self, i: int) -> Speaker:
        """Who a reporting verb's subject (or an "according to" object) is."""
        tok = self.doc[i]
        if tok.lower_ in RESOLVABLE_PRONOUNS:
            name = self.resolve_pronoun(i)
            return Speaker(name or tok.text, SpeakerKind.PERSON)
        if i not in self.resolved and self.person_name(i) is None and tok.pos_ == "PROPN":
            # a name the tagger did not call a person ("Congresswoman Ana Ruiz")
            return Speaker(_strip_titles(self.noun_phrase(i)), SpeakerKind.PERSON)
        return Speaker(self.subject_text(i), SpeakerKind.PERSON)

    # ---------------------------------------------------------------- pronouns
    def resolve_pronoun(self, i: int, speaker: Speaker | None = None) -> str | None:
        """Name a he/she/they subject: the speaker inside their own speech, else the
        person subject of the previous sentences when the most recent one agrees."""
        if i in self.resolved:
            return self.resolved[i]
        word = self.doc[i].lower_
        if word not in RESOLVABLE_PRONOUNS:
            return None
        name: str | None = None
        if speaker is not None and speaker.kind is SpeakerKind.PERSON and word != "they":
            name = speaker.name
        else:
            plural = word == "they"
            for candidate in reversed(self.history[-PRONOUN_LOOKBACK:]):
                if candidate is not None:
                    name = candidate[0] if candidate[1] == plural else None
                    break
        if name:
            self.resolved[i] = name
        return name

    def remember_subject(self, segment: _Segment) -> None:
        """Record the person subject of a sentence for later pronouns: the shallowest
        person-like subject, else the person owning a subject ("Ruiz's campaign")."""
        doc = self.doc
        subjects = [i for i in segment.tokens
                    if doc[i].dep_ in SUBJECT_DEPS or i in self.virtual_subject.values()]
        subjects.sort(key=lambda i: (_depth(self, i, segment.tokens), i))
        found = None
        for i in subjects:
            if found := self.person_like(i):
                break
        if found is None:
            for i in subjects:
                owner = next((c for c in doc[i].children if c.dep_ == "poss"), None)
                if owner is not None and (name := self.person_name(owner.i)):
                    found = (name, False)
                    break
        self.history.append(found)

    # ---------------------------------------------------------------- quotes
    def _attribute_colon_quotes(self) -> None:
        """``Name, role, reporting from X: "…"`` — the quote belongs to the name."""
        text = self.doc.text
        for quote in self.quotes:
            before = text[: quote.start - 1].rstrip()
            if not before.endswith(":"):
                continue
            lead_start = max(before.rfind("\n"), before.rfind(". ", 0, len(before) - 1)) + 1
            for tok in self.doc.char_span(lead_start, len(before) - 1, alignment_mode="expand") or ():
                if tok.pos_ == "PROPN" and (name := self.person_name(tok.i)):
                    quote.speaker = Speaker(name, SpeakerKind.PERSON)
                    break


# --------------------------------------------------------------------------- layout


def _find_posts(text: str, line_starts: list[int]) -> tuple[list[_Post], list[tuple[int, int]]]:
    """Embedded social-media posts and the character ranges that are not claims
    (signatures, links, "🚨BREAKING:" markers)."""
    lines = []
    for n, start in enumerate(line_starts):
        end = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
        if text[start:end].strip():
            lines.append((start, end))
    posts: list[_Post] = []
    masked: list[tuple[int, int]] = []
    in_post: set[int] = set()

    def marker_len(k: int) -> int:
        m = _POST_MARKER_RE.match(text, lines[k][0], lines[k][1])
        return m.end() - m.start() if m and m.end() > m.start() else 0

    for k, (start, end) in enumerate(lines):
        line = text[start:end]
        link = _POST_LINK_RE.search(line)
        # a signature needs "(@": on a long line of dashes the pattern tries 80 characters at each
        signature = _POST_SIGNATURE_RE.search(line) if "(@" in line else None
        if not (link or signature) or k in in_post:
            continue
        cut = min(m.start() for m in (link, signature) if m)
        masked.append((start + cut, end))
        first = k
        if not line[:cut].strip() and k > 0 and k - 1 not in in_post:
            first = k - 1  # the post's text sits on the line above its link
        for j in range(first - 1, max(-1, first - 1 - SOCIAL_POST_LOOKBACK), -1):
            if j in in_post:
                break
            if marker_len(j):
                first = j
        name = (
            f"{signature['name'].strip()} (@{signature['handle']})" if signature else "social media post"
        )
        posts.append(_Post(lines[first][0], end, Speaker(name, SpeakerKind.SOCIAL_POST)))
        in_post.update(range(first, k + 1))
    for k, (start, end) in enumerate(lines):
        if length := marker_len(k):
            masked.append((start, start + length))
            if k not in in_post:
                posts.append(_Post(start, end, Speaker("social media post", SpeakerKind.SOCIAL_POST)))
    return posts, masked


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """The inner ranges of the quoted passages of a text, as this stage reads them (the
    quote detector compares what two outlets quote)."""
    return [(q.start, q.end) for q in _find_quotes(text)]


def _find_quotes(text: str) -> list[_Quote]:
    """Quoted passages (inner ranges), paired within a line; an unclosed one ends there."""
    quotes: list[_Quote] = []
    for line in re.finditer(r"[^\n]+", text):
        opener: str | None = None
        start = 0
        for m in re.finditer(r"[“”«»\"]", line.group()):
            ch, pos = m.group(), line.start() + m.start()
            if opener is None:
                if ch in _OPEN_QUOTES:
                    opener, start = ch, pos + 1
            elif ch == _OPEN_QUOTES[opener]:
                quotes.append(_Quote(start, pos))
                opener = None
        if opener is not None:
            quotes.append(_Quote(start, line.end()))
    return quotes


def _is_headline(line: str, tokens: Sequence) -> bool:
    """A title or subhead: no final punctuation and either Title Case (up to
    ``HEADLINE_MAX_WORDS`` words) or short and verbless."""
    line = line.strip()
    if not line or line[-1] in _TERMINAL_CHARS:
        return False
    words = _WORD_RE.findall(line)
    if not words:
        return True
    content = [w for w in words if w.lower() not in _HEADLINE_SMALL_WORDS]
    if content and len(words) <= HEADLINE_MAX_WORDS:
        capitalised = sum(w[0].isupper() for w in content)
        if capitalised / len(content) >= 0.75 and len(content) >= 2 or capitalised == len(content):
            return True
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
    return len(words) < HEADLINE_VERBLESS_MAX_WORDS and not has_verb


def _segments(ctx: _Context) -> Iterable[_Segment]:
    """Parser sentences cut at line breaks, minus headlines and masked text."""
    doc = ctx.doc
    text = doc.text
    by_line: dict[int, list] = {}
    for tok in doc:
        if not tok.is_space:
            by_line.setdefault(ctx.line_of(tok.idx), []).append(tok)
    headline: dict[int, bool] = {}
    index = 0
    for sent in doc.sents:
        for piece in re.finditer(r"[^\n\r]+", text[sent.start_char : sent.end_char]):
            start, end = sent.start_char + piece.start(), sent.start_char + piece.end()
            line = ctx.line_of(start)
            if line not in headline:
                ls = ctx.line_starts[line]
                le = ctx.line_starts[line + 1] - 1 if line + 1 < len(ctx.line_starts) else len(text)
                headline[line] = ctx.post_at(ls) is None and _is_headline(text[ls:le], by_line.get(line, ()))
            if headline[line]:
                continue
            ids = frozenset(
                t.i for t in by_line.get(line, ())
                if start <= t.idx < end and not ctx.is_masked(t.idx)
            )
            if not any(_is_word(doc[i]) for i in ids):
                continue
            first, last = doc[min(ids)], doc[max(ids)]
            yield _Segment(index, first.idx, last.idx + len(last.text), line, ids)
            index += 1


# --------------------------------------------------------------------------- sentences


def _segment_claims(ctx: _Context, seg: _Segment) -> list[_Draft]:
    _repair_line_cut(ctx, seg)
    post = ctx.post_at(seg.start)
    if post is not None:
        drafts = _decompose(ctx, seg, seg.tokens, post.speaker, allow_speech=False)
        return _valid(ctx, drafts) or _whole(ctx, seg, post.speaker)

    drafts = []
    rest = set(seg.tokens)
    # Quoted text whose speaker is already known: a colon lead-in, an earlier sentence
    # of the same quote, or a quote that carries on right after an attributed one.
    fully_quoted = all(ctx.quote_at(ctx.doc[i].idx) for i in seg.tokens if _is_word(ctx.doc[i]))
    for quote in {id(q): q for i in seg.tokens if (q := ctx.quote_at(ctx.doc[i].idx))}.values():
        if quote.speaker is None and fully_quoted and ctx.last_speech is not None:
            speaker, last_index, last_line = ctx.last_speech
            if last_line == seg.line and last_index == seg.index - 1:
                quote.speaker = speaker
        if quote.speaker is None:
            continue
        inside = {i for i in rest if quote.start <= ctx.doc[i].idx < quote.end}
        rest -= inside
        drafts += _decompose(ctx, seg, inside, quote.speaker, allow_speech=False)
        ctx.last_speech = (quote.speaker, seg.index, seg.line)
    drafts += _decompose(ctx, seg, rest, ctx.outlet, allow_speech=True)
    drafts = _valid(ctx, drafts) or _whole(ctx, seg, ctx.outlet)
    ctx.remember_subject(seg)
    return drafts


def _whole(ctx: _Context, seg: _Segment, speaker: Speaker) -> list[_Draft]:
    """The fallback: the sentence itself is the claim."""
    if sum(_is_word(ctx.doc[i]) for i in seg.tokens) < MIN_SENTENCE_WORDS:
        return []
    roots = _roots(ctx, seg.tokens)
    head = max(roots, key=lambda r: len(ctx.subtree(r) & seg.tokens)) if roots else None
    subject = _subject_of(ctx, head, seg.tokens) if head is not None else None
    return [_Draft(seg.tokens, seg, speaker, head=head, subject=subject)]


def _valid(ctx: _Context, drafts: list[_Draft]) -> list[_Draft]:
    return [d for d in drafts if _word_count(ctx, d) >= MIN_CLAIM_WORDS]


def _decompose(ctx: _Context, seg: _Segment, tokens: Iterable[int], speaker: Speaker, *,
               allow_speech: bool, cues: frozenset[str] = frozenset()) -> list[_Draft]:
    """Claims in a set of tokens: one tree per root, each split into clauses."""
    doc = ctx.doc
    drafts: list[_Draft] = []
    for root, component in _merge_verbless(ctx, _components(ctx, frozenset(tokens))).items():
        if _words(ctx, component) < MIN_CLAIM_WORDS:
            continue  # a stray mark or connector: too small to say anything
        if not any(doc[i].pos_ in ("VERB", "AUX") for i in component):
            drafts.append(_Draft(component, seg, speaker, head=root, cues=cues))
            continue
        if allow_speech and (source := _sentence_source(ctx, component)) is not None:
            who, content, verb = source
            drafts += _decompose(ctx, seg, content, who, allow_speech=False,
                                 cues=cues | {doc[verb].lemma_.lower()})
            continue
        if (detached := _detached_clause(ctx, component, root, allow_speech)) is not None:
            sub = ctx.subtree(detached) & component
            drafts += _decompose(ctx, seg, sub, speaker, allow_speech=allow_speech, cues=cues)
            drafts += _decompose(ctx, seg, component - sub, speaker, allow_speech=allow_speech, cues=cues)
            continue
        for clause in _split_clauses(ctx, component, root):
            speech = _reported_speech(ctx, clause) if allow_speech else None
            if speech is None:
                drafts += _clause_claims(ctx, seg, clause, speaker, cues)
                continue
            who, content, frame, verb = speech
            drafts += _decompose(ctx, seg, content, who, allow_speech=False,
                                 cues=cues | {doc[verb].lemma_.lower()})
            for quote in ctx.quotes:
                if quote.speaker is None and any(quote.start <= doc[i].idx < quote.end for i in content):
                    quote.speaker = who
            ctx.last_speech = (who, seg.index, seg.line)
            drafts += _frame_claims(ctx, seg, clause, frame, verb, cues)
    return drafts


def _merge_verbless(ctx: _Context, comps: dict[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """Pieces without a verb join the nearest piece with one: a phrase the parser hung
    outside a quote or clause still belongs to what is said next to it."""
    doc = ctx.doc
    verbal = {r: set(c) for r, c in comps.items() if any(doc[i].pos_ in ("VERB", "AUX") for i in c)}
    if not verbal or len(verbal) == len(comps):
        return comps
    for r, members in comps.items():
        if r not in verbal:
            host = min(verbal, key=lambda v: min(abs(i - j) for i in verbal[v] for j in members))
            verbal[host] |= members
    return {r: frozenset(c) for r, c in verbal.items()}


def _sentence_source(ctx: _Context, tokens: frozenset[int]) -> tuple[Speaker, frozenset[int], int] | None:
    """"According to X, …" / "As X reported, …": X is the source of everything else."""
    doc = ctx.doc
    for i in sorted(tokens):
        tok = doc[i]
        source = None
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            source = next((c.i for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        elif tok.dep_ == "advcl" and tok.lemma_.lower() in REPORTING_VERBS \
                and any(c.lower_ == "as" and c.dep_ == "mark" for c in tok.children):
            source = _subject_of(ctx, i, tokens)
        if source is None:
            continue
        frame = (ctx.subtree(i) & tokens) | _adjacent_punct(ctx, ctx.subtree(i), tokens)
        content = tokens - frame
        if _words(ctx, content) >= MIN_CLAIM_WORDS:
            return ctx.speaker_for(source), content, i
    return None


def _detached_clause(ctx: _Context, tokens: frozenset[int], root: int, allow_speech: bool) -> int | None:
    """A clause hanging below the root that is a sentence of its own: a report with its
    own subject and complement ("Analysts warn X could happen — Y was …"), or a clause
    with its own subject split off by a semicolon ("X leads; Y struggles")."""
    doc = ctx.doc
    for child in doc[root].children:
        if child.i not in tokens or child.dep_ not in ("ccomp", "parataxis", "conj") \
                or child.pos_ not in ("VERB", "AUX") or _subject_of(ctx, child.i, tokens) is None:
            continue
        if allow_speech and child.dep_ != "conj" and doc[root].lemma_.lower() not in REPORTING_VERBS \
                and child.lemma_.lower() in REPORTING_VERBS and not ctx.quote_at(child.idx) \
                and any(g.dep_ == "ccomp" and g.i in tokens for g in child.children):
            return child.i
        sub = ctx.subtree(child.i)
        lo, hi = (max(sub), root) if child.i < root else (root, min(sub))
        if any(doc[j].text == ";" for j in tokens if lo < j < hi):
            return child.i
    return None


def _roots(ctx: _Context, tokens: frozenset[int]) -> list[int]:
    return sorted(i for i in tokens if ctx.head(i) == i or ctx.head(i) not in tokens)


def _root_of(ctx: _Context, i: int, tokens: frozenset[int]) -> int:
    while ctx.head(i) != i and ctx.head(i) in tokens:
        i = ctx.head(i)
    return i


def _depth(ctx: _Context, i: int, tokens: frozenset[int]) -> int:
    depth = 0
    while ctx.head(i) != i and ctx.head(i) in tokens:
        i, depth = ctx.head(i), depth + 1
    return depth


def _components(ctx: _Context, tokens: frozenset[int]) -> dict[int, frozenset[int]]:
    """``tokens`` by the root ``_root_of`` gives each.  Each token's path up is walked
    once (roots are remembered on the way), so a sentence the parser made one long chain
    of heads costs its length, not its length squared."""
    root_of: dict[int, int] = {}
    groups: dict[int, set[int]] = {}
    for i in tokens:
        path, j = [], i
        while j not in root_of and ctx.head(j) != j and ctx.head(j) in tokens:
            path.append(j)
            j = ctx.head(j)
        root = root_of.setdefault(j, j)
        for k in path:
            root_of[k] = root
        groups.setdefault(root, set()).add(i)
    return {root: frozenset(members) for root, members in sorted(groups.items())}


def _repair_line_cut(ctx: _Context, seg: _Segment) -> None:
    """Re-attach the pieces of a sentence the parser joined to the line before or after.

    A headline without a full stop is often parsed as one sentence with the line below,
    so the line's real subject hangs off a headline word.  Within the line, a nominal
    piece right before a verb that has no subject becomes its subject; any other verbless
    piece joins the nearest piece with a verb, so no words are lost.
    """
    doc = ctx.doc
    comps = _components(ctx, seg.tokens)
    if len(comps) < 2:
        return
    verbal = [r for r, c in comps.items() if any(doc[i].pos_ in ("VERB", "AUX") for i in c)]
    if not verbal:  # no verb to hang pieces on: keep the line together as one piece
        verbal = [max(comps, key=lambda r: len(comps[r]))]
    attached: set[int] = set()
    for v in verbal:
        if doc[v].pos_ not in ("VERB", "AUX") or _subject_of(ctx, v, seg.tokens) is not None \
                or doc[v].tag_ in ("VB", "VBG") and doc[v].dep_ in ("xcomp", "advcl"):
            continue
        before = [r for r in comps if r not in verbal and r not in attached
                  and doc[r].pos_ in ("NOUN", "PROPN", "PRON") and max(comps[r]) < v]
        if before:
            r = max(before, key=lambda r: max(comps[r]))
            ctx.virtual_head[r] = v
            ctx.virtual_subject[v] = r
            attached.add(r)
    for r, members in comps.items():
        if r in verbal or r in attached:
            continue
        host = min(verbal, key=lambda v: min(abs(i - j) for i in comps[v] for j in members))
        ctx.virtual_head[r] = min(comps[host], key=lambda j: (min(abs(i - j) for i in members), j))


def _subject_of(ctx: _Context, head: int, tokens: frozenset[int]) -> int | None:
    if ctx.virtual_subject.get(head) in tokens:
        return ctx.virtual_subject[head]
    for child in ctx.doc[head].children:
        if child.dep_ in SUBJECT_DEPS and child.i in tokens:
            return child.i
    return None


# --------------------------------------------------------------------------- clauses


def _split_clauses(ctx: _Context, tokens: frozenset[int], root: int) -> list[_Clause]:
    """Coordinated verbs of the root become clauses; a conjunct without a subject of its
    own gets the first one's (and its auxiliaries when it is not finite itself)."""
    doc = ctx.doc
    subject = _subject_of(ctx, root, tokens)
    whole = [_Clause(tokens, root, subject)]
    if doc[root].pos_ not in ("VERB", "AUX"):
        return whole
    chain = [root]
    for head in chain:
        chain += [c.i for c in doc[head].children
                  if c.dep_ == "conj" and c.i in tokens and c.pos_ in ("VERB", "AUX")
                  and _coordinated(doc, c) and _complement_partner(doc[head], c) is None]
    if len(chain) == 1:
        return whole
    connectors = {i for i in tokens if doc[i].dep_ in ("cc", "preconj") and doc[i].head.i in chain}
    own: dict[int, frozenset[int]] = {}
    for c in chain[1:]:
        nested = [ctx.subtree(o) for o in chain if o != c and o in ctx.subtree(c)]
        own[c] = (ctx.subtree(c) & tokens).difference(*nested) - connectors
    first = tokens.difference(*own.values()) - connectors
    shared_subject = _np_core(ctx, subject, tokens) if subject is not None else frozenset()
    root_aux = frozenset(c.i for c in doc[root].children
                         if c.dep_ in ("aux", "auxpass", "neg") and c.i in tokens)
    clauses = [_Clause(first, root, subject)]
    for c in chain[1:]:
        own_subject = _subject_of(ctx, c, own[c])
        if own_subject is not None:
            clauses.append(_Clause(own[c], c, own_subject))
            continue
        shared = shared_subject
        has_aux = any(ch.dep_ in ("aux", "auxpass") for ch in doc[c].children)
        if not has_aux and doc[c].tag_ in ("VB", "VBN", "VBG"):
            shared |= root_aux  # "will take office and appoint" -> "will appoint"
        clauses.append(_Clause(own[c], c, subject, shared))
    if any(_words(ctx, cl.tokens | cl.shared) < MIN_CLAIM_WORDS for cl in clauses):
        return whole  # "She smiled and waved": no piece may be a fragment
    return clauses


def _coordinated(doc, conj) -> bool:
    """Whether a chain of conjuncts is joined by a conjunction ("and", "but", ";") rather
    than merely hung after a comma — "won the round, followed closely by X" is none."""
    first = conj
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    chain = [first]
    for tok in chain:
        chain += [c for c in tok.children if c.dep_ == "conj"]
    return any(child.dep_ in ("cc", "preconj") or child.text == ";"
               for tok in chain for child in tok.children)


def _complement_partner(tok, conj):
    """The complement a conjunct really pairs with: in "has pledged to cut X, deport Y"
    the parser makes "deport" a conjunct of "pledged", but it pairs with "cut"."""
    if conj.tag_ == tok.tag_ or conj.pos_ != "VERB":
        return None
    if any(c.dep_ in SUBJECT_DEPS for c in conj.children):
        return None
    return next((x for x in tok.children
                 if x.dep_ == "xcomp" and x.tag_ == conj.tag_ and x.i < conj.i), None)


def _np_core(ctx: _Context, head: int, tokens: frozenset[int]) -> frozenset[int]:
    """A noun phrase without its asides (appositives, relative clauses, punctuation)."""
    doc = ctx.doc
    keep = ctx.subtree(head) & tokens
    for child in doc[head].children:
        if child.dep_ in NP_ASIDE_DEPS:
            keep -= ctx.subtree(child.i)
    return frozenset(i for i in keep if not doc[i].is_punct or doc[i].tag_ == "HYPH")


def _np_compact(ctx: _Context, head: int, tokens: frozenset[int]) -> frozenset[int]:
    """The head noun with its determiners and pre-modifiers ("His main rival")."""
    doc = ctx.doc
    keep = {head}
    for child in doc[head].lefts:
        if child.dep_ in ("det", "poss", "amod", "compound", "nummod", "nmod", "quantmod", "advmod"):
            keep |= ctx.subtree(child.i)
    for child in doc[head].rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            keep |= ctx.subtree(child.i)  # "the leader of the party"
            break
    return frozenset(i for i in keep & tokens if not doc[i].is_punct or doc[i].tag_ == "HYPH")


def _clause_claims(ctx: _Context, seg: _Segment, clause: _Clause, speaker: Speaker,
                   cues: frozenset[str]) -> list[_Draft]:
    _resolve_pronouns(ctx, seg, clause.tokens | clause.shared, clause.subject, speaker)
    side, rest = _side_claims(ctx, seg, clause.tokens, speaker, cues)
    drafts = list(side)
    for variant in _split_lists(ctx, rest, {clause.head}):
        drafts.append(_Draft(variant | clause.shared, seg, speaker, head=clause.head,
                             subject=clause.subject, cues=cues))
    return drafts


def _resolve_pronouns(ctx: _Context, seg: _Segment, tokens: frozenset[int], subject: int | None,
                      speaker: Speaker) -> None:
    """Resolve pronoun subjects that open a clause: the clause's own subject, or one at
    the very start of the sentence ("If he wins, …").  A pronoun deeper inside ("on what
    he called …") usually names someone in the same sentence, so it is left alone."""
    doc = ctx.doc
    first_words = sorted(i for i in seg.tokens if _is_word(doc[i]))[:2]
    for i in tokens:
        if doc[i].dep_ in SUBJECT_DEPS and (i == subject or i in first_words):
            ctx.resolve_pronoun(i, speaker)


def _side_claims(ctx: _Context, seg: _Segment, tokens: frozenset[int], speaker: Speaker,
                 cues: frozenset[str]) -> tuple[list[_Draft], frozenset[int]]:
    """Appositives ("Ana Ruiz, 59, …" -> "Ana Ruiz is 59") and non-restrictive who-clauses
    ("Ruiz, who won in 2019, …" -> "Ruiz won in 2019") as claims of their own; returns
    them and the tokens left for the main claim."""
    doc = ctx.doc
    drafts: list[_Draft] = []
    removed: set[int] = set()
    for i in sorted(tokens):
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or i in removed:
            continue
        for child in tok.children:
            if child.i not in tokens or child.i in removed:
                continue
            if child.dep_ == "appos" and _set_off(ctx, tok, child, tokens):
                aside = (ctx.subtree(child.i) & tokens) - removed
                core = _np_compact(ctx, i, tokens) - aside
                if not core or not any(_is_word(doc[j]) for j in aside):
                    continue
                verb = "are" if tok.tag_ in ("NNS", "NNPS") else "is"
                drafts.append(_Draft(frozenset(core | aside), seg, speaker, subject=i, cues=cues,
                                     insert_after=((max(core), verb),)))
                removed |= aside
            elif child.dep_ == "relcl" and _is_who_clause(ctx, child, tokens):
                aside = (ctx.subtree(child.i) & tokens) - removed
                who = next(c.i for c in child.children if c.lower_ == "who")
                core = _np_compact(ctx, i, tokens) - aside
                drafts.append(_Draft(frozenset(core | aside - {who}), seg, speaker, head=child.i,
                                     subject=i, cues=cues))
                removed |= aside
    return drafts, tokens - removed


_APPOSITIVE_OPENERS = frozenset({",", "("})
_DASHES = frozenset({"—", "–", "-", "--"})


def _set_off(ctx: _Context, head, appos, tokens: frozenset[int]) -> bool:
    """A true appositive follows its noun, set off by a comma or bracket (by a dash only
    after a name): "Ana Ruiz, 59," but not "rival Ana Ruiz" or "…government - perhaps"."""
    mark = appos.left_edge.i - 1
    if mark not in tokens or mark - 1 not in ctx.subtree(head.i):
        return False
    text = ctx.doc[mark].text
    return text in _APPOSITIVE_OPENERS or (text in _DASHES and head.pos_ == "PROPN")


def _is_who_clause(ctx: _Context, rel, tokens: frozenset[int]) -> bool:
    """A relative clause set off by a comma whose subject is "who"."""
    if not any(c.lower_ == "who" and c.dep_ in SUBJECT_DEPS for c in rel.children):
        return False
    before = rel.left_edge.i - 1
    return before in tokens and ctx.doc[before].text in (",", "—", "–", "(")


# --------------------------------------------------------------------------- lists


def _split_lists(ctx: _Context, tokens: frozenset[int], exclude: set[int]) -> list[frozenset[int]]:
    """One claim per list item, each keeping the shared frame.

    Items are non-finite verbs ("pledging…, raising…, building… and deploying…") or three
    or more nouns without figures; lists of two nouns and anything with numbers are left
    alone, so "X took 27% and Y 24%" is never split into a claim that lost its subject.
    """
    variants = [tokens]
    for items in _coordinations(ctx, tokens, exclude):
        split: list[frozenset[int]] = []
        for variant in variants:
            if not all(h in variant for h in items):
                split.append(variant)
                continue
            split += _split_one(ctx, variant, items) or [variant]
        if len(split) > MAX_CLAIMS_PER_CLAUSE:
            break
        variants = split
    return variants


_LIST_VERB_TAGS = frozenset({"VB", "VBG"})  # "to build …", "raising …": complements, not clauses


def _coordinations(ctx: _Context, tokens: frozenset[int], exclude: set[int]) -> list[list[int]]:
    """Item heads of each list in the clause, grouped by conj links.  The parser often
    attaches an item one level off — "pledging to increase X as well as raising Y" makes
    "raising" a conjunct of "increase" — so a verb item is lifted to the nearest ancestor
    of its own form, and a same-form sibling right before a list's first item joins it."""
    doc = ctx.doc
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in sorted(tokens):
        tok = doc[i]
        for c in tok.children:
            if c.dep_ != "conj" or c.i not in tokens or not _coordinated(doc, c):
                continue
            a = i
            partner = _complement_partner(tok, c)
            if partner is not None and partner.i in tokens:
                a = partner.i
            elif i in exclude:
                continue  # coordinated clauses were split already
            elif c.pos_ == "VERB" and tok.pos_ == "VERB" and tok.tag_ != c.tag_:
                up = tok.head
                while up.i != up.head.i and up.i in tokens and up.i not in exclude and up.pos_ == "VERB":
                    if up.tag_ == c.tag_:
                        a = up.i
                        break
                    up = up.head
            join(a, c.i)
    for members in _groups(parent, find):
        first = doc[members[0]]
        if first.head.i == first.i or first.pos_ != "VERB":
            continue
        for sib in sorted((s for s in first.head.children if s.i < first.i), key=lambda s: -s.i):
            if sib.is_punct or sib.dep_ in ("cc", "preconj"):
                continue
            if sib.i in tokens and sib.i not in exclude and sib.pos_ == "VERB" \
                    and sib.tag_ == first.tag_ and sib.dep_ not in SUBJECT_DEPS \
                    and _only_separators(ctx, tokens, ctx.subtree(sib.i), first.i):
                join(sib.i, first.i)
            break
    lists = [m for m in _groups(parent, find) if _is_list(ctx, m, tokens)]
    lists.sort(key=lambda m: m[0])
    return lists


def _groups(parent: dict[int, int], find) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i in list(parent):
        groups.setdefault(find(i), []).append(i)
    return [sorted(m) for m in groups.values()]


def _only_separators(ctx: _Context, tokens: frozenset[int], left: frozenset[int], right: int) -> bool:
    end = max(left & tokens, default=right)
    between = [i for i in tokens if end < i < ctx.doc[right].left_edge.i]
    return all(ctx.doc[i].is_punct or ctx.doc[i].dep_ == "cc" for i in between)


def _is_list(ctx: _Context, heads: list[int], tokens: frozenset[int]) -> bool:
    doc = ctx.doc
    if all(doc[h].pos_ == "VERB" and doc[h].tag_ in _LIST_VERB_TAGS for h in heads):
        return len(heads) >= 2
    if all(doc[h].pos_ in ("NOUN", "PROPN") for h in heads):
        if len(heads) < 3 or any(doc[h].dep_ in SUBJECT_DEPS for h in heads):
            return False
        return not any(doc[i].like_num or doc[i].pos_ == "NUM"
                       for h in heads for i in ctx.subtree(h) & tokens)
    return False


def _split_one(ctx: _Context, tokens: frozenset[int], heads: list[int]) -> list[frozenset[int]] | None:
    doc = ctx.doc
    items = []
    for h in heads:
        nested = [ctx.subtree(o) for o in heads if o != h and o in ctx.subtree(h)]
        items.append((ctx.subtree(h) & tokens).difference(*nested))
    # Connectors ("and", "as well as") hang off an item or off the word an item is
    # attached to; they belong to no claim.
    anchors = set(heads) | {doc[h].head.i for h in heads}
    connectors: set[int] = set()
    for i in tokens:
        if doc[i].dep_ in ("cc", "preconj") and doc[i].head.i in anchors and i not in heads:
            connectors |= ctx.subtree(i) & tokens
    items = [item - connectors for item in items]
    covered = set().union(*items)
    lo, hi = min(min(item) for item in items), max(max(item) for item in items)
    between = [i for i in tokens if lo < i < hi and i not in covered and i not in connectors]
    if any(not doc[i].is_punct for i in between):
        return None  # something else sits inside the list: an odd parse, leave it whole
    # "to build X and (to) freeze Y": later infinitives share the first one's "to"
    first_aux = frozenset(c.i for c in doc[heads[0]].children if c.dep_ == "aux" and c.i in items[0])
    items = [item if k == 0 or any(c.dep_ == "aux" for c in doc[heads[k]].children)
             or doc[heads[k]].tag_ != doc[heads[0]].tag_ else item | first_aux
             for k, item in enumerate(items)]
    frame = tokens - covered - connectors
    out = [frozenset(frame | item) for item in items]
    if any(_words(ctx, v) < MIN_CLAIM_WORDS for v in out):
        return None
    return out


# --------------------------------------------------------------------------- speech


def _reported_speech(ctx: _Context, clause: _Clause):
    """``(speaker, content, frame, verb)`` when the clause reports someone's words.

    "X said (that) …", "X told Y that …", "“…,” X said" -> X says the complement
    clause(s) and quoted text; ``frame`` is what is left (the attribution).
    """
    doc = ctx.doc
    tokens = clause.tokens | clause.shared
    head = doc[clause.head]
    verb = head if head.lemma_.lower() in REPORTING_VERBS else None
    if verb is None and ctx.quote_at(head.idx):
        # “…,” she said — the parser sometimes makes the quoted verb the root.
        verb = next((c for c in head.children
                     if c.dep_ in ("parataxis", "ccomp", "advcl") and c.i in tokens
                     and c.lemma_.lower() in REPORTING_VERBS and not ctx.quote_at(c.idx)), None)
        if verb is None:
            return None
        subject = _subject_of(ctx, verb.i, tokens)
        if subject is None:
            return None
        frame = ctx.subtree(verb.i) & tokens
        return ctx.speaker_for(subject), clause.tokens - frame, frame, verb.i
    if verb is None:
        return None
    subject = _subject_of(ctx, verb.i, tokens)
    if subject is None:
        subject = clause.subject
    if subject is None or ctx.quote_at(verb.idx):
        return None
    verbs = [verb] + [c for c in verb.children
                      if c.dep_ in ("advcl", "conj") and c.lemma_.lower() in REPORTING_VERBS
                      and any(g.dep_ == "ccomp" for g in c.children)]  # "…, adding that …"
    contents = [ctx.subtree(c.i) & clause.tokens
                for v in verbs for c in v.children if c.dep_ in ("ccomp", "parataxis")]
    quoted = {i for i in clause.tokens if (q := ctx.quote_at(doc[i].idx)) and q.speaker is None
              and i not in ctx.subtree(subject)}
    content = set().union(*contents) | quoted if contents or quoted else set()
    if _words(ctx, frozenset(content)) < MIN_CLAIM_WORDS:
        return None
    if contents and verb.i < min(content):
        # "X said on Monday that A - B.": whatever follows "that" is still what X said,
        # wherever the parser hung it (but not a second reporting verb: "…, adding that")
        reporting = {v.i for v in verbs}
        content |= {i for i in clause.tokens if i > min(content) and i not in reporting
                    and not (doc[i].head.i in reporting and doc[i].dep_ in ("mark", "cc"))}
    frame = clause.tokens - content
    return ctx.speaker_for(subject), frozenset(content), frame, verb.i


def _adjacent_punct(ctx: _Context, span: frozenset[int], tokens: frozenset[int]) -> set[int]:
    lo, hi = min(span), max(span)
    return {j for j in (lo - 1, hi + 1) if j in tokens and ctx.doc[j].is_punct}


def _frame_claims(ctx: _Context, seg: _Segment, clause: _Clause, frame: frozenset[int],
                  verb: int, cues: frozenset[str]) -> list[_Draft]:
    """The attribution itself is a claim only when it says more than who spoke
    ("Ruiz said while conceding defeat"); its appositives always are."""
    doc = ctx.doc
    _resolve_pronouns(ctx, seg, frame, None, ctx.outlet)
    side, rest = _side_claims(ctx, seg, frame, ctx.outlet, cues)
    core = {verb}
    subject = _subject_of(ctx, verb, frame) or clause.subject
    if subject is not None:
        core |= ctx.subtree(subject)
    for v in [doc[verb], *(c for c in doc[verb].children if c.lemma_.lower() in REPORTING_VERBS)]:
        core.add(v.i)
        for child in v.children:
            if child.dep_ in FRAME_DEPS:
                core |= ctx.subtree(child.i)
    extra = rest - core
    if _words(ctx, extra) >= 2 and any(doc[i].pos_ == "VERB" for i in extra):
        return side + [_Draft(rest | clause.shared, seg, ctx.outlet, head=verb, subject=subject,
                              cues=cues)]
    return side


# --------------------------------------------------------------------------- modality


def _modality(ctx: _Context, draft: _Draft) -> Modality:
    doc = ctx.doc
    toks = [doc[i] for i in sorted(draft.tokens)]
    lemmas = {t.lemma_.lower() for t in toks} | {t.lower_ for t in toks}
    cues = set(draft.cues)
    if _is_pledge(ctx, draft, toks, lemmas | cues):
        return Modality.PLEDGE
    judged = {t.lemma_.lower() for t in toks if t.pos_ in ("ADJ", "ADV")} | {
        t.lower_ for t in toks if t.pos_ in ("ADJ", "ADV")}
    if (lemmas | cues) & OPINION_LEMMAS or _perceived_as(toks) or (
        draft.speaker.kind is SpeakerKind.PERSON and judged & JUDGEMENT_WORDS
    ):
        return Modality.OPINION
    if (lemmas | cues) & PREDICTION_LEMMAS or _head_modal(ctx, draft) & PREDICTION_MODALS \
            or any(t.lemma_ == "set" and t.tag_ == "VBN" and any(c.dep_ == "xcomp" for c in t.children)
                   for t in toks):
        return Modality.PREDICTION
    return Modality.FACT


def _is_pledge(ctx: _Context, draft: _Draft, toks: list, lemmas: set[str]) -> bool:
    if lemmas & PLEDGE_LEMMAS:
        return True
    for t in toks:
        if t.lemma_.lower() in PLEDGE_WITH_COMPLEMENT and (
            any(c.dep_ in ("xcomp", "acl") for c in t.children)
            or t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
        ):
            return True
    for t in toks:  # "her platform includes …", "on a platform of …"
        if t.lemma_.lower() in PLATFORM_LEMMAS and (
            t.dep_ in SUBJECT_DEPS and t.head.lemma_.lower() in PLATFORM_VERBS
            or t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "of"
        ):
            return True
    # "will" + an action verb with a person subject is a promise, not a forecast.
    if draft.head is None or draft.subject is None or not _head_modal(ctx, draft) & FUTURE_MODALS:
        return False
    head = ctx.doc[draft.head]
    if any(c.dep_ == "auxpass" for c in head.children):
        return False  # "will be sworn in": something that happens to them
    person = draft.subject in ctx.resolved or ctx.doc[draft.subject].lower_ in FIRST_PERSON \
        or ctx.person_like(draft.subject) is not None
    return person and head.lemma_.lower() not in NON_ACTION_VERBS


def _head_modal(ctx: _Context, draft: _Draft) -> set[str]:
    """Modal auxiliaries of the claim's main verb, including one it shares with the
    first of coordinated verbs ("will take office and appoint …")."""
    if draft.head is None:
        return set()
    found: set[str] = set()
    tok = ctx.doc[draft.head]
    while True:
        found |= {c.lower_ for c in tok.children
                  if c.dep_ == "aux" and c.tag_ == "MD" and c.i in draft.tokens}
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            return found
        tok = tok.head


def _perceived_as(toks: list) -> bool:
    """"is perceived/seen/viewed as X": a participle followed by "as"."""
    for n, t in enumerate(toks):
        if t.lemma_.lower() in PERCEPTION_LEMMAS and t.tag_ == "VBN":
            if any(u.lower_ == "as" and u.dep_ in ("prep", "mark") for u in toks[n + 1 : n + 6]):
                return True
    return False


# --------------------------------------------------------------------------- rendering


def _is_word(tok) -> bool:
    return not (tok.is_punct or tok.is_space)


def _words(ctx: _Context, tokens: Iterable[int]) -> int:
    return sum(_is_word(ctx.doc[i]) for i in tokens)


def _word_count(ctx: _Context, draft: _Draft) -> int:
    runs = _trimmed_runs(ctx, draft.tokens)
    return sum(_is_word(ctx.doc[i]) for run in runs for i in run) + len(draft.insert_after)


def _trimmed_runs(ctx: _Context, tokens: Iterable[int]) -> list[list[int]]:
    """Maximal runs of adjacent tokens, without separators at their edges."""
    doc = ctx.doc
    runs: list[list[int]] = []
    for i in sorted(tokens):
        if runs and all(doc[j].is_space for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for n, run in enumerate(runs):
        run = _trim(doc, run, first=not out)
        if any(_is_word(doc[i]) for i in run):
            out.append(run)
    return out


def _trim(doc, run: list[int], *, first: bool) -> list[int]:
    """Drop separators, connectors and unpaired brackets or quotes at the run's edges;
    a final stop, a "%" or a closing quote whose opener is in the run stays."""
    texts = [doc[i].text for i in run]

    def paired_open(k: int) -> bool:
        return texts[k] in _OPENERS and _OPENERS[texts[k]] in texts[k + 1 :]

    def paired_close(k: int) -> bool:
        return texts[k] in _CLOSERS and _CLOSERS[texts[k]] in texts[:k]

    lo, hi = 0, len(run)
    while lo < hi:
        tok, text = doc[run[lo]], texts[lo]
        if text in _SEPARATORS or text in _SENTENCE_STOPS \
                or (text in _OPENERS or text in _CLOSERS) and not paired_open(lo) \
                or tok.dep_ in ("cc", "preconj") \
                or first and lo == 0 and tok.lower_ == "that" and tok.dep_ in ("mark", "advmod"):
            lo += 1
        else:
            break
    while hi > lo:
        tok, text = doc[run[hi - 1]], texts[hi - 1]
        if text in _SEPARATORS or (text in _OPENERS or text in _CLOSERS) and not paired_close(hi - 1) \
                or tok.dep_ in ("cc", "preconj"):
            hi -= 1
        elif text in _CLOSERS and hi - lo > 2 and texts[hi - 2] in _SEPARATORS:
            hi -= 2  # 'runs on tradition,"' — the quote closes on a clause break
        else:
            break
    if hi - lo > 2 and texts[lo] in _OPENERS and texts[hi - 1] == _OPENERS[texts[lo]] \
            and _OPENERS[texts[lo]] not in texts[lo + 1 : hi - 1]:
        lo, hi = lo + 1, hi - 1  # quote marks around the whole claim
    return run[lo:hi]


def _render(ctx: _Context, runs: list[list[int]], insert_after: Iterable[tuple[int, str]],
            overrides: dict[int, str] | None = None) -> str:
    doc = ctx.doc
    inserts = dict(insert_after)
    overrides = dict(overrides or {})
    quote_marks = [i for run in runs for i in run if doc[i].text in _QUOTE_TOKENS]
    if len(quote_marks) % 2:
        overrides.update({i: "" for i in quote_marks})  # an unpaired quote mark reads as noise
    pieces = []
    for run in runs:
        text = ""
        for n, i in enumerate(run):
            tok = doc[i]
            text += overrides.get(i, tok.text)
            if i in inserts:
                text += " " + inserts[i]
            if n + 1 < len(run):  # original spacing; a skipped space token still separates
                text += tok.whitespace_ or (" " if run[n + 1] != i + 1 else "")
        pieces.append(text)
    return re.sub(r"\s+", " ", " ".join(pieces)).strip()


def _capitalise(text: str) -> str:
    """Upper-case the first letter (after any opening quote or bracket)."""
    for n, ch in enumerate(text):
        if ch.isalpha():
            return text[:n] + ch.upper() + text[n + 1 :] if ch.islower() else text
        if ch not in "\"“‘«([' ":
            return text
    return text


def _strip_titles(name: str) -> str:
    name = re.sub(r"\s*['’]s$", "", name.strip())  # "Ruiz's campaign" -> owner "Ruiz"
    words = name.split()
    last_title = max((n for n, w in enumerate(words) if w.lower().strip(".") in TITLE_WORDS), default=-1)
    rest = words[last_title + 1 :]
    return " ".join(rest) if rest else name


def _name_chain(doc, tok) -> str:
    """A proper noun with the proper nouns compounded to its left on the same line."""
    parts = [tok]
    for child in reversed(list(tok.lefts)):
        if child.dep_ in ("compound", "flat") and child.pos_ == "PROPN" and child.i == parts[0].i - 1 \
                and "\n" not in child.whitespace_:  # adjacent tokens: only its whitespace lies between
            parts.insert(0, child)
    return " ".join(t.text for t in parts)


# --------------------------------------------------------------------------- claims


def _finish(ctx: _Context, article: Article, drafts: list[_Draft],
            quantities: Sequence[Quantity], mentions: Sequence[EntityMention]) -> list[Claim]:
    """Drafts -> Claims: spans, standalone text, modality, attached quantities/mentions."""
    doc, offset = ctx.doc, ctx.offset
    built = []
    seen: set[tuple[Span, ...]] = set()
    for draft in drafts:
        runs = _trimmed_runs(ctx, draft.tokens)
        if not runs:
            continue
        spans = tuple(Span(offset + doc[r[0]].idx, offset + doc[r[-1]].idx + len(doc[r[-1]].text))
                      for r in runs)
        if spans in seen:
            continue
        seen.add(spans)
        overrides = {i: name for i, name in ctx.resolved.items() if i in draft.tokens}
        text = _capitalise(_render(ctx, runs, draft.insert_after, overrides))
        subject = None
        if draft.subject is not None:
            subject = ctx.subject_text(draft.subject)
            if doc[draft.subject].lower_ in FIRST_PERSON and draft.speaker.kind is SpeakerKind.PERSON:
                subject = draft.speaker.name
        built.append((spans, draft, text, subject, tuple(i for run in runs for i in run)))
    built.sort(key=lambda b: b[4])
    claims = []
    for n, (spans, draft, text, subject, _) in enumerate(built):
        seg = draft.segment
        claims.append(Claim(
            id=f"{article.id}#{n}",
            article_id=article.id,
            text=text,
            spans=spans,
            sentence=Span(offset + seg.start, offset + seg.end),
            speaker=draft.speaker,
            modality=_modality(ctx, draft),
            subject=subject,
            quantities=tuple(q for q in quantities if _within(spans, q.start, q.end)),
            entities=tuple(m for m in mentions if _within(spans, m.start, m.end)),
        ))
    return claims


def _within(spans: tuple[Span, ...], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of the claim's own spans (a figure in the
    sentence but outside the claim belongs to another claim)."""
    return any(s.start <= start and end <= s.end for s in spans)
