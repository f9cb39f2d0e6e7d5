"""claimcheck: find where news sources disagree, with evidence.

    >>> import claimcheck
    >>> report = claimcheck.check("seeds/")            # a folder, paths or Article objects
    >>> report.discrepancies[0].explanation
    >>> report.to_frame()                              # one row per discrepancy (pandas)
"""

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
from claimcheck.batch import BatchResult, run_batch
from claimcheck.pipeline import analyse, check
from claimcheck.store import Store
from claimcheck.trace import DetectionTrace

__version__ = "0.1.0"

__all__ = [
    "Article", "Claim", "ClaimGroup", "ClaimcheckError", "Config", "Discrepancy",
    "DiscrepancyKind", "Entity", "EntityMention", "Evidence", "HedgeWidths", "Modality",
    "Quantity", "QuantityKind", "Report", "Severity", "Span", "Speaker", "analyse", "check",
    "BatchResult", "DetectionTrace", "Store", "run_batch",
]
