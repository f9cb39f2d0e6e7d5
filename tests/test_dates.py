"""The date detector: one event dated differently by two sources (claimcheck.detect.dates).

Stories are invented, parsed by the real spaCy pipeline; similarity is 1.0 unless a test
says otherwise, so these tests pin the parse rules (what a date dates, which part it
plays, which events stay apart), and one end-to-end test runs the whole check.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import pipeline
from claimcheck.config import Config
from claimcheck.data import load_data
from claimcheck.detect import StoryContext, registered
from claimcheck.detect.dates import DateMention, consistent, detect_date_conflicts, read_date_mentions
from claimcheck.models import Article, ClaimGroup, DiscrepancyKind, Severity, Span

CONFIG = Config(use_cache=False)


def context(*articles: tuple[str, str | None], embed=None, group_all: bool = False) -> StoryContext:
    """A story of one article per (text, ISO date or None), through the real parse."""
    arts = [Article(id=f"{k}.txt", text=t, source=f"Outlet {k}", date=d) for k, (t, d) in enumerate(articles)]
    extracted = pipeline._extract(arts, CONFIG, pipeline._Timer())
    docs = pipeline.parse_articles([a.text[a.body_start :] for a in arts], CONFIG)
    groups = ()
    if group_all:  # every claim in one group: "the claims say the same thing"
        groups = (ClaimGroup("g-all", tuple(c.id for c in extracted.claims),
                             tuple(c.article_id for c in extracted.claims), "all"),)
    return StoryContext(
        articles={a.id: a for a in arts},
        claims=extracted.claims,
        entities=extracted.entities,
        mentions=extracted.mentions,
        groups=groups,
        figures=extracted.figures,
        docs={a.id: d for a, d in zip(arts, docs, strict=True)},
        embed=embed,
        config=CONFIG,
    )


def mentions(ctx: StoryContext, article_id: str = "0.txt") -> dict[str, DateMention]:
    return {m.text: m for m in read_date_mentions(ctx, article_id)}


def day(iso: str) -> float:
    return float(dt.date.fromisoformat(iso).toordinal())


def orthogonal(texts):
    """An encoder under which no two texts are alike."""
    return np.eye(len(texts), max(len(texts), 1))


# --------------------------------------------------------------------------- reading dates


def test_a_weekday_is_the_last_such_day_on_or_before_the_articles_date():
    ctx = context(("Tomas Vell was sentenced on Friday to six years in prison.", "2025-05-17"))
    m = mentions(ctx)["Friday"]
    assert (m.low, m.high, m.weekday) == (day("2025-05-16"), day("2025-05-16"), None)
    assert "Friday 16 May 2025" in m.reading


def test_a_weekday_in_an_undated_article_stays_a_weekday():
    ctx = context(("Tomas Vell was sentenced on Friday to six years in prison.", None),
                  ("Other news from Harwick on 2 May 2025 was quiet.", "2025-05-02"))
    m = mentions(ctx)["Friday"]
    assert m.weekday == 4 and m.low == -np.inf and m.high == np.inf


def test_a_weekday_written_with_a_date_is_the_date_and_a_mismatch_is_told():
    ctx = context(("The Harwick council approved the budget on Monday, June 10, after a debate.", "2025-06-11"))
    m = mentions(ctx)["Monday, June 10"]
    assert (m.low, m.high) == (day("2025-06-10"), day("2025-06-10"))
    assert m.mismatch == "10 June 2025 was a Tuesday, not a Monday"


def test_a_weekday_that_fits_its_date_is_no_mismatch():
    ctx = context(("The Harwick council approved the budget on Tuesday, March 4, after a debate.", "2025-03-06"))
    assert mentions(ctx)["Tuesday, March 4"].mismatch == ""


def test_last_year_is_the_year_before_the_articles():
    ctx = context(("Norvale paid £80m for Idris Kane last year, a club record.", "2024-06-10"))
    m = mentions(ctx)["last year"]
    assert (m.low, m.high) == (day("2023-01-01"), day("2023-12-31"))


def test_yesterday_needs_the_articles_own_date():
    dated = context(("The mill closed yesterday after forty years.", "2025-04-09"))
    assert mentions(dated)["yesterday"].low == day("2025-04-08")
    undated = context(("The mill closed yesterday after forty years.", None),
                      ("The Orlin mill closed in April 2025.", "2025-04-09"))
    assert "yesterday" not in mentions(undated)


def test_a_past_event_in_a_yearless_month_is_read_before_the_article():
    ctx = context(("Her predecessor resigned in November after a long dispute.", "2025-09-10"))
    m = mentions(ctx)["November"]
    assert (m.low, m.high) == (day("2024-11-01"), day("2024-11-30"))


@pytest.mark.parametrize(
    ("text", "date", "role"),
    [
        ("Tomas Vell was sentenced on October 14 in Harwick.", "October 14", "point"),
        ("Mira Castell has governed the province since 2011.", "2011", "since"),
        ("The 2016 attack on the Orlin bridge killed nine people.", "2016", "attributive"),
        ("Saturday's vote in Harwick ended the long dispute.", "Saturday", "point"),
    ],
)
def test_the_preposition_says_what_part_a_date_plays(text, date, role):
    ctx = context((text, "2025-10-06"))
    assert mentions(ctx)[date].role == role


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tomas Vell is due to be sentenced on October 24 in Harwick.", "October 24"),  # a plan
        ("Tomas Vell will resign on Friday, his office said.", "Friday"),  # a plan
        ("The ministry said on Monday that the bridge was safe.", "Monday"),  # a statement's date
        ("The last time a ferry sank on the lake was in 2009.", "2009"),  # a yardstick
        ("HARWICK, October 14 — Tomas Vell resigned as mayor of the town.", "October 14"),  # a dateline
        ("Tomas Vell resigned before October 14, his office said.", "October 14"),  # a bound
    ],
)
def test_dates_that_do_not_say_when_an_event_happened_are_not_read(text, date):
    ctx = context((text, "2025-10-06"))
    assert date not in mentions(ctx)


def test_an_event_is_named_by_its_class():
    ctx = context(("The fisherman passed away on Sunday at a hospital in Larkin.", "2025-03-11"),
                  ("The fisherman died on Sunday at a hospital in Larkin.", "2025-03-11"))
    assert "death" in mentions(ctx, "0.txt")["Sunday"].events
    assert "death" in mentions(ctx, "1.txt")["Sunday"].events


# --------------------------------------------------------------------------- disagreements


def test_two_stated_days_for_one_vote_are_a_high_conflict():
    ctx = context(("The Harwick council approved the budget on Tuesday, March 4, after a debate.", "2025-03-06"),
                  ("The Harwick council approved the budget on Wednesday, March 5, after a debate.", "2025-03-06"))
    [d] = detect_date_conflicts(ctx)
    assert d.kind == DiscrepancyKind.DATE and d.severity == Severity.HIGH
    assert {e.value for e in d.evidence} == {"Tuesday, March 4", "Wednesday, March 5"}
    for e in d.evidence:
        text = ctx.articles[e.file].text
        assert text[e.start : e.end] == e.text
        [h] = e.highlights
        assert text[h.start : h.end] == e.value


def test_a_weekday_that_contradicts_its_date_is_told_when_another_source_differs():
    ctx = context(("The Harwick council approved the budget on Monday, June 10, after a debate.", "2025-06-11"),
                  ("The Harwick council approved the budget on June 9 after a debate.", None))
    [d] = detect_date_conflicts(ctx)
    assert d.severity == Severity.HIGH
    assert "10 June 2025 was a Tuesday, not a Monday" in d.explanation


def test_a_weekday_against_a_date_is_compared_through_the_articles_date():
    ctx = context(("Tomas Vell was sentenced on Friday to six years in prison.", "2025-05-17"),
                  ("Tomas Vell was sentenced on May 15 to six years in prison.", "2025-05-17"))
    [d] = detect_date_conflicts(ctx)
    assert sorted(e.value for e in d.evidence) == ["Friday", "May 15"]
    agree = context(("Tomas Vell was sentenced on Friday to six years in prison.", "2025-05-17"),
                    ("Tomas Vell was sentenced on May 16 to six years in prison.", "2025-05-17"))
    assert detect_date_conflicts(agree) == []


def test_an_undated_weekday_meets_a_date_by_its_weekday_alone():
    fits = context(("The fisherman died on Sunday at a hospital in Larkin.", None),
                   ("The fisherman died on March 9 at a hospital in Larkin.", "2025-03-11"))
    assert detect_date_conflicts(fits) == []
    differs = context(("The fisherman died on Sunday at a hospital in Larkin.", None),
                      ("The fisherman died on March 10 at a hospital in Larkin.", "2025-03-11"))
    [d] = detect_date_conflicts(differs)
    assert d.title.startswith("Date of the death")


def test_last_year_against_the_year_two_years_back_is_a_conflict():
    ctx = context(("Norvale paid £80m for Idris Kane last year, a club record.", "2024-06-10"),
                  ("Norvale paid £80m for Idris Kane in 2022, a club record.", "2024-06-10"))
    [d] = detect_date_conflicts(ctx)
    assert d.severity == Severity.MEDIUM and "last year: 2023" in d.explanation
    agree = context(("Norvale paid £80m for Idris Kane last year, a club record.", "2024-06-10"),
                    ("Norvale paid £80m for Idris Kane in 2023, a club record.", "2024-06-10"))
    assert detect_date_conflicts(agree) == []


def test_one_holders_state_since_two_years_is_a_conflict():
    ctx = context(("Mira Castell has governed the province since 2011.", "2025-03-15"),
                  ("Mira Castell has governed the province since 2009.", "2025-03-15"))
    [d] = detect_date_conflicts(ctx)
    assert d.title == "Since when (Mira Castell): 2009 vs 2011"


def test_a_month_holds_the_days_in_it():
    ctx = context(("Tomas Vell was convicted in July of two counts of fraud.", "2025-10-06"),
                  ("Tomas Vell was convicted on July 2 of two counts of fraud.", "2025-10-06"))
    assert detect_date_conflicts(ctx) == []


def test_a_point_and_a_since_are_not_compared():
    ctx = context(("Mira Castell has governed the province since 2011.", "2025-03-15"),
                  ("Mira Castell began governing the province in 2009.", "2025-03-15"))
    assert detect_date_conflicts(ctx) == []


# --------------------------------------------------------------------------- look-alikes


def test_different_events_in_one_story_are_not_compared():
    ctx = context(("Tomas Vell was arrested in December at his home in Harwick.", "2025-07-10"),
                  ("Tomas Vell pleaded guilty in July at the court in Harwick.", "2025-07-10"))
    assert detect_date_conflicts(ctx) == []


def test_a_plan_is_not_compared_with_what_happened():
    ctx = context(("Tomas Vell is due to be sentenced on June 30 in Harwick.", "2025-06-02"),
                  ("Tomas Vell was sentenced on July 1 in Harwick.", "2025-07-02"))
    assert detect_date_conflicts(ctx) == []


def test_events_years_apart_are_two_events():
    ctx = context(("An earthquake struck the Orlin valley on Friday, flattening villages.", "2025-09-09"),
                  ("An earthquake struck the Orlin valley in 1999, flattening villages.", "2025-09-09"))
    assert detect_date_conflicts(ctx) == []


def test_amounts_that_differ_make_two_days_of_falls():
    ctx = context(("The Calder index fell 3.2% on Tuesday as tariffs hit.", "2025-04-10"),
                  ("The Calder index fell 5.1% on Wednesday as tariffs hit.", "2025-04-10"))
    assert detect_date_conflicts(ctx) == []


def test_an_event_an_article_dates_on_two_days_needs_an_amount_to_be_one():
    ctx = context(("Stocks fell sharply on Tuesday. Stocks fell again on Wednesday.", "2025-04-10"),
                  ("Stocks plunged on Tuesday as tariffs hit.", None),
                  ("Stocks plunged on Wednesday as tariffs hit.", "2025-04-10"))
    assert detect_date_conflicts(ctx) == []


def test_different_actors_make_two_events():
    ctx = context(("Lena Morrow was ousted in March after two years in office.", "2025-09-09"),
                  ("Paul Ardent was ousted on Monday after a year in office.", "2025-09-09"))
    assert detect_date_conflicts(ctx) == []


def test_an_article_that_gives_both_dates_does_not_contradict_either():
    ctx = context(("Turnout was the highest since 1994, before the merger in 1997.", "2025-02-24"),
                  ("Turnout was the highest since 1997, officials said.", "2025-02-24"))
    assert detect_date_conflicts(ctx) == []


def test_unalike_wording_keeps_a_claim_group_apart():
    args = (("The Harwick council approved the budget on Tuesday, March 4, after a debate.", "2025-03-06"),
            ("The Harwick council approved the budget on Wednesday, March 5, after a debate.", "2025-03-06"))
    assert detect_date_conflicts(context(*args, group_all=True)) != []
    assert detect_date_conflicts(context(*args, embed=orthogonal)) == []


# --------------------------------------------------------------------------- the interval rule


def _mention(low: float, high: float, weekday: int | None) -> DateMention:
    return DateMention(
        id="m", article_id="a", claim=None, words=Span(0, 1), phrase=Span(0, 1), text="x", low=low, high=high,
        weekday=weekday, grain="day", role="point", events=frozenset(), claim_events=frozenset(),
        actors=frozenset(), amounts=(), reading="",
    )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 40), st.integers(0, 20), st.one_of(st.none(), st.integers(0, 6)),
    st.integers(0, 40), st.integers(0, 20), st.one_of(st.none(), st.integers(0, 6)),
)
def test_two_dates_are_consistent_exactly_when_some_day_is_both(a0, alen, aw, b0, blen, bw):
    base = dt.date(2025, 1, 6).toordinal()
    a = _mention(base + a0, base + a0 + alen, aw)
    b = _mention(base + b0, base + b0 + blen, bw)
    some_day = any(a.allows(d) and b.allows(d) for d in range(base, base + 70))
    assert consistent(a, b) == some_day == consistent(b, a)


# --------------------------------------------------------------------------- registration and data


def test_the_date_detector_is_one_registered_module_that_runs_by_default():
    detector = registered()["dates"]
    assert detector.kinds == (DiscrepancyKind.DATE,)
    assert "dates" in Config().detectors


def test_every_word_list_of_the_date_data_says_why():
    data = load_data("dates.yaml")
    for section in ("weekdays", "roles", "statement_verbs", "light_verbs", "benchmark", "plan"):
        entries = data[section].values() if section == "roles" else [data[section]]
        assert all(e.get("why") for e in entries), section
    assert all(e.get("why") for e in data["relative"])
    assert all(e.get("why") and e.get("label") for e in data["events"].values())


def test_the_whole_check_reports_a_misdated_vote(tmp_path):
    import claimcheck

    report = claimcheck.check([
        Article(id="a.txt", source="Harwick Post", date="2025-03-06",
                text="The Harwick council approved the new budget on Tuesday, March 4, after a long debate."),
        Article(id="b.txt", source="Valley Courier", date="2025-03-06",
                text="The Harwick council approved the new budget on Wednesday, March 5, after a long debate."),
    ], CONFIG)
    found = [d for d in report.discrepancies if d.kind == DiscrepancyKind.DATE]
    assert len(found) == 1
    assert sorted(e.file for e in found[0].evidence) == ["a.txt", "b.txt"]
