"""The "who reports what" matrix: a cell agrees only where claims were compared and found
consistent, and a cross goes on the side that differs (issue 13, item 2).

Every report here is built by hand from invented sentences, so each test says exactly
which claims were compared and which discrepancy was found.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Comparison,
    Discrepancy,
    DiscrepancyKind,
    Evidence,
    Report,
    Severity,
    Span,
    Speaker,
)
from claimcheck.report.common import (
    AGREES,
    DISAGREES,
    NOT_MENTIONED,
    TELLS,
    coverage_matrix,
    differing_sides,
)
from claimcheck.report.jsonfmt import report_to_dict
from claimcheck.report.markdown import render_markdown
from claimcheck.report.svg import coverage_svg

SVG = "{http://www.w3.org/2000/svg}"


def story(sentences: dict[str, str], *, values: dict[str, str] | None = None,
          kind: DiscrepancyKind = DiscrepancyKind.NUMERIC, comparisons: list[tuple[str, ...]] = (),
          inconsistent: list[tuple[str, ...]] = (), status: str = "open") -> Report:
    """One claim per outlet, all in group "g"; a discrepancy whose sides are the outlets
    in ``values`` (each side's value is the given words of its sentence)."""
    articles = [Article(id=f"{name}.txt", text=text, source=name.replace("_", " ").title())
                for name, text in sentences.items()]
    claims = [Claim(f"{a.id}#0", a.id, a.text, (Span(0, len(a.text)),), Span(0, len(a.text)), Speaker(a.outlet))
              for a in articles]
    group = ClaimGroup("g", tuple(c.id for c in claims), tuple(a.id for a in articles), claims[0].text)
    discrepancies = []
    if values:
        evidence = []
        for name, value in values.items():
            text = sentences[name]
            at = text.index(value)
            evidence.append(Evidence(f"{name}.txt", 0, len(text), text, value=value,
                                     highlights=(Span(at, at + len(value)),), claim_id=f"{name}.txt#0"))
        discrepancies.append(Discrepancy("d", kind, Severity.HIGH, 0.9, "they differ", tuple(evidence),
                                         subject="road repairs", status=status))
    return Report(
        articles=articles, claims=claims, groups=[group], entities=[], discrepancies=discrepancies,
        comparisons=[Comparison("test", tuple(f"{n}.txt#0" for n in names), True) for names in comparisons]
        + [Comparison("test", tuple(f"{n}.txt#0" for n in names), False) for names in inconsistent],
    )


def cells(report: Report) -> dict[str, str]:
    (row,) = coverage_matrix(report).rows
    return {source.removesuffix(".txt"): state for source, state in zip(coverage_matrix(report).sources, row.cells)}


ROADS = {
    "valley_post": "The council set aside $85 million for road repairs.",
    "ridge_daily": "Road repairs will get $58 million from the council.",
    "lake_herald": "Some $85 million is earmarked for road repairs, the council said.",
}


# --------------------------------------------------------------------------- the cases


def test_85_million_against_58_million_crosses_only_the_outlet_that_differs():
    report = story(ROADS, values={"valley_post": "$85 million", "ridge_daily": "$58 million",
                                  "lake_herald": "$85 million"})
    assert cells(report) == {"valley_post": TELLS, "ridge_daily": DISAGREES, "lake_herald": TELLS}


def test_85_million_against_58_million_alone_is_a_tie_so_both_sides_differ():
    two = {k: ROADS[k] for k in ("valley_post", "ridge_daily")}
    report = story(two, values={"valley_post": "$85 million", "ridge_daily": "$58 million"})
    assert cells(report) == {"valley_post": DISAGREES, "ridge_daily": DISAGREES}


def test_sources_agree_only_where_a_comparison_found_their_claims_consistent():
    report = story(ROADS, values={"valley_post": "$85 million", "ridge_daily": "$58 million",
                                  "lake_herald": "$85 million"},
                   comparisons=[("valley_post", "lake_herald")])
    assert cells(report) == {"valley_post": AGREES, "ridge_daily": DISAGREES, "lake_herald": AGREES}


def test_a_consistent_comparison_does_not_outweigh_being_the_side_that_differs():
    two = {k: ROADS[k] for k in ("valley_post", "ridge_daily")}
    report = story(two, values={"valley_post": "$85 million", "ridge_daily": "$58 million"},
                   comparisons=[("valley_post", "ridge_daily")])
    assert cells(report) == {"valley_post": DISAGREES, "ridge_daily": DISAGREES}


def test_narrowly_approved_and_rejected_with_no_comparison_only_tell_it():
    vote = {"harbour_news": "The council narrowly approved the bypass on Monday.",
            "bay_courier": "The council rejected the bypass on Monday."}
    assert cells(story(vote)) == {"harbour_news": TELLS, "bay_courier": TELLS}
    # compared and found inconsistent is not agreement either
    assert cells(story(vote, inconsistent=[("harbour_news", "bay_courier")])) == \
        {"harbour_news": TELLS, "bay_courier": TELLS}
    found = story(vote, values={"harbour_news": "narrowly approved", "bay_courier": "rejected"},
                  kind=DiscrepancyKind.OTHER)
    assert cells(found) == {"harbour_news": DISAGREES, "bay_courier": DISAGREES}


def test_a_misspelt_name_crosses_the_one_misspeller_not_the_three_who_spell_it_right():
    spelt = {
        "north_star": "Mayor Hendrik Vossberg opened the new bridge.",
        "south_wire": "Hendrik Vossberg cut the ribbon at the bridge.",
        "east_ledger": "The bridge was opened by Hendrik Vossberg.",
        "west_echo": "Hendrik Vosberg opened the bridge on Friday.",
    }
    report = story(spelt, kind=DiscrepancyKind.NAME_SPELLING,
                   values={name: ("Hendrik Vosberg" if name == "west_echo" else "Hendrik Vossberg")
                           for name in spelt})
    assert cells(report) == {"north_star": TELLS, "south_wire": TELLS, "east_ledger": TELLS,
                             "west_echo": DISAGREES}


def test_accents_and_case_do_not_make_a_second_value():
    spelt = {
        "north_star": "José Ibarren spoke first.",
        "south_wire": "Jose Ibarren spoke first.",
        "west_echo": "José Ibarra spoke first.",
    }
    report = story(spelt, kind=DiscrepancyKind.NAME_SPELLING,
                   values={"north_star": "José Ibarren", "south_wire": "Jose Ibarren", "west_echo": "José Ibarra"})
    assert cells(report) == {"north_star": TELLS, "south_wire": TELLS, "west_echo": DISAGREES}


def test_a_dismissed_discrepancy_crosses_no_one():
    report = story(ROADS, values={"valley_post": "$85 million", "ridge_daily": "$58 million"}, status="dismissed")
    assert set(cells(report).values()) == {TELLS}


def test_a_source_without_a_claim_in_the_group_is_not_mentioned():
    report = story(ROADS)
    report.groups = [ClaimGroup("g", ("valley_post.txt#0", "ridge_daily.txt#0"),
                                ("valley_post.txt", "ridge_daily.txt"), "road repairs")]
    assert cells(report)["lake_herald"] == NOT_MENTIONED


# --------------------------------------------------------------------------- the formats


def test_the_differing_value_is_in_the_cells_tooltip_the_json_and_the_markdown():
    report = story(ROADS, values={"valley_post": "$85 million", "ridge_daily": "$58 million",
                                  "lake_herald": "$85 million"},
                   comparisons=[("valley_post", "lake_herald")])
    root = ET.fromstring(coverage_svg(report))
    tips = {g.get("class"): "".join(g.find(f"{SVG}title").itertext())
            for g in root.iter(f"{SVG}g") if "cell" in (g.get("class") or "")
            and "Ridge Daily" in "".join(g.find(f"{SVG}title").itertext())}
    assert "“$58 million”" in tips["cell disagrees"]

    row = report_to_dict(report)["coverage"]["rows"][0]
    assert row["cells"] == {"valley_post.txt": "agrees", "ridge_daily.txt": "disagrees", "lake_herald.txt": "agrees"}
    assert row["values"] == {"ridge_daily.txt": "$58 million"}
    json.dumps(row, allow_nan=False)

    table = render_markdown(report).split("## Who reports what", 1)[1]
    assert "| ✓ | ✗ $58 million | ✓ |" in table


def test_markdown_and_svg_show_a_neutral_mark_for_a_claim_nothing_compared():
    report = story(ROADS)
    assert "| ○ | ○ | ○ |" in render_markdown(report)
    root = ET.fromstring(coverage_svg(report))
    states = [g.get("class") for g in root.iter(f"{SVG}g") if "cell" in (g.get("class") or "")]
    assert states.count("cell tells") == 3 + 1  # + the legend
    assert "cell agrees" in states  # only in the legend
    assert states.count("cell agrees") == 1


# --------------------------------------------------------------------------- the rule, for any values


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["$85 million", "$58 million", "$8.5 million", None]), min_size=2, max_size=6))
def test_the_crossed_sources_are_exactly_those_holding_the_rarest_value(values):
    sentences = {f"outlet_{i}": f"Outlet {i} reports {v or 'a figure'} for road repairs." for i, v in enumerate(values)}
    report = story(sentences, values={f"outlet_{i}": v or "a figure" for i, v in enumerate(values)})
    # a side without a value is context: rebuild those sides with no value
    d = report.discrepancies[0]
    evidence = tuple(ev if values[i] else Evidence(ev.file, ev.start, ev.end, ev.text, claim_id=ev.claim_id)
                     for i, ev in enumerate(d.evidence))
    report.discrepancies = [Discrepancy(d.id, d.kind, d.severity, d.score, d.explanation, evidence)]

    given_values = [v for v in values if v]
    if given_values:
        counts = {v: given_values.count(v) for v in given_values}
        rarest = min(counts.values())
        expected = {f"outlet_{i}" for i, v in enumerate(values) if v and counts[v] == rarest}
    else:
        expected = {f"outlet_{i}" for i in range(len(values))}  # no telling who differs
    assert {ev.file.removesuffix(".txt") for ev in differing_sides(report.discrepancies[0])} == expected
    found = cells(report)
    assert {name for name, state in found.items() if state == DISAGREES} == expected
    assert AGREES not in found.values()  # nothing was compared
    assert {state for name, state in found.items() if name not in expected} <= {TELLS}


def test_the_side_that_differs_is_crossed_in_every_group_of_the_discrepancy_it_tells():
    # Two groups about one job cut: the outlet that differs tells both, its figure is in one.
    a = Article(id="mill_post.txt", text="Tarvik Mills will cut 1,200 jobs. Tarvik Mills is shutting its plant.")
    b = Article(id="loom_news.txt", text="Tarvik Mills is shutting its plant, cutting about 1,800 jobs.")
    c = Article(id="weave_daily.txt", text="Tarvik Mills is shutting its plant, cutting some 1,800 jobs.")
    claims = [
        Claim("a#0", a.id, "Tarvik Mills will cut 1,200 jobs.", (Span(0, 33),), Span(0, 33), Speaker("a")),
        Claim("a#1", a.id, "Tarvik Mills is shutting its plant.", (Span(34, 69),), Span(34, 69), Speaker("a")),
        Claim("b#0", b.id, b.text, (Span(0, len(b.text)),), Span(0, len(b.text)), Speaker("b")),
        Claim("c#0", c.id, c.text, (Span(0, len(c.text)),), Span(0, len(c.text)), Speaker("c")),
    ]
    groups = [ClaimGroup("shut", ("a#1", "b#0", "c#0"), (a.id, b.id, c.id), "shutting the plant"),
              ClaimGroup("cut", ("a#0",), (a.id,), "cut jobs")]

    def side(article: Article, claim_id: str, value: str) -> Evidence:
        return Evidence(article.id, 0, 5, article.text[:5], value=value, claim_id=claim_id)

    d = Discrepancy("d", DiscrepancyKind.NUMERIC, Severity.HIGH, 0.9, "x",
                    (side(a, "a#0", "1,200"), side(b, "b#0", "1,800"), side(c, "c#0", "1,800")))
    report = Report(articles=[a, b, c], claims=claims, groups=groups, entities=[], discrepancies=[d])
    rows = {r.group_id: r for r in coverage_matrix(report).rows}
    assert rows["shut"].cells == (DISAGREES, TELLS, TELLS) and rows["shut"].values == ("1,200", "", "")
    assert rows["cut"].cells == (DISAGREES, NOT_MENTIONED, NOT_MENTIONED)
    assert rows["shut"].discrepancy_ids == rows["cut"].discrepancy_ids == ("d",)
