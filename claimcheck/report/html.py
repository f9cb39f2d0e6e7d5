"""The HTML report: one self-contained file an editor can open or mail around.

No scripts, no external stylesheets, fonts or images, so it renders offline and leaks
nothing when opened.  Rendering goes through Jinja2 with autoescaping on, and article
text reaches the template only as separate pieces (plain / highlighted / context) that
are each escaped; no raw article text is ever wrapped in markup by string operations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from claimcheck.models import Article, Claim, Discrepancy, Evidence, Report
from claimcheck.report.common import (
    Segment,
    article_index,
    by_kind,
    by_severity,
    claims_per_article,
    evidence_segments,
    single_source_per_outlet,
    sources_of,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report.html.j2"


@dataclass(frozen=True)
class SideView:
    file: str
    outlet: str
    date: str
    speaker: str
    start: int
    end: int
    value: str | None
    segments: list[Segment]

    @property
    def value_marked(self) -> bool:
        """The value is already highlighted in the text, so it needs no line of its own."""
        return any(seg.marked for seg in self.segments)


@dataclass(frozen=True)
class CardView:
    rank: int
    id: str
    kind: str
    severity: str
    score: float
    subject: str
    explanation: str
    sources: str  # JSON array of file names, for data-sources
    outlets: str  # JSON array of outlet names, for data-outlets
    sides: list[SideView]


@dataclass(frozen=True)
class SourceView:
    id: str
    outlet: str
    date: str
    title: str
    claims: int


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every {{ }} is escaped: article text is untrusted input
        undefined=jinja2.StrictUndefined,  # a misspelt field fails loudly, not as blank
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _side(ev: Evidence, articles: dict[str, Article], claims: dict[str, Claim]) -> SideView:
    article = articles.get(ev.file)
    context = None  # the claim's sentence, shown around the evidence span
    if ev.claim_id is not None:
        claim = claims.get(ev.claim_id)
        if claim is not None and claim.article_id == ev.file:
            context = (claim.sentence.start, claim.sentence.end)
    return SideView(
        file=ev.file,
        outlet=article.outlet if article else ev.file,
        date=article.date.isoformat() if article and article.date else "",
        speaker=ev.speaker,
        start=ev.start,
        end=ev.end,
        value=ev.value,
        segments=evidence_segments(ev, article, context),
    )


def _card(rank: int, d: Discrepancy, articles: dict[str, Article], claims: dict[str, Claim]) -> CardView:
    files = sources_of(d.evidence)
    outlets = list(dict.fromkeys(articles[f].outlet if f in articles else f for f in files))
    return CardView(
        rank=rank, id=d.id, kind=d.kind.value, severity=d.severity.value, score=d.score,
        subject=d.subject, explanation=d.explanation,
        # JSON rather than space-separated: file and outlet names may contain spaces.
        sources=json.dumps(files, ensure_ascii=False),
        outlets=json.dumps(outlets, ensure_ascii=False),
        sides=[_side(ev, articles, claims) for ev in d.evidence],
    )


def render_html(report: Report) -> str:
    articles = article_index(report)
    claims = {c.id: c for c in report.claims}
    per_article = claims_per_article(report)
    sources = [
        SourceView(id=a.id, outlet=a.outlet, date=a.date.isoformat() if a.date else "",
                   title=a.title or "", claims=per_article.get(a.id, 0))
        for a in report.articles
    ]
    kinds = {k: n for k, n in by_kind(report).items() if n}
    return _environment().get_template(TEMPLATE_NAME).render(
        created=report.created,
        n_articles=len(report.articles),
        n_claims=len(report.claims),
        n_groups=len(report.groups),
        n_multi=sum(not g.single_source for g in report.groups),
        n_discrepancies=len(report.discrepancies),
        by_severity=by_severity(report),
        by_kind=kinds,
        sources=sources,
        single_source=single_source_per_outlet(report),
        cards=[_card(i, d, articles, claims) for i, d in enumerate(report.discrepancies, start=1)],
        problems=list(report.problems),
    )
