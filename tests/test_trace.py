"""What detection weighed and refused (``DetectionTrace``), on hand-built invented stories:
each gate that lets a candidate go says so, naming both sides; a trace changes nothing
in what is found."""

from __future__ import annotations

import pytest

from claimcheck.detect import (
    detect_majority_conflicts,
    detect_margin_conflicts,
    detect_numeric_conflicts,
    detect_spelling_variants,
    detect_title_conflicts,
    find_discrepancies,
)
from claimcheck.models import Modality, QuantityKind, TitleTense
from claimcheck.trace import DetectionTrace

from .test_detect import BOTH, CONFIG, PCT, StoryBuilder, count, ruiz_figures, same, story_of, two_candidates, unrelated


def side(b: StoryBuilder, aid: str, surface: str) -> tuple[str, int, int]:
    start = b.articles[aid].text.index(surface)
    return aid, start, start + len(surface)


def gates(trace: DetectionTrace, detector: str) -> set[str]:
    return {r.gate for r in trace.refusals if r.detector == detector}


def test_dissimilar_frames_are_refused_by_the_wording_gate_with_the_score_and_setting():
    b = ruiz_figures(
        "Ana Ruiz received 54% of the vote.", ("54%", 54, 53.5, 54.5),
        "Ana Ruiz won 61% of the vote.", ("61%", 61, 60.5, 61.5),
    )
    trace = DetectionTrace()
    assert detect_numeric_conflicts(b.build(), unrelated, CONFIG, trace) == []
    [refusal] = trace.between(side(b, "a.txt", "54%"), side(b, "b.txt", "61%"))
    assert (refusal.detector, refusal.gate) == ("numeric", "wording")
    assert "0.00 < numeric_context_similarity" in refusal.detail


def test_workers_laid_off_and_jobs_created_are_refused_by_the_measure_gate():
    laid_off = ("Acme Textiles will lay off 2,936 workers.", [count("2,936", 2936)], "Acme Textiles")
    created = ("Acme Textiles will create 1,840 jobs.", [count("1,840", 1840)], "Acme Textiles")
    b = story_of(laid_off, created)
    trace = DetectionTrace()
    assert detect_numeric_conflicts(b.build(), same, CONFIG, trace) == []
    refused = trace.between(side(b, "a.txt", "2,936"), side(b, "b.txt", "1,840"))
    assert [(r.gate, "cut" in r.detail and "created" in r.detail) for r in refused] == [("measure", True)]


def test_figures_of_two_people_are_refused_by_the_holder_gate_naming_both():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz received 54% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("54%", 54, 53.5, 54.5, PCT, "%")])
    b.article("b.txt", "Per Lund received 46% of the vote.", people={"Per Lund": "p:lund"},
              figures=[("46%", 46, 45.5, 46.5, PCT, "%")])
    trace = DetectionTrace()
    detect_numeric_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "54%"), side(b, "b.txt", "46%"))
    assert refusal.gate == "holder" and refusal.detail == "Ana Ruiz vs Per Lund"


def test_a_possible_figure_against_a_fact_is_refused_by_the_modality_gate():
    b = story_of(
        ("Acme Textiles is cutting 1,303 jobs.", [count("1,303", 1303)], "Acme Textiles", Modality.FACT),
        ("Acme Textiles could cut 1,900 jobs.", [count("1,900", 1900)], "Acme Textiles", Modality.PREDICTION),
    )
    trace = DetectionTrace()
    detect_numeric_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "1,303"), side(b, "b.txt", "1,900"))
    assert refusal.gate == "modality" and refusal.detail == "fact vs prediction"


def test_overlapping_intervals_are_refused_and_shown_as_intervals():
    b = ruiz_figures(
        "Ana Ruiz secured approximately 58% of the vote.", ("approximately 58%", 58, 57, 59),
        "Ana Ruiz secured 58.30% of the vote.", ("58.30%", 58.3, 58.295, 58.305),
    )
    trace = DetectionTrace()
    detect_numeric_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "58%"), side(b, "b.txt", "58.30%"))
    assert refusal.gate == "overlap" and "[57, 59]" in refusal.detail


def test_the_same_value_twice_is_refused_as_agreement_not_as_a_hedge_overlap():
    b = ruiz_figures(
        "Ana Ruiz secured 58.3% of the vote.", ("58.3%", 58.3, 58.25, 58.35),
        "Ana Ruiz won 58.3% of the vote.", ("58.3%", 58.3, 58.25, 58.35),
    )
    trace = DetectionTrace()
    detect_numeric_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "58.3%"), side(b, "b.txt", "58.3%"))
    assert refusal.gate == "agree"


def test_figures_of_different_kinds_are_refused_by_the_kind_gate():
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", "Ana Ruiz won 54% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("54%", 54, 53.5, 54.5, PCT, "%")])
    b.article("b.txt", "Ana Ruiz won 5,400 votes.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("5,400", 5400, 5350, 5450, QuantityKind.COUNT, "")])
    trace = DetectionTrace()
    detect_numeric_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "54%"), side(b, "b.txt", "5,400"))
    assert refusal.gate == "kind" and "percent" in refusal.detail and "count" in refusal.detail


def test_a_narrow_win_that_is_narrow_is_refused_by_the_margin_gate():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly beat Per Lund.", people=BOTH)
    b.article("b.txt", "Ana Ruiz took 50.4% and Per Lund 49.6%.", people=BOTH,
              figures=[("50.4%", 50.4, 50.35, 50.45, PCT, "%"), ("49.6%", 49.6, 49.55, 49.65, PCT, "%")])
    trace = DetectionTrace()
    assert detect_margin_conflicts(b.build(), same, CONFIG, trace) == []
    [refusal] = trace.between(side(b, "a.txt", "narrowly"), side(b, "b.txt", "50.4%"))
    assert (refusal.detector, refusal.gate) == ("margin", "margin")


def test_a_margin_word_about_another_round_is_refused_by_the_anchor_gate():
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly won the first round against Per Lund.", people=BOTH)
    b.article("b.txt", "Ana Ruiz received 58% and Per Lund 42%.", people=BOTH,
              figures=[("58%", 58, 57.5, 58.5, PCT, "%"), ("42%", 42, 41.5, 42.5, PCT, "%")])
    trace = DetectionTrace()
    detect_margin_conflicts(b.build(), same, CONFIG, trace)
    [refusal] = trace.between(side(b, "a.txt", "narrowly"), side(b, "b.txt", "58%"))
    assert refusal.gate == "anchor" and "ordinal:1" in refusal.detail


def test_a_majority_against_a_share_over_half_is_refused_by_the_share_gate():
    b = StoryBuilder()
    b.person("p:ruiz", "Ana Ruiz")
    b.article("a.txt", "Ana Ruiz won a majority.", people={"Ana Ruiz": "p:ruiz"}, subject="Ana Ruiz")
    b.article("b.txt", "Ana Ruiz received 54% of the vote.", people={"Ana Ruiz": "p:ruiz"},
              figures=[("54%", 54, 53.5, 54.5, PCT, "%")])
    trace = DetectionTrace()
    assert detect_majority_conflicts(b.build(), same, CONFIG, trace) == []
    [refusal] = trace.between(side(b, "a.txt", "won a majority"), side(b, "b.txt", "54%"))
    assert (refusal.detector, refusal.gate) == ("majority", "share")


def test_a_former_office_is_refused_as_not_a_current_office():
    b = StoryBuilder()
    b.person("p:okafor", "Grace Okafor")
    b.article("a.txt", "Senator Grace Okafor spoke.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": ("Senator", "senator", TitleTense.CURRENT)})
    b.article("b.txt", "former Governor Grace Okafor spoke.", people={"Grace Okafor": "p:okafor"},
              titles={"Grace Okafor": ("former Governor", "governor", TitleTense.FORMER)})
    trace = DetectionTrace()
    assert detect_title_conflicts(b.build(), CONFIG, trace) == []
    [refusal] = trace.between(side(b, "a.txt", "Senator"), side(b, "b.txt", "Governor"))
    assert refusal.gate == "not a current office" and "former" in refusal.detail


def test_a_bare_surname_is_refused_as_a_short_form_not_a_spelling_variant():
    b = StoryBuilder()
    b.person("p:nunez", "Jeremiah Nunez", "Nunez")
    b.article("a.txt", "Jeremiah Nunez won.", people={"Jeremiah Nunez": "p:nunez"})
    b.article("b.txt", "Nunez won.", people={"Nunez": "p:nunez"})
    trace = DetectionTrace()
    assert detect_spelling_variants(b.build(), CONFIG, trace) == []
    [refusal] = trace.between(side(b, "a.txt", "Jeremiah Nunez"), side(b, "b.txt", "Nunez"))
    assert refusal.gate == "variant" and refusal.detail.endswith("short form")


@pytest.mark.parametrize("similarity", [same, unrelated])
def test_a_trace_changes_nothing_that_is_found(similarity):
    b = two_candidates()
    b.article("a.txt", "Ana Ruiz narrowly won with 54.2% of the vote against Per Lund.", people=BOTH,
              figures=[("54.2%", 54.2, 54.15, 54.25, PCT, "%")])
    b.article("b.txt", "Ana Ruiz took about 61% and Per Lund 39%.", people=BOTH,
              figures=[("about 61%", 61, 60, 62, PCT, "%"), ("39%", 39, 38.5, 39.5, PCT, "%")])
    story = b.build()
    trace = DetectionTrace()
    assert find_discrepancies(story, similarity, CONFIG, trace) == find_discrepancies(story, similarity, CONFIG)
    assert gates(trace, "numeric")  # something was weighed and let go (the two people's shares)
