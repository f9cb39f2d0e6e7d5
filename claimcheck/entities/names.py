"""Name comparison: folding written names, and how two names relate.

``fold_name`` folds case, accents, punctuation and the possessive ("José Pérez-Soto's" ->
"jose perez soto").  ``compare_names`` says how two names relate (same, accent-only,
extended, short form, spelling variant, different); ``word_slip`` and
``name_spelling_variant`` say whether two written names are one name with a slip in it.
Pure functions of strings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import jellyfish
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


def short_form_tokens(tokens: Sequence[str]) -> set[str]:
    """Words a full name may be shortened to in copy: its surnames, and the first word of
    a two-word name, which is the family name where it comes first ("Xi" of "Xi
    Jinping", "Orbán" of "Orbán Viktor") and otherwise a given name used alone."""
    found = surname_tokens(tokens)
    if len(tokens) == 2:
        found.add(tokens[0])
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
        return NameRelation.SHORT_FORM if short[0] in short_form_tokens(long) else NameRelation.DIFFERENT
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
_MIN_CHECKED_WORD = 4  # "Bank" and "Bonk", "Eva" and "Ava": shorter words are other words, not slips
#: Endings that make another correct form of a word: "National" / "Nationals", "Chile" /
#: "Chilean", "Russia" / "Russian", "Iraq" / "Iraqi", "Spain" / "Spanish", and the verb
#: forms of Title Case headlines ("Stocks Plunge" / "Stocks Plunged", "Sparking").
_INFLECTIONS = frozenset({"s", "es", "n", "an", "ian", "ese", "i", "ish", "d", "ed", "ing", "er", "ers"})


def _regional_form(word: str) -> str:
    for pattern, repl in _REGIONAL_SPELLINGS:
        word = pattern.sub(repl, word)
    return word


def _one_word_two_forms(x: str, y: str) -> bool:
    """Two correct forms of one word: regional spellings or an inflection ("National" /
    "Nationals", "Chile" / "Chilean"); "Greg" / "Gregg" is neither."""
    short, long = sorted((x, y), key=len)
    inflected = long.startswith(short) and long[len(short) :] in _INFLECTIONS
    return inflected or _regional_form(x) == _regional_form(y)


@functools.lru_cache(maxsize=1 << 16)
def word_zipf(word: str) -> float:
    """How common a word is in English (wordfreq's Zipf scale: 6 for "the", about 4 for
    "hotel" or "Sarah", under 3 for most surnames, 0 for a word never seen)."""
    from wordfreq import zipf_frequency  # its word lists load on first use

    return zipf_frequency(word, "en")


def sounds_alike(x: str, y: str) -> bool:
    """Same first letter and the same Metaphone key: "Becco" / "Beccuau", "Laura" /
    "Laure", and romanizations of one name ("Mohammed" / "Muhammad")."""
    return x[:1] == y[:1] and jellyfish.metaphone(x) == jellyfish.metaphone(y)


@dataclass(frozen=True)
class SlipRules:
    """How far two written words may differ and still be one name word misspelt
    (``Config.spelling_*``)."""

    min_similarity: float = 80.0  # rapidfuzz ratio of the two words
    max_edits: int = 2  # letters extra, missing, wrong or swapped (OSA distance)
    sound_similarity: float = 60.0  # the ratio two words that sound alike need (one office's holder)
    common_zipf: float = 4.0  # two words both this common are two words, not a slip


def word_slip(x: str, y: str, rules: SlipRules = SlipRules()) -> bool:
    """Whether two different folded words are one name word written two ways: at most
    ``max_edits`` letters apart and ``min_similarity`` alike ("Wurtz" / "Wirtz",
    "Franois" / "Francois", "Sarah" / "Sahra").

    Not a slip: accents alone (the words are folded first), short words ("Eva" / "Ava"),
    regional spellings and inflections ("Labour" / "Labor", "National" / "Nationals"),
    gendered given names ("Daniel" / "Daniela"), two common English words ("Hall" /
    "Mall"): those are two words, each correct; and the same sounds romanized with other
    letters ("Mohammed" / "Muhammad", "Alexander" / "Aleksandar"), which are too far apart
    by letters.
    """
    if x == y or min(len(x), len(y)) < _MIN_CHECKED_WORD or not (x.isalpha() and y.isalpha()):
        return False
    if fuzz.ratio(x, y) < rules.min_similarity or OSA.distance(x, y) > rules.max_edits:
        return False
    if _one_word_two_forms(x, y) or gendered_pair(x, y):
        return False
    return min(word_zipf(x), word_zipf(y)) < rules.common_zipf  # two common words are two words


def name_spelling_variant(a: Sequence[str], b: Sequence[str], rules: SlipRules = SlipRules()) -> bool:
    """Whether two written names of two or more words (folded words, in order) are one
    name with a slip in it: a difference of one or two letters over the whole name
    (``max_edits``), every differing word a ``word_slip`` ("Northfield Credit Union" /
    "Northfeld Credit Union", "Hendrik Vossberg" / "Hendrick Vosberg").

    >>> name_spelling_variant("labour party".split(), "labor party".split())
    False
    """
    if len(a) < 2 or len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    if not differing or not all(word_slip(x, y, rules) for x, y in differing):
        return False
    return sum(OSA.distance(x, y) for x, y in differing) <= rules.max_edits
