"""Specification of ``claimcheck.quantities``: which figures are found, and the interval
each one's wording allows.  Every sentence here is invented."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.config import HedgeWidths
from claimcheck.models import Quantity, QuantityKind
from claimcheck.quantities import (
    Reading,
    hedge_interval,
    hedge_reading,
    parse_number,
    parse_quantities,
    quantity_in_words,
    significant_unit,
)

K = QuantityKind
INF = math.inf
DEC_15_2025 = dt.date(2025, 12, 15)


def day(y: int, m: int, d: int) -> float:
    return float(dt.date(y, m, d).toordinal())


def only(text: str, surface: str, **kwargs) -> Quantity:
    """The one quantity whose surface is ``surface``."""
    found = [q for q in parse_quantities(text, **kwargs) if q.text == surface]
    assert len(found) == 1, f"{surface!r} in {parse_quantities(text, **kwargs)}"
    return found[0]


# --------------------------------------------------------------------------- the table

# (sentence, surface, kind, unit, value, low, high, hedge, ref_date)
TABLE = [
    # shares, exact and hedged ---------------------------------------------------------
    ("Turnout reached 63.45% in the capital.", "63.45%", K.PERCENT, "%", 63.45, 63.445, 63.455, None, None),
    ("The governor won 27 percent of the vote.", "27 percent", K.PERCENT, "%", 27, 26.5, 27.5, None, None),
    ("Support for the levy fell to 41 per cent.", "41 per cent", K.PERCENT, "%", 41, 40.5, 41.5, None, None),
    ("Ms Okafor took about 24% in the primary.", "about 24%", K.PERCENT, "%", 24, 23, 25, "about", None),
    ("The Greens polled approximately 58% in Bremen.", "approximately 58%", K.PERCENT, "%", 58, 57, 59, "approximately", None),
    ("Around 62% of households in Tartu own a car.", "Around 62%", K.PERCENT, "%", 62, 61, 63, "Around", None),
    ("Roughly 35% of respondents backed the mayor.", "Roughly 35%", K.PERCENT, "%", 35, 34, 36, "Roughly", None),
    ("An estimated 15% of the workforce is informal.", "An estimated 15%", K.PERCENT, "%", 15, 14, 16, "An estimated", None),
    ("Nearly 27% of ballots in Oruro were spoiled.", "Nearly 27%", K.PERCENT, "%", 27, 25.5, 27, "Nearly", None),
    ("The union signed up almost 48% of dockers.", "almost 48%", K.PERCENT, "%", 48, 46.5, 48, "almost", None),
    ("Mr Haddad won close to 90% of the vote.", "close to 90%", K.PERCENT, "%", 90, 88.5, 90, "close to", None),
    ("The coalition holds just under 31% of seats.", "just under 31%", K.PERCENT, "%", 31, 29.5, 31, "just under", None),
    ("The incumbent took just over 41% of the vote.", "just over 41%", K.PERCENT, "%", 41, 41, 42.5, "just over", None),
    ("She won slightly more than 52% in Lyon.", "slightly more than 52%", K.PERCENT, "%", 52, 52, 53.5, "slightly more than", None),
    ("Prices rose a little over 6% last year.", "a little over 6%", K.PERCENT, "%", 6, 6, 7.5, "a little over", None),
    ("With more than 95% of ballots counted, he led.", "more than 95%", K.PERCENT, "%", 95, 95, 100, "more than", None),
    ("With over 95% of ballots counted, he led.", "over 95%", K.PERCENT, "%", 95, 95, 100, "over", None),
    ("At least 43% of nurses plan to strike.", "At least 43%", K.PERCENT, "%", 43, 43, 100, "At least", None),
    ("Inflation ended the year exceeding 12%.", "exceeding 12%", K.PERCENT, "%", 12, 12, 100, "exceeding", None),
    ("Less than 5% of the budget goes to parks.", "Less than 5%", K.PERCENT, "%", 5, 0, 5, "Less than", None),
    ("Fares may rise by up to 15% in Porto.", "up to 15%", K.PERCENT, "%", 15, 0, 15, "up to", None),
    ("Between 20 and 30 percent of voters were undecided.", "Between 20 and 30 percent", K.PERCENT, "%", 25, 20, 30, "Between", None),
    ("Analysts expect a 12-18% rise in rents.", "12-18%", K.PERCENT, "%", 15, 12, 18, None, None),
    ("Her lead grew by 3 percentage points.", "3 percentage points", K.PERCENT, "pp", 3, 2.5, 3.5, None, None),
    ("Polls gave Mr Lindqvist a 4-point lead.", "4-point", K.PERCENT, "pp", 4, 3.5, 4.5, None, None),
    # money ---------------------------------------------------------------------------
    ("The ministry unveiled a $6 billion rescue plan.", "$6 billion", K.MONEY, "USD", 6e9, 5.95e9, 6.05e9, None, None),
    ("He pledged to cut about $6 billion in subsidies.", "about $6 billion", K.MONEY, "USD", 6e9, 5.9e9, 6.1e9, "about", None),
    ("The bridge will cost €300 million.", "€300 million", K.MONEY, "EUR", 3e8, 2.95e8, 3.05e8, None, None),
    ("Tickets cost £45 at the door.", "£45", K.MONEY, "GBP", 45, 44.5, 45.5, None, None),
    ("The club paid US$ 2.5m for the striker.", "US$ 2.5m", K.MONEY, "USD", 2.5e6, 2.45e6, 2.55e6, None, None),
    ("The dam cost 6 billion dollars to build.", "6 billion dollars", K.MONEY, "USD", 6e9, 5.95e9, 6.05e9, None, None),
    ("Losses reached more than £1.2bn in 2023.", "more than £1.2bn", K.MONEY, "GBP", 1.2e9, 1.2e9, INF, "more than", None),
    # counts --------------------------------------------------------------------------
    ("Norway hosts 1.9 million foreigners.", "1.9 million", K.COUNT, "", 1.9e6, 1.85e6, 1.95e6, None, None),
    ("Officials counted 330,000 applications.", "330,000", K.COUNT, "", 330_000, 325_000, 335_000, None, None),
    ("The plan would deport 300,000 undocumented migrants.", "300,000", K.COUNT, "", 300_000, 295_000, 305_000, None, None),
    ("The senator, a father of nine, spoke first.", "nine", K.COUNT, "", 9, 8.5, 9.5, None, None),
    ("Police arrested a dozen protesters in Quito.", "a dozen", K.COUNT, "", 12, 11.5, 12.5, None, None),
    ("Thousands of residents fled the floods.", "Thousands", K.COUNT, "", 2000, 2000, 9999, None, None),
    ("Hundreds of volunteers cleared the beach.", "Hundreds", K.COUNT, "", 200, 200, 999, None, None),
    ("Twenty-five deputies abstained.", "Twenty-five", K.COUNT, "", 25, 24.5, 25.5, None, None),
    ("Some 4,500 workers walked out.", "Some 4,500", K.COUNT, "", 4500, 4400, 4600, "Some", None),
    # ages ----------------------------------------------------------------------------
    ("The 62-year-old senator resigned.", "62-year-old", K.AGE, "years", 62, 62, 62, None, None),
    ("The driver, aged 47, was unhurt.", "aged 47", K.AGE, "years", 47, 47, 47, None, None),
    ("Maria Lopez, 34, a teacher in Cusco, was elected.", "34", K.AGE, "years", 34, 34, 34, None, None),
    ("He retired at age 70.", "age 70", K.AGE, "years", 70, 70, 70, None, None),
    # ordinals ------------------------------------------------------------------------
    ("It is his third attempt at the presidency.", "third", K.ORDINAL, "ordinal", 3, 3, 3, None, None),
    ("A relic of 21st century populism.", "21st", K.ORDINAL, "ordinal", 21, 21, 21, None, None),
    # years ---------------------------------------------------------------------------
    ("The port has been closed since 2019.", "2019", K.YEAR, "year", 2019, 2019, 2019, None, None),
    ("The city's 1985 charter still applies.", "1985", K.YEAR, "year", 1985, 1985, 1985, None, None),
    ("The border opened 35 years ago.", "35 years ago", K.YEAR, "year", 1989, 1988, 1990, None, dt.date(2024, 6, 1)),
    ("The border opened 35 years ago.", "35 years ago", K.DURATION, "years-ago", 35, 34.5, 35.5, None, None),
    # dates ---------------------------------------------------------------------------
    ("She takes office on March 11, 2026.", "March 11, 2026", K.DATE, "date", day(2026, 3, 11), day(2026, 3, 11), day(2026, 3, 11), None, None),
    ("The count closed on 15 December 2025.", "15 December 2025", K.DATE, "date", day(2025, 12, 15), day(2025, 12, 15), day(2025, 12, 15), None, None),
    ("Filed 2025-12-15 in Lima.", "2025-12-15", K.DATE, "date", day(2025, 12, 15), day(2025, 12, 15), day(2025, 12, 15), None, None),
    ("The first round was held on November 16.", "November 16", K.DATE, "date", day(2025, 11, 16), day(2025, 11, 16), day(2025, 11, 16), None, DEC_15_2025),
    ("The new cabinet is sworn in on March 11.", "March 11", K.DATE, "date", day(2026, 3, 11), day(2026, 3, 11), day(2026, 3, 11), None, DEC_15_2025),
    ("The strike began on December 28.", "December 28", K.DATE, "date", day(2025, 12, 28), day(2025, 12, 28), day(2025, 12, 28), None, dt.date(2026, 1, 5)),
    ("The new cabinet is sworn in on March 11.", "March 11", K.DATE, "month-day", 311, 311, 311, None, None),
    ("A run-off is due in December.", "December", K.DATE, "date", day(2025, 12, 1), day(2025, 12, 1), day(2025, 12, 31), None, DEC_15_2025),
    ("Debt passed 2 trillion by December 2023.", "December 2023", K.DATE, "date", day(2023, 12, 1), day(2023, 12, 1), day(2023, 12, 31), None, None),
    ("Talks resume in May.", "May", K.DATE, "month-day", 501, 501, 531, None, None),
    # durations -----------------------------------------------------------------------
    ("The cuts would take 18 months.", "18 months", K.DURATION, "months", 18, 17, 19, None, None),
    ("He has been in politics for three decades.", "three decades", K.DURATION, "years", 30, 20, 40, None, None),
    ("He has been in politics for about three decades.", "about three decades", K.DURATION, "years", 30, 20, 40, "about", None),
    ("The trial lasted two weeks.", "two weeks", K.DURATION, "weeks", 2, 1, 3, None, None),
]


@pytest.mark.parametrize(
    ("sentence", "surface", "kind", "unit", "value", "low", "high", "hedge", "ref"),
    TABLE,
    ids=[f"{row[1]}{'@' + str(row[8]) if row[8] else ''}" for row in TABLE],
)
def test_phrasing_reads_as_expected_interval(sentence, surface, kind, unit, value, low, high, hedge, ref):
    q = only(sentence, surface, ref_date=ref)
    assert (q.kind, q.unit, q.hedge) == (kind, unit, hedge)
    assert q.value == pytest.approx(value)
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)
    assert sentence[q.start : q.end] == q.text


def test_table_covers_at_least_45_phrasings():
    assert len(TABLE) >= 45


# --------------------------------------------------------------------------- hedges


def test_about_58_percent_contains_58_30():
    assert only("Ruiz secured approximately 58% of the vote.", "approximately 58%").contains(58.30)


def test_just_over_41_percent_contains_41_70():
    assert only("Her rival received just over 41% of the vote.", "just over 41%").contains(41.70)


def test_nearly_27_percent_is_25_5_to_27():
    q = only("Vidal took nearly 27% of the vote.", "nearly 27%")
    assert (q.low, q.high, q.hedge) == (25.5, 27.0, "nearly")


def test_exact_58_30_is_rounded_at_its_last_digit():
    q = only("Ruiz won 58.30% of the vote.", "58.30%")
    assert q.low == pytest.approx(58.295) and q.high == pytest.approx(58.305)


def test_over_and_more_than_give_the_same_interval():
    over = only("with over 95% of ballots counted", "over 95%")
    more = only("with more than 95% of ballots counted", "more than 95%")
    least = only("with at least 95% of ballots counted", "at least 95%")
    assert (over.low, over.high) == (more.low, more.high) == (least.low, least.high) == (95, 100)


def test_an_open_count_has_no_upper_bound():
    q = only("Over 1.9 million foreigners live in the country.", "Over 1.9 million")
    assert (q.low, q.high) == (1.9e6, INF)


def test_percentages_above_100_keep_their_own_bound():
    q = only("Exports grew 150% in a decade.", "150%")
    assert q.high > 150


def test_postfix_hedges_count():
    text = "Some 300 or so marched; 500+ were held; 2,000 or more watched; 40 or fewer left."
    qs = parse_quantities(text)
    readings = {q.text: (q.low, q.high, q.hedge) for q in qs}
    assert readings["500+"] == (500, INF, "+")
    assert readings["2,000 or more"] == (2000, INF, "or more")
    assert readings["40 or fewer"] == (0, 40, "or fewer")
    assert readings["Some 300"] == (290, 310, "Some")  # the prefix hedge wins over "or so"


HEDGE_CLASSES = {
    # phrase: (low, high) of "<phrase> 47 people" under the default widths
    **dict.fromkeys(
        ["about", "approximately", "around", "roughly", "some", "an estimated"], (46, 48)
    ),
    **dict.fromkeys(["nearly", "almost", "just under", "just shy of", "close to"], (45.5, 47)),
    **dict.fromkeys(["just over", "slightly more than", "a little over"], (47, 48.5)),
    **dict.fromkeys(
        ["over", "more than", "exceeding", "above", "upwards of", "at least", "in excess of"], (47, INF)
    ),
    **dict.fromkeys(
        ["under", "less than", "below", "fewer than", "up to", "at most", "no more than"], (0, 47)
    ),
}


@pytest.mark.parametrize(("phrase", "bounds"), HEDGE_CLASSES.items(), ids=list(HEDGE_CLASSES))
def test_every_hedge_phrase_reads_as_its_class(phrase, bounds):
    q = only(f"Officials said {phrase} 47 people were hurt.", f"{phrase} 47")
    assert (q.low, q.high, q.hedge, q.measure) == (*bounds, phrase, "people")


def test_hedge_widths_come_from_config():
    wide = HedgeWidths(rounding=1.0, about=3.0, nearly=2.0, just_over=2.0)
    assert (only("about 24%", "about 24%", hedges=wide).low) == 21
    assert (only("nearly 27%", "nearly 27%", hedges=wide).low) == 25
    assert (only("27%", "27%", hedges=wide).high) == 28


def test_hedge_reading_classifies_phrases():
    assert hedge_reading("Nearly") is Reading.NEARLY
    assert hedge_reading("more than") is Reading.OVER
    assert hedge_reading("just over") is Reading.JUST_OVER
    assert hedge_reading("up to") is Reading.UNDER
    assert hedge_reading("an estimated") is Reading.ABOUT
    assert hedge_reading("or more") is Reading.OVER
    assert hedge_reading(None) is Reading.EXACT


def test_hedge_interval_never_excludes_the_figure_even_with_negative_widths():
    from types import SimpleNamespace

    # HedgeWidths refuses negative widths (they are checked at load); the interval stays
    # safe when handed them anyway
    odd = SimpleNamespace(rounding=-1, about=-1, nearly=-1, just_over=-1)
    for reading in Reading:
        low, high = hedge_interval(10, 1, reading, odd)
        assert low <= 10 <= high


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("27", 1), ("58.30", 0.01), ("1.9 million", 100_000), ("330,000", 10_000),
        ("300,000", 10_000), ("$6 billion", 1e8), ("nine", 1), ("thirty", 1),
        ("100", 10), ("1 million", 100_000), ("0.5", 0.1),
    ],
)
def test_significant_unit_is_the_last_significant_digit(text, unit):
    assert significant_unit(text) == pytest.approx(unit)


def test_significant_unit_rejects_text_without_a_number():
    with pytest.raises(ValueError):
        significant_unit("no figures here")


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.9 million", 1.9e6), ("330,000", 330_000), ("nine", 9), ("$6 billion", 6e9),
     ("half a million", 500_000), ("two hundred thousand", 200_000), ("1.234.567", 1_234_567)],
)
def test_parse_number_normalises_the_stated_figure(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_parse_number_without_a_number_is_none():
    assert parse_number("none at all") is None


# --------------------------------------------------------------------------- one figure, once


def test_59_year_old_is_one_age_not_a_count():
    qs = parse_quantities("the 59-year-old lawyer")
    assert [(q.kind, q.text) for q in qs] == [(K.AGE, "59-year-old")]


def test_full_date_is_one_quantity_not_date_year_and_count():
    qs = parse_quantities("He will take office on March 11, 2026.")
    assert [(q.kind, q.text) for q in qs] == [(K.DATE, "March 11, 2026")]


def test_six_billion_dollars_is_one_money_figure():
    qs = parse_quantities("a cut of $6 billion in spending")
    assert [(q.kind, q.unit, q.text) for q in qs] == [(K.MONEY, "USD", "$6 billion")]


def test_21st_century_is_one_ordinal():
    qs = parse_quantities("a model of 21st century socialism")
    assert [(q.kind, q.value) for q in qs] == [(K.ORDINAL, 21)]


def test_url_handle_and_email_digits_yield_nothing():
    text = "Watch pic.twitter.com/czSBu8IJOQ — Fan Club (@fanclub2024) https://ex.org/a/99 x1@mail.com #Vote2025"
    assert parse_quantities(text) == []


def test_phone_numbers_and_clock_times_yield_nothing():
    assert parse_quantities("Call +56 2 2345 6789 or (02) 555-0199 before 10:30 a.m. or 5 pm.") == []


def test_labels_and_codes_are_not_counts():
    assert parse_quantities("COVID-19 rules under Article 5 on Route 66 with 3D maps and a G20 summit.") == []


def test_metres_and_kilometres_are_not_money_or_counts():
    assert parse_quantities("a 10km run and the 100m final") == []


def test_scores_are_not_ranges():
    assert parse_quantities("Boca won 3-1 at home.") == []


def test_from_x_to_y_is_two_figures_not_a_range():
    qs = parse_quantities("Turnout rose from 45% to 52%.")
    assert [q.text for q in qs] == ["45%", "52%"]


def test_scale_is_shared_across_a_range():
    q = only("The fund needs $5-7 million.", "$5-7 million")
    assert (q.low, q.high, q.unit) == (5e6, 7e6, "USD")


def test_season_span_is_a_range_of_years():
    q = only("in the 2020-21 season", "2020-21")
    assert (q.kind, q.low, q.high) == (K.YEAR, 2020, 2021)


def test_bare_one_is_not_a_count():
    assert parse_quantities("One of the candidates said no one would lose.") == []


def test_one_million_is_a_count():
    assert only("one million people", "one million").value == 1e6


def test_hedged_four_digit_number_is_a_count_not_a_year():
    q = only("about 2000 people marched", "about 2000")
    assert (q.kind, q.measure) == (K.COUNT, "people")


def test_four_digit_number_before_a_plural_is_a_count():
    assert only("Floods killed 2000 people.", "2000").kind is K.COUNT


def test_the_first_half_of_a_year_is_not_a_share():
    qs = parse_quantities("in the first half of 2024")
    assert K.PERCENT not in {q.kind for q in qs}


def test_at_first_and_first_of_all_are_not_ordinals():
    assert parse_quantities("At first, and first of all, he hesitated.") == []


def test_fractions_of_a_whole_are_shares():
    assert only("More than half of voters stayed home.", "More than half").low == 50
    q = only("Nearly a third of seats changed hands.", "Nearly a third")
    assert q.kind is K.PERCENT and q.high == pytest.approx(100 / 3)


# --------------------------------------------------------------------------- measures


def test_measure_is_the_counted_noun_phrase():
    assert only("deport more than 300,000 undocumented migrants", "more than 300,000").measure == "undocumented migrants"
    assert only("a rise to over 1.9 million foreigners", "over 1.9 million").measure == "foreigners"
    assert only("more than 330,000 of whom are undocumented", "more than 330,000").measure is None
    assert only("Thousands of Chileans celebrated", "Thousands").measure == "Chileans"


def test_measure_stops_before_a_verb():
    assert only("Floods left 12 dead and 40 injured.", "40").measure is None
    assert only("with 95% of ballots counted", "95%").measure == "ballots"


def test_percent_measure_needs_of():
    assert only("Jara took 27% of the vote", "27%").measure == "vote"
    assert only("Kast took 24%, while others", "24%").measure is None


def test_compound_modifier_measure_is_its_noun():
    assert only("a two-term councillor", "two").measure == "term"


def test_ordinal_measure_is_what_is_counted():
    assert only("his third time running", "third").measure == "time"
    assert only("the first far-right president", "first").measure == "far-right president"


# --------------------------------------------------------------------------- ages


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Gustavo Pereira, 59, leader of the bloc", "59"),
        ("Ana Brum, 51, the party's nominee", "51"),
        ("said Tomás Rey, 23.", "23"),
        ("the 59-year-old", "59-year-old"),
        ("aged 59", "aged 59"),
        ("at the age of 59", "at the age of 59"),
        ("59 years old", "59 years old"),
    ],
)
def test_age_forms_are_exact_whole_years(text, surface):
    q = only(text, surface)
    assert (q.kind, q.unit, q.low, q.high) == (K.AGE, "years", q.value, q.value)


def test_a_count_after_a_place_name_is_not_an_age():
    assert only("In Santiago, 45 people were arrested.", "45").kind is K.COUNT


def test_age_decade_is_a_ten_year_interval():
    q = only("a woman in her 50s", "50s")
    assert (q.kind, q.low, q.high) == (K.AGE, 50, 59)


# --------------------------------------------------------------------------- dates and years


def test_march_11_resolves_to_next_year_after_december_article():
    q = only("He takes office on March 11.", "March 11", ref_date=DEC_15_2025)
    assert (q.unit, q.value) == ("date", day(2026, 3, 11))


def test_bare_and_full_march_11_agree_once_resolved():
    bare = only("on March 11", "March 11", ref_date=DEC_15_2025)
    full = only("on March 11, 2026", "March 11, 2026")
    assert bare.overlaps(full)


def test_january_date_in_december_article_is_next_january():
    q = only("Talks resume January 3.", "January 3", ref_date=DEC_15_2025)
    assert q.value == day(2026, 1, 3)


def test_month_without_year_or_reference_is_month_day_code():
    q = only("A run-off is due in December.", "December")
    assert (q.unit, q.low, q.high) == ("month-day", 1201, 1231)


def test_part_of_month_narrows_the_interval():
    q = only("in early December 2025", "early December 2025")
    assert (q.low, q.high, q.hedge) == (day(2025, 12, 1), day(2025, 12, 10), "early")


def test_may_the_verb_is_not_a_date():
    assert parse_quantities("May voters stay home? Officials may worry.") == []


def test_ambiguous_numeric_date_covers_both_readings():
    q = only("Filed 03/04/2025.", "03/04/2025")
    assert (q.low, q.high) == (day(2025, 3, 4), day(2025, 4, 3))


def test_impossible_date_yields_nothing():
    assert parse_quantities("on February 30, 2025") == []


def test_years_ago_with_hedge_widens_the_year():
    q = only("more than 35 years ago", "more than 35 years ago", ref_date=dt.date(2025, 12, 15))
    assert (q.kind, q.low, q.high, q.hedge) == (K.YEAR, -INF, 1990, "more than")


def test_weeks_ago_resolves_to_dates():
    q = only("two weeks ago", "two weeks ago", ref_date=DEC_15_2025)
    assert q.kind is K.DATE and q.value == day(2025, 12, 1)


def test_decades_are_year_ranges():
    q = only("since the 1990s", "1990s")
    assert (q.kind, q.low, q.high) == (K.YEAR, 1990, 1999)


# --------------------------------------------------------------------------- offsets and order

ARTICLE = (
    "Ana Brum, 51, won nearly 27% on November 16, 2025, ahead of a $6 billion plan "
    "to deport 300,000 undocumented migrants within 18 months; thousands cheered."
)


def test_offsets_are_shifted_by_offset():
    offset = 1234
    for q in parse_quantities(ARTICLE, offset=offset):
        assert ARTICLE[q.start - offset : q.end - offset] == q.text


def test_results_are_sorted_and_do_not_overlap():
    qs = parse_quantities(ARTICLE)
    assert [q.text for q in qs] == [
        "51", "nearly 27%", "November 16, 2025", "$6 billion", "300,000", "within 18 months", "thousands",
    ]
    for a, b in zip(qs, qs[1:]):
        assert a.end <= b.start


def test_empty_and_figure_free_text_gives_nothing():
    assert parse_quantities("") == []
    assert parse_quantities("The minister resigned after the scandal.") == []


def test_reference_datetime_is_accepted():
    q = only("on March 11", "March 11", ref_date=dt.datetime(2025, 12, 15, 9, 30))
    assert q.value == day(2026, 3, 11)


# --------------------------------------------------------------------------- properties

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FRAGMENTS = st.sampled_from(
    [
        "nearly", "about", "more than", "just over", "up to", "between", "and", "to", "-", "%",
        " percent", "$", "€", "£", "million", "bn", "m", "year-old", "years ago", "months", "of",
        "the", "vote", "March", "May", "11", "2026", "59", ",", ".", "1.9", "330,000", "0",
        "nine", "third", "21st", "1990s", "Kast", "@user1", "http://x.co/1", "+56 2 2345 6789",
        "−", "(", ")", "\n", "a", "dozen", "thousands", "half", "or more", "+",
    ]
)
_SOUPS = st.lists(_FRAGMENTS, max_size=14).map(" ".join)


def _assert_well_formed(text: str, qs: list[Quantity], offset: int = 0) -> None:
    previous_end = offset
    for q in qs:
        assert q.low <= q.value <= q.high
        assert not math.isnan(q.low) and not math.isnan(q.high)
        assert offset <= q.start < q.end <= offset + len(text)
        assert text[q.start - offset : q.end - offset] == q.text
        assert q.start >= previous_end  # sorted, never overlapping
        previous_end = q.end


@FAST
@given(st.text(), st.integers(min_value=0, max_value=10_000))
def test_any_text_parses_without_crashing_into_well_formed_quantities(text, offset):
    _assert_well_formed(text, parse_quantities(text, offset=offset, ref_date=DEC_15_2025), offset)


@FAST
@given(_SOUPS, st.sampled_from([None, DEC_15_2025, dt.date(1, 1, 1), dt.date(9999, 12, 31)]))
def test_figure_soups_parse_into_well_formed_quantities(text, ref):
    _assert_well_formed(text, parse_quantities(text, ref_date=ref))


@FAST
@given(_SOUPS, st.integers(min_value=1, max_value=500))
def test_offset_only_shifts_positions(text, offset):
    plain = parse_quantities(text)
    shifted = parse_quantities(text, offset=offset)
    assert [(q.start + offset, q.end + offset, q.value, q.low, q.high) for q in plain] == [
        (q.start, q.end, q.value, q.low, q.high) for q in shifted
    ]


_INTEGERS = st.integers(min_value=0, max_value=10**12)
_WRITTEN = st.one_of(
    _INTEGERS.map(str),
    _INTEGERS.map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 999), st.integers(1, 4), st.integers(0, 9999)).map(
        lambda t: f"{t[0]}.{str(t[2]).zfill(t[1])[: t[1]]}"
    ),
)


@FAST
@given(_WRITTEN)
def test_about_x_percent_contains_x(written):
    q = only(f"The party won about {written}% of seats.", f"about {written}%")
    assert q.contains(float(written.replace(",", "")))


@FAST
@given(_WRITTEN)
def test_nearly_x_has_x_as_its_upper_bound(written):
    q = only(f"They counted nearly {written} ballots.", f"nearly {written}")
    assert q.high == float(written.replace(",", ""))


@FAST
@given(_WRITTEN, st.sampled_from(["", "%", " million"]))
def test_more_than_x_has_x_as_its_lower_bound(written, suffix):
    q = only(f"Officials reported more than {written}{suffix} in total.", f"more than {written}{suffix}")
    scale = 1e6 if suffix == " million" else 1
    assert q.low == pytest.approx(float(written.replace(",", "")) * scale)


@FAST
@given(st.integers(0, 999), st.integers(1, 4), st.integers(0, 9999), st.sampled_from(["%", "", " million"]))
def test_exact_decimal_figures_contain_themselves(whole, places, digits, suffix):
    written = f"{whole}.{str(digits).zfill(places)[:places]}"
    q = only(f"The index stood at {written}{suffix} on Friday.", f"{written}{suffix}")
    scale = 1e6 if suffix == " million" else 1
    assert q.contains(float(written) * scale)
    assert q.low < q.high  # a rounded figure allows a real interval, not a point


# --------------------------------------------------------------------------- in words (issue 13, item 3)


@pytest.mark.parametrize(("text", "surface", "words"), [
    ("Some 31 groups said about 45 million people were affected.", "about 45 million",
     "about 45 million, so 44–46 million"),
    ("Ana Ruiz took nearly 27% of the vote.", "nearly 27%", "nearly 27%, so 25.5–27%"),
    ("With more than 95% of ballots counted, she led.", "more than 95%", "more than 95%, so 95% or more"),
    ("Tomas Berg won 58.30% of the vote.", "58.30%", "58.30%, so 58.295–58.305%"),
    ("The club paid about €45 million for the striker.", "about €45 million", "about €45 million, so €44–46 million"),
    ("The fund held 31.9 million shares.", "31.9 million", "31.9 million, so 31.85–31.95 million"),
    ("Officials said at least 12 people died in the fire.", "at least 12", "at least 12, so 12 or more"),
    ("Officials said up to 300,000 people could be moved.", "up to 300,000", "up to 300,000, so 300,000 or less"),
    ("The 59-year-old mayor resigned.", "59-year-old", "59-year-old, so exactly 59 years"),
    ("The gap narrowed to 5 percentage points.", "5 percentage points",
     "5 percentage points, so 4.5–5.5 percentage points"),
    ("Ticket sales rose for the third time.", "third", "third"),
    ("Chilean miners were paid CLP 400 million.", "CLP 400 million", "CLP 400 million, so 395–405 million CLP"),
])
def test_a_figure_in_words_says_what_it_was_and_the_interval_it_allows(text, surface, words):
    assert quantity_in_words(only(text, surface)) == words


def test_dates_in_words_are_dates():
    assert quantity_in_words(only("He takes office on March 11, 2026.", "March 11, 2026")) == \
        "March 11, 2026, so 11 March 2026"
    assert quantity_in_words(only("He takes office on March 11.", "March 11", ref_date=DEC_15_2025)) == \
        "March 11, so 11 March 2026"
    assert quantity_in_words(only("He takes office on March 11.", "March 11")) == "March 11, so 11 March, year not given"
    assert quantity_in_words(only("The vote is in early March.", "early March", ref_date=DEC_15_2025)) == \
        "early March, so 1–10 March 2026"
    assert quantity_in_words(only("The mill opened in 1990.", "1990")) == "1990"  # nothing to add
    assert quantity_in_words(only("The mill opened 35 years ago.", "35 years ago", ref_date=DEC_15_2025)) == \
        "35 years ago, so 1989–1991"


_BOUNDED = st.floats(min_value=-1e13, max_value=1e13, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from([K.COUNT, K.MONEY, K.PERCENT, K.DURATION, K.AGE]),
    unit=st.sampled_from(["", "USD", "EUR", "CLP", "%", "pp", "months", "years"]),
    bounds=st.lists(_BOUNDED, min_size=3, max_size=3).map(sorted),
    open_low=st.booleans(), open_high=st.booleans(), hedge=st.sampled_from([None, "about", "more than", "up to"]),
)
def test_a_figure_in_words_never_shows_raw_intervals(kind, unit, bounds, open_low, open_high, hedge):
    low, value, high = bounds
    q = Quantity("some figure", 0, 11, value, -INF if open_low else low, INF if open_high else high, kind, unit,
                 hedge=hedge)
    words = quantity_in_words(q)
    assert words.startswith("some figure")
    for raw in ("[", "]", "inf", "∞", "e+", "e-", "nan"):
        assert raw not in words, (raw, words)


def test_a_span_told_in_two_units_is_one_span_in_the_smaller():
    [q] = parse_quantities("He was sentenced to four years and two months in prison.")
    assert (q.text, q.value, q.unit) == ("four years and two months", 50, "months")
    [_, q] = parse_quantities("Prosecutors asked for 135 months (11 years, 3 months).")
    assert (q.value, q.unit) == (135, "months")


def test_several_hundred_thousand_is_hundreds_of_thousands():
    [q] = parse_quantities("Several hundred thousand people rallied in the capital.")
    assert (q.text, q.low, q.high) == ("Several hundred thousand", 300_000, 900_000)


@pytest.mark.parametrize(
    "text, surface, low, high",
    [
        ("More than a foot of rain fell in less than an hour.", "less than an hour", 0, 1),
        ("The talks went on for a week.", "a week", 0.5, 1.5),
    ],
)
def test_one_unit_of_time_after_a_hedge_or_a_preposition_is_a_span(text, surface, low, high):
    [q] = [q for q in parse_quantities(text) if q.kind == K.DURATION]
    assert (q.text, q.low, q.high) == (surface, low, high)


def test_a_bare_a_year_is_no_span():
    assert [q for q in parse_quantities("It was a year of protests.") if q.kind == K.DURATION] == []
