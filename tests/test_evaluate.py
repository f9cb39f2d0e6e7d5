"""Scoring against gold annotations, by the rules in shared/eval/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.errors import GoldFileError
from claimcheck.evaluate import (
    GoldSpan,
    PredictedSpan,
    evaluate,
    format_eval,
    load_gold,
    locate_quote,
    touches,
)
from claimcheck.models import Discrepancy, DiscrepancyKind, Evidence, Severity

REPO = Path(__file__).parent.parent

# Two invented articles; the first has a line break and double spaces inside a quote.
NORTH = "Veltrix will cut\n  1,200   jobs at the Ordale plant, said Governor Ada Lind.\nShares fell 8%."
SOUTH = "The company is cutting about 1,800 jobs, Mayor Ada Lind said. Its shares dropped 7.6%."

GOLD = """\
story: ordale-plant
articles: [north.txt, south.txt]
discrepancies:
  - id: jobs
    level: hard
    kind: numeric
    why: 1,200 against about 1,800
    spans:
      - {file: north.txt, quote: "cut 1,200 jobs"}
      - {file: south.txt, quote: "cutting about 1,800 jobs"}
  - id: lind-office
    level: soft
    kind: entity_attribute
    why: Governor against Mayor
    spans:
      - {file: north.txt, quote: "Governor Ada Lind"}
      - {file: south.txt, quote: "Mayor Ada Lind"}
consistent:
  - id: shares
    why: 8% and 7.6% are both a fall of about 8%
    spans:
      - {file: north.txt, quote: "Shares fell 8%"}
      - {file: south.txt, quote: "shares dropped 7.6%"}
"""


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    (tmp_path / "north.txt").write_text(NORTH, encoding="utf-8")
    (tmp_path / "south.txt").write_text(SOUTH, encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(GOLD, encoding="utf-8")
    return tmp_path


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def side(file: str, text: str, needle: str) -> Evidence:
    start, end = at(text, needle)
    return Evidence(file=file, start=start, end=end, text=needle)


def predicted(pid: str, *sides: Evidence) -> Discrepancy:
    return Discrepancy(id=pid, kind=DiscrepancyKind.NUMERIC, severity=Severity.HIGH, score=0.9,
                       explanation=f"explanation of {pid}", evidence=tuple(sides))


# --------------------------------------------------------------------------- loading gold


def test_quote_with_folded_whitespace_is_located_at_original_offsets(story):
    gold = load_gold(story / "gold.yaml")
    jobs = gold.discrepancies[0].spans[0]
    assert NORTH[jobs.start:jobs.end] == "cut\n  1,200   jobs"
    assert (jobs.start, jobs.end) == (NORTH.index("cut"), NORTH.index("jobs") + 4)


def test_gold_records_story_articles_levels_and_kinds(story):
    gold = load_gold(story / "gold.yaml", articles_dir=story)
    assert gold.story == "ordale-plant" and gold.articles == ("north.txt", "south.txt")
    assert [(i.id, i.level, i.kind) for i in gold.discrepancies] == [
        ("jobs", "hard", "numeric"), ("lind-office", "soft", "entity_attribute")]
    assert [(i.id, i.level) for i in gold.consistent] == [("shares", "consistent")]


def test_a_quote_occurring_twice_counts_every_occurrence():
    text = "Ada Lind spoke. Later Ada Lind left."
    assert locate_quote(text, "Ada  Lind") == [(0, 8), (22, 30)]
    span = GoldSpan("a.txt", "Ada Lind", 0, 8, occurrences=((0, 8), (22, 30)))
    assert touches(PredictedSpan("a.txt", 22, 35), span)


def test_missing_quote_raises_gold_file_error_naming_item_and_file(story):
    (story / "gold.yaml").write_text(GOLD.replace("cutting about 1,800 jobs", "cutting nearly 1,800 jobs"))
    with pytest.raises(GoldFileError) as err:
        load_gold(story / "gold.yaml")
    assert "'jobs'" in str(err.value) and "south.txt" in str(err.value)
    assert err.value.code == "CC400"


def test_missing_article_file_is_a_gold_file_error(story):
    (story / "south.txt").unlink()
    with pytest.raises(GoldFileError, match="south.txt"):
        load_gold(story / "gold.yaml")


def test_unknown_level_is_refused(story):
    (story / "gold.yaml").write_text(GOLD.replace("level: soft", "level: maybe"))
    with pytest.raises(GoldFileError, match="maybe"):
        load_gold(story / "gold.yaml")


def test_an_item_needs_spans_in_two_files(story):
    one_file = GOLD.replace('- {file: south.txt, quote: "Mayor Ada Lind"}',
                            '- {file: north.txt, quote: "Ada Lind"}')
    (story / "gold.yaml").write_text(one_file)
    with pytest.raises(GoldFileError, match="lind-office"):
        load_gold(story / "gold.yaml")


def test_articles_dir_defaults_to_the_gold_files_folder_and_accepts_a_file(story):
    assert load_gold(story / "gold.yaml", articles_dir=story / "north.txt").story == "ordale-plant"


def test_seed_gold_quotes_are_all_located():
    gold = load_gold(REPO / "seeds" / "gold.yaml", articles_dir=REPO / "seeds")
    assert len(gold.articles) == 5
    assert sum(i.level == "hard" for i in gold.discrepancies) == 3
    for item in gold.items:
        for span in item.spans:
            text = (REPO / "seeds" / span.file).read_bytes().decode("utf-8")
            assert " ".join(text[span.start:span.end].split()) == " ".join(span.quote.split()), item.id


def test_the_seed_gold_points_to_a_format_file_in_the_repository():
    import re

    header = "\n".join(line for line in (REPO / "seeds" / "gold.yaml").read_text(encoding="utf-8").splitlines()
                       if line.startswith("#"))
    pointed = re.findall(r"[\w./-]+\.md\b", header)
    assert pointed and all((REPO / path).is_file() for path in pointed), pointed


# --------------------------------------------------------------------------- touch and hit


def test_touch_needs_at_least_five_characters_of_overlap():
    gold = GoldSpan("a.txt", "0123456789", 10, 20)
    assert not touches(PredictedSpan("a.txt", 0, 14), gold)  # 4 characters in common
    assert touches(PredictedSpan("a.txt", 0, 15), gold)  # 5
    assert touches(PredictedSpan("a.txt", 16, 40), gold, min_overlap=4)
    assert not touches(PredictedSpan("b.txt", 10, 20), gold)  # same range, other file


def test_evidence_in_two_files_touching_the_item_is_a_hit(story):
    gold = load_gold(story / "gold.yaml")
    result = evaluate([predicted("p1", side("north.txt", NORTH, "1,200   jobs at the Ordale plant"),
                                 side("south.txt", SOUTH, "cutting about 1,800 jobs"))], gold)
    assert (result.hard_hit, result.hard_total, result.hard_recall) == (1, 1, 1.0)
    jobs = result.item_results[0]
    assert jobs.hit and jobs.prediction_ids == ("p1",)
    assert result.false_alarms == [] and result.report_size == 1


def test_evidence_touching_in_only_one_file_is_no_hit(story):
    gold = load_gold(story / "gold.yaml")
    result = evaluate([
        predicted("both-north", side("north.txt", NORTH, "cut\n  1,200"), side("north.txt", NORTH, "1,200   jobs")),
        predicted("south-misses", side("north.txt", NORTH, "cut\n  1,200   jobs"),
                  side("south.txt", SOUTH, "The company is")),
    ], gold)
    assert result.hard_hit == 0 and result.hard_recall == 0.0
    assert result.unmatched == 2


def test_four_characters_of_overlap_on_one_side_is_no_hit(story):
    gold = load_gold(story / "gold.yaml")
    start, _ = at(SOUTH, "cutting about")
    edge = Evidence(file="south.txt", start=start - 20, end=start + 4, text=SOUTH[start - 20:start + 4])
    result = evaluate([predicted("p", side("north.txt", NORTH, "cut\n  1,200   jobs"), edge)], gold)
    assert result.hard_hit == 0


def test_hitting_a_consistent_item_is_a_false_alarm(story):
    gold = load_gold(story / "gold.yaml")
    alarm = predicted("p-shares", side("north.txt", NORTH, "Shares fell 8%"),
                      side("south.txt", SOUTH, "shares dropped 7.6%"))
    result = evaluate([alarm], gold)
    assert [(item_id, p.id) for item_id, p in result.false_alarms] == [("shares", "p-shares")]
    assert result.false_alarm_count == 1


def test_soft_hits_are_shown_but_never_count_against(story):
    gold = load_gold(story / "gold.yaml")
    result = evaluate([predicted("p-lind", side("north.txt", NORTH, "Governor Ada Lind"),
                                 side("south.txt", SOUTH, "Mayor Ada Lind"))], gold)
    assert (result.soft_hits, result.soft_total) == (1, 1)
    assert result.false_alarms == [] and result.hard_hit == 0


def test_report_json_dicts_score_like_discrepancy_objects(story):
    gold = load_gold(story / "gold.yaml")
    start_n, end_n = at(NORTH, "cut\n  1,200   jobs")
    start_s, end_s = at(SOUTH, "cutting about 1,800 jobs")
    as_dict = {"id": "p1", "explanation": "jobs", "evidence": [
        {"file": "north.txt", "start": start_n, "end": end_n, "text": NORTH[start_n:end_n]},
        {"file": "south.txt", "start": start_s, "end": end_s, "text": SOUTH[start_s:end_s]}]}
    assert evaluate([as_dict], gold).hard_recall == 1.0


# --------------------------------------------------------------------------- printing


def test_format_eval_prints_the_figures_items_and_false_alarms(story):
    gold = load_gold(story / "gold.yaml")
    result = evaluate([
        predicted("p-jobs", side("north.txt", NORTH, "cut\n  1,200   jobs"),
                  side("south.txt", SOUTH, "cutting about 1,800 jobs")),
        predicted("p-shares", side("north.txt", NORTH, "Shares fell 8%"),
                  side("south.txt", SOUTH, "shares dropped 7.6%")),
        predicted("p-other", side("north.txt", NORTH, "Veltrix will"), side("south.txt", SOUTH, "The company")),
    ], gold)
    text = format_eval(result)
    assert "hard recall: 1/1 (1.00)" in text
    assert "false alarms: 1" in text and "report size: 3" in text and "soft hits: 0/1" in text
    assert "HIT  hard" in text and "p-jobs: explanation of p-jobs" in text
    assert "miss soft" in text
    assert f"north.txt [{NORTH.index('Shares')}-{NORTH.index('Shares') + 14}] Shares fell 8%" in text
    tail = "\n".join(text.splitlines()[-8:])  # what a hook that tails the output sees
    for figure in ("hard recall: 1/1", "false alarms: 1", "soft hits: 0/1", "report size: 3"):
        assert figure in tail
