"""The Markdown report: short enough to paste into an e-mail or a tracker ticket.

Same sections, in the same order, as the HTML report: summary, discrepancies (already
most severe first; dismissed ones folded away), who reports what, how each source
describes people, single-source claims, problems.  Article text is escaped for Markdown
and folded onto one line, because a quote that spans a line break would otherwise end its
blockquote early; the offsets shown are still those of the original file.  Text inside the
``<details>``/``<summary>`` tags is HTML-escaped instead, since trackers read it as HTML.
"""

from __future__ import annotations

import html
import re

from claimcheck.models import Article, Claim, Discrepancy, Evidence, Report
from claimcheck.wording import counted
from claimcheck.report.common import (
    AGREES,
    DISAGREES,
    TELLS,
    article_index,
    by_kind,
    by_severity,
    by_status,
    card_title,
    claims_per_article,
    coverage_matrix,
    descriptor_rows,
    entity_names,
    evidence_segments,
    is_dismissed,
    kind_label,
    names_outlet,
    single_source_claims,
    source_label,
    truncate,
)

# Characters Markdown would read as markup (emphasis, links, HTML, code, tables).
# Escaping them keeps an article's own asterisks or angle brackets from turning into
# formatting.  "_" inside a word ("river_times.txt") is not emphasis in CommonMark, and
# "]" does nothing without its "[", so those stay readable in plain-text e-mail.
_MD_SPECIAL = re.compile(r"([\\`*\[<>|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_SPACE_RUN = re.compile(r"\s+")
COVERAGE_SYMBOLS: dict[str, str] = {AGREES: "✓", DISAGREES: "✗", TELLS: "○"}  # anything else: "·"
COVERAGE_VALUE_CHARS = 24
GROUP_LABEL_CHARS = 80


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACE_RUN.sub(" ", text))


def _summary_text(text: str) -> str:
    """Text for a ``<summary>`` line: HTML, not Markdown, in every tracker that folds."""
    return html.escape(_SPACE_RUN.sub(" ", text).strip(), quote=False)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _side_line(ev: Evidence, articles: dict[str, Article] | None = None,
               claims: dict[str, Claim] | None = None) -> str:
    article = (articles or {}).get(ev.file)
    context = None
    claim = (claims or {}).get(ev.claim_id) if ev.claim_id else None
    if claim is not None and claim.article_id == ev.file:
        context = (claim.sentence.start, claim.sentence.end)
    label = source_label(article) if article else ev.file
    who = f"**{md_escape(label)}**"
    if article is not None and article.date:
        who += f" ({article.date.isoformat()})"
    if ev.speaker and ev.speaker not in (label, ev.file):
        who += f", said by {md_escape(ev.speaker)}"
    where = f"{md_escape(ev.file)} [{ev.start}–{ev.end}]" if label != ev.file else f"[{ev.start}–{ev.end}]"
    segments = evidence_segments(ev, article, context)
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
    line = f"> {who} · {where}: {body}"
    if ev.detail.strip():
        # the details line: the value in words, in the same quote block
        line += f"\n>\n> ↳ {md_escape(ev.detail)}"
    return line


def _discrepancy_block(rank: int, d: Discrepancy, articles: dict[str, Article] | None = None,
                       claims: dict[str, Claim] | None = None, names: dict[str, str] | None = None) -> list[str]:
    status = "" if d.status == "open" else f" ({md_escape(d.status)})"
    lines = [f"### {rank}. [{d.severity.value.upper()}] {md_escape(card_title(d, names))}{status}", "",
             f"*{kind_label(d.kind.value)}.* {md_escape(d.explanation)}", ""]
    for ev in d.evidence:
        # A blank line between sides: consecutive ">" lines would merge into one paragraph.
        lines += [_side_line(ev, articles, claims), ""]
    return lines


def _sources_table(report: Report) -> list[str]:
    per_article = claims_per_article(report)
    single = single_source_claims(report)
    lines = ["| Source | Date | Claims | Only here |", "|---|---|--:|--:|"]
    for a in report.articles:
        name = md_escape(source_label(a)) + (f" ({md_escape(a.id)})" if names_outlet(a) else "")
        lines.append(f"| {name} | {a.date.isoformat() if a.date else '—'} | {per_article.get(a.id, 0)} "
                     f"| {len(single.get(a.id, ()))} |")
    return lines


def _coverage_cell(state: str, value: str) -> str:
    symbol = COVERAGE_SYMBOLS.get(state, "·")
    return f"{symbol} {md_escape(truncate(value, COVERAGE_VALUE_CHARS))}" if state == DISAGREES and value else symbol


def _coverage_table(report: Report) -> list[str]:
    matrix = coverage_matrix(report)
    if not matrix.rows:
        return ["No claim is told by more than one source.", ""]
    head = " | ".join(md_escape(truncate(label, 30)) for label in matrix.labels)
    lines = [
        "✓ agrees (compared with another source and found consistent), ✗ tells it differently "
        "(with the value it gives), ○ tells it (not compared), · does not mention it.",
        "",
        f"| Claim group | {head} |",
        "|---|" + "|".join(":-:" for _ in matrix.labels) + "|",
    ]
    for row in matrix.rows:
        cells = " | ".join(_coverage_cell(state, row.value(j)) for j, state in enumerate(row.cells))
        lines.append(f"| {md_escape(truncate(row.label, GROUP_LABEL_CHARS))} | {cells} |")
    if matrix.omitted:
        lines += ["", f"{_plural(matrix.omitted, 'more group')} told by more than one source left out."]
    return [*lines, ""]


def _descriptor_table(report: Report) -> list[str]:
    rows = descriptor_rows(report)
    if not rows:
        return ["No source gives anyone a title or label.", ""]
    head = " | ".join(md_escape(source_label(a)) for a in report.articles)
    lines = [f"| Person | {head} |", "|---|" + "|".join("---" for _ in report.articles) + "|"]
    for row in rows:
        cells = " | ".join(", ".join(md_escape(d.text) for d in cell) or "—" for cell in row.cells)
        lines.append(f"| {md_escape(row.name)} | {cells} |")
    return [*lines, ""]


def _single_source_sections(report: Report) -> list[str]:
    articles = article_index(report)
    lines: list[str] = []
    for article_id, claims in single_source_claims(report).items():
        if not claims:
            continue
        article = articles.get(article_id)
        label = source_label(article) if article else article_id
        date = f" ({article.date.isoformat()})" if article and article.date else ""
        lines += [f"<details><summary>{_summary_text(label + date)} — {_plural(len(claims), 'claim')}</summary>", ""]
        lines += [f"- {md_escape(c.text)} [{c.start}–{c.end}]" for c in claims]
        lines += ["", "</details>", ""]
    return lines or ["None: every claim is told by at least two sources.", ""]


def render_markdown(report: Report) -> str:
    articles = article_index(report)
    claims = {c.id: c for c in report.claims}
    names = entity_names(report)
    sev = by_severity(report)
    sev_text = ", ".join(f"{n} {s}" for s, n in sev.items())
    lines = [
        "# Discrepancy report",
        "",
        f"{_plural(len(report.articles), 'article')}, {_plural(len(report.claims), 'claim')}, "
        f"{counted(len(report.discrepancies), 'discrepancy', 'discrepancies')} ({sev_text})",
        "",
    ]
    if report.articles:
        lines += [*_sources_table(report), ""]
    kinds = ", ".join(f"{k} {n}" for k, n in by_kind(report).items() if n)
    if kinds:
        lines += [f"By kind: {kinds}. Review: "
                  + ", ".join(f"{n} {md_escape(s)}" for s, n in by_status(report).items() if n) + ".", ""]
    lines += ["## Discrepancies", ""]
    ranked = list(enumerate(report.discrepancies, start=1))
    active = [(rank, d) for rank, d in ranked if not is_dismissed(d)]
    dismissed = [(rank, d) for rank, d in ranked if is_dismissed(d)]
    if not active:
        lines += ["No discrepancies found." if not dismissed else "None open.", ""]
    for rank, d in active:
        lines += _discrepancy_block(rank, d, articles, claims, names)
    if dismissed:
        lines += [f"<details><summary>Dismissed ({len(dismissed)})</summary>", ""]
        for rank, d in dismissed:
            lines += _discrepancy_block(rank, d, articles, claims, names)
        lines += ["</details>", ""]
    lines += ["## Who reports what", "", *_coverage_table(report)]
    lines += ["## How each source describes people", "", *_descriptor_table(report)]
    lines += ["## Single-source claims", "", *_single_source_sections(report)]
    lines += ["## Problems", ""]
    if report.problems:
        lines += [f"- {md_escape(p)}" for p in report.problems]
    else:
        lines.append("None.")
    return "\n".join(lines).rstrip() + "\n"
