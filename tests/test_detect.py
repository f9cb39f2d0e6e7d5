"""Detection: detectors as registered components, and what the built-in ones report.

Stories here are invented, a sentence or two per outlet, and go through the real pipeline
(the spaCy parse and the sentence encoder): figure slots are read from the parse, so a
hand-built story would test our assumptions rather than the detector.
"""

from __future__ import annotations

import pytest

import claimcheck
from claimcheck.config import Config
from claimcheck.detect import get_detectors, kind_label, register_detector, registered, reported_kinds
from claimcheck.detect.numeric import intervals_overlap, slot_gate
from claimcheck.errors import ConfigError
from claimcheck.figures import Figure
from claimcheck.models import Article, Discrepancy, DiscrepancyKind, Modality, Quantity, QuantityKind, Severity
from claimcheck.trace import DetectionTrace

CONFIG = Config(use_cache=False)


def story(*texts: str, config: Config = CONFIG, trace: DetectionTrace | None = None):
    """One invented article per text, each from its own outlet, all dated alike."""
    articles = [
        Article(id=f"{chr(97 + i)}.txt", text=t, source=f"Outlet {chr(65 + i)}", date="2025-03-10")
        for i, t in enumerate(texts)
    ]
    return claimcheck.check(articles, config, trace=trace)


def found(report, kind: DiscrepancyKind = DiscrepancyKind.NUMERIC) -> list[Discrepancy]:
    return [d for d in report.discrepancies if d.kind == kind]


# --------------------------------------------------------------------------- registry


def test_a_new_detector_is_one_registration_and_a_name_in_the_config():
    @register_detector("test-every-claim", kinds=[DiscrepancyKind.OTHER], label="Test")
    def every_claim(ctx):
        a, b = ctx.claims[0], ctx.claims[-1]
        return [Discrepancy(id="oth-test", kind=DiscrepancyKind.OTHER, severity=Severity.LOW, score=0.1,
                            explanation="test", evidence=(ctx.claim_evidence(a), ctx.claim_evidence(b)))]

    assert "test-every-claim" in registered()
    report = story("The bridge opened on Monday.", "The new bridge was opened by the mayor.",
                   config=CONFIG.replace(detectors=("test-every-claim",)))
    assert [d.id for d in report.discrepancies] == ["oth-test"]


def test_a_detector_may_only_report_the_kinds_it_registered():
    @register_detector("test-wrong-kind", kinds=[DiscrepancyKind.OTHER])
    def wrong(ctx):
        return [Discrepancy(id="x", kind=DiscrepancyKind.DATE, severity=Severity.LOW, score=0.1,
                            explanation="x", evidence=())]

    from claimcheck.errors import AnalysisError

    with pytest.raises(AnalysisError, match="not one of its kinds"):
        story("The bridge opened on Monday.", config=CONFIG.replace(detectors=("test-wrong-kind",)))


def test_an_unknown_detector_name_is_a_config_error_naming_the_known_ones():
    with pytest.raises(ConfigError, match="known detectors: .*numeric"):
        get_detectors(["numeric", "no-such-detector"])


def test_the_report_kinds_and_their_labels_come_from_the_registry():
    kinds = reported_kinds()
    assert DiscrepancyKind.NUMERIC in kinds and DiscrepancyKind.NAME_SPELLING in kinds
    assert kind_label(DiscrepancyKind.NUMERIC) == "Figures"
    assert all(name in registered() for name in Config().detectors)


# --------------------------------------------------------------------------- intervals and slots


def q(text: str, value: float, low: float, high: float, kind=QuantityKind.COUNT, unit: str = "",
      hedge: str | None = None) -> Quantity:
    return Quantity(text, 0, len(text), value, low, high, kind, unit, hedge=hedge)


def test_figures_rounded_away_from_a_shared_edge_do_not_overlap():
    assert not intervals_overlap(q("28.5%", 28.5, 28.45, 28.55), q("28.6%", 28.6, 28.55, 28.65))


def test_a_stated_bound_meets_the_figure_it_states():
    assert intervals_overlap(q("at least 94", 94, 94, float("inf"), hedge="at least"), q("94", 94, 93.5, 94.5))
    assert intervals_overlap(q("up to 20", 20, 0, 20, hedge="up to"), q("20", 20, 20, 20))


def test_bounds_a_hedge_excludes_do_not_meet():
    shy = q("just shy of £450m", 450e6, 435e6, 450e6, hedge="just shy of")
    beyond = q("beyond £450m", 450e6, 450e6, float("inf"), hedge="beyond")
    assert not intervals_overlap(shy, beyond)
    assert intervals_overlap(beyond, q("£455.5m", 455.5e6, 455.45e6, 455.55e6))


def fig(measure: str | None = "dead", *, holders=(), years=(), parts=(), scope=(), qualifiers=(),
        modality=Modality.FACT, kind=QuantityKind.COUNT) -> Figure:
    return Figure(id="f", claim_id="c", article_id="a", quantity=q("1", 1, 0.5, 1.5, kind), measure=measure,
                  measure_words=(), predicate=None, holders=tuple(holders), years=tuple(years), days=(),
                  speaker=None, modality=modality, successive=False, context="", qualifiers=tuple(qualifiers),
                  scope=tuple(scope), parts=tuple(parts))


@pytest.mark.parametrize(
    "a, b, gate",
    [
        (fig("dead"), fig("injured"), "measure"),
        (fig(holders=["p:ruiz"]), fig(holders=["p:lund"]), "holder"),
        (fig(years=[1960]), fig(), "time"),  # another year's event is another event
        (fig(parts=["first"]), fig(parts=["runoff"]), "part"),
        (fig(parts=["first"], kind=QuantityKind.PERCENT), fig(kind=QuantityKind.PERCENT), "part"),
        (fig(scope=["area:statewide"]), fig(scope=["area:nationwide"]), "scope"),
        (fig(modality=Modality.PLEDGE), fig(), "modality"),
        (fig(kind=QuantityKind.PERCENT), fig(), "kind"),
    ],
)
def test_slots_are_told_apart_by_what_they_say(a, b, gate):
    from claimcheck.detect.numeric import _Slots

    assert slot_gate(a, b, _Slots(story_year=2025, multi=frozenset())) == gate


def test_a_count_told_on_the_final_day_of_something_is_not_of_another_contest():
    from claimcheck.detect.numeric import _Slots

    assert slot_gate(fig(parts=["final"]), fig(), _Slots(2025, frozenset())) is None


def test_a_forecast_and_a_fact_may_fill_one_slot():
    from claimcheck.detect.numeric import _Slots

    assert slot_gate(fig(modality=Modality.PREDICTION), fig(), _Slots(2025, frozenset())) is None


# --------------------------------------------------------------------------- figures through the pipeline


def test_two_death_tolls_for_one_fire_are_a_conflict_with_both_sides_as_evidence():
    report = story("Nine workers died in the fire at the Brennan chemical plant on Tuesday.",
                   "At least 12 workers died in the fire at the Brennan chemical plant on Tuesday.")
    [d] = found(report)
    assert d.severity == Severity.HIGH
    assert {e.value for e in d.evidence} == {"Nine", "At least 12"}
    assert d.title.startswith("Death toll")
    for e in d.evidence:
        text = next(a.text for a in report.articles if a.id == e.file)
        assert text[e.start : e.end] == e.text and e.detail


def test_a_toll_given_as_a_lower_bound_and_a_toll_below_it_conflict():
    report = story("At least 95 people were killed when the ferry capsized off the coast.",
                   "The death toll from the ferry capsizing off the coast stood at 62.")
    assert [sorted(e.value for e in d.evidence) for d in found(report)] == [["62", "At least 95"]]


def test_two_sums_for_one_purpose_conflict():
    report = story("The council set aside $85 million for road repairs in next year's budget.",
                   "The council set aside $58 million for road repairs in next year's budget.")
    [d] = found(report)
    assert "road repairs" in d.title


def test_two_prison_terms_for_one_sentence_conflict():
    report = story("The judge sentenced Marek Olsen to 15 years in prison for the fraud.",
                   "The judge sentenced Marek Olsen to 12 years in prison for the fraud.")
    assert len(found(report)) == 1


def test_two_contract_lengths_conflict_though_spans_of_time_are_read_loosely():
    report = story("Luca Ferrante signed a five-year contract with Halden United.",
                   "Luca Ferrante signed a four-year contract with Halden United.")
    assert len(found(report)) == 1


def test_two_ages_for_one_player_conflict():
    report = story("The 24-year-old striker Luca Ferrante joins from Porto Verde.",
                   "The 25-year-old striker Luca Ferrante joins from Porto Verde.")
    [d] = found(report)
    assert d.title.startswith("Age")


def test_figures_credited_to_two_named_sources_are_a_disputed_figure_told_low():
    report = story("Police said 5,000 people joined the march through the capital on Saturday.",
                   "Organisers said 50,000 people joined the march through the capital on Saturday.")
    [d] = found(report)
    assert d.severity == Severity.LOW
    assert "disputed" in d.explanation


def test_a_hedged_figure_that_holds_the_other_is_not_flagged():
    report = story("The mayor won approximately 58% of the vote in the runoff.",
                   "The mayor won 58.30% of the vote in the runoff.")
    assert found(report) == []
    assert any(c.consistent and c.detector == "numeric" for c in report.comparisons)


def test_a_quarterly_rate_and_an_annualised_rate_are_not_compared():
    report = story("The economy grew 0.6% in the third quarter compared with the previous quarter.",
                   "The economy grew at an annualised rate of 2.4% in the third quarter.")
    assert found(report) == []


def test_another_players_fee_in_another_year_is_not_this_transfers_fee():
    report = story("Halden United signed Luca Ferrante for a fee of 45 million euros on Monday.",
                   "In 2022 Halden United paid 30 million euros for the defender Jonas Brekke.")
    assert found(report) == []


def test_a_majority_of_seats_is_not_compared_with_a_share_of_the_vote():
    report = story("Labour won a majority in the election, ending years of opposition.",
                   "Labour won the election with 34% of the vote, ending years of opposition.")
    assert report.discrepancies == []


def test_an_article_that_gives_both_values_does_not_disagree():
    # the second outlet tells the earlier toll and the later one: not a rival figure
    report = story("The flood killed 40 people in the valley, officials said.",
                   "The flood killed 40 people in the valley on Friday; by Sunday it had killed 52 people.")
    assert found(report) == []


# --------------------------------------------------------------------------- trace


def test_a_refused_pair_is_traced_with_its_gate_and_a_trace_changes_nothing():
    texts = ("Nine workers died in the fire at the Brennan plant.", "Nine workers were injured in a crash on the ring road.",
             "Twelve workers were injured in the fire at the Brennan plant.")
    trace = DetectionTrace()
    with_trace = story(*texts, trace=trace)
    without = story(*texts)
    assert [d.id for d in with_trace.discrepancies] == [d.id for d in without.discrepancies]
    gates = {(r.detector, r.gate) for r in trace.refusals}
    assert ("numeric", "measure") in gates  # nine dead and twelve injured are two counts


# --------------------------------------------------------------------------- words against figures


def test_narrowly_won_against_a_three_point_gap_is_shown():
    report = story("Ana Ruiz narrowly won the first round on Sunday.",
                   "In the first round, Ana Ruiz took 27% of the vote and Per Lund 24%.")
    [d] = found(report, DiscrepancyKind.QUALITATIVE_VS_NUMERIC)
    assert "narrowly" in d.title


def test_a_narrow_win_that_is_narrow_is_not_flagged():
    report = story("Ana Ruiz narrowly won the first round on Sunday.",
                   "In the first round, Ana Ruiz took 25.1% of the vote and Per Lund 24.6%.")
    assert found(report, DiscrepancyKind.QUALITATIVE_VS_NUMERIC) == []


def test_a_margin_word_about_another_round_is_not_compared():
    report = story("Ana Ruiz narrowly won the run-off on Sunday.",
                   "In the first round, Ana Ruiz took 31% of the vote and Per Lund 24%.")
    assert found(report, DiscrepancyKind.QUALITATIVE_VS_NUMERIC) == []


def test_a_landslide_against_a_one_vote_tally_is_shown():
    report = story("The city council narrowly approved the budget on Tuesday, voting 7-6.",
                   "The city council approved the budget in a landslide on Tuesday.")
    [d] = found(report, DiscrepancyKind.QUALITATIVE_VS_NUMERIC)
    assert "7-6" in d.title and "landslide" in d.title


def test_narrowly_against_a_one_vote_tally_fits():
    report = story("The city council narrowly approved the budget on Tuesday.",
                   "The city council approved the budget on Tuesday, voting 7-6.")
    assert found(report, DiscrepancyKind.QUALITATIVE_VS_NUMERIC) == []


def test_one_figure_given_two_reaches_is_a_scope_discrepancy_not_a_clash():
    report = story("Health officials have confirmed 124 measles cases statewide this year.",
                   "Health officials have confirmed 124 measles cases nationwide this year.")
    assert found(report) == []
    [d] = found(report, DiscrepancyKind.SCOPE)
    assert d.severity == Severity.LOW and "statewide" in d.title and "nationwide" in d.title


def test_one_figure_credited_to_two_bodies_is_an_attribution_conflict():
    report = story("The Health Ministry said 25 cases of the virus had been confirmed in the province.",
                   "The World Health Organization said 25 cases of the virus had been confirmed in the province.")
    [d] = found(report, DiscrepancyKind.ENTITY_ATTRIBUTE)
    assert d.severity == Severity.LOW and "Health Ministry" in d.title


def test_a_higher_toll_in_a_later_article_is_an_update_told_low():
    articles = [
        Article(id="a.txt", text="The flood killed 40 people in the valley, officials said.", date="2025-03-10"),
        Article(id="b.txt", text="The flood killed 52 people in the valley, officials said.", date="2025-03-12"),
    ]
    [d] = found(claimcheck.check(articles, CONFIG))
    assert d.severity == Severity.LOW and "2025-03-10 then 2025-03-12" in d.explanation


def test_two_tolls_for_the_same_day_stay_a_conflict():
    articles = [
        Article(id="a.txt", text="The flood killed 40 people in the valley, officials said.", date="2025-03-12"),
        Article(id="b.txt", text="The flood killed 52 people in the valley, officials said.", date="2025-03-12"),
    ]
    [d] = found(claimcheck.check(articles, CONFIG))
    assert d.severity == Severity.HIGH


def test_one_speakers_words_quoted_two_ways_are_shown():
    report = story('"We are working day and night to quickly stop the spread of the fire and protect every home," '
                   'said Mayor Lena Ortiz on Friday.',
                   '"We are working day and night to rapidly halt the spread of the fire and protect every home," '
                   'said Mayor Lena Ortiz on Friday.')
    [d] = found(report, DiscrepancyKind.OTHER)
    assert "Lena Ortiz" in d.title and {e.value for e in d.evidence} == {"quickly stop", "rapidly halt"}


def test_a_quote_with_contractions_expanded_or_cut_short_is_the_same_quote():
    report = story('"We\'re going to rebuild every home that was lost," said Mayor Lena Ortiz.',
                   '"We are going to rebuild every home," said Mayor Lena Ortiz.')
    assert found(report, DiscrepancyKind.OTHER) == []


def test_one_acronym_spelled_out_as_two_names_is_shown():
    report = story("The Northern Farmers League (NFL) won four seats in the regional vote.",
                   "The National Freedom List (NFL) won four seats in the regional vote.")
    [d] = found(report, DiscrepancyKind.ENTITY_ATTRIBUTE)
    assert "NFL" in d.title


def test_one_acronym_spelled_out_in_two_word_orders_is_one_name():
    report = story("The Alliance Marta Velez (AMV) won four seats in the regional vote.",
                   "The Marta Velez Alliance for Change (AMV) won four seats in the regional vote.")
    assert found(report, DiscrepancyKind.ENTITY_ATTRIBUTE) == []


def test_one_fee_in_two_currencies_is_compared_at_a_rough_rate():
    from claimcheck.detect.numeric import figures_overlap

    pounds = q("£76 million", 76e6, 75.5e6, 76.5e6, QuantityKind.MONEY, "GBP")
    euros = q("€88 million", 88e6, 87.5e6, 88.5e6, QuantityKind.MONEY, "EUR")
    assert figures_overlap(pounds, euros)  # the same sum restated
    far = q("€60 million", 60e6, 59.5e6, 60.5e6, QuantityKind.MONEY, "EUR")
    assert not figures_overlap(pounds, far)
