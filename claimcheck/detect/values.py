"""Exclusive values (``data/exclusive.yaml``): sets of which one thing has one value.

A case is confirmed or suspected; an epicentre lies north-east or south-west of a city;
a record is the second- or the third-highest.  Detectors ask which set and value a word
names, and compare.
"""

from __future__ import annotations

import functools

from claimcheck.data import load_data


@functools.lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str]]:
    forms: dict[str, tuple[str, str]] = {}
    for set_name, entry in load_data("exclusive.yaml")["sets"].items():
        for value, words in entry["values"].items():
            for word in words:
                forms.setdefault(str(word).lower(), (set_name, str(value)))
    return forms


def exclusive_value(word: str) -> tuple[str, str] | None:
    """(set, value) a word names, e.g. "north-eastern" -> ("compass", "northeast")."""
    return _forms().get(word.lower())


def exclusive_sets() -> frozenset[str]:
    return frozenset(s for s, _ in _forms().values())
