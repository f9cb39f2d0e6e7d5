"""Office knowledge: which words name an office, and which offices one person can hold.

The knowledge is data (``claimcheck/data/offices.yaml``, every entry with a line of why):
the words of each office and its head ("congresswoman" and "representative" are one
"congress member"), heads that name one post in different countries ("Premier" and "Prime
Minister", "Defence Secretary" and "Defence Minister"), posts held together (a minister who
is also an MP), and offices held alongside any other (a committee chair).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from claimcheck.data import load_data
from claimcheck.errors import ConfigError

DATA_FILE = "offices.yaml"


@dataclass(frozen=True)
class OfficeKnowledge:
    """What ``offices.yaml`` says, ready for lookups."""

    heads: Mapping[str, str]  # folded office words ("congresswoman") -> head ("congress member")
    post: Mapping[str, str]  # head -> the post it names (equivalent heads share one)
    held_together: frozenset[frozenset[str]]  # pairs of posts
    companions: frozenset[str]  # posts held alongside any other
    portfolio_words: frozenset[str]  # "minister" of "Minister of Finance"

    def compatible(self, a: str, b: str) -> bool:
        """Whether one person can hold offices ``a`` and ``b`` (heads) at once."""
        if a == b or a in b or b in a:
            return True
        pa, pb = self.post.get(a, a), self.post.get(b, b)
        if pa == pb or pa in self.companions or pb in self.companions:
            return True
        return frozenset((pa, pb)) in self.held_together


def _entries(data: Mapping, key: str, fields: tuple[str, ...]) -> list[dict]:
    entries = data.get(key) or []
    for n, entry in enumerate(entries):
        missing = [f for f in (*fields, "why") if not entry.get(f)]
        if missing:
            raise ConfigError(
                f"entry {n + 1} of {key!r} lacks {', '.join(missing)}",
                path=DATA_FILE,
                hint="give every entry its fields and a line of why",
            )
    return entries


def read_office_knowledge(data: Mapping) -> OfficeKnowledge:
    """Build the lookups from the parsed YAML (``offices.yaml``'s shape)."""
    heads: dict[str, str] = {}
    for entry in _entries(data, "offices", ("head", "words")):
        for word in entry["words"]:
            heads[" ".join(str(word).lower().split())] = entry["head"]
    post: dict[str, str] = {}
    for entry in _entries(data, "equivalent", ("heads",)):
        names = list(entry["heads"])
        unknown = [h for h in names if h not in heads.values()]
        if unknown:
            raise ConfigError(
                f"'equivalent' names {', '.join(map(repr, unknown))}, which no office has as its head",
                path=DATA_FILE,
                hint="list the office under 'offices' first",
            )
        for head in names:
            post[head] = post.get(names[0], names[0])
    held = frozenset(
        frozenset(post.get(h, h) for h in entry["heads"]) for entry in _entries(data, "held_together", ("heads",))
    )
    companions = frozenset(post.get(e["head"], e["head"]) for e in _entries(data, "companions", ("head",)))
    portfolio = frozenset(e["word"] for e in _entries(data, "portfolio_words", ("word",)))
    return OfficeKnowledge(heads, post, held, companions, portfolio)


@functools.lru_cache(maxsize=1)
def office_knowledge() -> OfficeKnowledge:
    """The shipped office knowledge, read once."""
    return read_office_knowledge(load_data(DATA_FILE))


#: Office words (folded) -> the office's head: "congresswoman" -> "congress member".
OFFICES: Mapping[str, str] = office_knowledge().heads

#: Office phrases that contain "of": the only places a title may run across "of".
OF_OFFICES = tuple(sorted((p.split() for p in OFFICES if " of " in p), key=len, reverse=True))
#: "Minister of Finance" is a minister: these words may take an "of <portfolio>" tail.
PORTFOLIO_HEADS = office_knowledge().portfolio_words


def offices_compatible(a: str, b: str) -> bool:
    """Whether one person can hold both offices (heads) at once: the same office, one a
    narrower name of the other ("secretary" / "secretary of state"), two names of one post
    ("premier" / "prime minister"), or posts routinely held together (a minister who is
    also an MP)."""
    return office_knowledge().compatible(a, b)
