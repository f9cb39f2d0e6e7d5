"""Report writers: Markdown, JSON, HTML and CSV from a small invented report."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import claimcheck
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
    SpeakerKind,
    Title,
    TitleTense,
)
from claimcheck.report import FILE_NAMES, write_report
from claimcheck.report import io as report_io
from claimcheck.report.io import ReportError, atomic_write_text
from claimcheck.report.jsonfmt import SCHEMA_VERSION, load_report_json, report_to_dict
from claimcheck.report.markdown import render_markdown
from claimcheck.report.tables import DISCREPANCY_COLUMNS, claims_frame, discrepancies_frame

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = '"><img src=x onerror=alert(1)>'

RIVER = (
    "Halden, Tuesday.\n"
    "Officials said 12 people were injured when the Halden Bridge collapsed.\n"
    "Mayor Ines Varga ordered an inquiry into the inspection record."
)
COAST = (
    "About 20 people were hurt in the Halden bridge collapse, police said.\n"
    "Governor Ines Varga called it a tragedy."
)
HOSTILE = (
    f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} under the story.\n"
    "Ines Vargas said the bridge had been closed twice before."
)


def span_of(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle))


def evidence(article: Article, needle: str, *, value: str | None = None, claim_id: str | None = None,
             speaker: str = "") -> Evidence:
    s = span_of(article.text, needle)
    highlights = ()
    if value is not None:
        v = article.text.index(value, s.start)
        highlights = (Span(v, v + len(value)),)
    return Evidence(file=article.id, start=s.start, end=s.end, text=article.text[s.start:s.end],
                    speaker=speaker or article.outlet, value=value, highlights=highlights, claim_id=claim_id)


def claim(cid: str, article: Article, needle: str, sentence: str, *, quantities=(), speaker=None,
          entities=()) -> Claim:
    return Claim(
        id=cid, article_id=article.id, text=needle, spans=(span_of(article.text, needle),),
        sentence=span_of(article.text, sentence),
        speaker=speaker or Speaker(article.outlet, SpeakerKind.OUTLET), modality=Modality.FACT,
        subject="injured", quantities=tuple(quantities), entities=tuple(entities),
    )


def person(article: Article, name: str, *titles: tuple[str, bool, TitleTense], entity_id: str = "e1",
           after: int = 0) -> EntityMention:
    """A linked person mention with titles given as (text, is_office, tense)."""
    s = article.text.index(name, after)
    found = []
    for text, is_office, tense in titles:
        t = article.text.index(text, max(0, s - 40))
        found.append(Title(text, t, t + len(text), head=text.split()[-1].lower(), tense=tense, is_office=is_office))
    return EntityMention(name, s, s + len(name), "PERSON", titles=tuple(found), entity_id=entity_id)


@pytest.fixture()
def report() -> Report:
    river = Article(id="river_times.txt", text=RIVER, source="River Times", date="2026-03-03",
                    title="Bridge collapse injures 12")
    coast = Article(id="coast_herald.txt", text=COAST, source="Coast Herald", date="2026-03-04")
    hostile = Article(id="hostile.txt", text=HOSTILE, source=f"Comments {SCRIPT_PAYLOAD}",
                      title=IMG_PAYLOAD)
    twelve = RIVER.index("12")
    about_20 = COAST.index("About 20")
    claims = [
        claim("c1", river, "12 people were injured",
              "Officials said 12 people were injured when the Halden Bridge collapsed.",
              quantities=[Quantity("12", twelve, twelve + 2, 12, 12, 12, QuantityKind.COUNT, "people")]),
        claim("c2", coast, "About 20 people were hurt",
              "About 20 people were hurt in the Halden bridge collapse, police said.",
              quantities=[Quantity("About 20", about_20, about_20 + 8, 20, 18, math.inf, QuantityKind.COUNT,
                                   "people", hedge="about")],
              speaker=Speaker("police", SpeakerKind.PERSON)),
        claim("c3", river, "Mayor Ines Varga", "Mayor Ines Varga ordered an inquiry into the inspection record.",
              entities=[person(river, "Ines Varga", ("Mayor", True, TitleTense.CURRENT))]),
        claim("c4", coast, "Governor Ines Varga", "Governor Ines Varga called it a tragedy.",
              entities=[person(coast, "Ines Varga", ("Governor", True, TitleTense.CURRENT),
                               ("Governor", True, TitleTense.CURRENT))]),
        claim("c5", hostile, f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} under the story.",
              f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} under the story."),
        claim("c6", hostile, "Ines Vargas said", "Ines Vargas said the bridge had been closed twice before.",
              entities=[person(hostile, "Ines Vargas")]),
    ]
    groups = [
        ClaimGroup("g1", ("c1", "c2"), (river.id, coast.id), "people injured"),
        ClaimGroup("g2", ("c3", "c4", "c6"), (river.id, coast.id, hostile.id), "Ines Varga's office"),
        ClaimGroup("g3", ("c5",), (hostile.id,), "readers posted"),
    ]
    discrepancies = [
        Discrepancy(
            id="d-numeric", kind=DiscrepancyKind.NUMERIC, severity=Severity.HIGH, score=0.9,
            explanation="12 = [12, 12] against About 20 = [18, ∞]", subject="people injured", group_id="g1",
            evidence=(evidence(river, "12 people were injured", value="12", claim_id="c1"),
                      evidence(coast, "About 20 people were hurt", value="About 20", claim_id="c2",
                               speaker="police")),
        ),
        Discrepancy(
            id="d-office", kind=DiscrepancyKind.ENTITY_ATTRIBUTE, severity=Severity.MEDIUM, score=0.7,
            explanation="Ines Varga: mayor against governor", subject="Ines Varga", group_id="g2",
            evidence=(evidence(river, "Mayor Ines Varga", value="Mayor", claim_id="c3"),
                      evidence(coast, "Governor Ines Varga", value="Governor", claim_id="c4"),
                      evidence(hostile, "Ines Vargas said", claim_id="c6")),
        ),
        Discrepancy(
            id="d-hostile", kind=DiscrepancyKind.NAME_SPELLING, severity=Severity.LOW, score=0.4,
            explanation=f"{SCRIPT_PAYLOAD} Varga against Vargas", subject=IMG_PAYLOAD,
            evidence=(evidence(hostile, f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD}",
                               value=IMG_PAYLOAD, claim_id="c5"),
                      evidence(river, "Ines Varga ordered", value="Varga")),
        ),
    ]
    return Report(
        articles=[river, coast, hostile], claims=claims, groups=groups,
        entities=[Entity("e1", "Ines Varga", "PERSON", ("Ines Vargas",), (river.id, hostile.id))],
        discrepancies=discrepancies, problems=["empty.txt: [CC101] file is empty"],
        config={"threshold": 0.5, "hedges": (1, 2), "limit": math.inf}, created="2026-03-05T10:00:00+00:00",
    )


# --------------------------------------------------------------------------- all formats


def test_write_report_writes_the_four_files_and_no_temp_files(report, tmp_path):
    out = tmp_path / "new" / "folder"
    written = write_report(report, out)
    assert set(written) == {"md", "json", "html", "csv"}
    assert sorted(p.name for p in out.iterdir()) == sorted(FILE_NAMES.values())
    assert all(path.parent == out and path.stat().st_size > 0 for path in written.values())


def test_write_report_writes_only_the_formats_asked(report, tmp_path):
    written = write_report(report, tmp_path, formats=("json",))
    assert list(written) == ["json"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_unknown_format_is_refused_before_anything_is_written(report, tmp_path):
    with pytest.raises(ValueError, match="pdf"):
        write_report(report, tmp_path / "out", formats=("md", "pdf"))
    assert not (tmp_path / "out").exists()


def test_empty_report_still_renders_every_format(tmp_path):
    empty = Report(articles=[], claims=[], groups=[], entities=[], discrepancies=[])
    written = write_report(empty, tmp_path)
    assert "No discrepancies found." in written["md"].read_text()
    assert json.loads(written["json"].read_text())["summary"]["discrepancies"] == 0
    assert list(pd.read_csv(written["csv"]).columns) == list(DISCREPANCY_COLUMNS)


# --------------------------------------------------------------------------- JSON


def test_json_evidence_is_traceable_to_the_article_text(report, tmp_path):
    data = load_report_json(write_report(report, tmp_path, formats=("json",))["json"])
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"] == "claimcheck"
    texts = {a.id: a.text for a in report.articles}
    sides = [ev for d in data["discrepancies"] for ev in d["evidence"]]
    assert len(sides) == 7
    for ev in sides:
        assert {"file", "start", "end", "text"} <= ev.keys()
        assert ev["text"] == texts[ev["file"]][ev["start"]:ev["end"]]


def test_json_summary_counts_and_plain_types(report):
    data = report_to_dict(report)
    summary = data["summary"]
    assert summary["articles"] == 3 and summary["claims"] == 6 and summary["groups"] == 3
    assert summary["multi_source_groups"] == 2 and summary["discrepancies"] == 3
    assert summary["by_severity"] == {"high": 1, "medium": 1, "low": 1}
    assert summary["by_kind"]["numeric"] == 1 and summary["by_kind"]["date"] == 0
    assert data["articles"][0] == {"id": "river_times.txt", "source": "River Times", "date": "2026-03-03",
                                   "title": "Bridge collapse injures 12", "chars": len(RIVER), "claims": 2,
                                   "encoding": None, "single_source": 0}
    assert summary["by_status"] == {"open": 3, "confirmed": 0, "dismissed": 0}
    assert data["discrepancies"][0]["kind"] == "numeric" and data["discrepancies"][0]["severity"] == "high"
    assert data["discrepancies"][0]["evidence"][1]["highlights"] == [[0, 8]]


def test_json_writes_infinite_bounds_as_null(report):
    data = report_to_dict(report)
    about_20 = next(c for c in data["claims"] if c["id"] == "c2")["quantities"][0]
    assert about_20["low"] == 18 and about_20["high"] is None
    assert about_20["kind"] == "count" and about_20["hedge"] == "about"
    assert data["config"] == {"threshold": 0.5, "hedges": [1, 2], "limit": None}
    json.dumps(data, allow_nan=False)  # strictly valid JSON


def test_json_text_is_the_report_with_one_item_a_line(report):
    from claimcheck.report.jsonfmt import render_json

    text = render_json(report)
    data = report_to_dict(report)
    data["created"] = json.loads(text)["created"]
    assert json.loads(text) == data
    lines = text.splitlines()
    for key in ("discrepancies", "claims", "groups"):
        start = lines.index(f'  "{key}": [')
        items = [json.loads(line.strip().rstrip(",")) for line in lines[start + 1 : start + 1 + len(data[key])]]
        assert items == data[key] and lines[start + 1 + len(data[key])] == "  ],"


def test_json_text_refuses_a_number_json_cannot_hold(report):
    from claimcheck.report import jsonfmt

    data = report_to_dict(report)
    data["claims"][0]["quantities"][0]["low"] = math.nan
    with pytest.raises(ValueError):
        jsonfmt._dumps_by_line(data)


def test_load_report_json_refuses_a_file_that_is_not_a_report(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"discrepancies": []}')
    with pytest.raises(ReportError, match="schema_version"):
        load_report_json(path)
    path.write_text("{not json")
    with pytest.raises(ReportError, match="not valid JSON"):
        load_report_json(path)


# --------------------------------------------------------------------------- Markdown


def test_markdown_keeps_the_most_severe_first(report):
    md = render_markdown(report)
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert headings[0] == "### 1. [HIGH] Figures for people injured: 12 vs About 20"
    assert headings[1] == "### 2. [MEDIUM] Title of Ines Varga: Mayor vs Governor"
    assert headings[2].startswith("### 3. [LOW] Spelling of ")
    assert "3 articles, 6 claims, 3 discrepancies (1 high, 1 medium, 1 low)" in md


def test_markdown_quotes_each_side_in_its_sentence_with_the_value_in_bold(report):
    md = render_markdown(report)
    start = RIVER.index("12 people")
    assert (f"> **River Times** (2026-03-03) · river_times.txt [{start}–{start + 22}]: "
            "Officials said **12** people were injured when the Halden Bridge collapsed.") in md
    assert ("> **Coast Herald** (2026-03-04), said by police · coast_herald.txt [0–25]: "
            "**About 20** people were hurt in the Halden bridge collapse, police said.") in md


def test_markdown_shows_a_short_span_inside_its_sentence(report):
    md = render_markdown(report)
    assert "**Mayor** Ines Varga ordered an inquiry into the inspection record." in md


def test_markdown_escapes_article_markup_and_lists_single_sources_and_problems(report):
    md = render_markdown(report)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "## Single-source claims" in md
    assert ("<details><summary>Comments &lt;script&gt;alert(1)&lt;/script&gt; — 1 claim</summary>\n\n"
            "- Readers posted \\<script\\>alert(1)\\</script\\> and") in md
    assert "- empty.txt: \\[CC101] file is empty" in md


# --------------------------------------------------------------------------- HTML


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_html_escapes_hostile_article_text(report, tmp_path):
    from claimcheck.report.html import SCRIPT_NAME, TEMPLATE_DIR

    html = write_report(report, tmp_path, formats=("html",))["html"].read_text()
    assert html.lower().count("<script") == 1  # the report's own filter script, nothing else
    own_script = (TEMPLATE_DIR / SCRIPT_NAME).read_text()
    assert f"<script>{own_script}</script>" in html
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = _parse(html)
    assert [tag for tag, _ in parsed.tags].count("script") == 1
    assert {tag for tag, _ in parsed.tags}.isdisjoint({"img", "iframe", "object", "embed"})
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    text = "".join(parsed.text)
    assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text  # shown literally, as text


def test_html_is_self_contained(report):
    from claimcheck.report.html import render_html

    parsed = _parse(render_html(report))
    assert not [t for t, a in parsed.tags if t == "link" or "src" in a]
    assert all(a["href"].startswith("#") for t, a in parsed.tags if "href" in a)  # in-page links only
    assert "http://" not in render_html(report) and "https://" not in render_html(report)
    assert [t for t, _ in parsed.tags].count("style") == 1


def test_html_cards_carry_filter_attributes_in_report_order(report):
    from claimcheck.report.html import render_html

    cards = [a for t, a in _parse(render_html(report)).tags if t == "article"]
    assert [c["data-severity"] for c in cards] == ["high", "medium", "low"]
    assert [c["data-kind"] for c in cards] == ["numeric", "entity_attribute", "name_spelling"]
    assert json.loads(cards[0]["data-sources"]) == ["river_times.txt", "coast_herald.txt"]
    assert json.loads(cards[1]["data-sources"]) == ["river_times.txt", "coast_herald.txt", "hostile.txt"]


def test_html_marks_the_highlighted_words_using_relative_offsets(report):
    from claimcheck.report.html import render_html

    html = render_html(report)
    assert '<mark>12</mark><span class="ev"> people were injured</span>' in html
    assert '<mark>About 20</mark><span class="ev"> people were hurt</span>' in html
    assert '<mark>Mayor</mark><span class="ev"> Ines Varga</span>' in html
    # The hostile value is marked too, as escaped text inside the mark.
    assert "<mark>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</mark>" in html


def test_html_shows_the_sentence_around_the_claim_as_context(report):
    from claimcheck.report.html import render_html

    html = render_html(report)
    assert '<span class="ctx">Officials said </span><mark>12</mark>' in html
    assert "when the Halden Bridge collapsed.</span>" in html
    # A side whose evidence is only a title and a name is shown in its whole sentence.
    assert ('<mark>Mayor</mark><span class="ev"> Ines Varga</span>'
            '<span class="ctx"> ordered an inquiry into the inspection record.</span>') in html


def test_html_summary_lists_sources_dates_and_problems(report):
    from claimcheck.report.html import render_html

    text = "".join(_parse(render_html(report)).text)
    assert "River Times" in text and "2026-03-03" in text and "Coast Herald" in text
    assert "empty.txt: [CC101] file is empty" in text


# --------------------------------------------------------------------------- CSV / pandas


def test_csv_round_trips_through_pandas(report, tmp_path):
    frame = pd.read_csv(write_report(report, tmp_path, formats=("csv",))["csv"])
    assert list(frame.columns) == list(DISCREPANCY_COLUMNS)
    assert list(frame["id"]) == ["d-numeric", "d-office", "d-hostile"]
    assert list(frame["rank"]) == [1, 2, 3]
    assert list(frame["n_sides"]) == [2, 3, 2]
    assert frame.loc[0, "text_a"] == "12 people were injured"
    assert frame.loc[0, "value_b"] == "About 20"
    assert frame.loc[2, "text_a"] == f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD}"
    third = json.loads(frame.loc[1, "other_sides"])
    assert [(s["file"], s["text"]) for s in third] == [("hostile.txt", "Ines Vargas said")]
    assert json.loads(frame.loc[0, "other_sides"]) == []


def test_the_public_to_frame_is_the_discrepancies_table(report):
    assert claimcheck.to_frame is discrepancies_frame
    frame = claimcheck.to_frame(report)
    assert str(frame["start_a"].dtype) == "Int64"


def test_claims_frame_has_one_row_per_claim(report):
    frame = claims_frame(report)
    assert list(frame["id"]) == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert list(frame["single_source"]) == [False, False, False, False, True, False]
    assert frame.loc[1, "quantities"] == "About 20 = [18, ∞]"


# --------------------------------------------------------------------------- atomic writes


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_replaces_the_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    atomic_write_text(target, "new ✓\r\n")
    assert target.read_bytes() == "new ✓\r\n".encode()  # written as given, no newline translation
    assert _leftovers(tmp_path) == []


def test_failed_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old report")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_io.os, "fsync", broken_fsync)  # fails after the text is written
    with pytest.raises(ReportError, match="No space left"):
        atomic_write_text(target, "new report " * 1000)
    assert target.read_text() == "old report"
    assert _leftovers(tmp_path) == []


def test_interrupted_write_removes_the_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_io.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "<html></html>")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_format_leaves_the_previous_report_untouched(report, tmp_path, monkeypatch):
    import claimcheck.report as report_pkg

    write_report(report, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(_report):
        raise RuntimeError("template bug")

    monkeypatch.setitem(report_pkg._RENDERERS, "html", broken)
    with pytest.raises(RuntimeError):
        write_report(report, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


# --------------------------------------------------------------------------- sources named once


def _unnamed_report() -> Report:
    a = Article(id="000_a.txt", text="Officials said 12 people were injured.")
    b = Article(id="001_b.txt", text="Police said 20 people were injured.", date="2026-03-04")
    return Report(articles=[a, b], claims=[], groups=[], entities=[], discrepancies=[])


def test_a_source_without_an_outlet_name_is_named_once():
    from claimcheck.report.html import render_html

    md = render_markdown(_unnamed_report())
    assert "000_a.txt — 000_a.txt" not in md and "000_a.txt (000_a.txt)" not in md
    assert "| 000_a.txt | — | 0 | 0 |" in md and "| 001_b.txt | 2026-03-04 | 0 | 0 |" in md
    text = "".join(_parse(render_html(_unnamed_report())).text)
    # Once in the sources table; in the figure, as the column's name and its tooltip.
    assert text.count("000_a.txt") == 3


def test_markdown_and_html_name_outlet_and_file_when_they_differ(report):
    from claimcheck.report.html import render_html

    assert "| River Times (river_times.txt) | 2026-03-03 | 2 | 0 |" in render_markdown(report)
    html = render_html(report)
    assert '<span class="outlet">River Times</span><span class="sub id">river_times.txt</span>' in html


# --------------------------------------------------------------------------- review status


def _with_status(report: Report, **status: str) -> Report:
    from dataclasses import replace

    report.discrepancies = [replace(d, status=status.get(d.id.replace("-", "_"), d.status))
                            for d in report.discrepancies]
    return report


def test_dismissed_discrepancies_fold_into_a_closed_details_section_in_html(report):
    from claimcheck.report.html import render_html

    html = render_html(_with_status(report, d_office="dismissed", d_numeric="confirmed"))
    main, dismissed = html.split('<details class="dismissed" id="dismissed">')
    assert '<summary>Dismissed (1)</summary>' in dismissed
    assert 'id="d-office"' in dismissed and 'id="d-office"' not in main
    assert 'id="d-numeric"' in main and 'data-status="confirmed"' in main
    assert '<span class="status confirmed">confirmed</span>' in main
    assert "<details class=\"dismissed\" id=\"dismissed\" open" not in html  # closed by default


def test_dismissed_discrepancies_fold_into_details_in_markdown(report):
    md = render_markdown(_with_status(report, d_office="dismissed", d_numeric="confirmed"))
    before, folded = md.split("<details><summary>Dismissed (1)</summary>")
    assert "### 1. [HIGH] Figures for people injured: 12 vs About 20 (confirmed)" in before
    assert "### 3. [LOW] Spelling of" in before
    assert folded.lstrip().startswith("### 2. [MEDIUM] Title of Ines Varga: Mayor vs Governor (dismissed)")
    assert "Review: 1 open, 1 confirmed, 1 dismissed." in md


def test_a_dismissed_discrepancy_does_not_mark_the_coverage_matrix(report):
    from claimcheck.report.common import DISAGREES, TELLS, coverage_matrix

    rows = {r.group_id: r for r in coverage_matrix(_with_status(report, d_numeric="dismissed")).rows}
    assert rows["g1"].cells[:2] == (TELLS, TELLS)  # told, but nothing compared them
    assert rows["g2"].cells == (DISAGREES, DISAGREES, TELLS)


# --------------------------------------------------------------------------- filters and CSP


def test_html_filter_bar_is_hidden_until_the_script_shows_it(report):
    from claimcheck.report.html import render_html

    tags = _parse(render_html(report)).tags
    bar = next(a for t, a in tags if a.get("id") == "filters")
    assert "hidden" in bar
    inputs = [a for t, a in tags if t == "input"]
    assert {a["value"] for a in inputs if a["name"] == "kind"} == {"numeric", "entity_attribute", "name_spelling"}
    assert {a["value"] for a in inputs if a["name"] == "severity"} == {"high", "medium", "low"}
    assert [a["value"] for a in inputs if a["name"] == "source"] == [
        "", "river_times.txt", "coast_herald.txt", "hostile.txt"]
    assert all("checked" in a for a in inputs if a["name"] in ("kind", "severity"))


def test_html_content_security_policy_allows_only_its_own_style_and_script(report):
    import base64
    import hashlib
    import re

    from claimcheck.report.html import render_html

    html = render_html(report)
    csp = next(a["content"] for t, a in _parse(html).tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert f"style-src {digest(style)};" in csp and f"script-src {digest(script)};" in csp
    assert ' style="' not in html  # an inline style attribute would be refused by the CSP


# --------------------------------------------------------------------------- coverage matrix


def test_coverage_matrix_marks_the_differing_sides_of_discrepancies(report):
    from claimcheck.report.common import AGREES, DISAGREES, NOT_MENTIONED, TELLS, coverage_matrix

    matrix = coverage_matrix(report)
    assert matrix.sources == ("river_times.txt", "coast_herald.txt", "hostile.txt")
    assert matrix.labels == ("River Times", "Coast Herald", f"Comments {SCRIPT_PAYLOAD}")
    rows = {r.group_id: r for r in matrix.rows}
    assert rows["g1"].cells == (DISAGREES, DISAGREES, NOT_MENTIONED)  # 12 against About 20: a tie
    assert rows["g1"].values == ("12", "About 20", "")
    # The hostile outlet's side gives no value: it is context, not a side that differs.
    assert rows["g2"].cells == (DISAGREES, DISAGREES, TELLS)
    # Single-source, but touched by a discrepancy: shown.
    assert rows["g3"].cells == (NOT_MENTIONED, NOT_MENTIONED, DISAGREES)
    assert rows["g2"].discrepancy_ids == ("d-office",)
    assert [r.group_id for r in matrix.rows] == ["g2", "g1", "g3"]  # most sources first
    assert AGREES not in {c for r in matrix.rows for c in r.cells}


def test_coverage_matrix_keeps_a_readable_number_of_rows_touched_ones_first():
    from claimcheck.report.common import NOT_MENTIONED, TELLS, coverage_matrix

    a, b, c = (Article(id=f"{n}.txt", text="x " * 50) for n in "abc")
    claims = [Claim(f"{art.id}#{i}", art.id, "x", (Span(0, 1),), Span(0, 1), Speaker(art.id))
              for art in (a, b, c) for i in range(50)]
    groups = [ClaimGroup(f"g{i}", (f"a.txt#{i}", f"b.txt#{i}"), ("a.txt", "b.txt"), f"claim {i}")
              for i in range(45)]
    groups += [ClaimGroup("lonely", ("c.txt#0",), ("c.txt",), "told once"),
               ClaimGroup("wide", ("a.txt#49", "b.txt#49", "c.txt#1"), ("a.txt", "b.txt", "c.txt"), "told by all")]
    touch = Discrepancy("d", DiscrepancyKind.OTHER, Severity.LOW, 0.1, "x",
                        (Evidence("c.txt", 0, 1, "x", claim_id="c.txt#0"),))
    report = Report(articles=[a, b, c], claims=claims, groups=groups, entities=[], discrepancies=[touch])
    matrix = coverage_matrix(report, limit=40)
    assert len(matrix.rows) == 40 and matrix.omitted == 7
    assert matrix.rows[0].group_id == "wide" and matrix.rows[0].cells == (TELLS, TELLS, TELLS)
    assert "lonely" in [r.group_id for r in matrix.rows]
    assert matrix.rows[1].cells == (TELLS, TELLS, NOT_MENTIONED)


def test_coverage_svg_is_well_formed_escaped_and_has_a_legend(report):
    import xml.etree.ElementTree as ET

    from claimcheck.report.svg import coverage_svg

    svg = coverage_svg(report)
    root = ET.fromstring(svg)  # well-formed XML, so a notebook can show it as SVG
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert {"agrees", "disagrees", "does not mention"} <= set(texts)
    assert sum(1 for t in root.iter(f"{ns}text") if t.get("class") == "group") == 3
    assert any(SCRIPT_PAYLOAD[:20] in t for t in texts)  # the hostile outlet name, as text
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert len([g for g in root.iter(f"{ns}g") if "disagrees" in (g.get("class") or "")]) == 5 + 1  # + legend


def test_html_shows_the_coverage_figure_inline(report):
    from claimcheck.report.html import render_html

    html = render_html(report)
    assert '<svg id="coverage-matrix" class="coverage"' in html
    assert "http://www.w3.org/2000/svg" not in html  # inline SVG in HTML needs no namespace


# --------------------------------------------------------------------------- descriptors


def test_descriptor_rows_list_each_outlets_labels_for_a_person_once(report):
    from claimcheck.report.common import descriptor_rows

    rows = descriptor_rows(report)
    assert [r.name for r in rows] == ["Ines Varga"]  # Ines Vargas is the same entity, with no label
    cells = rows[0].cells
    assert [d.text for d in cells[0]] == ["Mayor"] and cells[0][0].is_office
    assert [d.text for d in cells[1]] == ["Governor"]  # given twice, listed once
    assert cells[2] == ()


def test_html_and_markdown_show_the_descriptor_table(report):
    from claimcheck.report.html import render_html

    assert "| Ines Varga | Mayor | Governor | — |" in render_markdown(report)
    html = render_html(report)
    table = html.split('<table class="descriptors">')[1].split("</table>")[0]
    assert '<li class="office">Mayor</li>' in table and '<li class="office">Governor</li>' in table


# --------------------------------------------------------------------------- single-source claims


def test_single_source_claims_are_folded_per_outlet_in_html(report):
    from claimcheck.report.html import render_html

    html = render_html(report)
    section = html.split('<div class="single">')[1].split("</div>")[0]
    assert section.count("<details") == 1 and 'data-file="hostile.txt"' in section
    assert "Readers posted &lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "— 1 claim</summary>" in section


# --------------------------------------------------------------------------- JSON additions, tables


def test_json_has_the_coverage_matrix_and_descriptors(report):
    data = report_to_dict(report)
    assert data["coverage"]["sources"] == ["river_times.txt", "coast_herald.txt", "hostile.txt"]
    g1 = next(r for r in data["coverage"]["rows"] if r["group_id"] == "g1")
    assert g1["cells"] == {"river_times.txt": "disagrees", "coast_herald.txt": "disagrees",
                           "hostile.txt": "not_mentioned"}
    assert g1["discrepancy_ids"] == ["d-numeric"] and data["coverage"]["omitted"] == 0
    assert data["descriptors"] == [{
        "entity_id": "e1", "name": "Ines Varga",
        "labels": {"river_times.txt": [{"text": "Mayor", "is_office": True, "former": False}],
                   "coast_herald.txt": [{"text": "Governor", "is_office": True, "former": False}]},
    }]


def test_discrepancies_table_has_the_review_status(report):
    frame = discrepancies_frame(_with_status(report, d_office="dismissed"))
    assert list(frame["status"]) == ["open", "dismissed", "open"]
    assert list(DISCREPANCY_COLUMNS[:7]) == ["rank", "id", "kind", "severity", "score", "subject", "explanation"]


def test_groups_coverage_and_descriptor_frames(report):
    from claimcheck.report.tables import coverage_frame, descriptors_frame, groups_frame

    groups = groups_frame(report)
    assert list(groups["id"]) == ["g2", "g1", "g3"] and list(groups["n_sources"]) == [3, 2, 1]
    assert groups.loc[0, "sources"] == f"River Times, Coast Herald, Comments {SCRIPT_PAYLOAD}"
    coverage = coverage_frame(report)
    assert list(coverage.columns) == ["group_id", "label", "river_times.txt", "coast_herald.txt", "hostile.txt"]
    assert coverage.set_index("group_id").loc["g1", "hostile.txt"] == "not_mentioned"
    people = descriptors_frame(report)
    assert people.to_dict("records") == [{"person": "Ines Varga", "river_times.txt": "Mayor",
                                          "coast_herald.txt": "Governor", "hostile.txt": ""}]


def test_readme_json_example_is_a_discrepancy_as_written_with_true_offsets():
    import re

    from claimcheck.report.jsonfmt import discrepancy_to_dict, evidence_to_dict

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Report JSON", 1)[1].split("\n## ", 1)[0]
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    d = discrepancy_to_dict(Discrepancy("x", DiscrepancyKind.OTHER, Severity.LOW, 0.0, "", ()))
    assert example.keys() == d.keys()
    assert all(ev.keys() == evidence_to_dict(Evidence("f", 0, 0, "")).keys() for ev in example["evidence"])
    seeds = Path(__file__).parent.parent / "seeds"
    for ev in example["evidence"]:
        assert (seeds / ev["file"]).read_bytes().decode("utf-8")[ev["start"]:ev["end"]] == ev["text"]
    assert f'`schema_version` is "{SCHEMA_VERSION}"' in section


def test_html_ids_are_unique(report):
    from collections import Counter

    from claimcheck.report.html import render_html

    ids = Counter(a["id"] for _, a in _parse(render_html(report)).tags if "id" in a)
    assert [i for i, n in ids.items() if n > 1] == []
