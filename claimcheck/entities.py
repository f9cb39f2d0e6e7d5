"""People, organisations and places: mentions with titles, and one record per entity.

Two jobs, both pure functions:

* ``extract_mentions(doc)`` reads one parsed article and returns PERSON / ORG / GPE / NORP
  mentions with exact character offsets, and for people the titles attached to them
  ("U.S. Senator Ana Ruiz", "Ana Ruiz, a former congresswoman and lawyer").
* ``link_entities(mentions_by_article)`` groups the mentions of a whole story into
  ``Entity`` records ("José Pérez", "Jose Perez" and "Pérez's" are one person) and says
  which entity each mention points at.

The small spaCy model's entity *labels* are unreliable on names (a surname alone is often
ORG or LOC, a nationality inside "U.S. Senator X" comes out GPE), so labels are never
trusted alone: a token that appears inside a multi-word PERSON mention is a person
wherever it appears, a capitalised name right after an office word is a person, and the
label of a surface form is decided by majority over the article and then the story.

``compare_names`` says how two names relate (same, accent-only, extended, short form,
spelling variant, different); ``entity_spelling_variants`` lists the pairs of one
entity's spellings that differ by more than accents or an added surname, which is what
the spelling detector reports.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from claimcheck.models import Entity, EntityMention, Title, TitleTense

# --------------------------------------------------------------------------- lexicons

#: Offices a person holds one at a time, as folded phrases -> the canonical head used for
#: comparison.  Gendered and regional synonyms share a head so that "congresswoman" and
#: "representative" never look like two different offices.  Portfolio words in front of
#: "minister"/"secretary" ("labour minister", "Foreign Secretary") are left out of the
#: head on purpose: the longest phrase found here wins, so "prime minister" stays itself.
OFFICES: dict[str, str] = {
    "president": "president",
    "vice president": "vice president",
    "prime minister": "prime minister",
    "deputy prime minister": "deputy prime minister",
    "premier": "premier",
    "first minister": "first minister",
    "minister": "minister",
    "deputy minister": "deputy minister",
    "secretary": "secretary",
    "secretary of state": "secretary of state",
    "secretary general": "secretary general",
    "undersecretary": "undersecretary",
    "under secretary": "undersecretary",
    "chancellor": "chancellor",
    "senator": "senator",
    "congressman": "congress member",
    "congresswoman": "congress member",
    "congressperson": "congress member",
    "congress member": "congress member",
    "member of congress": "congress member",
    "representative": "congress member",
    "deputy": "congress member",
    "assemblyman": "assembly member",
    "assemblywoman": "assembly member",
    "assembly member": "assembly member",
    "member of parliament": "member of parliament",
    "mp": "member of parliament",
    "councillor": "councillor",
    "councilor": "councillor",
    "councilman": "councillor",
    "councilwoman": "councillor",
    "council member": "councillor",
    "alderman": "councillor",
    "alderwoman": "councillor",
    "governor": "governor",
    "lieutenant governor": "lieutenant governor",
    "governor general": "governor general",
    "mayor": "mayor",
    "deputy mayor": "deputy mayor",
    "ambassador": "ambassador",
    "judge": "judge",
    "justice": "justice",
    "chief justice": "chief justice",
    "attorney general": "attorney general",
    "solicitor general": "solicitor general",
    "district attorney": "district attorney",
    "speaker": "speaker",
    "speaker of the house": "speaker",
    "commissioner": "commissioner",
    "sheriff": "sheriff",
    "ceo": "chief executive",
    "chief executive": "chief executive",
    "chief executive officer": "chief executive",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "chair": "chair",
    "king": "monarch",
    "queen": "monarch",
}

#: Offices routinely held at the same time: naming both is no contradiction.  "chair"
#: goes with any office (people chair committees and boards while holding a seat).
_HELD_TOGETHER = (
    ("chief executive", "president"),
    ("member of parliament", "minister"),
    ("member of parliament", "secretary"),
    ("member of parliament", "prime minister"),
    ("member of parliament", "deputy prime minister"),
    ("member of parliament", "first minister"),
    ("member of parliament", "speaker"),
    ("member of parliament", "undersecretary"),
    ("congress member", "speaker"),
    ("senator", "speaker"),
    ("assembly member", "speaker"),
    ("deputy prime minister", "minister"),
    ("deputy prime minister", "secretary"),
    ("prime minister", "minister"),
    ("first minister", "minister"),
)
HELD_TOGETHER: frozenset[frozenset[str]] = frozenset(frozenset(pair) for pair in _HELD_TOGETHER)
ANY_OFFICE_COMPANION = frozenset({"chair"})


def offices_compatible(a: str, b: str) -> bool:
    """Whether one person can hold both offices (canonical heads) at once: the same
    office, one a narrower name of the other ("secretary" / "secretary of state"), or a
    pair routinely held together (a minister who is also an MP)."""
    if a == b or a in b or b in a:
        return True
    if a in ANY_OFFICE_COMPANION or b in ANY_OFFICE_COMPANION:
        return True
    return frozenset((a, b)) in HELD_TOGETHER


#: Office phrases that contain "of": the only places a title may run across "of".
_OF_OFFICES = tuple(sorted((p.split() for p in OFFICES if " of " in p), key=len, reverse=True))
#: "Minister of Finance" is a minister: these heads may take an "of <portfolio>" tail.
_PORTFOLIO_HEADS = frozenset({"minister", "secretary"})

#: Roles and labels that are not offices ("lawyer", "candidate", "far-right"): accepted as
#: titles after a name even when they do not look like a role noun by their ending.
ROLE_WORDS = frozenset(
    """candidate nominee contender challenger rival opponent incumbent frontrunner
    front-runner runner-up favourite favorite leader member lawyer attorney activist
    analyst economist journalist editor reporter correspondent student teacher professor
    doctor physician nurse businessman businesswoman entrepreneur founder director
    spokesman spokeswoman spokesperson official adviser advisor aide ally critic supporter
    politician lawmaker legislator author writer veteran father mother son daughter
    brother sister wife husband widow widower dictator populist conservative liberal
    socialist communist libertarian independent centrist moderate winner star player coach
    owner investor banker executive manager head chief envoy diplomat officer soldier
    general colonel farmer worker resident voter citizen native immigrant migrant refugee
    priest bishop cleric engineer scientist researcher architect artist singer actor
    actress musician president-elect heir successor predecessor principal newcomer pastor
    rabbi imam volunteer academic scholar pilot surgeon chef athlete""".split()
)

#: Endings of nouns that name people (lawyer, editor, activist, nominee, chairwoman).
_ROLE_ENDINGS = re.compile(r"(?:er|or|ist|ian|ee|man|woman|person|ate|ive|eur|ant|ent)s?$")
#: Nouns with those endings that name things, seen after "Name, a ..." in news copy.
_NOT_ROLES = frozenset(
    """government statement agreement number matter order power water paper border center
    centre moment comment event percent per cent rate state senate climate debate estimate
    mandate element segment document department movement parliament tenure measure
    other sector factor error mirror""".split()
)

_FORMER_MARKERS = frozenset({"former", "ex", "outgoing", "then", "retired", "onetime", "erstwhile"})
_FUTURE_MARKERS = frozenset({"elect", "incoming", "designate", "future", "would-be", "wouldbe"})
_TENSE_MARKERS = _FORMER_MARKERS | _FUTURE_MARKERS
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})
_NAME_PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "den",
     "di", "du", "le", "bin", "ibn", "al", "el", "y", "e"}
)
#: Words that open a title ("President", "Prime", "Dr"); spaCy sometimes puts them inside
#: a PERSON span, and they end a name ("Ana Ruiz Senator" is not a longer name).
_TITLE_WORDS = (
    frozenset(p for p in OFFICES if " " not in p)
    | {"vice", "prime", "chief", "deputy", "lieutenant", "attorney"}
    | _HONORIFICS
    | _TENSE_MARKERS
)
_DETERMINERS = frozenset({"a", "an", "the"})
_APPOSITIVE_OPENERS = frozenset({",", "—", "–", "(", "-"})
#: spaCy types of tokens that never sit inside a title ("Sunday", "27%").
_NON_TITLE_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})

#: Words that cannot open a name after an office word: the office's own words ("Secretary
#: General"), roles ("Deputy Leader") and title words.
_NOT_NAME_START = frozenset(w for p in OFFICES for w in p.split()) | ROLE_WORDS | _TITLE_WORDS
#: Words that make a capitalised run a place, building, body or event, not a person:
#: "President Street", "Queen Elizabeth Hospital", "Premier League", "Justice Department".
_NOT_PERSON_WORDS = frozenset(
    """street st road rd avenue ave boulevard lane drive way square place plaza bridge park
    gardens hall house office building tower centre center station airport port harbour
    harbor hospital clinic school college university institute academy museum library
    hotel stadium arena church cathedral chapel palace castle court courts party council
    committee commission department ministry agency bureau service authority foundation
    fund trust bank group company corporation corp inc ltd llc plc holdings partners
    capital league cup trophy prize award medal day week island islands county district
    province state city town village lake river mountain valley bay beach coast island
    memorial monument highway act bill law treaty""".split()
)
#: Honorifics that announce a person's name ("Mr", "Dr", "Sir"); "Miss" also names
#: pageants ("Miss Universe"), so it is left out.
_NAME_HONORIFICS = _HONORIFICS - {"miss"}
_MAX_NAME_WORDS = 4  # a longer capitalised run is a headline or a title, not a name

_WANTED_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC")  # LOC kept only if it turns out a person
_OUTPUT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_LABEL_PREFERENCE = {"PERSON": 0, "GPE": 1, "ORG": 2, "NORP": 3}
_MAX_TITLE_WORDS = 6


# --------------------------------------------------------------------------- name folding

_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?=\s|$)")
_DASHES = re.compile(r"[-‐‑‒–—_/]")
_NON_WORD = re.compile(r"[^\w\s]")


#: Letters Unicode does not decompose into a base letter plus an accent ("Møller" and
#: "Moller" are one spelling).
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
     "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"}
)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def _light_fold(name: str) -> str:
    """Case, whitespace, punctuation and possessive folded; accents kept."""
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFC", name).lower())
    text = _NON_WORD.sub("", _DASHES.sub(" ", text))
    return " ".join(text.split())


@functools.lru_cache(maxsize=1 << 16)
def fold_name(name: str) -> str:
    """Lowercase, accents stripped, possessive "'s" and punctuation removed, whitespace
    folded: ``"José Pérez-Soto's"`` -> ``"jose perez soto"``.  Every token of every
    article is folded, from a vocabulary of a few thousand words: remembered."""
    return _light_fold(_strip_accents(name))


# --------------------------------------------------------------------------- comparing names


class NameRelation(str, Enum):
    SAME = "same"
    ACCENT_VARIANT = "accent_variant"  # equal once accents are folded
    EXTENDED = "extended"  # one full name is the other plus more names ("Ana Ruiz Tagle")
    SHORT_FORM = "short_form"  # a bare surname ("Ruiz") of a full name
    SPELLING_VARIANT = "spelling_variant"  # aligned tokens, the differing ones similar
    DIFFERENT = "different"


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(long)
    return all(token in it for token in short)


def _surname_tokens(tokens: Sequence[str]) -> set[str]:
    """Tokens a full name may be shortened to: the last one, and the one before it in
    names of three or more (the first of two surnames: "Ruiz" of "Ana María Ruiz Tagle")."""
    if len(tokens) < 2:
        return set()
    found = {tokens[-1]}
    if len(tokens) >= 3:
        found.add(tokens[-2])
    return found - _NAME_PARTICLES


def _gendered_pair(x: str, y: str) -> bool:
    """Daniel/Daniela, Mario/Maria: similar by letters, different people."""
    if len(x) == len(y):
        return x[:-1] == y[:-1] and x[-1] in "aeo" and y[-1] in "aeo"
    short, long = sorted((x, y), key=len)
    return len(long) == len(short) + 1 and long.startswith(short) and long[-1] in "ae"


def _similar_token(x: str, y: str, token_similarity: float) -> bool:
    return fuzz.ratio(x, y) >= token_similarity and not _gendered_pair(x, y)


@functools.lru_cache(maxsize=1 << 16)  # story assignment compares the same names for many articles
def compare_names(a: str, b: str, *, token_similarity: float = 80.0) -> NameRelation:
    """How two written names relate; see ``NameRelation``.

    >>> compare_names("José Pérez", "Jose Perez")
    <NameRelation.ACCENT_VARIANT: 'accent_variant'>
    """
    if _light_fold(a) == _light_fold(b):
        return NameRelation.SAME
    ta, tb = fold_name(a).split(), fold_name(b).split()
    if not ta or not tb:
        return NameRelation.DIFFERENT
    if ta == tb:
        return NameRelation.ACCENT_VARIANT
    if len(ta) != len(tb):
        short, long = sorted((ta, tb), key=len)
        if len(short) >= 2:
            return NameRelation.EXTENDED if _is_subsequence(short, long) else NameRelation.DIFFERENT
        return NameRelation.SHORT_FORM if short[0] in _surname_tokens(long) else NameRelation.DIFFERENT
    differing = [(x, y) for x, y in zip(ta, tb) if x != y]
    # two full names sharing no token are two people, however alike the letters
    if len(ta) >= 2 and len(differing) == len(ta):
        return NameRelation.DIFFERENT
    if all(_similar_token(x, y, token_similarity) for x, y in differing):
        return NameRelation.SPELLING_VARIANT
    return NameRelation.DIFFERENT


#: British and American spellings of one word ("Labour"/"Labor", "Centre"/"Center",
#: "Defence"/"Defense", "Organisation"/"Organization", "Councillor"/"Councilor"): both
#: are right, so an organisation written both ways is not misspelt.
_REGIONAL_SPELLINGS = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"our", "or"),
        (r"tre$", "ter"),
        (r"ence$", "ense"),
        (r"(?<=[a-z])is(?=e|ed|es|ing|ation|ations)", "iz"),
        (r"ogue$", "og"),
        (r"(?<=[a-z])ae", "e"),
        (r"(?<=[a-z])oe", "e"),
        (r"ll(?=ed|ing|er|ers|or|ors)", "l"),
        (r"mme$", "m"),
    )
)
_MIN_CHECKED_WORD = 4  # "Bank" and "Bonk": shorter words are other words, not slips


def _regional_form(word: str) -> str:
    for pattern, repl in _REGIONAL_SPELLINGS:
        word = pattern.sub(repl, word)
    return word


def _one_word_two_forms(x: str, y: str) -> bool:
    """Two correct forms of one word: regional spellings or an inflection ("National" /
    "Nationals", "Chile" / "Chilean")."""
    short, long = sorted((x, y), key=len)
    return long.startswith(short) or _regional_form(x) == _regional_form(y)


def organisation_spelling_variant(a: str, b: str, *, max_edits: int = 1) -> bool:
    """Whether two multi-word names that are not people's ("Northfield Credit Union" /
    "Northfeld Credit Union") are one name with a slip in it.

    People's names drift in spelling between sources (transliteration, a dropped accent,
    "Mariela" / "Mariella"), hence the looser ``compare_names``; an organisation's name is
    a fixed string, so only a slip counts: every differing word is within ``max_edits``
    letters (one extra, missing, wrong or swapped letter) of its counterpart, at least
    one word is shared, and no differing word is a regional spelling or an inflection of
    the other ("Labour Party" / "Labor Party" and "National Party" / "Nationals Party"
    are both correct somewhere).

    >>> organisation_spelling_variant("Labour Party", "Labor Party")
    False
    """
    ta, tb = fold_name(a).split(), fold_name(b).split()
    if len(ta) < 2 or len(ta) != len(tb):
        return False
    differing = [(x, y) for x, y in zip(ta, tb) if x != y]
    if not differing or len(differing) == len(ta):
        return False
    return all(
        min(len(x), len(y)) >= _MIN_CHECKED_WORD
        and x.isalpha()
        and y.isalpha()
        and OSA.distance(x, y) <= max_edits
        and not _one_word_two_forms(x, y)
        and not _gendered_pair(x, y)
        for x, y in differing
    )


# --------------------------------------------------------------------------- words


@dataclass(frozen=True)
class _Word:
    """One or more tokens joined by in-word hyphens ("far-right", "President-elect")."""

    i: int  # first token index
    j: int  # one past the last token index
    start: int  # character offsets in the doc
    end: int
    text: str
    parts: tuple[str, ...]  # folded pieces between hyphens
    pos: str  # part of speech of the last piece
    tag: str
    lemma: str
    ents: frozenset[str]
    hyphenated: bool

    @property
    def norm(self) -> str:
        return "-".join(self.parts)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def _joins_hyphen(prev, tok) -> bool:
    return not prev.whitespace_ and (tok.text in "-‐" or prev.text in "-‐") and not tok.is_space


def _words(doc) -> tuple[list[_Word], list[int]]:
    """Words of the doc and, per token, the index of its word."""
    groups: list[list] = []
    for tok in doc:
        if groups and _joins_hyphen(groups[-1][-1], tok):
            groups[-1].append(tok)
        else:
            groups.append([tok])
    words, token_word = [], [0] * len(doc)
    doc_text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    for gi, toks in enumerate(groups):
        for t in toks:
            token_word[t.i] = gi
        pieces = [t for t in toks if t.text not in "-‐"] or toks
        last = pieces[-1]
        text = doc_text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        parts = tuple(p for p in (fold_name(t.text) for t in pieces) if p)
        words.append(
            _Word(
                i=toks[0].i,
                j=toks[-1].i + 1,
                start=toks[0].idx,
                end=toks[-1].idx + len(toks[-1].text),
                text=text,
                parts=parts,
                pos=last.pos_,
                tag=last.tag_,
                lemma=fold_name(last.lemma_) if len(pieces) == 1 else "-".join(parts),
                ents=frozenset(t.ent_type_ for t in toks if t.ent_type_),
                hyphenated=len(pieces) > 1,
            )
        )
    return words, token_word


# --------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class _TitleFound:
    """A title found in the doc; character offsets are the doc's (no article offset)."""

    start: int
    end: int
    head: str
    tense: TitleTense
    is_office: bool
    head_start: int  # the words that name the office ("Secretary of State"), so that
    head_end: int  # entity fragments inside them ("State" as ORG) can be dropped

    def retensed(self, tense: TitleTense) -> _TitleFound:
        return dataclasses.replace(self, tense=tense)


def _tense(words: Sequence[_Word]) -> TitleTense:
    parts = {p for w in words for p in w.parts} | {w.norm for w in words}
    if parts & _FORMER_MARKERS:
        return TitleTense.FORMER
    if parts & _FUTURE_MARKERS:
        return TitleTense.FUTURE
    return TitleTense.CURRENT


def _content_parts(words: Sequence[_Word]) -> list[tuple[str, int]]:
    """(piece, word position) for every piece that is not a tense marker."""
    out = []
    for k, w in enumerate(words):
        if w.norm not in _TENSE_MARKERS:
            out.extend((p, k) for p in w.parts if p not in _TENSE_MARKERS)
    return out


def _match_office(parts: Sequence[str]) -> tuple[str, int] | None:
    """The longest office phrase that ends ``parts``: (canonical head, phrase length)."""
    for n in range(min(4, len(parts)), 0, -1):
        phrase = " ".join(parts[-n:])
        if phrase in OFFICES:
            return OFFICES[phrase], n
    return None


def _looks_like_role(word: _Word) -> bool:
    lemma = word.lemma or word.norm
    if lemma in ROLE_WORDS or word.norm in ROLE_WORDS or lemma in OFFICES:
        return True
    return bool(_ROLE_ENDINGS.search(lemma)) and lemma not in _NOT_ROLES and word.norm not in _NOT_ROLES


def _office_in(words: Sequence[_Word], *, after_name: bool) -> tuple[str, int, int] | None:
    """(canonical head, first word, last word) of the office the words end with."""
    content = _content_parts(words)
    parts = [p for p, _ in content]
    found = _match_office(parts)
    if found is not None:
        head, n = found
        return head, content[len(content) - n][1], content[-1][1]
    if after_name and "of" in parts:
        # "Minister of Finance": a portfolio office is named before its "of"
        cut = len(parts) - 1 - parts[::-1].index("of")
        found = _match_office(parts[:cut])
        if found and found[0] in _PORTFOLIO_HEADS:
            return found[0], content[cut - found[1]][1], len(words) - 1
    return None


def _classify_title(words: Sequence[_Word], *, after_name: bool) -> _TitleFound | None:
    """Read a bounded run of words ("former U.S. Secretary of State") as one title.

    Before a name any lowercase noun or label is a title ("rival", "far-right"); after a
    name ("Name, a ...") the head must look like a role, because appositives also carry
    things ("Name, part of the coalition")."""
    if not words or not _content_parts(words):
        return None
    tense = _tense(words)
    office = _office_in(words, after_name=after_name)
    if office is not None:
        head, first, last = office
        return _title(words, head, True, tense, words[first], words[last])
    last = words[-1]
    if last.norm in _TENSE_MARKERS:
        return None
    if last.capitalised and not (last.lemma in ROLE_WORDS or last.norm in ROLE_WORDS):
        return None  # a capitalised word that is no known title belongs to a name or an org
    if after_name and not _looks_like_role(last):
        return None
    if not after_name and last.pos not in {"NOUN", "ADJ", "PROPN"} and not last.hyphenated:
        return None
    if last.hyphenated or last.pos != "NOUN":
        if not after_name:
            # a bare label ("far-right Ana Ruiz") is only its adjectives, never the
            # nouns before it ("the run-off pits far-right Ana Ruiz")
            k = len(words) - 1
            while k > 0 and (words[k - 1].pos == "ADJ" or words[k - 1].norm in _TENSE_MARKERS):
                k -= 1
            words = words[k:]
        return _title(words, last.norm, False, tense, last, last)
    # a compound role keeps its noun modifiers: "engineering student"
    k = len(words) - 1
    while k > 0 and _is_plain_noun(words[k - 1]):
        k -= 1
    head = " ".join([w.norm for w in words[k:-1]] + [last.lemma or last.norm])
    return _title(words, head, False, tense, words[k], last)


def _is_plain_noun(w: _Word) -> bool:
    return w.pos == "NOUN" and not w.capitalised and not w.hyphenated


def _title(
    words: Sequence[_Word], head: str, office: bool, tense: TitleTense, first: _Word, last: _Word
) -> _TitleFound:
    return _TitleFound(words[0].start, words[-1].end, head, tense, office, first.start, last.end)


def _can_precede_as_title(w: _Word) -> bool:
    if w.ents & _NON_TITLE_ENTS or "\n" in w.text or w.tag == "POS":
        return False
    if w.norm in _TENSE_MARKERS or w.norm == "of":
        return True
    if w.pos in {"NOUN", "PROPN", "ADJ"}:
        return True
    return w.hyphenated and all(p.isalpha() for p in w.parts)


def _preceding_title(words: Sequence[_Word], k: int, blocked: set[int]) -> _TitleFound | None:
    """The title right before the name starting at word ``k``: "U.S. Secretary of State"."""
    run: list[_Word] = []
    j = k - 1
    while j >= 0 and len(run) < _MAX_TITLE_WORDS and j not in blocked and _can_precede_as_title(words[j]):
        run.append(words[j])
        j -= 1
    run.reverse()
    # "of" belongs to a title only inside an office phrase ("Secretary of State"); a
    # stray "of" ("the era of Ana Ruiz") ends the title
    office = _office_in(run, after_name=False)
    inside = set(range(office[1], office[2] + 1)) if office else set()
    stray = [i for i, w in enumerate(run) if w.norm == "of" and i not in inside]
    if stray:
        run = run[max(stray) + 1 :]
    return _classify_title(run, after_name=False)


def _np_word_ok(w: _Word) -> bool:
    if "\n" in w.text or w.pos in {"PUNCT", "CCONJ", "ADP", "PRON", "AUX", "DET", "SPACE", "SCONJ", "PART"}:
        return w.hyphenated and all(p.isalnum() for p in w.parts)
    if w.pos == "VERB":
        return w.tag in {"VBG", "VBN"} or w.hyphenated
    return w.pos in {"NOUN", "PROPN", "ADJ", "NUM", "ADV", "X"} or w.hyphenated


def _read_of_phrase(words: Sequence[_Word], idx: list[int], j: int) -> int | None:
    """At an "of" after a title noun: how far an office phrase runs ("Secretary of State",
    "Minister of Finance"), or None when the "of" ends the title."""
    if not idx:
        return None
    head = words[idx[-1]].norm
    for phrase in _OF_OFFICES:
        k = phrase.index("of")
        if phrase[k - 1] != head:
            continue
        tail = phrase[k:]
        if j + len(tail) <= len(words) and [words[j + n].norm for n in range(len(tail))] == tail:
            return j + len(tail)
    if head in _PORTFOLIO_HEADS:
        n = j + 1
        while n < len(words) and n - j <= 3 and words[n].pos in {"NOUN", "PROPN"}:
            n += 1
        return n if n > j + 1 else None
    return None


def _read_noun_phrases(words: Sequence[_Word], j: int, blocked: set[int]) -> list[list[int]]:
    """Noun phrases joined by "and" from word ``j``: "a former congresswoman and
    conservative lawyer" -> [[former, congresswoman], [conservative, lawyer]].
    Empty when a name turns up (then it was a list of people, not an appositive)."""
    phrases: list[list[int]] = []
    n = len(words)
    while j < n:
        while j < n and words[j].norm in _DETERMINERS | {"his", "her", "their", "its"}:
            j += 1
        idx: list[int] = []
        while j < n:
            w = words[j]
            if j in blocked:
                return []
            if w.tag == "POS":  # "the coalition's nominee": the title starts after the owner
                idx, j = [], j + 1
                continue
            if w.norm == "of":
                stop = _read_of_phrase(words, idx, j)
                if stop is None:
                    break
                idx.extend(range(j, stop))
                j = stop
                continue
            if not _np_word_ok(w):
                break
            idx.append(j)
            j += 1
        if idx:
            phrases.append(idx)
        if j < n and words[j].norm == "and" and idx:
            j += 1
            continue
        break
    return phrases


def _following_titles(words: Sequence[_Word], k: int, blocked: set[int]) -> list[_TitleFound]:
    """Titles after the name ending at word ``k``: an appositive ("Name, 47, a former
    minister and lawyer,") or a copula ("Name is a lawyer", "Name was a minister")."""
    n = len(words)
    j = k + 1
    copula_tense: TitleTense | None = None
    if j < n and words[j].text in _APPOSITIVE_OPENERS:
        j += 1
        if j + 1 < n and words[j].pos == "NUM" and words[j + 1].text == ",":
            j += 2  # an age: "Name, 47, ..."
        if j < n and words[j].norm in {"is", "was"}:
            copula_tense = TitleTense.FORMER if words[j].norm == "was" else TitleTense.CURRENT
            j += 1
    elif j < n and words[j].norm in {"is", "was"}:
        copula_tense = TitleTense.FORMER if words[j].norm == "was" else TitleTense.CURRENT
        j += 1
    else:
        return []
    if copula_tense is not None and not (j < n and words[j].norm in {"a", "an"}):
        return []  # "Name is expected to...", "Name was the first ...": not a role
    found = []
    for idx in _read_noun_phrases(words, j, blocked):
        t = _classify_title([words[i] for i in idx], after_name=True)
        if t is None:
            continue
        if copula_tense is TitleTense.FORMER and t.tense is TitleTense.CURRENT:
            t = t.retensed(TitleTense.FORMER)  # "Name was a minister"
        found.append(t)
    return found


# --------------------------------------------------------------------------- mentions


@dataclass
class _Candidate:
    start: int  # token indices, end exclusive
    end: int
    label: str
    in_heading: bool = False  # the spaCy span began on a heading line
    titles: list[_TitleFound] = field(default_factory=list)


def _heading_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines that read like section headings ("Context And Stakes"):
    short, Title Case, no closing punctuation.  spaCy glues these to the next line's
    first word and tags the lot as a name."""
    ranges = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group().strip()
        words = [w for w in body.split() if w[:1].isalpha()]
        if not 2 <= len(words) <= 14 or body[-1] in ".!?\"”»:;,)":
            continue
        if sum(w[0].isupper() for w in words) / len(words) >= 0.6:
            ranges.append((line.start(), line.end()))
    return ranges


def _in_ranges(pos: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article, prefix ("pro-" of "pro-Trump") or punctuation, and a
    trailing possessive: offsets then point at the name itself."""
    while start < end:
        t = doc[start]
        glued_prefix = t.is_lower and start + 1 < end and doc[start + 1].text in "-‐" and not t.whitespace_
        if t.is_punct or t.is_space or t.pos_ == "DET" or glued_prefix or t.text in "-‐":
            start += 1
        else:
            break
    while end > start:
        t = doc[end - 1]
        if t.is_punct or t.is_space or t.tag_ == "POS" or t.text in {"'s", "’s", "'", "’"}:
            end -= 1
        else:
            break
    return start, end


def _split_span(doc, start: int, end: int) -> list[tuple[int, int]]:
    """Split an entity span at line breaks and inner possessives ("Norland's Labour Party")."""
    pieces, cur = [], start
    for k in range(start, end):
        t = doc[k]
        if t.is_space or "\n" in t.text or (t.tag_ == "POS" and k < end - 1):
            pieces.append((cur, k))
            cur = k + 1
    pieces.append((cur, end))
    out = []
    for a, b in pieces:
        a, b = _trim(doc, a, b)
        if b > a and any(ch.isalpha() for ch in doc[a:b].text):
            out.append((a, b))
    return out


def _strip_leading_titles(doc, start: int, end: int, *, keep: int) -> int:
    """"President Ana Ruiz" tagged as one span: the name starts after the title, and
    at least ``keep`` tokens stay (an ORG keeps two: "Chief Executive Partners")."""
    k = start
    while end - (k + 1) >= keep and doc[k].text[:1].isupper() and fold_name(doc[k].text) in _TITLE_WORDS:
        k += 1
    return k


def _is_name_token(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _name_tokens(doc, c: _Candidate) -> list[str]:
    return [fold_name(doc[k].text) for k in range(c.start, c.end) if _is_name_token(doc[k])]


def _looks_named(doc, a: int, b: int) -> bool:
    """A proper name, not a common noun that opens a line ("Crime dominates ...")."""
    return any(
        doc[k].text[:1].isupper() and (doc[k].pos_ == "PROPN" or not doc[k].is_sent_start)
        for k in range(a, b)
    )


def _spacy_candidates(doc, headings: Sequence[tuple[int, int]]) -> list[_Candidate]:
    cands = []
    for ent in doc.ents:
        if ent.label_ not in _WANTED_LABELS:
            continue
        in_heading = _in_ranges(ent.start_char, headings)
        for a, b in _split_span(doc, ent.start, ent.end):
            if ent.label_ in {"PERSON", "ORG"} and not _looks_named(doc, a, b):
                continue
            if ent.label_ in {"PERSON", "ORG", "NORP"}:
                a = _strip_leading_titles(doc, a, b, keep=1 if ent.label_ == "PERSON" else 2)
            label = ent.label_
            # "Augustin" tagged NORP with "Moreau" left out: extend over capitalised names
            if label in {"PERSON", "NORP"} and all(doc[k].pos_ == "PROPN" for k in range(a, b)):
                grown = b
                while (
                    grown < len(doc)
                    and doc[grown - 1].whitespace_ == " "
                    and doc[grown].pos_ == "PROPN"
                    and _is_name_token(doc[grown])
                    and not doc[grown].ent_type_
                    and fold_name(doc[grown].text) not in _TITLE_WORDS
                ):
                    grown += 1
                if grown > b:
                    b, label = grown, "PERSON"
            cands.append(_Candidate(a, b, label, in_heading))
    return cands


def _has_age_appositive(words: Sequence[_Word], k: int) -> bool:
    """ "Name, 47," or "Name (47)": only people have ages."""
    if k + 3 >= len(words) or words[k + 1].text not in {",", "("} or words[k + 3].text not in {",", ")"}:
        return False
    age = words[k + 2].text
    return age.isdigit() and 0 < int(age) < 120


def _has_person_evidence(
    doc, c: _Candidate, words: Sequence[_Word], token_word: Sequence[int], person_words: set[int]
) -> bool:
    """An office right before or after the name, or an age after it."""
    if not _is_whole_words(c, words, token_word) or doc[c.start].pos_ != "PROPN":
        return False
    first, last = token_word[c.start], token_word[c.end - 1]
    before = _preceding_title(words, first, person_words)
    if before and before.is_office:
        return True
    # "In Lima, a former minister said": a phrase fronting the sentence is no appositive
    if first > 0 and words[first - 1].pos == "ADP":
        return False
    if _has_age_appositive(words, last):
        return True
    return c.label != "GPE" and any(t.is_office for t in _following_titles(words, last, person_words))


def _person_name_sets(doc, cands: Iterable[_Candidate]) -> tuple[set[str], set[str]]:
    """(every token, surname tokens) of the multi-word PERSON mentions."""
    tokens: set[str] = set()
    surnames: set[str] = set()
    for c in cands:
        if c.label != "PERSON":
            continue
        names = [t for t in _name_tokens(doc, c) if t not in _NAME_PARTICLES]
        if len(names) >= 2:
            tokens.update(names)
            surnames.update(names[1:])
    return tokens, surnames


def _is_person_form(folded: Sequence[str], tokens: set[str], surnames: set[str]) -> bool:
    return bool(folded) and set(folded) <= tokens and bool(set(folded) & surnames)


def _untagged_name_runs(doc, taken: set[int], tokens: set[str], surnames: set[str]) -> list[_Candidate]:
    """Capitalised runs spaCy left untagged that are made of this article's person names
    ("Ruiz" alone, after "Ana María Ruiz" was tagged once)."""
    found, k = [], 0
    while k < len(doc):
        t = doc[k]
        usable = (
            k not in taken
            and _is_name_token(t)
            and fold_name(t.text) in tokens
            and (t.pos_ == "PROPN" or not t.is_sent_start)
        )
        if not usable:
            k += 1
            continue
        end = k + 1
        while (
            end < len(doc)
            and end not in taken
            and _is_name_token(doc[end])
            and fold_name(doc[end].text) in tokens
        ):
            end += 1
        if {fold_name(doc[n].text) for n in range(k, end)} & surnames:
            start = k
            # an untagged given name in front ("Ilse" of "Ilse Kramm") is part of the name
            while start > 0 and k - start < 2 and _is_given_name_slot(doc, start - 1, taken):
                start -= 1
            found.append(_Candidate(start, end, "PERSON"))
        k = end
    return found


def _is_given_name_slot(doc, k: int, taken: set[int]) -> bool:
    t = doc[k]
    return (
        k not in taken
        and t.pos_ == "PROPN"
        and _is_name_token(t)
        and t.ent_type_ in {"", "PERSON"}
        and fold_name(t.text) not in _TITLE_WORDS
        and t.whitespace_ == " "
    )


def _is_name_word(w: _Word) -> bool:
    """A capitalised proper noun that can be part of a person's name ("Pérez-Soto")."""
    return (
        w.capitalised
        and w.pos == "PROPN"
        and bool(w.parts)
        and all(p.isalpha() for p in w.parts)
        and "\n" not in w.text
        and not w.ents & _NON_TITLE_ENTS
        and w.norm not in _TITLE_WORDS
    )


def _is_name_link(w: _Word) -> bool:
    """A lowercase particle ("de", "van") or an initial ("F."): inside a name only."""
    return (w.norm in _NAME_PARTICLES and not w.capitalised) or (
        len(w.text) == 2 and w.text[0].isupper() and w.text[1] == "."
    )


def _spaced(doc, words: Sequence[_Word], k: int) -> bool:
    """Word ``k`` is followed by one space on the same line (no punctuation between)."""
    return doc[words[k].j - 1].whitespace_ == " "


def _misread_given_name(doc, words: Sequence[_Word], k: int) -> bool:
    """A given name the tagger does not know is often read as a verb or a common noun
    ("Beatrix" of "Beatrix Hale, the mayor, ..."): a capitalised word of those kinds right
    before a proper noun may open a name (adverbs and the like never do: "Meanwhile")."""
    w = words[k]
    return (
        w.capitalised
        and w.text.isalpha()
        and w.pos in {"VERB", "NOUN", "ADJ"}
        and not w.ents & _NON_TITLE_ENTS
        and k + 1 < len(words)
        and _spaced(doc, words, k)
        and _is_name_word(words[k + 1])
    )


def _name_run(doc, words: Sequence[_Word], k: int) -> int:
    """One past the last word of the name starting at word ``k`` ("Ana de la Ruiz", "John
    F. Kennedy"); ``k`` when no name starts there."""
    if words[k].norm in _NOT_NAME_START or not (
        _is_name_word(words[k]) or _misread_given_name(doc, words, k)
    ):
        return k
    end = k + 1
    while end < len(words) and _spaced(doc, words, end - 1):
        j = end
        while j < len(words) and _is_name_link(words[j]) and _spaced(doc, words, j):
            j += 1
        if j < len(words) and _is_name_word(words[j]):
            end = j + 1
        else:
            break
    return end


def _titled_by_office(doc, words: Sequence[_Word], k: int, blocked: set[int]) -> bool:
    """A capitalised office ("Governor", "Prime Minister", "Secretary of State") or an
    honorific ("Dr", "Sir") right before word ``k``: what follows is a person's name."""
    if k == 0 or not words[k - 1].capitalised or not _spaced(doc, words, k - 1):
        return False
    if words[k - 1].norm in _NAME_HONORIFICS:
        return True
    before = _preceding_title(words, k, blocked)
    return before is not None and before.is_office and before.head_end == words[k - 1].end


def _titled_name_runs(
    doc, cands: list[_Candidate], words: Sequence[_Word], token_word: Sequence[int],
    headings: Sequence[tuple[int, int]],
) -> list[_Candidate]:
    """Names that an office makes people, whatever spaCy tagged: "Governor Lavinia
    Hart" (often left untagged, or tagged ORG, or half tagged GPE) and "Lavinia Hart,
    the mayor of Eastford,".  The small model misses invented and foreign names next to
    titles, and those are exactly the mentions that carry an office.

    A run is kept only when it is plainly a name: capitalised proper nouns, at most
    ``_MAX_NAME_WORDS``, no place or institution word ("President Street", "Premier
    League"), outside headings, and not cut across by a longer spaCy entity.  spaCy's
    tokens inside the run give way to one PERSON candidate; a run spaCy tagged whole as
    a place keeps its label unless an office word stands right before it, and a run
    holding a PERSON span is left to spaCy (whose span grows over the untagged rest)."""
    by_token: dict[int, _Candidate] = {k: c for c in cands for k in range(c.start, c.end)}
    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    replaced: set[int] = set()  # ids of candidates that a run replaces
    added: list[_Candidate] = []
    k = 0
    while k < len(words):
        first, end = k, _name_run(doc, words, k)
        k = max(end, k + 1)
        if end == first:
            continue
        if "NORP" in words[first].ents and end - first >= 3:
            first += 1  # "Republican Ana Ruiz": a party or nationality before a full name
        run = words[first:end]
        a, b = run[0].i, run[-1].j
        if (
            sum(_is_name_word(w) for w in run) > _MAX_NAME_WORDS
            or any(p in _NOT_PERSON_WORDS for w in run for p in w.parts)
            or _in_ranges(run[0].start, headings)
        ):
            continue
        inside = {id(c): c for t in range(a, b) if (c := by_token.get(t)) is not None}
        if any(c.start < a or c.end > b or c.label == "PERSON" for c in inside.values()):
            continue  # a longer entity runs through it ("Senator Hotel Group"), or spaCy saw the person
        blocked = person_words - set(range(first, end))
        before = _titled_by_office(doc, words, first, blocked)
        after = False
        if not before and len(run) >= 2 and end < len(words) and words[end].text in _APPOSITIVE_OPENERS:
            fronted = first > 0 and words[first - 1].pos == "ADP"  # "In Lima, the minister ..."
            after = not fronted and any(t.is_office for t in _following_titles(words, end - 1, blocked))
        if not (before or after):
            continue
        whole = [c for c in inside.values() if c.start == a and c.end == b]
        if whole and not before and whole[0].label in {"GPE", "LOC"}:
            continue
        replaced.update(inside)
        added.append(_Candidate(a, b, "PERSON"))
    return [c for c in cands if id(c) not in replaced] + added


def _is_full_name_of(doc, c: _Candidate, surnames: set[str]) -> bool:
    """ "Helena Ortiz" tagged ORG where "Ortiz" is known to be a person: two or three
    capitalised words ending in that surname."""
    if not 2 <= c.end - c.start <= 3 or not all(_is_name_token(doc[k]) for k in range(c.start, c.end)):
        return False
    return fold_name(doc[c.end - 1].text) in surnames


def _span_form(doc, c: _Candidate) -> str:
    return fold_name(doc[c.start : c.end].text)


def _harmonise_labels(doc, cands: list[_Candidate], tokens: set[str], surnames: set[str]) -> None:
    """One label per surface form within the article: names of people are PERSON
    everywhere; other forms take the article's majority label ("Norland" once PERSON)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        votes[_span_form(doc, c)][c.label] += 1
    for c in cands:
        names = _name_tokens(doc, c)
        if c.label != "PERSON" and (
            _is_person_form(names, tokens, surnames) or _is_full_name_of(doc, c, surnames)
        ):
            c.label = "PERSON"
            continue
        if c.label == "PERSON" and len(names) >= 2:
            continue  # a full name stays a person even if spaCy disagrees elsewhere
        counts = votes[_span_form(doc, c)]
        best, n = counts.most_common(1)[0]
        if n > counts[c.label]:
            c.label = best


def extract_mentions(doc, *, offset: int = 0) -> list[EntityMention]:
    """PERSON, ORG, GPE and NORP mentions of one parsed article, with titles for people.

    ``offset`` is added to every position (pass the body start when ``doc`` was parsed
    from the article body rather than the whole file).  The mentions are kept on the
    Doc: a batch run reads them to file the article under a story, and again, from the
    same cached Doc, when it analyses the story.
    """
    key = ("claimcheck.mentions", offset)
    if key not in doc.user_data:
        doc.user_data[key] = tuple(_extract_mentions(doc, offset))
    return list(doc.user_data[key])


def _extract_mentions(doc, offset: int) -> list[EntityMention]:
    words, token_word = _words(doc)
    doc_text = doc.text  # spaCy rebuilds doc.text on every access: read it once
    headings = _heading_ranges(doc_text)

    cands = _spacy_candidates(doc, headings)
    # Headings glued to the next line come out as names ("Context", "Upcoming Tenure",
    # "Sentiment\nCrime"): from those spans keep only what the article names elsewhere.
    known = {t for c in cands if not c.in_heading for t in _name_tokens(doc, c)}
    cands = [c for c in cands if not c.in_heading or _known(_name_tokens(doc, c), known)]
    cands = _titled_name_runs(doc, cands, words, token_word, headings)

    # A name next to an office or with an age is a person, whatever spaCy called it
    # ("Congresswoman Lena Ortiz", "Lena Ortiz, a former senator,", "Ortiz, 47,").
    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    evidenced = [c for c in cands if _has_person_evidence(doc, c, words, token_word, person_words)]
    for c in evidenced:
        c.label = "PERSON"

    tokens, surnames = _person_name_sets(doc, cands)
    for c in evidenced:  # "Ortiz, 47," makes "Ortiz" a surname even with no full name tagged
        names = _name_tokens(doc, c)
        if len(names) == 1:
            tokens.update(names)
            surnames.update(names)
    taken = {k for c in cands for k in range(c.start, c.end)}
    cands += _untagged_name_runs(doc, taken, tokens, surnames)
    _harmonise_labels(doc, cands, tokens, surnames)
    cands = sorted((c for c in cands if c.label in _OUTPUT_LABELS), key=lambda c: c.start)

    person_words = _word_set(cands, token_word, lambda c: c.label == "PERSON")
    office_spans: list[tuple[int, int]] = []
    for c in cands:
        if c.label != "PERSON" or not _is_whole_words(c, words, token_word):
            continue
        first, last = token_word[c.start], token_word[c.end - 1]
        blocked = person_words - set(range(first, last + 1))
        before = _preceding_title(words, first, blocked)
        c.titles = ([before] if before else []) + _following_titles(words, last, blocked)
        office_spans += [(t.head_start, t.head_end) for t in c.titles if t.is_office]

    mentions = []
    for c in cands:
        s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
        # "State" of "Secretary of State" is part of a title, not an organisation
        if c.label in {"ORG", "PERSON"} and any(a <= s and e <= b for a, b in office_spans):
            continue
        titles = tuple(
            Title(
                text=doc_text[t.start : t.end],
                start=t.start + offset,
                end=t.end + offset,
                head=t.head,
                tense=t.tense,
                is_office=t.is_office,
            )
            for t in c.titles
        )
        mentions.append(EntityMention(doc_text[s:e], s + offset, e + offset, c.label, titles))
    return mentions


def _known(names: Sequence[str], known: set[str]) -> bool:
    return bool(names) and set(names) <= known


def _is_whole_words(c: _Candidate, words: Sequence[_Word], token_word: Sequence[int]) -> bool:
    """False for a name glued inside a hyphenated word ("pro-Trump"): no titles there."""
    return words[token_word[c.start]].i == c.start and words[token_word[c.end - 1]].j == c.end


def _word_set(cands: Iterable[_Candidate], token_word: Sequence[int], keep) -> set[int]:
    return {token_word[k] for c in cands if keep(c) for k in range(c.start, c.end)}


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
        names = [t for t in u.tokens if t not in _NAME_PARTICLES]
        if u.mention.label == "PERSON" and len(names) >= 2:
            tokens.update(names)
            surnames.update(_surname_tokens(names))
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
        elif label != "GPE" and _is_person_form(form.split(), tokens, surnames):
            people.add(form)
        elif label != "GPE" and len(form.split()) >= 2:
            undecided.append(form)
    full_people: dict[str, list[str]] = defaultdict(list)
    for form in people:
        if len(form.split()) >= 2:
            for t in set(form.split()) - _NAME_PARTICLES:
                full_people[t].append(form)
    for form in undecided:
        near = {p for t in set(form.split()) - _NAME_PARTICLES for p in full_people.get(t, ())}
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
        for t in set(f.split()) - _NAME_PARTICLES:
            by_token[t].append(f)
    edges = set()
    for f in articles:
        for t in set(f.split()) - _NAME_PARTICLES:
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

    # bare names: bucket the full names by the tokens they may be shortened to
    by_surname: dict[str, set[str]] = defaultdict(set)
    for f in full_forms:
        for t in _surname_tokens(f.split()):
            by_surname[t].add(clusters.find(f))
    for u in person_uses:
        if len(u.tokens) >= 2:
            continue
        candidates = sorted(by_surname.get(u.form, ()))
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


def entity_spelling_variants(entity: Entity, token_similarity: float = 80.0) -> list[tuple[str, str]]:
    """Pairs of the entity's written forms that are spelling variants of each other
    (accent-only differences, added surnames and bare surnames are not)."""
    pairs, seen = [], set()
    for i, a in enumerate(entity.variants):
        for b in entity.variants[i + 1 :]:
            key = frozenset((fold_name(a), fold_name(b)))
            if key in seen:
                continue
            if compare_names(a, b, token_similarity=token_similarity) is NameRelation.SPELLING_VARIANT:
                seen.add(key)
                pairs.append((a, b))
    return pairs


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
