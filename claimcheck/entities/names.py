"""Name comparison: folding written names, and how two names relate.

``fold_name`` folds case, accents, punctuation and the possessive ("José Pérez-Soto's" ->
"jose perez soto").  ``compare_names`` says how two names relate (same, accent-only,
extended, short form, spelling variant, different); ``organisation_spelling_variant`` says
whether two organisation names are one name with a slip in it.  Pure functions of strings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from enum import Enum

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

#: Lowercase particles inside names ("de la", "van", "bin"): never a surname on their own.
NAME_PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "den",
     "di", "du", "le", "bin", "ibn", "al", "el", "y", "e"}
)

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


def surname_tokens(tokens: Sequence[str]) -> set[str]:
    """Tokens a full name may be shortened to: the last one, and the one before it in
    names of three or more (the first of two surnames: "Ruiz" of "Ana María Ruiz Tagle")."""
    if len(tokens) < 2:
        return set()
    found = {tokens[-1]}
    if len(tokens) >= 3:
        found.add(tokens[-2])
    return found - NAME_PARTICLES


def gendered_pair(x: str, y: str) -> bool:
    """Daniel/Daniela, Mario/Maria: similar by letters, different people."""
    if len(x) == len(y):
        return x[:-1] == y[:-1] and x[-1] in "aeo" and y[-1] in "aeo"
    short, long = sorted((x, y), key=len)
    return len(long) == len(short) + 1 and long.startswith(short) and long[-1] in "ae"


def _similar_token(x: str, y: str, token_similarity: float) -> bool:
    return fuzz.ratio(x, y) >= token_similarity and not gendered_pair(x, y)


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
        return NameRelation.SHORT_FORM if short[0] in surname_tokens(long) else NameRelation.DIFFERENT
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
        and not gendered_pair(x, y)
        for x, y in differing
    )

