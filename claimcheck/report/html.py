"""The HTML report: one self-contained file an editor can open or mail around.

No external stylesheets, fonts, images or scripts, so it renders offline and leaks
nothing when opened.  The only script is a small inline filter (kind, severity, source);
without it every card is visible and the filter controls stay hidden.  A
Content-Security-Policy allows exactly that script and stylesheet (by hash) and nothing
else, so even text that slipped past escaping could not run.

Rendering goes through Jinja2 with autoescaping on, and article text reaches the template
only as separate pieces (plain / highlighted / context) that are each escaped; no raw
article text is ever wrapped in markup by string operations.  The coverage figure is SVG
built by ``claimcheck.report.svg``, which escapes every text it draws.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from claimcheck.models import Article, Claim, Discrepancy, Evidence, Report
from claimcheck.report.common import (
    SEVERITY_ORDER,
    Descriptor,
    Segment,
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
    sources_of,
)
from claimcheck.report.svg import render_coverage_svg

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report.html.j2"
STYLESHEET_NAME = "report.css"
SCRIPT_NAME = "report.js"


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
    detail: str = ""  # the value in words: "about 45 million, so 44–46 million"
    show_file: bool = True  # False when the outlet's name is the file name
    show_speaker: bool = True  # False when the speaker is just the outlet

    @property
    def in_sentence(self) -> bool:
        """The evidence is part of a longer sentence shown around it."""
        return any(seg.context for seg in self.segments)

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
    title: str = ""
    kind_label: str = ""
    status: str = "open"


@dataclass(frozen=True)
class SourceView:
    id: str
    outlet: str
    date: str
    title: str
    claims: int
    single_source: int = 0
    show_id: bool = True  # False when the outlet's name is the file name


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class DescriptorView:
    name: str
    cells: list[tuple[Descriptor, ...]]


@dataclass(frozen=True)
class SingleSourceView:
    file: str
    outlet: str
    date: str
    claims: list[Claim]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every {{ }} is escaped: article text is untrusted input
        undefined=jinja2.StrictUndefined,  # a misspelt field fails loudly, not as blank
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=4)
def _asset(name: str) -> tuple[str, str]:
    """An inline asset's text and its CSP hash source (``'sha256-…'``)."""
    text = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def content_security_policy() -> str:
    """Nothing may load or run but the report's own inline stylesheet and script."""
    _, style_hash = _asset(STYLESHEET_NAME)
    _, script_hash = _asset(SCRIPT_NAME)
    return (f"default-src 'none'; style-src {style_hash}; script-src {script_hash}; "
            "base-uri 'none'; form-action 'none'")


def _date(article: Article | None) -> str:
    return article.date.isoformat() if article and article.date else ""


def _side(ev: Evidence, articles: dict[str, Article], claims: dict[str, Claim]) -> SideView:
    article = articles.get(ev.file)
    context = None  # the claim's sentence, shown around the evidence span
    if ev.claim_id is not None:
        claim = claims.get(ev.claim_id)
        if claim is not None and claim.article_id == ev.file:
            context = (claim.sentence.start, claim.sentence.end)
    outlet = source_label(article) if article else ev.file
    return SideView(
        file=ev.file,
        outlet=outlet,
        date=_date(article),
        speaker=ev.speaker,
        start=ev.start,
        end=ev.end,
        value=ev.value,
        segments=evidence_segments(ev, article, context),
        detail=" ".join(ev.detail.split()),
        show_file=outlet != ev.file,
        show_speaker=bool(ev.speaker) and ev.speaker not in (outlet, ev.file),
    )


def _card(rank: int, d: Discrepancy, articles: dict[str, Article], claims: dict[str, Claim],
          names: dict[str, str] | None = None) -> CardView:
    files = sources_of(d.evidence)
    outlets = list(dict.fromkeys(source_label(articles[f]) if f in articles else f for f in files))
    return CardView(
        rank=rank, id=d.id, kind=d.kind.value, severity=d.severity.value, score=d.score,
        subject=d.subject, explanation=d.explanation,
        # JSON rather than space-separated: file and outlet names may contain spaces.
        sources=json.dumps(files, ensure_ascii=False),
        outlets=json.dumps(outlets, ensure_ascii=False),
        sides=[_side(ev, articles, claims) for ev in d.evidence],
        title=card_title(d, names),
        kind_label=kind_label(d.kind.value),
        status=d.status,
    )


def _filters(report: Report) -> dict[str, list[FilterOption]]:
    kinds = by_kind(report)
    severities = by_severity(report)
    cited: dict[str, int] = {}
    for d in report.discrepancies:
        for f in sources_of(d.evidence):
            cited[f] = cited.get(f, 0) + 1
    articles = article_index(report)
    order = [*articles, *(f for f in cited if f not in articles)]
    return {
        "kind": [FilterOption(k, kind_label(k), n) for k, n in kinds.items() if n],
        "severity": [FilterOption(s, s, severities[s]) for s in SEVERITY_ORDER if severities[s]],
        "source": [FilterOption(f, source_label(articles[f]) if f in articles else f, cited[f])
                   for f in order if f in cited],
    }


def render_html(report: Report) -> str:
    articles = article_index(report)
    claims = {c.id: c for c in report.claims}
    per_article = claims_per_article(report)
    single = single_source_claims(report)
    sources = [
        SourceView(id=a.id, outlet=source_label(a), date=_date(a), title=a.title or "",
                   claims=per_article.get(a.id, 0), single_source=len(single.get(a.id, ())),
                   show_id=names_outlet(a))
        for a in report.articles
    ]
    kinds = {k: n for k, n in by_kind(report).items() if n}
    names = entity_names(report)
    cards = [_card(i, d, articles, claims, names) for i, d in enumerate(report.discrepancies, start=1)]
    dismissed = [c for c, d in zip(cards, report.discrepancies) if is_dismissed(d)]
    active = [c for c, d in zip(cards, report.discrepancies) if not is_dismissed(d)]
    matrix = coverage_matrix(report)
    stylesheet, _ = _asset(STYLESHEET_NAME)
    script, _ = _asset(SCRIPT_NAME)
    return _environment().get_template(TEMPLATE_NAME).render(
        created=report.created,
        csp=content_security_policy(),
        # Read from the package, not from the report: the hashes in the CSP match them.
        stylesheet=Markup(stylesheet),
        script=Markup(script),
        n_articles=len(report.articles),
        n_claims=len(report.claims),
        n_groups=len(report.groups),
        n_multi=sum(not g.single_source for g in report.groups),
        n_discrepancies=len(report.discrepancies),
        by_severity=by_severity(report),
        by_kind={kind_label(k): n for k, n in kinds.items()},
        by_status={s: n for s, n in by_status(report).items() if n},
        sources=sources,
        cards=active,
        dismissed=dismissed,
        filters=_filters(report),
        coverage=Markup(render_coverage_svg(matrix, element_id="coverage-matrix", standalone=False)),
        coverage_rows=len(matrix.rows),
        coverage_omitted=matrix.omitted,
        descriptors=[DescriptorView(r.name, list(r.cells)) for r in descriptor_rows(report)],
        single_claims=[
            SingleSourceView(a.id, source_label(a), _date(a), single[a.id])
            for a in report.articles if single.get(a.id)
        ],
        problems=list(report.problems),
        notes=list(report.notes),
    )
