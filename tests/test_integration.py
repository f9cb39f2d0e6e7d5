"""End to end with the real models: the seeds and two invented stories, scored by the
same rules as shared/eval/README.md."""

from __future__ import annotations

import pytest

import claimcheck
from claimcheck.evaluate import evaluate, load_gold

from .conftest import FIXTURES, REPO

SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def seed_report():
    gold = load_gold(SEEDS / "gold.yaml", articles_dir=SEEDS)
    return claimcheck.check([SEEDS / name for name in gold.articles]), gold


def test_seeds_hard_recall_is_complete_with_no_false_alarm_and_a_short_report(seed_report):
    report, gold = seed_report
    result = evaluate(report.discrepancies, gold)
    assert result.hard_hit == result.hard_total == 3
    assert result.false_alarms == []
    assert result.report_size <= 12


def test_every_evidence_text_is_the_file_text_at_its_offsets(seed_report):
    report, _ = seed_report
    for d in report.discrepancies:
        assert len({e.file for e in d.evidence}) >= 2, d.explanation
        for e in d.evidence:
            on_disk = (SEEDS / e.file).read_text(encoding="utf-8")
            assert on_disk[e.start : e.end] == e.text


def test_every_claim_span_points_into_its_article(seed_report):
    report, _ = seed_report
    texts = {a.id: a.text for a in report.articles}
    assert len(report.claims) > 50
    for claim in report.claims:
        for span in claim.spans:
            assert 0 <= span.start < span.end <= len(texts[claim.article_id])
        for q in claim.quantities:
            assert texts[claim.article_id][q.start : q.end] == q.text


def test_discrepancies_are_sorted_most_severe_first(seed_report):
    report, _ = seed_report
    ranks = [(d.severity.rank, d.score) for d in report.discrepancies]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("story", ["mayoral_race", "plant_closure"])
def test_invented_story_yields_exactly_its_planted_discrepancies(story):
    folder = FIXTURES / story
    gold = load_gold(folder / "gold.yaml", articles_dir=folder)
    report = claimcheck.check([folder / name for name in gold.articles])
    result = evaluate(report.discrepancies, gold)
    assert result.hard_hit == result.hard_total
    assert result.false_alarms == []
    # nothing beyond what was planted: every prediction hits a planted item
    assert result.report_size == result.hard_total
