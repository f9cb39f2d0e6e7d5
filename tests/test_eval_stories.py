"""`claimcheck eval STORIES/`: many story folders scored in one run, one table, JSON, a
story filter and ``--explain``; on invented stories (tests/fixtures), with the real models.
The real-news development set is used only where it is present (../shared/eval/stories)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.evaluate import load_gold
from claimcheck.explain import format_explanation
from claimcheck.suite import Tally, evaluate_stories, format_suite, story_folders, tally

from .conftest import FIXTURES, REPO

runner = CliRunner()
STORIES = ("brisa_ferry", "mayoral_race", "plant_closure")
STAGES = ("not extracted", "figure not read", "name not read", "refused by ", "flagged on one side only",
          "names not linked", "not grouped", "no detector considered the pair")
DEV_SET = REPO.parent / "shared" / "eval" / "stories"


def gold_counts(folder: Path) -> tuple[int, int, int]:
    """Hard, soft and consistent items, read from the YAML without claimcheck."""
    raw = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    levels = [d["level"] for d in raw.get("discrepancies") or []]
    return levels.count("hard"), levels.count("soft"), len(raw.get("consistent") or [])


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> Path:
    """Three invented stories in one folder, plus a folder without gold that is no story."""
    root = tmp_path_factory.mktemp("stories")
    for name in STORIES:
        shutil.copytree(FIXTURES / name, root / name)
    (root / "notes").mkdir()
    (root / "notes" / "readme.txt").write_text("Not a story: no gold.yaml here.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def suite(stories):
    return evaluate_stories(stories, explain=True)


def test_story_folders_are_those_with_a_gold_file_in_name_order(stories):
    assert [p.name for p in story_folders(stories)] == list(STORIES)
    assert [p.name for p in story_folders(stories, ["plant_closure"])] == ["plant_closure"]
    assert [p.name for p in story_folders(stories / "mayoral_race")] == ["mayoral_race"]


def test_the_total_is_the_sum_of_the_stories_and_of_the_gold(suite, stories):
    assert [s.name for s in suite.stories] == list(STORIES)
    total = suite.total
    assert total == sum((tally(s.result) for s in suite.stories), Tally())
    hard, soft, consistent = map(sum, zip(*(gold_counts(stories / n) for n in STORIES), strict=True))
    assert (total.hard_total, total.soft_total, total.consistent_total) == (hard, soft, consistent)
    assert total.report_size == sum(len(s.result.predictions) for s in suite.stories)
    by_kind = suite.by_kind()
    assert sum((t for t in by_kind.values()), Tally()) == total  # every item and prediction in one kind row
    assert by_kind["other"].hard_total == 1 and by_kind["other"].hard_hit == 0


def test_the_table_has_a_row_per_story_and_kind_and_ends_with_the_total(suite):
    table = format_suite(suite)
    rows = table.splitlines()
    t = suite.total
    assert rows[-1].split()[:5] == ["total", "(3", "stories)", f"{t.hard_hit}/{t.hard_total}", f"{t.hard_recall:.2f}"]
    assert rows[-1].split()[-2:] == [f"{t.false_alarms}/{t.consistent_total}", str(t.report_size)]
    for story in suite.stories:
        [row] = [r for r in rows if r.startswith(story.name + " ")]
        assert f"{story.tally.hard_hit}/{story.tally.hard_total}" in row.split()
    assert any(r.startswith("kind: name_spelling") for r in rows)


def test_explain_names_the_stage_that_lost_each_planted_miss(suite):
    ferry = suite.stories[0]
    missed = set(ferry.result.missed_hard)
    assert "cause" in missed  # no detector reports the cause of an accident
    assert {e.item_id for e in ferry.explanations} == missed
    for e in ferry.explanations:
        assert e.stage.startswith(STAGES), e.stage
        assert format_explanation(e).splitlines()[-1] == f"  lost at: {e.verdict}"
    [cause] = [e for e in ferry.explanations if e.item_id == "cause"]
    assert cause.stage in ("not grouped", "no detector considered the pair")
    assert all(span.claims for span in cause.spans)  # both sentences were extracted
    # the stories with every item found explain nothing
    assert [s.explanations for s in suite.stories[1:]] == [[], []]


def test_the_cli_prints_one_table_and_writes_the_same_figures_as_json(stories, tmp_path):
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", str(stories), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "total (3 stories)" in result.output and "gold items:" not in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["name"] for s in data["stories"]] == list(STORIES)
    hard, soft, consistent = map(sum, zip(*(gold_counts(stories / n) for n in STORIES), strict=True))
    total = data["total"]
    assert (total["hard_total"], total["soft_total"], total["consistent_total"]) == (hard, soft, consistent)
    assert total["hard_hit"] == sum(s["hard_hit"] for s in data["stories"])
    for story in data["stories"]:  # the count, and the items behind it
        assert story["false_alarms"] == len({a["item"] for a in story["false_alarm_items"]})
        assert story["consistent_total"] == sum(i["level"] == "consistent" for i in story["items"])
    assert total["report_size"] == sum(s["report_size"] for s in data["stories"])
    ferry = data["stories"][0]
    assert {i["id"]: i["hit"] for i in ferry["items"]}["cause"] is False
    assert sum(i["level"] == "hard" for i in ferry["items"]) == ferry["hard_total"] == 3
    assert data["by_kind"]["other"]["hard_total"] == 1 and "none" in data["by_kind"]
    assert "explanations" not in ferry  # only with --explain


def test_story_filter_runs_only_the_named_stories(stories):
    result = runner.invoke(app, ["eval", str(stories), "--story", "plant_closure", "--story", "brisa_ferry"])
    assert result.exit_code == 0, result.output
    assert "total (2 stories)" in result.output
    assert "plant_closure" in result.output and "brisa_ferry" in result.output
    assert "mayoral_race" not in result.output


def test_an_unknown_story_is_an_error_listing_the_stories(stories):
    result = runner.invoke(app, ["eval", str(stories), "--story", "no_such_story"])
    assert result.exit_code == 2
    assert "no_such_story" in result.output and "plant_closure" in result.output


def test_a_folder_without_any_gold_is_an_error_saying_what_to_pass(tmp_path):
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "gold.yaml" in result.output and "--gold" in result.output


def test_explain_in_the_cli_prints_each_miss_then_the_table(stories, tmp_path):
    out = tmp_path / "explain.json"
    result = runner.invoke(app, ["eval", str(stories), "--story", "brisa_ferry", "--explain", "--json", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "MISSED brisa_ferry / cause (other)" in text
    assert text.index("MISSED") < text.index("missed hard items by the stage") < text.index("total (1 story)")
    [explained] = json.loads(out.read_text(encoding="utf-8"))["stories"]
    assert {e["item_id"] for e in explained["explanations"]} >= {"cause"}
    assert all(e["verdict"].startswith(STAGES) for e in explained["explanations"])


def test_the_single_story_form_lists_unflagged_look_alikes_as_correct():
    folder = FIXTURES / "mayoral_race"
    result = runner.invoke(app, ["eval", str(folder), "--gold", str(folder / "gold.yaml")])
    assert result.exit_code == 0, result.output
    assert "hard recall: 3/3" in result.output
    consistent = [line for line in result.output.splitlines() if " consistent " in line]
    assert len(consistent) == 4 and all("not flagged, correct" in line for line in consistent)
    assert "miss consistent" not in result.output


def test_the_single_story_form_explains_its_misses_too():
    folder = FIXTURES / "brisa_ferry"
    result = runner.invoke(app, ["eval", str(folder), "--gold", str(folder / "gold.yaml"), "--explain"])
    assert result.exit_code == 0, result.output
    assert "MISSED brisa_ferry / cause (other)" in result.output
    assert "lost at: " in result.output and "gold items:" in result.output


def test_an_unwritable_json_path_is_an_error_naming_it(stories, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(stories), "--story", "plant_closure", "--json", str(blocker / "out.json")])
    assert result.exit_code == 2 and "out.json" in result.output


def test_report_and_story_options_need_their_own_form(stories):
    folder = FIXTURES / "plant_closure"
    assert runner.invoke(app, ["eval", str(stories), "--report", str(folder / "report.json")]).exit_code == 2
    assert runner.invoke(app, ["eval", str(folder), "--gold", str(folder / "gold.yaml"),
                               "--story", "plant_closure"]).exit_code == 2
    assert runner.invoke(app, ["eval", str(folder), "--gold", str(folder / "gold.yaml"),
                               "--report", str(folder / "report.json"), "--explain"]).exit_code == 2


# --------------------------------------------------------------------------- the real-news dev set


needs_dev_set = pytest.mark.skipif(not DEV_SET.is_dir(), reason="the real-news development set is not here")


@needs_dev_set
def test_every_quote_of_the_dev_set_is_located_and_the_counts_match_the_yaml():
    for folder in story_folders(DEV_SET):
        gold = load_gold(folder / "gold.yaml")
        hard = sum(i.level == "hard" for i in gold.discrepancies)
        soft = sum(i.level == "soft" for i in gold.discrepancies)
        assert (hard, soft, len(gold.consistent)) == gold_counts(folder), folder.name


@needs_dev_set
def test_a_dev_story_is_scored_and_every_miss_explained():
    name = story_folders(DEV_SET)[0].name
    suite = evaluate_stories(DEV_SET, names=[name], explain=True)
    [story] = suite.stories
    assert (story.tally.hard_total, story.tally.soft_total, story.tally.consistent_total) == gold_counts(DEV_SET / name)
    assert len(story.explanations) == story.tally.hard_total - story.tally.hard_hit
    assert all(e.stage.startswith(STAGES) for e in story.explanations)
