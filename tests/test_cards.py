"""Cards an editor can read: a title in plain words and the values in words on a details
line, in every report format (issue 13, item 3).  Reports are built by hand from invented
sentences."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.models import (
    Article,
    Discrepancy,
    DiscrepancyKind,
    Entity,
    Evidence,
    Quantity,
    QuantityKind,
    Report,
    Severity,
    Span,
)
from claimcheck.quantities import quantity_in_words
from claimcheck.report.common import TITLE_CHARS, card_title, plain_subject
from claimcheck.report.html import render_html
from claimcheck.report.jsonfmt import report_to_dict
from claimcheck.report.markdown import render_markdown
from claimcheck.report.tables import discrepancies_frame, render_csv

K = DiscrepancyKind


def side(file: str, value: str | None, detail: str = "") -> Evidence:
    return Evidence(file, 0, 10, "some words", value=value, detail=detail)


def discrepancy(kind: DiscrepancyKind, subject: str, *values: str | None, title: str = "") -> Discrepancy:
    return Discrepancy("d1", kind, Severity.HIGH, 0.9, "they differ",
                       tuple(side(f"{i}.txt", v) for i, v in enumerate(values)), subject=subject, title=title)


# --------------------------------------------------------------------------- the title


def test_a_spelling_card_names_the_person_and_the_words_that_differ():
    d = discrepancy(K.NAME_SPELLING, "Hendrik Vossberg", "Hendrik Vosberg", "Hendrik Vossberg", "Hendrik Vossberg")
    assert card_title(d) == "Spelling of Hendrik Vossberg: Vosberg vs Vossberg"


def test_a_title_card_names_both_offices():
    d = discrepancy(K.ENTITY_ATTRIBUTE, "Ines Marlow", "Deputy Mayor", "Harbour Commissioner")
    assert card_title(d) == "Title of Ines Marlow: Deputy Mayor vs Harbour Commissioner"


def test_the_detectors_title_wins():
    d = discrepancy(K.NUMERIC, "person:luca-ferrante", "€45 million", "€38 million",
                    title="Fee for Luca Ferrante: €45 million vs €38 million")
    assert card_title(d) == "Fee for Luca Ferrante: €45 million vs €38 million"


def test_an_entity_id_subject_becomes_the_entitys_name():
    d = discrepancy(K.NUMERIC, "person:luca-ferrante", "€45 million", "€38 million")
    assert card_title(d, {"person:luca-ferrante": "Luca Ferrante"}) == \
        "Figures for Luca Ferrante: €45 million vs €38 million"


@pytest.mark.parametrize("subject", ["job (dead)", "name:hendrik vossberg", "person:luca-ferrante",
                                     "story:budget:cut", "people (dead, injured)", "org:acme vs person:ana-ruiz"])
def test_internal_keys_never_reach_the_title(subject):
    d = discrepancy(K.NUMERIC, subject, "9", "at least 12")
    assert card_title(d) == "Figures differ: 9 vs at least 12"


def test_a_value_given_twice_is_shown_once_and_many_values_are_counted():
    d = discrepancy(K.NUMERIC, "Ferry crossings", "14", "14 ", "12", "about 20", "30", "9")
    assert card_title(d) == "Figures for Ferry crossings: 14 vs 12 vs about 20 and 2 more"


def test_a_discrepancy_without_values_is_titled_by_its_subject():
    assert card_title(discrepancy(K.SCOPE, "Harbour closure", None, None)) == "Scope of Harbour closure"
    assert card_title(discrepancy(K.OTHER, "", None, None)) == "Other"


_INTERNAL = st.one_of(
    st.from_regex(r"\A(person|org|gpe|name|story):[a-z][a-z -]{0,20}\Z"),
    st.from_regex(r"\A[a-z]{2,8} \([a-z]{2,8}(, [a-z]{2,8})?\)\Z"),
)


@settings(max_examples=80, deadline=None)
@given(subject=_INTERNAL, kind=st.sampled_from(list(K)),
       values=st.lists(st.text(min_size=0, max_size=80), min_size=0, max_size=6))
def test_a_built_title_never_shows_an_internal_key_and_stays_one_short_line(subject, kind, values):
    title = card_title(discrepancy(kind, subject, *values))
    assert subject not in title
    assert not re.search(r"\b(person|org|gpe|name|story):", title)
    assert len(title) <= TITLE_CHARS and "\n" not in title


def test_plain_subjects_are_kept():
    assert plain_subject("Ana Ruiz vs Tomas Berg") == "Ana Ruiz vs Tomas Berg"
    assert plain_subject("Harbour Authority (Saltmere)") == "Harbour Authority (Saltmere)"


# --------------------------------------------------------------------------- in the reports

FERRY = "The ferry company said about 45 million passengers travelled last year."
WIRE = "Last year 38 million people used the ferries, the wire reported."


@pytest.fixture()
def ferry_report() -> Report:
    a = Article(id="ferry_post.txt", text=FERRY, source="Ferry Post")
    b = Article(id="coast_wire.txt", text=WIRE, source="Coast Wire")
    at_a, at_b = FERRY.index("about 45 million"), WIRE.index("38 million")
    qa = Quantity("about 45 million", at_a, at_a + 16, 45e6, 44e6, 46e6, QuantityKind.COUNT, hedge="about")
    qb = Quantity("38 million", at_b, at_b + 10, 38e6, 37.5e6, 38.5e6, QuantityKind.COUNT)
    evidence = tuple(
        Evidence(art.id, 0, len(art.text), art.text, value=q.text, highlights=(Span(q.start, q.end),),
                 detail=quantity_in_words(q))
        for art, q in ((a, qa), (b, qb))
    )
    d = Discrepancy("num-1", K.NUMERIC, Severity.HIGH, 0.9,
                    "passengers last year: “about 45 million” (ferry_post.txt) vs “38 million” (coast_wire.txt)",
                    evidence, subject="story:passenger", title="Passengers last year: about 45 million vs 38 million")
    return Report(articles=[a, b], claims=[], groups=[], discrepancies=[d],
                  entities=[Entity("org:ferry", "Ferry Co", "ORG")])


def test_html_card_shows_the_title_and_a_details_line_per_side(ferry_report):
    html = render_html(ferry_report)
    assert "<mark>about 45 million</mark>" in html and "<mark>38 million</mark>" in html
    assert "Passengers last year: about 45 million vs 38 million</h3>" in html
    assert '<p class="detail">about 45 million, so 44–46 million</p>' in html
    assert '<p class="detail">38 million, so 37.5–38.5 million</p>' in html
    assert "story:passenger" not in html
    assert not re.search(r"\[\d[\d,.]*, \d", html)  # no raw interval such as [44,000,000, 46,000,000]


def test_markdown_card_shows_the_title_and_a_details_line_per_side(ferry_report):
    md = render_markdown(ferry_report)
    assert "### 1. [HIGH] Passengers last year: about 45 million vs 38 million" in md
    assert "> ↳ about 45 million, so 44–46 million" in md
    assert "> ↳ 38 million, so 37.5–38.5 million" in md
    assert "story:passenger" not in md


def test_json_and_csv_carry_the_title_and_details(ferry_report):
    d = report_to_dict(ferry_report)["discrepancies"][0]
    assert d["title"] == "Passengers last year: about 45 million vs 38 million"
    assert [e["detail"] for e in d["evidence"]] == ["about 45 million, so 44–46 million",
                                                    "38 million, so 37.5–38.5 million"]
    json.dumps(d, allow_nan=False)
    row = pd.read_csv(io.StringIO(render_csv(discrepancies_frame(ferry_report)))).iloc[0]
    assert row["title"] == d["title"]
    assert (row["detail_a"], row["detail_b"]) == ("about 45 million, so 44–46 million", "38 million, so 37.5–38.5 million")


def test_a_card_without_a_detectors_title_gets_a_built_one_in_every_format(ferry_report):
    from dataclasses import replace

    ferry_report.discrepancies = [replace(ferry_report.discrepancies[0], title="")]
    built = "Figures differ: about 45 million vs 38 million"
    assert f"{built}</h3>" in render_html(ferry_report)
    assert f"### 1. [HIGH] {built}" in render_markdown(ferry_report)
    assert report_to_dict(ferry_report)["discrepancies"][0]["title"] == built
