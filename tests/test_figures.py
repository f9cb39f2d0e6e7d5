"""Figure slots read from the parse (claimcheck/figures.py), on invented sentences."""

from __future__ import annotations

import pytest

from claimcheck.config import Config
from claimcheck.models import Article

CONFIG = Config(use_cache=False)


def figures_of(text: str):
    from claimcheck.pipeline import _extract, _Timer

    extracted = _extract([Article(id="a.txt", text=text, date="2025-03-10")], CONFIG, _Timer())
    return {f.quantity.text: f for f in extracted.figures}


@pytest.mark.parametrize(
    "sentence, figure, measure",
    [
        ("Fifteen people were killed when the roof of the station fell.", "Fifteen", "dead"),
        ("The collapse resulted in 15 fatalities, officials said.", "15", "dead"),
        ("Rescuers recovered the bodies of 94 victims from the river.", "94", "dead"),
        ("At least 20 people were injured in the blast.", "At least 20", "injured"),
        ("Nine individuals lost their lives in the crash.", "Nine", "dead"),
        ("About 30,000 people took part in the rally in the capital.", "About 30,000", "attendance"),
        ("Three intruders broke into the gallery before dawn.", "Three", "perpetrators"),
        ("Turnout reached 71% on Sunday, the highest in decades.", "71%", "turnout"),
        ("Another 12 MPs abstained in the vote.", "12", "abstentions"),
        ("The striker scored 41 goals in 90 appearances.", "41", "goal"),
    ],
)
def test_a_figures_measure_comes_from_what_it_counts_or_what_happened(sentence, figure, measure):
    assert figures_of(sentence)[figure].measure == measure


def test_dead_and_injured_people_are_two_measures():
    found = figures_of("The attack killed 26 people and 17 others were injured.")
    assert (found["26"].measure, found["17"].measure) == ("dead", "injured")


def test_a_thing_counted_keeps_its_own_name_whatever_the_verb():
    # "a 6.1 quake killed ...": the quake's magnitude is not a death toll
    found = figures_of("In 1988 a magnitude 6.1 quake in Tarsel killed hundreds of people.")
    assert found["6.1"].measure == "magnitude"
    assert found["6.1"].years == (1988,)


def test_a_narrowing_word_is_kept_as_a_qualifier():
    found = figures_of("He scored 23 league goals last season.")
    assert found["23"].measure == "goal"
    assert "league" in found["23"].qualifiers


def test_a_name_just_before_a_figure_in_a_list_holds_it():
    found = figures_of("The final count gave the Greens 152 seats, the Liberals 120 and the Centre Party 85.")
    holders = {text: f.holders for text, f in found.items()}
    assert holders["120"] and holders["120"] != holders["85"]


def test_an_age_belongs_to_the_name_it_follows():
    found = figures_of("The victims were Ana Ruiz, 20, and Per Lund, 21, both students.")
    assert found["20"].measure == found["21"].measure == "age"
    assert found["20"].holders != found["21"].holders


def test_a_conversion_in_brackets_is_not_a_figure_of_its_own():
    found = figures_of("The epicentre was 72 km (45 miles) south-west of the city.")
    assert "72 km" in found or "72" in found
    assert "45 miles" not in found and "45" not in found


def test_a_count_that_moved_is_marked_successive():
    found = figures_of("The number of injured people had risen to 329 by Sunday evening.")
    assert found["329"].successive


def test_a_quoted_source_is_the_figures_speaker():
    found = figures_of("Police said 5,000 people joined the march on Saturday.")
    assert found["5,000"].speaker and "Police" in found["5,000"].speaker


def test_a_gapped_share_takes_the_measure_of_the_one_before_it():
    found = figures_of("In the first round Ana Ruiz took 27% of the vote and Per Lund about 24%.")
    assert found["about 24%"].measure == found["27%"].measure == "vote"
    assert found["27%"].parts == ("first",)


def test_a_year_dating_something_else_in_the_sentence_is_not_the_figures():
    found = figures_of("The Greens won 28.6% of the vote, up 4.4 points compared to 2021.")
    assert found["28.6%"].years == ()


def test_reach_words_are_read_from_the_claim():
    found = figures_of("There have been 124 cases statewide since January.")
    assert found["124"].scope == ("area:statewide",)


def test_a_tally_given_against_a_base_keeps_the_base():
    found = figures_of("He scored 57 goals and 65 assists in 197 appearances for the club.")
    assert found["57"].periods == ("appearance:197",)
    found = figures_of("She scored 34 goals in two seasons.")
    assert found["34"].periods == ("season:2",)


def test_a_signed_figure_is_a_change_not_a_level():
    found = figures_of("The Greens won 28.6% of the vote (+4.4% compared to 2021).")
    assert found["4.4%"].change and not found["28.6%"].change


def test_a_weekday_is_the_day_it_names_before_the_articles_date():
    # the article is dated Monday 10 March: "on Friday" is 7 March, so it meets "on March 7"
    by_weekday = figures_of("The index fell 5.5% on Friday, traders said.")["5.5%"]
    by_date = figures_of("The index fell 5.5% on March 7, traders said.")["5.5%"]
    assert by_weekday.days == by_date.days == ("[2025-03-07]",)


def test_a_weekday_stays_a_name_when_the_article_has_no_date():
    from claimcheck.pipeline import _extract, _Timer

    figures = _extract([Article(id="a.txt", text="The index fell 5.5% on Friday.")], CONFIG, _Timer()).figures
    assert figures[0].days == ("friday",)
