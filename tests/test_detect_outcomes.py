"""Opposite outcomes of one event (claimcheck.detect.outcomes), on invented stories."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.data import load_data
from claimcheck.detect.outcomes import Outcome, opposite, read_outcomes
from claimcheck.models import DiscrepancyKind, Severity, Span

from .contrast_stories import context, found


def told(text: str) -> list[tuple[str, str, bool]]:
    return [(o.set, o.side, o.positive) for o in read_outcomes(context(text))]


# --------------------------------------------------------------------------- reading


def test_an_outcome_is_read_by_its_lemma():
    assert told("The Harwick council approved the road budget on Tuesday.") == [("approval", "approved", True)]
    assert told("The Harwick council rejected the road budget on Tuesday.") == [("approval", "rejected", True)]


def test_did_not_approve_reads_as_rejected():
    assert told("The Harwick council did not approve the road budget on Tuesday.") == [("approval", "rejected", True)]


def test_failed_to_win_reads_as_a_loss():
    assert told("Tamsin Orrell failed to win the Dunmore seat.") == [("contest", "lost", True)]


def test_a_defeat_is_a_loss_but_defeating_a_rival_is_not_read():
    assert told("The vote was a heavy defeat for Tamsin Orrell.") == [("contest", "lost", True)]
    assert told("Tamsin Orrell defeated Brannock Hale in Dunmore.") == []


def test_a_verb_with_its_particle_is_one_outcome():
    assert told("Coach Lena Morrow stepped down on Friday.") == [("departure", "resigned", True)]


def test_a_prediction_tells_no_outcome():
    assert told("The Harwick council is expected to reject the road budget next week.") == []


def test_who_acts_what_is_acted_on_and_what_it_is_about_are_read_from_the_parse():
    [o] = read_outcomes(context("The Harwick council approved the road budget."))
    assert (o.agent, o.patient) == ({"council"}, {"budget"})
    [o] = read_outcomes(context("Dario Velt was acquitted of conspiracy on Monday."))
    assert (o.agent, o.patient, o.theme) == (set(), {"person:dario-velt"}, {"conspiracy"})


# --------------------------------------------------------------------------- comparing


def test_narrowly_approved_against_rejected_is_an_opposite_outcome():
    [d] = found(
        "outcomes",
        "The Harwick city council narrowly approved the road budget on Tuesday, voting 7-6.",
        "The Harwick city council rejected the road budget on Tuesday.",
    )
    assert d.kind == DiscrepancyKind.OTHER
    assert d.severity == Severity.HIGH
    assert {e.file for e in d.evidence} == {"a.txt", "b.txt"}
    assert {e.value for e in d.evidence} == {"approved", "rejected"}
    assert "approved vs rejected" in d.title or "rejected vs approved" in d.title
    for e in d.evidence:
        [h] = e.highlights
        assert e.start <= h.start < h.end <= e.end


def test_did_not_approve_against_approved_is_an_opposite_outcome():
    [d] = found(
        "outcomes",
        "The Harwick city council did not approve the road budget on Tuesday.",
        "The Harwick city council approved the road budget on Tuesday.",
    )
    assert {e.value for e in d.evidence} == {"did not approve", "approved"}


def test_resigned_against_was_dismissed_is_an_opposite_outcome():
    [d] = found(
        "outcomes",
        "Orrin Vale FC said coach Lena Morrow resigned on Friday after the cup exit.",
        "Orrin Vale FC said coach Lena Morrow was dismissed on Friday after the cup exit.",
    )
    assert {e.value for e in d.evidence} == {"resigned", "dismissed"}


def test_one_party_winning_and_another_losing_is_not_flagged():
    assert found(
        "outcomes",
        "Tamsin Orrell won the Dunmore seat on Sunday.",
        "Brannock Hale lost the Dunmore seat on Sunday.",
    ) == []


def test_two_bodies_voting_two_ways_on_one_bill_is_not_flagged():
    assert found(
        "outcomes",
        "The Senate approved the water bill on Thursday.",
        "The Assembly rejected the water bill on Thursday.",
    ) == []


def test_denying_one_thing_and_confirming_another_is_not_flagged():
    assert found(
        "outcomes",
        "Mayor Kessler denied any wrongdoing on Friday.",
        "Mayor Kessler confirmed on Friday that he would step down.",
    ) == []


def test_a_mixed_verdict_told_in_parts_is_not_flagged():
    assert found(
        "outcomes",
        "The jury convicted Dario Velt of fraud but acquitted him of conspiracy.",
        "Dario Velt was acquitted of conspiracy on Monday.",
        "Dario Velt was convicted of fraud on Monday.",
    ) == []


def test_unrelated_outcomes_with_a_shared_word_are_not_flagged():
    assert found(
        "outcomes",
        "The Harwick council approved the road budget on Tuesday.",
        "Residents rejected claims that the new bridge was unsafe.",
    ) == []


# --------------------------------------------------------------------------- data


def test_every_outcome_set_says_why_and_has_two_sides_or_more():
    data = load_data("outcomes.yaml")
    for name, entry in data["sets"].items():
        assert entry["why"].strip(), name
        assert len(entry["sides"]) >= 2, name
    assert data["negators"]["why"].strip()


def test_no_word_tells_two_outcomes():
    seen: dict[str, str] = {}
    for name, entry in load_data("outcomes.yaml")["sets"].items():
        for side, words in entry["sides"].items():
            for word in words:
                assert word not in seen, f"{word!r} is on {seen.get(word)} and {name}.{side}"
                seen[word] = f"{name}.{side}"


def _outcome(set_name: str, side: str, positive: bool) -> Outcome:
    none = frozenset()
    return Outcome("a.txt", None, set_name, side, positive, side, Span(0, 1), Span(0, 1), none, none, none, "", 0)


_told = st.tuples(st.sampled_from(["approval", "contest"]), st.sampled_from(["x", "y", "z"]), st.booleans())


@given(_told, _told)
def test_opposite_is_symmetric_and_never_holds_for_one_telling(a, b):
    x, y = _outcome(*a), _outcome(*b)
    assert opposite(x, y) == opposite(y, x)
    assert not opposite(x, _outcome(*a))
    if a[0] != b[0]:
        assert not opposite(x, y)


@pytest.mark.parametrize("side,positive,other,other_positive,expected", [
    ("approved", True, "rejected", True, True),
    ("approved", True, "approved", False, True),
    ("approved", False, "rejected", False, False),  # a larger set: "not this" and "not that" can both hold
    ("approved", True, "approved", True, False),
])
def test_opposite_outcomes(side, positive, other, other_positive, expected):
    assert opposite(_outcome("approval", side, positive), _outcome("approval", other, other_positive)) is expected
