"""Detectors are components: one module each, registered by name, chosen by ``Config``.

In the style of spaCy's factories, a detector is a function of the story context that
returns discrepancies, registered with the kinds of disagreement it reports:

    @register_detector("dates", kinds=[DiscrepancyKind.DATE], label="Dates")
    def detect_date_conflicts(ctx: StoryContext) -> list[Discrepancy]:
        ...

``Config.detectors`` lists the names that run; the report's kind labels and the JSON
schema's list of kinds are read from here, so a new kind of disagreement is one module
and one registration.

A detector that embeds texts of its own (the clauses of its readings) may register a
``texts`` function too: ``texts(ctx)`` names them before detection, so the pipeline embeds
every story's texts of a batch in one call with the claims, and the detector's own calls
are then lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from claimcheck.errors import ConfigError
from claimcheck.models import Discrepancy, DiscrepancyKind

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.detect.context import StoryContext


class DetectFunction(Protocol):
    def __call__(self, ctx: StoryContext) -> Iterable[Discrepancy]: ...


class TextsFunction(Protocol):
    def __call__(self, ctx: StoryContext) -> Iterable[str]: ...


@dataclass(frozen=True)
class Detector:
    """A registered detector: its name, the kinds it reports, and the function."""

    name: str
    kinds: tuple[DiscrepancyKind, ...]
    label: str
    description: str
    detect: DetectFunction
    # the gates a candidate meets, in order (what ``StoryContext.refuse`` names): a pair
    # refused at a later gate got further, which ``claimcheck eval --explain`` reads
    gates: tuple[str, ...] = ()
    # the texts it will embed, named ahead so a batch embeds them in one call
    texts: TextsFunction | None = None

    def __call__(self, ctx: StoryContext) -> list[Discrepancy]:
        found = list(self.detect(ctx))
        for d in found:
            if d.kind not in self.kinds:
                raise ValueError(f"detector {self.name!r} reported kind {d.kind.value!r}, not one of its kinds")
        return found


_REGISTRY: dict[str, Detector] = {}

#: How the report names each kind of disagreement (a registration may add to it).
KIND_LABELS: dict[DiscrepancyKind, str] = {
    DiscrepancyKind.NUMERIC: "Figures",
    DiscrepancyKind.QUALITATIVE_VS_NUMERIC: "Words against figures",
    DiscrepancyKind.ENTITY_ATTRIBUTE: "Who or what",
    DiscrepancyKind.NAME_SPELLING: "Spelling of a name",
    DiscrepancyKind.DATE: "Dates",
    DiscrepancyKind.SCOPE: "Scope",
    DiscrepancyKind.FRAMING: "Framing",
    DiscrepancyKind.OTHER: "Accounts",
}


def register_detector(
    name: str, *, kinds: Sequence[DiscrepancyKind], label: str | None = None, gates: Sequence[str] = (),
    texts: TextsFunction | None = None,
) -> Callable[[DetectFunction], DetectFunction]:
    """Register ``detect(ctx) -> discrepancies`` under ``name`` (a decorator); ``texts(ctx)``,
    when given, names the texts it will embed (see the module docstring)."""

    def wrap(func: DetectFunction) -> DetectFunction:
        if name in _REGISTRY and _REGISTRY[name].detect is not func:
            raise ValueError(f"a detector named {name!r} is already registered")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Detector(
            name=name,
            kinds=tuple(kinds),
            label=label or name,
            description=doc[0] if doc else "",
            detect=func,
            gates=tuple(gates),
            texts=texts,
        )
        return func

    return wrap


def registered() -> dict[str, Detector]:
    """Every registered detector by name (the built-in ones are imported first)."""
    import claimcheck.detect  # noqa: F401 - registers the built-in detectors

    return dict(_REGISTRY)


def get_detectors(names: Sequence[str]) -> list[Detector]:
    """The detectors ``names`` asks for, in that order; an unknown name is a config error."""
    known = registered()
    missing = [n for n in names if n not in known]
    if missing:
        raise ConfigError(
            f"unknown detector(s) {', '.join(map(repr, missing))}",
            path="detectors",
            hint=f"known detectors: {', '.join(sorted(known))}",
        )
    return [known[n] for n in names]


def reported_kinds() -> list[DiscrepancyKind]:
    """Every kind some registered detector reports, in the enum's order."""
    kinds = {k for d in registered().values() for k in d.kinds}
    return [k for k in DiscrepancyKind if k in kinds]


def kind_label(kind: DiscrepancyKind | str) -> str:
    kind = DiscrepancyKind(kind)
    return KIND_LABELS.get(kind, kind.value.replace("_", " ").capitalize())
