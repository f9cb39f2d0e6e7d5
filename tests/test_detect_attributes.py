"""Two values of an exclusive set for one thing (claimcheck.detect.attributes), on
invented stories."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.data import load_data
from claimcheck.detect.attributes import read_attributes
from claimcheck.detect.values import ATTACH_KINDS, exclusive_value, form_words, match_exclusive
from claimcheck.models import DiscrepancyKind

from .contrast_stories import context, found


def read(*texts: str) -> list[tuple[str, str, str | None]]:
    return [(a.set.name, a.value, a.thing) for a in read_attributes(context(*texts))]


# --------------------------------------------------------------------------- reading


def test_a_modifier_describes_the_noun_it_qualifies():
    assert read("The two victims were taken to hospital with minor injuries.") == [("injury_severity", "minor", "injury")]


def test_a_value_of_several_words_is_read_whole():
    assert read("The Tamber River crested at its third-highest level on record.") == [("record_rank", "third", "level")]


def test_a_bearing_is_read_from_the_point_it_is_taken_from():
    [(name, value, thing)] = read("The quake struck 40 km north-east of Veldport on Sunday.")
    assert (name, value) == ("compass", "northeast")
    assert "veldport" in thing


def test_a_region_named_with_a_direction_is_not_a_bearing():
    assert read("Floods hit southern Veldria and the western hills on Sunday.") == []


def test_a_value_that_sorts_a_counted_group_is_not_an_attribute():
    assert read("Another 329 people were injured, including 51 in a critical condition.") == []
    assert read("He was given four consecutive life sentences.") == []


def test_an_adjective_with_a_complement_is_an_attitude_not_a_grade():
    assert read("The minister was critical of the plan.") == []
    assert read("His injuries were serious, the hospital said.") == [("injury_severity", "serious", "injury")]


def test_a_plural_is_a_group_not_one_person():
    assert read("Five girls were still missing on Sunday.") == []


def test_plain_ordinals_and_case_status_are_not_compared():
    assert read("It was the fourth prime minister in two years.", "There were 28 suspected cases.") == []


# --------------------------------------------------------------------------- comparing


def test_minor_against_moderate_injuries_for_the_same_victims_is_flagged():
    [d] = found(
        "attributes",
        "A driver hit three protesters in Kessel Square; the victims were taken to hospital with minor injuries.",
        "A driver hit three protesters in Kessel Square; the victims were taken to hospital with moderate injuries.",
    )
    assert d.kind == DiscrepancyKind.ENTITY_ATTRIBUTE
    assert {e.value for e in d.evidence} == {"minor", "moderate"}
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt"}
    for e in d.evidence:
        [h] = e.highlights
        assert e.start <= h.start < h.end <= e.end


def test_north_east_against_south_west_of_one_city_is_flagged():
    [d] = found(
        "attributes",
        "The 6.1-magnitude quake struck 64 km north-east of Veldport, the survey said.",
        "The 6.1-magnitude quake struck 64 km south-west of Veldport, the survey said.",
    )
    assert {e.value for e in d.evidence} == {"north-east", "south-west"}
    assert "Veldport" in d.title


def test_second_against_third_highest_for_one_crest_is_flagged():
    [d] = found(
        "attributes",
        "The Tamber River near Oska reached its second-highest level on record at 9.15 metres.",
        "Crested at 9.15 metres at 4:10 a.m., the third-highest level.",
    )
    assert {e.value for e in d.evidence} == {"second-highest", "third-highest"}


def test_two_gauges_ranked_in_one_article_are_not_set_against_another():
    assert found(
        "attributes",
        "At Oska the river crested at 9.15 metres, the third-highest level. "
        "At Brenn it crested at 12.4 metres, the fifth-highest level.",
        "At Brenn the river crested at 12.4 metres, its fifth-highest level on record.",
    ) == []


def test_a_boy_against_a_girl_for_one_child_is_flagged():
    [d] = found(
        "attributes",
        "An unvaccinated boy with measles died in Corran County overnight, health officials said.",
        "An unvaccinated girl with measles died in Corran County overnight, health officials said.",
    )
    assert {e.value for e in d.evidence} == {"boy", "girl"}


def test_a_man_and_a_woman_in_one_article_are_not_set_against_a_woman_in_another():
    assert found(
        "attributes",
        "A man and a woman were stabbed in Lorne Street on Friday night.",
        "A woman was stabbed in Lorne Street on Friday night.",
    ) == []


def test_an_apartment_against_a_house_for_one_scene_is_flagged():
    [d] = found(
        "attributes",
        "The four students were stabbed to death in their off-campus apartment in Harlow.",
        "The four students were stabbed to death in an off-campus house in Harlow.",
    )
    assert {e.value for e in d.evidence} == {"apartment", "house"}


def test_readings_that_give_other_figures_are_two_things():
    assert found(
        "attributes",
        "The Tamber crested at 9.15 metres, its second-highest level on record.",
        "The Tamber crested at 12.4 metres, its third-highest level on record.",
    ) == []


def test_synonyms_of_one_value_are_not_flagged():
    assert found(
        "attributes",
        "The victims were taken to hospital with slight injuries.",
        "The victims were taken to hospital with minor injuries.",
    ) == []


# --------------------------------------------------------------------------- data


def test_every_exclusive_set_says_why_how_it_attaches_and_its_label():
    for name, entry in load_data("exclusive.yaml")["sets"].items():
        assert entry["why"].strip(), name
        assert entry["attach"] in ATTACH_KINDS, name
        assert entry["label"].strip(), name


def test_a_form_is_matched_as_the_parser_splits_it():
    assert form_words("north-east") == ("north", "-", "east")
    assert form_words("second-highest") == ("second", "-", "highest")
    assert exclusive_value("North-Eastern") == ("compass", "northeast")


def _tokens(words):
    return [SimpleNamespace(lower_=w.lower(), lemma_=w.lower()) for w in words]


@given(st.lists(st.sampled_from(["the", "second", "-", "highest", "north", "east", "minor", "boy", "level", "of"]), max_size=8))
def test_a_match_spells_a_form_of_its_value(words):
    tokens = _tokens(words)
    for i in range(len(tokens)):
        match = match_exclusive(tokens, i)
        if match is None:
            continue
        spelt = "".join(words[i : i + match.length])
        assert exclusive_value(spelt) == (match.set.name, match.value) or exclusive_value(
            " ".join(words[i : i + match.length])
        ) == (match.set.name, match.value)
        longer = match_exclusive(tokens[: i + match.length], i)
        assert longer is not None and longer.length == match.length
