"""The Markdown report: short enough to paste into an e-mail or a tracker ticket.

Discrepancies come in the order ``Report.discrepancies`` gives (already most severe
first).  Article text is escaped for Markdown and folded onto one line, because a quote
that spans a line break would otherwise end its blockquote early; the offsets shown are
still those of the original file.
"""

from __future__ import annotations

import re

from claimcheck.models import Discrepancy, Evidence, Report
from claimcheck.report.common import by_severity, evidence_segments, single_source_per_outlet

# Characters Markdown would read as markup (emphasis, links, HTML, code, tables).
# Escaping them keeps an article's own asterisks or angle brackets from turning into
# formatting.  "_" inside a word ("river_times.txt") is not emphasis in CommonMark, and
# "]" does nothing without its "[", so those stay readable in plain-text e-mail.
_MD_SPECIAL = re.compile(r"([\\`*\[<>|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_SPACE_RUN = re.compile(r"\s+")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACE_RUN.sub(" ", text))


def _side_line(ev: Evidence) -> str:
    who = md_escape(ev.file) + (f" ({md_escape(ev.speaker)})" if ev.speaker else "")
    segments = evidence_segments(ev)
    pieces = []
    for seg in segments:
        text = md_escape(seg.text)
        # Bold around a piece that begins or ends with a space does not render.
        if seg.marked and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}**{text.strip()}**{trail}"
        pieces.append(text)
    body = "".join(pieces).strip()
    if ev.value and not any(seg.marked for seg in segments):
        body += f" (value: **{md_escape(ev.value)}**)"
    return f"> **{who}** [{ev.start}–{ev.end}]: {body}"


def _discrepancy_block(rank: int, d: Discrepancy) -> list[str]:
    subject = md_escape(d.subject) if d.subject else "(no subject)"
    lines = [f"### {rank}. [{d.severity.value.upper()}] {d.kind.value} — {subject}", "", md_escape(d.explanation), ""]
    for ev in d.evidence:
        # A blank line between sides: consecutive ">" lines would merge into one paragraph.
        lines += [_side_line(ev), ""]
    return lines


def render_markdown(report: Report) -> str:
    sev = by_severity(report)
    sev_text = ", ".join(f"{n} {s}" for s, n in sev.items())
    lines = [
        "# Discrepancy report",
        "",
        f"{len(report.articles)} articles, {len(report.claims)} claims, "
        f"{len(report.discrepancies)} discrepancies ({sev_text})",
        "",
    ]
    if report.articles:
        sources = "; ".join(
            md_escape(a.outlet) + (f" ({a.date.isoformat()})" if a.date else "") + f" — {md_escape(a.id)}"
            for a in report.articles
        )
        lines += [f"Sources: {sources}", ""]
    lines += ["## Discrepancies", ""]
    if not report.discrepancies:
        lines += ["No discrepancies found.", ""]
    for rank, d in enumerate(report.discrepancies, start=1):
        lines += _discrepancy_block(rank, d)
    lines += ["## Single-source claims", ""]
    single = single_source_per_outlet(report)
    if single:
        lines += [f"- {md_escape(outlet)}: {n}" for outlet, n in single.items()]
    else:
        lines.append("None.")
    lines += ["", "## Problems", ""]
    if report.problems:
        lines += [f"- {md_escape(p)}" for p in report.problems]
    else:
        lines.append("None.")
    return "\n".join(lines).rstrip() + "\n"
