"""Why a hard item was missed, stage by stage, on hand-built invented runs (no parser, no
model): claims, groups and a detection trace are given, and the explanation must name
the stage that lost the item."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.evaluate import evaluate, load_gold
from claimcheck.explain import (
    explain_false_alarms,
    explain_item,
    explain_misses,
    format_explanation,
    format_explanations,
    stage_counts,
)
from claimcheck.models import (
    Article,
    Claim,
    ClaimGroup,
    Discrepancy,
    DiscrepancyKind,
    EntityMention,
    Evidence,
    Quantity,
    QuantityKind,
    Report,
    Severity,
    Span,
    Speaker,
)
from claimcheck.trace import DetectionTrace

# Two invented articles about a dam repair; the dam's cost differs, the engineer's name too.
EAST = "Source: East Ledger\n\nThe Orrin dam repair will cost $42 million, engineer Tova Relling said.\n"
WEST = "Source: West Courier\n\nRepairing the Orrin dam will cost $61 million, said engineer Tova Reling.\n"

GOLD = """\
story: orrin-dam
articles: [east.txt, west.txt]
discrepancies:
  - id: cost
    level: hard
    kind: numeric
    why: $42 million against $61 million
    spans:
      - {file: east.txt, quote: "cost $42 million"}
      - {file: west.txt, quote: "cost $61 million"}
  - id: engineer-name
    level: hard
    kind: name_spelling
    why: Relling against Reling
    spans:
      - {file: east.txt, quote: "Tova Relling"}
      - {file: west.txt, quote: "Tova Reling"}
consistent:
  - id: dam-name
    why: the same dam
    spans:
      - {file: east.txt, quote: "The Orrin dam"}
      - {file: west.txt, quote: "the Orrin dam will"}
"""


@pytest.fixture()
def gold(tmp_path: Path):
    (tmp_path / "east.txt").write_text(EAST, encoding="utf-8")
    (tmp_path / "west.txt").write_text(WEST, encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(GOLD, encoding="utf-8")
    return load_gold(tmp_path / "gold.yaml")


def where(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def money(text: str, surface: str, value: float) -> Quantity:
    start, end = where(text, surface)
    return Quantity(surface, start, end, value, value - 0.5e6, value + 0.5e6, QuantityKind.MONEY, "$")


def person(text: str, surface: str, entity_id: str | None) -> EntityMention:
    start, end = where(text, surface)
    return EntityMention(surface, start, end, "PERSON", (), entity_id)


def sentence_claim(aid: str, text: str, first: str, *, figures=(), names=()) -> Claim:
    start = text.index(first)
    end = text.index(".", start) + 1
    return Claim(id=f"{aid}#0", article_id=aid, text=text[start:end], spans=(Span(start, end),),
                 sentence=Span(start, end), speaker=Speaker(aid), quantities=tuple(figures), entities=tuple(names))


def run(claims=(), groups=(), discrepancies=()) -> Report:
    return Report(articles=[Article("east.txt", EAST), Article("west.txt", WEST)], claims=list(claims),
                  groups=list(groups), entities=[], discrepancies=list(discrepancies))


def both_claims(*, east_figure=True, west_names=True, west_entity="p:relling") -> list[Claim]:
    return [
        sentence_claim("east.txt", EAST, "The Orrin", figures=[money(EAST, "$42 million", 42e6)] if east_figure else (),
                       names=[person(EAST, "Tova Relling", "p:relling")]),
        sentence_claim("west.txt", WEST, "Repairing", figures=[money(WEST, "$61 million", 61e6)],
                       names=[person(WEST, "Tova Reling", west_entity)] if west_names else ()),
    ]


def item(gold, item_id):
    return next(i for i in gold.items if i.id == item_id)


def test_a_span_no_claim_covers_is_lost_at_not_extracted(gold):
    claims = both_claims()[:1]  # nothing was extracted from west.txt
    e = explain_item(item(gold, "cost"), run(claims), DetectionTrace())
    assert e.stage == "not extracted" and "west.txt" in e.detail
    assert e.spans[0].claims[0].id == "east.txt#0" and e.spans[1].claims == ()


def test_a_numeric_item_without_a_figure_on_one_side_is_lost_at_figure_not_read(gold):
    e = explain_item(item(gold, "cost"), run(both_claims(east_figure=False)), DetectionTrace())
    assert (e.stage, e.detail) == ("figure not read", "no figure read in east.txt")
    assert [f.text for f in e.spans[1].figures] == ["$61 million"]
    assert e.spans[1].figures[0].interval == "[60,500,000, 61,500,000]"


def test_a_name_item_without_a_name_on_one_side_is_lost_at_name_not_read(gold):
    e = explain_item(item(gold, "engineer-name"), run(both_claims(west_names=False)), DetectionTrace())
    assert (e.stage, e.detail) == ("name not read", "no name read in west.txt")


def test_a_refusal_between_the_spans_names_detector_gate_and_values(gold):
    trace = DetectionTrace()
    trace.refuse("numeric", "measure", [("east.txt", *where(EAST, "$42 million")),
                                        ("west.txt", *where(WEST, "$61 million"))], "repair vs cost")
    trace.refuse("numeric", "holder", [("east.txt", *where(EAST, "$42 million")), ("west.txt", 0, 5)], "elsewhere")
    e = explain_item(item(gold, "cost"), run(both_claims()), trace)
    assert e.verdict == "refused by numeric:measure (repair vs cost)"
    assert [r.gate for p in e.pairs for r in p.refusals] == ["measure"]  # the other one is not between the spans
    assert format_explanation(e).splitlines()[-1] == "  lost at: refused by numeric:measure (repair vs cost)"


def test_of_several_refusals_the_pair_that_went_furthest_is_named(gold):
    trace = DetectionTrace()
    spans = [("east.txt", *where(EAST, "$42 million")), ("west.txt", *where(WEST, "$61 million"))]
    trace.refuse("numeric", "holder", spans, "dam vs repair")
    trace.refuse("numeric", "wording", spans, "frames 0.41 < numeric_context_similarity 0.6")
    trace.refuse("numeric", "agree", spans, "the same value twice")
    assert explain_item(item(gold, "cost"), run(both_claims()), trace).stage == "refused by numeric:wording"


def test_a_refusal_by_a_detector_of_another_kind_does_not_lose_the_item(gold):
    trace = DetectionTrace()
    trace.refuse("spelling", "variant", [("east.txt", *where(EAST, "$42 million")),
                                         ("west.txt", *where(WEST, "$61 million"))], "not a name slip")
    e = explain_item(item(gold, "cost"), run(both_claims()), trace)
    assert e.stage == "not grouped"
    assert [r.detector for p in e.pairs for r in p.refusals] == ["spelling"]  # still shown


def test_claims_in_one_group_with_nothing_refused_are_no_detector_considered_the_pair(gold):
    claims = both_claims()
    group = ClaimGroup("g-1", tuple(c.id for c in claims), ("east.txt", "west.txt"), claims[0].text)
    e = explain_item(item(gold, "cost"), run(claims, [group]), DetectionTrace())
    assert e.pairs[0].shared_groups == ("g-1",)
    assert e.stage == "no detector considered the pair"


def test_ungrouped_claims_with_nothing_refused_are_not_grouped(gold):
    assert explain_item(item(gold, "cost"), run(both_claims()), DetectionTrace()).stage == "not grouped"


def test_two_spellings_linked_to_two_entities_are_names_not_linked(gold):
    e = explain_item(item(gold, "engineer-name"), run(both_claims(west_entity="p:reling")), DetectionTrace())
    assert e.stage == "names not linked"


def test_a_prediction_touching_one_side_only_is_flagged_on_one_side(gold):
    one_side = Discrepancy("num-1", DiscrepancyKind.NUMERIC, Severity.HIGH, 0.9, "cost",
                           (Evidence("east.txt", *where(EAST, "cost $42 million"), "cost $42 million"),
                            Evidence("west.txt", *where(WEST, "Repairing"), "Repairing")))
    report = run(both_claims(), discrepancies=[one_side])
    result = evaluate(report.discrepancies, gold)
    [cost, name] = explain_misses(gold, result, report, DetectionTrace())
    assert (cost.item_id, cost.stage, cost.one_sided) == ("cost", "flagged on one side only", ("num-1",))
    assert name.item_id == "engineer-name"


def test_false_alarms_come_with_their_evidence_and_stage_counts_add_up(gold):
    alarm = Discrepancy("oth-1", DiscrepancyKind.OTHER, Severity.LOW, 0.5, "the dam",
                        (Evidence("east.txt", *where(EAST, "The Orrin dam"), "The Orrin dam"),
                         Evidence("west.txt", *where(WEST, "the Orrin dam will"), "the Orrin dam will")))
    report = run(both_claims(), discrepancies=[alarm])
    result = evaluate(report.discrepancies, gold)
    misses = explain_misses(gold, result, report, DetectionTrace(), story="orrin")
    [fa] = explain_false_alarms(gold, result, story="orrin")
    assert (fa.item_id, fa.prediction.id) == ("dam-name", "oth-1")
    text = format_explanations(misses, [fa])
    assert "FALSE ALARM orrin / dam-name" in text and "east.txt [" in text and "The Orrin dam" in text
    assert sum(stage_counts(misses).values()) == len(misses) == 2
    assert text.splitlines()[-2:] == ["missed hard items by the stage that lost them (2):", "     2  not grouped"]


def test_an_explanation_is_plain_data_for_json(gold):
    import json

    trace = DetectionTrace()
    trace.refuse("numeric", "measure", [("east.txt", *where(EAST, "$42 million")),
                                        ("west.txt", *where(WEST, "$61 million"))], "repair vs cost")
    data = explain_item(item(gold, "cost"), run(both_claims()), trace, story="orrin").to_dict()
    assert json.loads(json.dumps(data))["verdict"] == "refused by numeric:measure (repair vs cost)"
    assert data["pairs"][0]["refusals"][0]["spans"][0][0] == "east.txt"
