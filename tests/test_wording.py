"""Counts the user reads agree with their nouns: "1 discrepancy", "2 stories"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.batch import BatchResult
from claimcheck.models import Article, Discrepancy, DiscrepancyKind, Evidence, Report, Severity
from claimcheck.wording import check_summary, counted

TEXT = "The ferry from Ostrand carried 212 passengers on Sunday."


def one_of_each() -> Report:
    article = Article(id="ostrand_post.txt", text=TEXT, source="Ostrand Post")
    start = TEXT.index("212")
    side = Evidence(file=article.id, start=start, end=start + 3, text="212", value="212")
    found = Discrepancy(id="d1", kind=DiscrepancyKind.NUMERIC, severity=Severity.HIGH, score=0.9,
                        explanation="212 against 221", evidence=(side, side))
    return Report(articles=[article], claims=[], groups=[], entities=[], discrepancies=[found])


def test_counted_uses_the_singular_for_one_only():
    assert counted(1, "discrepancy", "discrepancies") == "1 discrepancy"
    assert counted(0, "discrepancy", "discrepancies") == "0 discrepancies"
    assert counted(2, "claim") == "2 claims"


@given(st.integers(min_value=0, max_value=10_000))
def test_counted_is_singular_exactly_when_n_is_one(n):
    assert counted(n, "story", "stories").endswith("story" if n == 1 else "stories")


def test_the_check_summary_says_1_article_and_1_discrepancy():
    line = check_summary(one_of_each())
    assert line.startswith("1 article, 0 claims, 1 discrepancy (1 high, 0 medium, 0 low)")


def test_the_markdown_and_html_reports_say_1_discrepancy():
    from claimcheck.report.html import render_html
    from claimcheck.report.markdown import render_markdown

    assert "1 article, 0 claims, 1 discrepancy (" in render_markdown(one_of_each())
    assert "<title>Discrepancy report — 1 discrepancy in 1 article</title>" in render_html(one_of_each())


def test_the_batch_summary_says_1_new_article_in_1_story():
    result = BatchResult(
        run_id=1, run_date=dt.date(2031, 5, 6), resumed=False, new_articles=1, stories=(object(),),
        new_stories=1, duplicates=(), problems=(), notes=(), discrepancies=1, new_discrepancies=1,
        reopened=(), written=(), index=None, reports_dir=Path("r"), inbox=Path("in"), files=1,
    )
    assert result.summary() == ("1 new article in 1 story (1 new story); 0 skipped as duplicates; 0 rejected; "
                                "1 discrepancy (1 new); wrote r/2031-05-06/")
