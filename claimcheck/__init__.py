"""claimcheck: find where news sources disagree, with evidence.

    >>> import claimcheck
    >>> report = claimcheck.check("seeds/")            # a folder, paths or Article objects
    >>> report.discrepancies[0].explanation
    >>> claimcheck.to_frame(report)                    # one row per discrepancy (pandas)

Importing the package is cheap: the pipeline, the batch and the store (and with them
numpy, spaCy, torch and pandas) load when first used, so ``claimcheck --help`` and
commands that need no model start at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claimcheck.config import Config, HedgeWidths
from claimcheck.errors import ClaimcheckError
from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Discrepancy,
    DiscrepancyKind,
    Entity,
    EntityMention,
    Evidence,
    Modality,
    Quantity,
    QuantityKind,
    Report,
    Severity,
    Span,
    Speaker,
)
from claimcheck.trace import DetectionTrace

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.batch import BatchResult, run_batch
    from claimcheck.pipeline import ClaimsRead, analyse, check, read_claims
    from claimcheck.report.tables import discrepancies_frame as to_frame
    from claimcheck.store import Store

__version__ = "0.1.0"

# name -> the module that defines it ("module:name" where it goes by another name there),
# imported on first use
_LAZY = {
    "BatchResult": "claimcheck.batch", "run_batch": "claimcheck.batch",
    "ClaimsRead": "claimcheck.pipeline", "analyse": "claimcheck.pipeline", "check": "claimcheck.pipeline",
    "read_claims": "claimcheck.pipeline",
    "Store": "claimcheck.store",
    "to_frame": "claimcheck.report.tables:discrepancies_frame",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, _, attribute = _LAZY[name].partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Article", "Claim", "ClaimGroup", "ClaimcheckError", "ClaimsRead", "Config", "Discrepancy",
    "DiscrepancyKind", "Entity", "EntityMention", "Evidence", "HedgeWidths", "Modality",
    "Quantity", "QuantityKind", "Report", "Severity", "Span", "Speaker", "analyse", "check",
    "read_claims", "BatchResult", "DetectionTrace", "Store", "run_batch", "to_frame",
]
