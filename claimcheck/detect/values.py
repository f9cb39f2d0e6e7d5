"""Exclusive values (``data/exclusive.yaml``): sets of which one thing has one value.

A case is confirmed or suspected; an epicentre lies north-east or south-west of a city;
a record is the second- or the third-highest.  Detectors ask which set and value a word
names (``exclusive_value``), or which value a run of parsed tokens starts with
(``match_exclusive``: "second-highest" is three tokens), and compare.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimcheck.data import load_data
from claimcheck.errors import ConfigError

#: how a set's value word meets the thing it describes (see the data file's header)
ATTACH_KINDS = ("modifier", "reference", "noun", "none")


@dataclass(frozen=True)
class ExclusiveSet:
    name: str
    label: str
    attach: str
    values: tuple[str, ...]
    loose: frozenset[str] = frozenset()  # forms too broad to set against another value


@dataclass(frozen=True)
class ExclusiveMatch:
    """A value named by ``length`` tokens from a start token."""

    set: ExclusiveSet
    value: str
    length: int


def form_words(form: str) -> tuple[str, ...]:
    """A form as the parser's tokens: "north-east" -> ("north", "-", "east")."""
    return tuple(w for w in re.split(r"(-)|\s+", form.lower()) if w)


@functools.lru_cache(maxsize=1)
def _sets() -> dict[str, ExclusiveSet]:
    out = {}
    for name, entry in load_data("exclusive.yaml")["sets"].items():
        attach = entry.get("attach", "none")
        if attach not in ATTACH_KINDS:
            raise ConfigError(
                f"set {name!r} has attach {attach!r}", path="exclusive.yaml",
                hint=f"use one of {', '.join(ATTACH_KINDS)}",
            )
        loose = frozenset(str(w).lower() for w in entry.get("loose", ()))
        out[name] = ExclusiveSet(name, str(entry.get("label", name)), attach, tuple(map(str, entry["values"])), loose)
    return out


@functools.lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str]]:
    forms: dict[str, tuple[str, str]] = {}
    for set_name, entry in load_data("exclusive.yaml")["sets"].items():
        for value, words in entry["values"].items():
            for word in words:
                forms.setdefault(str(word).lower(), (set_name, str(value)))
    return forms


@functools.lru_cache(maxsize=1)
def _token_forms() -> tuple[dict[tuple[str, ...], tuple[str, str]], int, frozenset[str]]:
    by_words = {form_words(word): hit for word, hit in _forms().items()}
    return by_words, max(map(len, by_words)), frozenset(words[0] for words in by_words)


def exclusive_value(word: str) -> tuple[str, str] | None:
    """(set, value) a word names, e.g. "north-eastern" -> ("compass", "northeast")."""
    return _forms().get(word.lower())


def exclusive_sets() -> frozenset[str]:
    return frozenset(s for s, _ in _forms().values())


def exclusive_set(name: str) -> ExclusiveSet:
    return _sets()[name]


def first_words() -> frozenset[str]:
    """The words a value can start with (as ``match_exclusive`` reads a token: its
    lower-case form, or its lemma lower-cased)."""
    return _token_forms()[2]


def match_exclusive(tokens: Sequence[Any], i: int) -> ExclusiveMatch | None:
    """The longest value that the tokens from ``tokens[i]`` spell, if any.

    A form of several words matches the tokens' lower-cased text word by word; a
    one-word form also matches a token's lemma ("suspected" for "suspect")."""
    by_words, longest, firsts = _token_forms()
    if tokens[i].lower_ not in firsts and tokens[i].lemma_.lower() not in firsts:
        return None
    for n in range(min(longest, len(tokens) - i), 0, -1):
        words = tuple(t.lower_ for t in tokens[i : i + n])
        hit = by_words.get(words)
        if hit is None and n == 1:
            hit = by_words.get((tokens[i].lemma_.lower(),))
        if hit is not None:
            return ExclusiveMatch(_sets()[hit[0]], hit[1], n)
    return None
