"""Offices: which words name one post, which posts one person holds together, and the
detector that reports one person given two offices by two outlets.

Every sentence here is invented.
"""

from __future__ import annotations

import pytest

import claimcheck
from claimcheck import Article, Config
from claimcheck.data import load_data
from claimcheck.entities import OFFICES, offices_compatible
from claimcheck.entities.offices import read_office_knowledge
from claimcheck.errors import ConfigError
from claimcheck.models import DiscrepancyKind


def office_conflicts(*texts: str):
    articles = [
        Article(id=f"{chr(97 + i)}.txt", text=t, source=f"Outlet {chr(65 + i)}") for i, t in enumerate(texts)
    ]
    report = claimcheck.check(articles, Config(detectors=("offices",)))
    return [d for d in report.discrepancies if d.kind == DiscrepancyKind.ENTITY_ATTRIBUTE]


# --------------------------------------------------------------------------- the data


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("premier", "prime minister"),
        ("secretary", "minister"),  # "Defence Secretary" / "Defence Minister"
        ("senator", "minister"),  # a senator who is foreign minister
        ("member of parliament", "secretary"),  # an MP who is Home Secretary
        ("secretary", "secretary of state"),  # a narrower name of the same office
        ("governor", "lieutenant governor"),
        ("chair", "senator"),  # a committee chair holds a seat too
    ],
)
def test_offices_one_person_can_be_given(a, b):
    assert offices_compatible(a, b) and offices_compatible(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("fire chief", "police chief"),
        ("senator", "secretary of state"),  # the US: a senator is not the secretary of state
        ("mayor", "governor"),
        ("judge", "prosecutor"),
    ],
)
def test_offices_that_conflict(a, b):
    assert not offices_compatible(a, b)


def test_office_words_share_a_head_across_genders_and_abbreviations():
    assert OFFICES["congresswoman"] == OFFICES["representative"] == "congress member"
    assert OFFICES["pm"] == "prime minister"
    assert OFFICES["lt gov"] == "lieutenant governor"
    assert OFFICES["chief of police"] == OFFICES["police chief"]


def test_every_office_entry_says_why():
    data = load_data("offices.yaml")
    for key in ("offices", "equivalent", "held_together", "companions", "portfolio_words"):
        assert data[key], key
        assert all(str(entry.get("why", "")).strip() for entry in data[key]), key


def test_an_entry_without_why_is_refused_with_the_file_named():
    with pytest.raises(ConfigError, match=r"offices\.yaml.*'offices'.*why"):
        read_office_knowledge({"offices": [{"head": "mayor", "words": ["mayor"]}]})


def test_an_equivalence_of_an_unknown_office_is_refused():
    data = {
        "offices": [{"head": "mayor", "words": ["mayor"], "why": "cities"}],
        "equivalent": [{"heads": ["mayor", "burgomaster"], "why": "translations"}],
    }
    with pytest.raises(ConfigError, match="burgomaster"):
        read_office_knowledge(data)


def test_an_extended_file_adds_an_equivalence():
    data = {
        "offices": [
            {"head": "mayor", "words": ["mayor"], "why": "cities"},
            {"head": "burgomaster", "words": ["burgomaster"], "why": "Dutch and German towns"},
        ],
        "equivalent": [{"heads": ["mayor", "burgomaster"], "why": "translations"}],
    }
    knowledge = read_office_knowledge(data)
    assert knowledge.heads["burgomaster"] == "burgomaster"
    assert knowledge.compatible("mayor", "burgomaster")
    assert not read_office_knowledge({"offices": data["offices"]}).compatible("mayor", "burgomaster")


# --------------------------------------------------------------------------- the detector


def test_fire_chief_against_police_chief_is_a_conflict():
    found = office_conflicts(
        "Fire Chief Maria Delgado said the blaze at the Harlow Plastics plant was contained by noon.",
        "Police Chief Maria Delgado said the blaze at the Harlow Plastics plant was contained by noon.",
    )
    assert len(found) == 1
    assert {e.value for e in found[0].evidence} == {"Fire Chief", "Police Chief"}
    assert {e.file for e in found[0].evidence} == {"a.txt", "b.txt"}


def test_one_source_per_office_however_many_repeat_it():
    found = office_conflicts(
        "Fire Chief Maria Delgado said the blaze at the Harlow Plastics plant was contained by noon.",
        "Fire Chief Maria Delgado told reporters the Harlow Plastics plant would stay shut.",
        "Police Chief Maria Delgado said the blaze at the Harlow Plastics plant was contained by noon.",
    )
    assert len(found) == 1
    assert sorted(e.value for e in found[0].evidence) == ["Fire Chief", "Police Chief"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Premier Lin Haoran told reporters in Beijing that the economy would grow by about 5% this year.",
            "Prime Minister Lin Haoran told reporters in Beijing that the economy would grow by about 5% this year.",
        ),
        (
            "Defence Secretary Tom Ashcroft announced the purchase of twelve new frigates on Monday.",
            "Defence Minister Tom Ashcroft announced the purchase of twelve new frigates on Monday.",
        ),
        (
            "Senator Penelope Walsh met her Japanese counterpart in Canberra on Tuesday.",
            "Foreign Minister Penelope Walsh met her Japanese counterpart in Canberra on Tuesday.",
        ),
        (
            "Labour MP Harriet Doyle said the bill would pass easily.",
            "Home Secretary Harriet Doyle said the bill would pass easily.",
        ),
    ],
)
def test_two_names_of_one_post_or_posts_held_together_are_no_conflict(first, second):
    assert office_conflicts(first, second) == []


def test_a_us_senator_is_not_the_secretary_of_state():
    found = office_conflicts(
        "U.S. Senator Dana Whitfield criticised the tariffs on Friday.",
        "Secretary of State Dana Whitfield criticised the tariffs on Friday.",
    )
    assert len(found) == 1
    assert {e.value for e in found[0].evidence} == {"U.S. Senator", "Secretary of State"}
