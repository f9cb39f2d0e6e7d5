"""Small helpers for the words claimcheck prints: counts with the right noun form."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``1 discrepancy``, ``3 discrepancies``, ``0 new stories``: the noun agrees with ``n``.

    ``plural`` defaults to ``singular + "s"``; give it for the others ("story", "stories").
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def check_summary(report) -> str:
    """The line ``claimcheck check`` ends with: ``3 articles, 41 claims, 1 discrepancy
    (1 high, 0 medium, 0 low)``."""
    by_severity = {s: sum(d.severity.value == s for d in report.discrepancies) for s in ("high", "medium", "low")}
    return (
        f"{counted(len(report.articles), 'article')}, {counted(len(report.claims), 'claim')}, "
        f"{counted(len(report.discrepancies), 'discrepancy', 'discrepancies')} "
        f"({by_severity['high']} high, {by_severity['medium']} medium, {by_severity['low']} low)"
    )
