"""Report writers: Markdown, JSON, HTML and CSV from a small invented report."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Discrepancy,
    DiscrepancyKind,
    Entity,
    Evidence,
    Modality,
    Quantity,
    QuantityKind,
    Report,
    Severity,
    Span,
    Speaker,
    SpeakerKind,
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


def claim(cid: str, article: Article, needle: str, sentence: str, *, quantities=(), speaker=None) -> Claim:
    return Claim(
        id=cid, article_id=article.id, text=needle, spans=(span_of(article.text, needle),),
        sentence=span_of(article.text, sentence),
        speaker=speaker or Speaker(article.outlet, SpeakerKind.OUTLET), modality=Modality.FACT,
        subject="injured", quantities=tuple(quantities),
    )


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
        claim("c3", river, "Mayor Ines Varga", "Mayor Ines Varga ordered an inquiry into the inspection record."),
        claim("c4", coast, "Governor Ines Varga", "Governor Ines Varga called it a tragedy."),
        claim("c5", hostile, f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} under the story.",
              f"Readers posted {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} under the story."),
        claim("c6", hostile, "Ines Vargas said", "Ines Vargas said the bridge had been closed twice before."),
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
                                   "title": "Bridge collapse injures 12", "chars": len(RIVER), "claims": 2}
    assert data["discrepancies"][0]["kind"] == "numeric" and data["discrepancies"][0]["severity"] == "high"
    assert data["discrepancies"][0]["evidence"][1]["highlights"] == [[0, 8]]


def test_json_writes_infinite_bounds_as_null(report):
    data = report_to_dict(report)
    about_20 = next(c for c in data["claims"] if c["id"] == "c2")["quantities"][0]
    assert about_20["low"] == 18 and about_20["high"] is None
    assert about_20["kind"] == "count" and about_20["hedge"] == "about"
    assert data["config"] == {"threshold": 0.5, "hedges": [1, 2], "limit": None}
    json.dumps(data, allow_nan=False)  # strictly valid JSON


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
    assert headings[0] == "### 1. [HIGH] numeric — people injured"
    assert headings[1] == "### 2. [MEDIUM] entity_attribute — Ines Varga"
    assert headings[2].startswith("### 3. [LOW] name_spelling — ")
    assert "3 articles, 6 claims, 3 discrepancies (1 high, 1 medium, 1 low)" in md


def test_markdown_quotes_each_side_with_the_value_in_bold(report):
    md = render_markdown(report)
    start = RIVER.index("12 people")
    assert f"> **river_times.txt (River Times)** [{start}–{start + 22}]: **12** people were injured" in md
    assert "> **coast_herald.txt (police)** [0–25]: **About 20** people were hurt" in md


def test_markdown_escapes_article_markup_and_lists_single_sources_and_problems(report):
    md = render_markdown(report)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "## Single-source claims" in md and "- Comments \\<script\\>alert(1)\\</script\\>: 1" in md
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
    html = write_report(report, tmp_path, formats=("html",))["html"].read_text()
    assert "<script" not in html.lower()  # the report itself has no script at all
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = _parse(html)
    assert {tag for tag, _ in parsed.tags}.isdisjoint({"script", "img", "iframe", "object", "embed"})
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    text = "".join(parsed.text)
    assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text  # shown literally, as text


def test_html_is_self_contained(report):
    from claimcheck.report.html import render_html

    parsed = _parse(render_html(report))
    assert not [t for t, a in parsed.tags if t == "link" or "src" in a or "href" in a]
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
    assert "<mark>12</mark> people were injured" in html
    assert "<mark>About 20</mark> people were hurt" in html
    assert "<mark>Mayor</mark> Ines Varga" in html
    # The hostile value is marked too, as escaped text inside the mark.
    assert "<mark>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</mark>" in html


def test_html_shows_the_sentence_around_the_claim_as_context(report):
    from claimcheck.report.html import render_html

    html = render_html(report)
    assert '<span class="ctx">Officials said </span><mark>12</mark>' in html
    assert "when the Halden Bridge collapsed.</span>" in html


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


def test_to_frame_is_the_discrepancies_table(report):
    frame = report.to_frame()
    assert frame.equals(discrepancies_frame(report))
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
