"""Find where sources disagree: detectors over one story's context.

Each detector is a module registered by name (``claimcheck.detect.registry``) and run on
the ``StoryContext`` the pipeline builds once per story; ``Config.detectors`` says which
run.  The built-in ones:

* ``numeric`` — figures that fill one slot and do not agree (``numeric.py``);
* ``margin`` — a margin word against the shares another outlet gives (``margin.py``);
* ``offices`` — one person given two offices that cannot be held together;
* ``spelling`` — one name spelled two ways;
* ``scope`` — one figure given two reaches ("statewide" / "nationwide");
* ``attribution`` — one figure credited to two different named sources;
* ``quotes`` — one speaker's words quoted two ways;
* ``acronyms`` — one acronym spelled out as two different names;
* ``dates`` — one event dated differently by two sources (``dates.py``);
* ``outcomes`` — one event told with opposite outcomes ("approved" / "rejected");
* ``attributes`` — one thing given two values of an exclusive set ("minor" / "moderate"
  injuries, north-east / south-west of a city).
"""

from __future__ import annotations

from claimcheck.detect import (  # noqa: F401 - registrations
    acronyms, attributes, attribution, dates, margin, numeric, offices, outcomes, quotes, scope, spelling,
)
from claimcheck.detect.context import Similarity, StoryContext, embedding_similarity, stable_id
from claimcheck.detect.registry import (
    Detector,
    get_detectors,
    kind_label,
    register_detector,
    registered,
    reported_kinds,
)
from claimcheck.models import Discrepancy

__all__ = [
    "Detector",
    "Similarity",
    "StoryContext",
    "embedding_similarity",
    "find_discrepancies",
    "get_detectors",
    "kind_label",
    "register_detector",
    "registered",
    "reported_kinds",
    "stable_id",
]


def find_discrepancies(ctx: StoryContext) -> list[Discrepancy]:
    """Run the configured detectors; most severe first, then by score.  Two detectors that
    report the same disagreement (same kind, same evidence) are told once."""
    found: dict[tuple, Discrepancy] = {}
    for detector in get_detectors(ctx.config.detectors):
        for d in detector(ctx):
            key = (d.kind, tuple(sorted((e.file, e.start, e.end) for e in d.evidence)))
            if key not in found or d.score > found[key].score:
                found[key] = d
    return sorted(found.values(), key=lambda d: (-d.severity.rank, -d.score, d.kind.value, d.id))
