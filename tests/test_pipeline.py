"""The Python API: in-memory articles, the report object, one model per process."""

from __future__ import annotations

import pytest

import claimcheck
from claimcheck.models import DiscrepancyKind
from claimcheck.pipeline import get_embedder, story_date

from .conftest import break_extraction

A = (
    "Source: Daily Ledger\nDate: 2031-04-02\n\n"
    "Governor Ama Mensah opened the new bridge on Tuesday. "
    "The bridge cost 240 million dollars and took four years to build."
)
B = (
    "Senator Ama Mensah opened the new bridge on Tuesday. "
    "Officials said the bridge cost about 240 million dollars."
)


def test_check_accepts_in_memory_articles_and_finds_the_office_conflict():
    report = claimcheck.check(
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B, source="Herald")]
    )
    kinds = [d.kind for d in report.discrepancies]
    assert kinds == [DiscrepancyKind.ENTITY_ATTRIBUTE]
    [d] = report.discrepancies
    assert {e.file for e in d.evidence} == {"ledger", "herald"}
    assert {e.value for e in d.evidence} == {"Governor", "Senator"}


def test_report_frame_has_one_row_per_discrepancy():
    report = claimcheck.check(
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)]
    )
    frame = claimcheck.to_frame(report)
    assert len(frame) == len(report.discrepancies)
    assert {"kind", "severity", "file_a", "start_a", "text_a", "file_b"} <= set(frame.columns)


def test_groups_cover_every_claim_once():
    report = claimcheck.check(
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)]
    )
    grouped = [cid for g in report.groups for cid in g.claim_ids]
    assert sorted(grouped) == sorted(c.id for c in report.claims)
    assert any(not g.single_source for g in report.groups)


def test_the_embedding_model_is_loaded_once_per_process():
    config = claimcheck.Config()
    assert get_embedder(config) is get_embedder(claimcheck.Config())
    assert get_embedder(config).model is get_embedder(config).model


def test_story_date_is_the_date_most_articles_carry():
    arts = [
        claimcheck.Article(id="a", text="x", date="2025-12-15"),
        claimcheck.Article(id="b", text="x", date="2025-12-15"),
        claimcheck.Article(id="c", text="x", date="2025-11-01"),
        claimcheck.Article(id="d", text="x"),
    ]
    assert str(story_date(arts)) == "2025-12-15"
    assert story_date([claimcheck.Article(id="d", text="x")]) is None


def test_a_bad_file_is_reported_and_the_others_are_still_checked(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    report = claimcheck.check(tmp_path)
    assert [a.id for a in report.articles] == ["a.txt", "b.txt"]
    assert any("empty.txt" in p for p in report.problems)
    assert report.discrepancies


def test_each_text_is_parsed_once_per_process():
    from claimcheck.nlp import parse_texts

    text = "Mayor Ada Quist opened the 40-metre bridge on Monday."
    first = parse_texts([text])[0]
    again, other = parse_texts([text, "A different sentence."])
    assert again is first and other is not first


def _ids(report) -> tuple:
    return (
        [c.id for c in report.claims],
        [(d.id, d.kind, d.explanation) for d in report.discrepancies],
        [g.claim_ids for g in report.groups],
    )


def test_analyse_many_gives_each_story_the_report_analyse_gives(fixtures_dir):
    from claimcheck.ingest import load_articles
    from claimcheck.pipeline import analyse, analyse_many

    stories = [
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)],
        load_articles([fixtures_dir / "mayoral_race"]).articles,
    ]
    # a chunk bound of 3 articles: the second story is analysed in a chunk of its own
    config = claimcheck.Config(parse_cache_docs=3)
    together = list(analyse_many(stories, config))
    assert [_ids(r) for r in together] == [_ids(analyse(s, config)) for s in stories]


def test_a_chunk_embeds_its_claims_and_every_detectors_texts_in_one_call(monkeypatch):
    import uuid

    from claimcheck.embed import Embedder
    from claimcheck.pipeline import analyse_many

    tag = uuid.uuid4().hex[:6]  # texts no earlier test embedded
    stories = [
        [claimcheck.Article(id=f"{n}.txt", text=f"Shares of Norvik{tag} Energy {verb} sharply on Monday after "
                            f"the merger news. Nine workers died in the fire at the Brennan{tag} plant, officials said.")
         for n, verb in (("a", "rose"), ("b", "fell"))],
        [claimcheck.Article(id=f"{n}.txt", text=f"The Harwick{tag} council {verb} the road budget on Tuesday.")
         for n, verb in (("c", "approved"), ("d", "rejected"))],
    ]
    calls: list[int] = []
    encode = Embedder.encode

    def counting(self, texts):
        before = self.encoded
        out = encode(self, texts)
        calls.append(self.encoded - before)
        return out

    monkeypatch.setattr(Embedder, "encode", counting)
    reports = list(analyse_many(stories, claimcheck.Config(use_cache=False)))
    assert all(not isinstance(r, Exception) for r in reports)
    assert {d.kind for r in reports for d in r.discrepancies} >= {DiscrepancyKind.OTHER}
    assert calls[0] > 0 and not any(calls[1:])  # every later encode is a lookup


def test_analyse_many_hands_back_a_failing_story_and_goes_on(monkeypatch):
    from claimcheck import pipeline

    break_extraction(monkeypatch, "broken", ValueError("cannot cut claims"))
    stories = [
        [claimcheck.Article(id="broken", text=A)],
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)],
    ]
    first, second = pipeline.analyse_many(stories)
    assert isinstance(first, ValueError)
    assert [d.kind for d in second.discrepancies] == [DiscrepancyKind.ENTITY_ATTRIBUTE]


def test_forked_extraction_gives_the_same_reports_and_hands_back_failures(fixtures_dir, monkeypatch):
    from claimcheck.ingest import load_articles
    from claimcheck.pipeline import analyse_many

    stories = [
        load_articles([fixtures_dir / "plant_closure"]).articles,
        [claimcheck.Article(id="broken", text=A)],
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)],
        load_articles([fixtures_dir / "mayoral_race"]).articles,
    ]
    break_extraction(monkeypatch, "broken", ValueError("cannot cut claims"))
    serial = list(analyse_many(stories, claimcheck.Config(parse_processes=1)))
    forked = list(analyse_many(stories, claimcheck.Config(parse_processes=2, parse_parallel_min_texts=0)))
    assert isinstance(forked[1], ValueError) and str(forked[1]) == "cannot cut claims"
    assert [_ids(r) for i, r in enumerate(forked) if i != 1] == [_ids(r) for i, r in enumerate(serial) if i != 1]
    assert forked[0].timings["claims"] > 0  # the workers' stage timings come back


def test_forked_grouping_and_detection_give_the_same_reports_and_hand_back_failures(fixtures_dir, monkeypatch,
                                                                                      tmp_path):
    """After the chunk's one embedding call, stories are grouped and checked in forked
    workers, which inherit the parses and vectors: the reports are those of one process,
    in order, and a story whose detection fails is handed back as its exception."""
    import os

    from claimcheck import pipeline
    from claimcheck.ingest import load_articles

    finish = pipeline._finish

    def noting_the_process(extracted, config, timer, trace=None, ctx=None):
        (tmp_path / str(os.getpid())).touch()
        if any(a.id == "quiet" for a in extracted.articles):
            raise ValueError("cannot group")
        return finish(extracted, config, timer, trace, ctx)

    monkeypatch.setattr(pipeline, "_finish", noting_the_process)
    stories = [
        load_articles([fixtures_dir / "plant_closure"]).articles,
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="quiet", text=B)],
        [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B)],
        load_articles([fixtures_dir / "mayoral_race"]).articles,
    ]
    serial = list(pipeline.analyse_many(stories, claimcheck.Config(parse_processes=1)))
    assert {p.name for p in tmp_path.iterdir()} == {str(os.getpid())}
    forked = list(pipeline.analyse_many(stories, claimcheck.Config(parse_processes=2, parse_parallel_min_texts=0)))
    assert len({p.name for p in tmp_path.iterdir()} - {str(os.getpid())}) >= 1  # workers finished stories
    assert isinstance(forked[1], ValueError) and str(forked[1]) == "cannot group"
    assert [_ids(r) for i, r in enumerate(forked) if i != 1] == [_ids(r) for i, r in enumerate(serial) if i != 1]
    assert forked[2].discrepancies and forked[0].timings["align"] > 0  # the workers' timings come back


def test_evidence_from_jsonl_names_the_file_and_the_record(tmp_path):
    import json

    from .conftest import FIXTURES

    folder = FIXTURES / "plant_closure"
    records = [{"id": f"r{i}", "text": p.read_text(encoding="utf-8")} for i, p in enumerate(sorted(folder.glob("*.txt")))]
    feed = tmp_path / "wire.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    report = claimcheck.check(feed)

    texts = {a.id: a.text for a in report.articles}
    assert report.discrepancies
    for d in report.discrepancies:
        for e in d.evidence:
            assert e.file in ("wire.jsonl#r0", "wire.jsonl#r1")
            assert texts[e.file][e.start:e.end] == e.text


# --------------------------------------------------------------------------- one article's failure


BROKEN = "Source: Quay Courier\n\nThe BROKEN article says 12 people crossed the new bridge."


def _articles():
    return [claimcheck.Article(id="ledger", text=A), claimcheck.Article(id="herald", text=B, source="Herald"),
            claimcheck.Article(id="quay.txt", text=BROKEN, body_start=BROKEN.index("The"))]


def _fail_on_broken(monkeypatch, name: str, error: Exception):
    """Make ``pipeline.<name>`` raise ``error`` when its first argument holds the broken text."""
    from claimcheck import pipeline

    real = getattr(pipeline, name)

    def failing(first, *args, **kwargs):
        texts = first if isinstance(first, list) else [first]
        if any("BROKEN" in (t if isinstance(t, str) else t.text) for t in texts):
            raise error
        return real(first, *args, **kwargs)

    monkeypatch.setattr(pipeline, name, failing)


@pytest.mark.parametrize("stage", ["parse_articles", "parse_quantities", "extract_claims"])
def test_an_article_that_breaks_a_stage_is_a_problem_and_the_others_are_checked(monkeypatch, stage):
    _fail_on_broken(monkeypatch, stage, ValueError("it broke"))

    report = claimcheck.check(_articles())

    assert [a.id for a in report.articles] == ["ledger", "herald"]
    assert [d.kind for d in report.discrepancies] == [DiscrepancyKind.ENTITY_ATTRIBUTE]
    [problem] = report.problems
    assert problem.startswith("quay.txt: could not be analysed") and "ValueError: it broke" in problem


def test_a_story_whose_analysis_fails_is_a_coded_error_and_check_writes_nothing(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from claimcheck.cli import app
    from claimcheck.errors import AnalysisError

    break_extraction(monkeypatch, "ledger", ValueError("no claims today"))
    with pytest.raises(AnalysisError, match="ledger.*ValueError: no claims today"):
        claimcheck.check(_articles())

    (tmp_path / "ledger").write_text(A, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "ledger"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "[CC700]" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, ValueError) and not (tmp_path / "out").exists()
