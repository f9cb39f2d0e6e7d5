"""What detection considered and refused, for ``claimcheck eval --explain``.

A detector that weighs a candidate pair (two figures, two names, two dates) and lets it go
says so here, naming the gate that refused it and the spans of both sides.  The trace is
optional: detectors receive ``None`` in a normal run and record nothing, so a run that is
not being explained pays nothing for it.

    trace = DetectionTrace()
    report = claimcheck.check(folder, trace=trace)
    for r in trace.touching("a.txt", 120, 160):
        print(r.detector, r.gate, r.detail)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TracedSpan:
    """One side of a candidate: a range ``[start, end)`` of an article's text."""

    file: str
    start: int
    end: int

    def overlap(self, file: str, start: int, end: int) -> int:
        if file != self.file:
            return 0
        return max(0, min(end, self.end) - max(start, self.start))


@dataclass(frozen=True)
class Refusal:
    """A candidate a detector looked at and did not report, and why.

    ``gate`` is a short stable name ("unit", "slot", "overlap", "speaker"); ``detail``
    says it in words with the values compared ("context 0.52 < 0.65").
    """

    detector: str
    gate: str
    spans: tuple[TracedSpan, ...]
    detail: str = ""


@dataclass
class DetectionTrace:
    """Collects refusals; read back by the spans they touch."""

    refusals: list[Refusal] = field(default_factory=list)

    def refuse(
        self, detector: str, gate: str, spans: Iterable[tuple[str, int, int]], detail: str = ""
    ) -> None:
        self.refusals.append(
            Refusal(detector, gate, tuple(TracedSpan(f, s, e) for f, s, e in spans), detail)
        )

    def touching(self, file: str, start: int, end: int, min_overlap: int = 1) -> Iterator[Refusal]:
        """Refusals with a side that overlaps ``[start, end)`` of ``file``."""
        for r in self.refusals:
            if any(s.overlap(file, start, end) >= min_overlap for s in r.spans):
                yield r

    def between(
        self, a: tuple[str, int, int], b: tuple[str, int, int], min_overlap: int = 1
    ) -> list[Refusal]:
        """Refusals with one side on ``a`` and another on ``b`` (two places in two files)."""
        out = []
        for r in self.refusals:
            on_a = [i for i, s in enumerate(r.spans) if s.overlap(*a) >= min_overlap]
            on_b = [i for i, s in enumerate(r.spans) if s.overlap(*b) >= min_overlap]
            if any(i != j for i in on_a for j in on_b):
                out.append(r)
        return out
