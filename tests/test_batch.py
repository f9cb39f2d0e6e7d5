"""Nightly batch runs: stories, incremental checks, review decisions kept across nights,
bad input, crash safety and the lock.  The invented articles are small; the seeds are
used once, for the two-night test."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from claimcheck.batch import (
    KILL_POINTS,
    ArticleFeatures,
    BatchLock,
    BatchLockedError,
    _Candidate,
    _save_discrepancies,
    choose_story,
    run_batch,
    shared_entity_count,
    story_slug,
)
from claimcheck.cli import app
from claimcheck.config import Config
from claimcheck.errors import InputError
from claimcheck.models import Article, Discrepancy, DiscrepancyKind, Evidence, Severity
from claimcheck.store import Store

from .conftest import REPO, break_extraction

runner = CliRunner()
NIGHT1 = dt.date(2026, 3, 2)
NIGHT2 = dt.date(2026, 3, 3)

# --------------------------------------------------------------------------- invented articles

MILL_ECHO = """Source: Brackwater Echo
Date: 2026-03-02

Halvorsen Steel will close its rolling mill in Brackwater and cut 850 jobs, the company said on Monday.
Chief executive Ingrid Solberg said the decision was painful but necessary.
Mayor Tom Aldous called the closure a blow to the town.
"""
MILL_POST = """Source: Northern Post
Date: 2026-03-02

Halvorsen Steel is shutting its Brackwater rolling mill, cutting about 1,400 jobs.
Ingrid Solburg, the company's chief executive, said the mill had lost money for five years.
Governor Tom Aldous said the state would help workers find new jobs.
"""
MILL_TIMES = """Source: Valley Times
Date: 2026-03-03

Halvorsen Steel confirmed on Monday that its Brackwater rolling mill will close, with 850 jobs lost.
Chief executive Ingrid Solberg blamed high energy prices.
Mayor Tom Aldous said the town would fight for the workers.
"""
TRANSFER = """Title: Neves <script>alert('x')</script> joins United & Co
Source: Sports Desk
Date: 2026-03-02

Manchester United have agreed a fee of about £48 million with Benfica for midfielder João Neves, the club said on Monday.
Manager Ruben Amorim said the 21-year-old would sign a five-year contract.
Benfica president Rui Costa said the club had received several offers for the player.
"""
MILL = {"brackwater_echo.txt": MILL_ECHO, "northern_post.txt": MILL_POST}


def write_inbox(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def stories(db: Path) -> dict[str, list[str]]:
    """Story slug -> its article ids."""
    out: dict[str, list[str]] = {}
    for slug, article in rows(db, "SELECT s.slug, sa.article_id FROM stories s JOIN story_articles sa "
                                  "ON sa.story_id = s.id ORDER BY s.id, sa.article_id"):
        out.setdefault(slug, []).append(article)
    return out


def discrepancy_rows(db: Path) -> list[tuple]:
    return rows(db, "SELECT s.slug, d.id, d.status, d.first_seen, d.last_seen, d.first_run, d.evidence_signature, "
                    "d.active FROM discrepancies d JOIN stories s ON s.id = d.story_id ORDER BY s.slug, d.id")


@pytest.fixture(scope="module")
def mill_night_one(tmp_path_factory) -> Path:
    """A store after one night: the two mill articles, one story, three discrepancies."""
    base = tmp_path_factory.mktemp("mill")
    result = run_batch(write_inbox(base / "inbox", MILL), base / "cc.db", base / "reports", run_date=NIGHT1)
    assert result.exit_code == 0 and result.new_discrepancies == 3, result.summary()
    return base / "cc.db"


@pytest.fixture
def mill_db(mill_night_one, tmp_path) -> Path:
    db = tmp_path / "cc.db"
    shutil.copy(mill_night_one, db)
    return db


# --------------------------------------------------------------------------- story assignment (no models)


def features(vector, names: dict[str, int] | None = None) -> ArticleFeatures:
    v = np.asarray(vector, np.float32)
    return ArticleFeatures(vector=v / np.linalg.norm(v), entities=names or {}, title="t")


def candidate(story_id, vector, names=None, n=1) -> _Candidate:
    v = np.asarray(vector, np.float32)
    return _Candidate(story_id, v / np.linalg.norm(v) * n, n, Counter(names or {}))


MILL_NAMES = {"halvorsen steel": 3, "ingrid solberg": 2, "tom aldous": 1}


def test_an_article_joins_the_most_similar_story_that_shares_its_names():
    config = Config()
    stories_ = [candidate(1, [1, 0.2, 0], MILL_NAMES), candidate(2, [1, 0.1, 0], MILL_NAMES),
                candidate(3, [1, 0, 0], {"manchester united": 2})]
    choice = choose_story(features([1, 0.1, 0], {"halvorsen steel": 2, "ingrid solberg": 1}), stories_, config)
    assert choice.story_id == 2 and choice.shared_entities == 2 and choice.similarity > 0.99


def test_a_lead_worded_alike_but_naming_other_people_starts_a_new_story():
    article = features([1, 0, 0], {"manchester united": 2, "joao neves": 1, "benfica": 1})
    choice = choose_story(article, [candidate(1, [1, 0.45, 0], MILL_NAMES)], Config())
    assert choice.similarity > Config().story_similarity_alone and choice.story_id is None


def test_shared_names_are_not_enough_when_the_leads_differ():
    article = features([0, 1, 0], {"halvorsen steel": 2, "ingrid solberg": 1})
    assert choose_story(article, [candidate(1, [1, 0, 0], MILL_NAMES)], Config()).story_id is None


def test_a_nearly_identical_lead_joins_even_without_names():
    config = Config()
    assert choose_story(features([1, 0.05, 0]), [candidate(7, [1, 0, 0])], config).story_id == 7
    assert choose_story(features([1, 0.9, 0]), [candidate(7, [1, 0, 0])], config).story_id is None


def test_an_article_naming_one_person_needs_only_that_one_shared():
    article = features([1, 0.9, 0], {"tom aldous": 2})
    assert choose_story(article, [candidate(1, [1, 0.6, 0], MILL_NAMES)], Config()).story_id == 1


def test_names_match_across_short_forms_and_spelling_variants():
    story = {"jose antonio kast": 29, "jeannette jara": 17, "communist party": 6}
    article = {"jose antonio kast rist": 7, "jeanette jara": 4, "kast": 2, "marco rubio": 1}
    assert shared_entity_count(article, story, Config()) == 3


def test_slug_is_the_first_date_and_the_most_mentioned_name():
    articles = [Article(id="a", text="x", date="2026-03-03"), Article(id="b", text="x", date="2026-03-02"),
                Article(id="c", text="x")]
    assert story_slug({"halvorsen steel": 3, "josé kast": 3}, articles, "t", NIGHT2) == "2026-03-02-halvorsen-steel"
    assert story_slug({"jose antonio kast": 1}, [Article(id="a", text="x")], "t", NIGHT2) == \
        "2026-03-03-jose-antonio-kast"
    assert story_slug({}, [], "Bridge to reopen in May!", NIGHT1) == "2026-03-02-bridge-to-reopen-in-may"


def _dismissed_then_found_again(tmp_path, kind, first, again, outlets):
    """Save a discrepancy with the ``first`` sides (file, value), dismiss it, save it
    again with the ``again`` sides; returns what was reopened and the final status."""
    def found(sides):
        return Discrepancy(id="d-1", kind=kind, severity=Severity.HIGH, score=0.9, explanation="x",
                           evidence=tuple(Evidence(file=f, start=0, end=len(v), text=v, value=v) for f, v in sides))

    with Store(tmp_path / "cc.db") as store:
        run = store.begin_run(NIGHT1, "inbox")
        with store.transaction():
            story = store.create_story(title="t", run_date=NIGHT1, run_id=run.id, dim=3).id
            _save_discrepancies(store, story, [found(first)], run, {})
        store.set_status(story, "d-1", "dismissed", note="fine", by="ana")
        with store.transaction():
            reopened = _save_discrepancies(store, story, [found(again)], run, outlets)
        return reopened, store.resolve_discrepancy("d-1").status, store.history(story, "d-1")


def test_a_dismissed_discrepancy_stays_dismissed_when_new_articles_only_repeat_a_side(tmp_path):
    reopened, status, history = _dismissed_then_found_again(
        tmp_path, DiscrepancyKind.ENTITY_ATTRIBUTE, [("a.txt", "Mayor"), ("b.txt", "Governor")],
        [("b.txt", "Governor"), ("a.txt", "Mayor"), ("c.txt", "mayor"), ("d.txt", "Governor")], {})
    assert reopened == [] and status == "dismissed" and len(history) == 2


def test_a_dismissed_discrepancy_reopens_when_new_evidence_adds_a_new_side(tmp_path):
    reopened, status, history = _dismissed_then_found_again(
        tmp_path, DiscrepancyKind.ENTITY_ATTRIBUTE, [("a.txt", "Mayor"), ("b.txt", "Governor")],
        [("a.txt", "Mayor"), ("b.txt", "Governor"), ("c.txt", "Mayor"), ("d.txt", "Senator")],
        {"d.txt": "Valley Times"})
    assert reopened == ["d-1 (dismissed): new evidence from d.txt (Valley Times): 'Senator'"]
    assert status == "open"
    assert [(e.status, e.by) for e in history] == [
        ("open", "claimcheck batch"), ("dismissed", "ana"), ("open", "claimcheck batch")]
    assert "d.txt (Valley Times): 'Senator'" in history[-1].note


def test_a_dismissed_spelling_slip_reopens_for_a_new_variant_not_for_the_right_spelling(tmp_path):
    first = [("a.txt", "Ingrid Solberg"), ("b.txt", "Ingrid Solburg")]
    right = [*first, ("c.txt", "Ingrid Solberg"), ("d.txt", "Ingrid Solberg")]
    reopened, status, _ = _dismissed_then_found_again(tmp_path / "1", DiscrepancyKind.NAME_SPELLING, first, right, {})
    assert reopened == [] and status == "dismissed"

    variant = [*first, ("c.txt", "Ingrid Sohlberg")]
    reopened, status, _ = _dismissed_then_found_again(tmp_path / "2", DiscrepancyKind.NAME_SPELLING, first, variant, {})
    assert reopened == ["d-1 (dismissed): new evidence from c.txt: 'Ingrid Sohlberg'"] and status == "open"


# --------------------------------------------------------------------------- nights


def test_seeds_over_two_nights_make_one_story_and_night_two_reports_only_what_is_new(tmp_path):
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    night1 = write_inbox(tmp_path / "inbox" / "1", {p.name: p.read_text(encoding="utf-8") for p in seeds[:3]})
    night2 = write_inbox(tmp_path / "inbox" / "2", {p.name: p.read_text(encoding="utf-8") for p in seeds[3:]})
    write_inbox(night2, {"sports_desk.txt": TRANSFER})
    db, reports = tmp_path / "cc.db", tmp_path / "reports"

    first = run_batch(night1, db, reports, run_date=dt.date(2025, 12, 15))
    assert first.summary().startswith(
        "3 new articles in 1 story (1 new story); 0 skipped as duplicates; 0 rejected; 2 discrepancies (2 new)")
    slug = "2025-12-15-jose-antonio-kast"
    assert list(stories(db)) == [slug]
    spelling, narrowly = "nam-a35594c14f17", "qua-4cd55d862f87"
    assert {r[1] for r in discrepancy_rows(db)} == {spelling, narrowly}

    with Store(db) as store:  # during the day, a fact-checker dismisses both
        store.set_status(store.story(slug).id, narrowly, "dismissed", note="fair for a first round", by="ana")
        store.set_status(store.story(slug).id, spelling, "dismissed", note="typo", by="ana")

    second = run_batch(night2, db, reports, run_date=dt.date(2025, 12, 16))
    assert second.exit_code == 0
    assert stories(db)[slug] == [p.name for p in seeds]  # all five seeds: one story
    assert len(stories(db)) == 2  # the football transfer started its own
    assert second.new_articles == 3 and second.new_stories == 1
    assert second.new_discrepancies == 1  # Rubio's two offices; nothing else is new
    by_id = {r[1]: r for r in discrepancy_rows(db)}
    assert by_id[narrowly][2:4] == ("dismissed", "2025-12-15")  # the dismissal holds
    # 003 and 004 spell Jara as 000 and 002 did: more evidence, no new spelling, still dismissed
    assert by_id[spelling][2] == "dismissed" and second.reopened == ()
    assert by_id["ent-38b5862652ba"][2:4] == ("open", "2025-12-16")

    night_two = reports / "2025-12-16"
    assert sorted(p.name for p in night_two.iterdir()) == sorted([slug, second.stories[-1].slug, "index.html"])
    report = json.loads((night_two / slug / "report.json").read_text(encoding="utf-8"))
    statuses = [(d["id"], d["status"]) for d in report["discrepancies"]]
    assert statuses[-2:] == [(spelling, "dismissed"), (narrowly, "dismissed")]  # last: the dismissed section
    index = (night_two / "index.html").read_text(encoding="utf-8")
    assert f'href="{slug}/report.html"' in index

    third = run_batch(night2, db, reports, run_date=dt.date(2025, 12, 16))  # the same inbox again
    assert third.summary().startswith(
        "0 new articles in 0 stories (0 new stories); 3 skipped as duplicates; 0 rejected; 0 discrepancies (0 new)")
    assert third.exit_code == 0 and third.written == ()
    assert {r[1]: r for r in discrepancy_rows(db)} == by_id
    assert rows(db, "SELECT COUNT(*) FROM articles") == [(6,)]


def test_an_unrelated_article_starts_its_own_story_and_the_index_escapes_titles(tmp_path):
    inbox = write_inbox(tmp_path / "inbox", {**MILL, "sports_desk.txt": TRANSFER})
    result = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", run_date=NIGHT1)
    assert stories(tmp_path / "cc.db") == {
        "2026-03-02-halvorsen-steel": ["brackwater_echo.txt", "northern_post.txt"],
        "2026-03-02-benfica": ["sports_desk.txt"],
    }
    assert result.new_stories == 2 and result.discrepancies == 3
    index = (tmp_path / "reports" / "2026-03-02" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; joins United &amp; Co" in index
    assert "<script" not in index
    for slug in ("2026-03-02-halvorsen-steel", "2026-03-02-benfica"):
        folder = tmp_path / "reports" / "2026-03-02" / slug
        assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json", "report.md"]


def test_a_story_that_did_not_change_is_neither_checked_nor_reported_again(mill_db, tmp_path):
    inbox = write_inbox(tmp_path / "inbox2", {"sports_desk.txt": TRANSFER})
    result = run_batch(inbox, mill_db, tmp_path / "reports", run_date=NIGHT2)
    assert [s.slug for s in result.stories] == ["2026-03-02-benfica"]
    assert sorted(p.name for p in (tmp_path / "reports" / "2026-03-03").iterdir()) == [
        "2026-03-02-benfica", "index.html"]
    index = (tmp_path / "reports" / "2026-03-03" / "index.html").read_text(encoding="utf-8")
    assert "Earlier stories with open discrepancies" in index  # the mill story, linked to its last report
    assert 'href="../2026-03-02/2026-03-02-halvorsen-steel/report.html"' in index


def test_a_story_whose_analysis_fails_is_named_the_others_are_reported_and_it_is_retried(tmp_path, monkeypatch):
    break_extraction(monkeypatch, "sports_desk.txt", ValueError("parser exploded"))
    inbox = write_inbox(tmp_path / "inbox", {**MILL, "sports_desk.txt": TRANSFER})
    result = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", run_date=NIGHT1)
    assert result.exit_code == 1
    [problem] = result.problems
    assert "sports_desk.txt" in problem and "ValueError: parser exploded" in problem and "tried again" in problem
    night = tmp_path / "reports" / "2026-03-02"
    assert (night / "2026-03-02-halvorsen-steel" / "report.json").is_file()
    assert result.discrepancies == 3

    monkeypatch.undo()
    again = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", run_date=NIGHT2)
    assert again.exit_code == 0 and [s.slug for s in again.stories] == []  # no new article ...
    assert (tmp_path / "reports" / "2026-03-03" / "2026-03-02-benfica" / "report.json").is_file()  # ... but checked


# --------------------------------------------------------------------------- bad input, through batch


def night_two(mill_db: Path, tmp_path: Path, bad: dict[str, str | bytes]):
    """Run night two on the mill store: one good new article plus the bad input."""
    inbox = write_inbox(tmp_path / "inbox2", {"valley_times.txt": MILL_TIMES, **bad})
    before = rows(mill_db, "SELECT id, content_hash FROM articles ORDER BY id")
    result = run_batch(inbox, mill_db, tmp_path / "reports", run_date=NIGHT2)
    after = rows(mill_db, "SELECT id, content_hash FROM articles ORDER BY id")
    assert set(before) <= set(after), "an article already stored was lost"
    assert ("valley_times.txt",) in rows(mill_db, "SELECT id FROM articles"), "the good article was not processed"
    report = tmp_path / "reports" / "2026-03-03" / "2026-03-02-halvorsen-steel" / "report.json"
    assert json.loads(report.read_text(encoding="utf-8"))["discrepancies"]
    return result, inbox


def only_problem(result, name: str, *words: str) -> str:
    assert result.exit_code == 1
    assert len(result.problems) == 1, result.problems
    message = str(result.problems[0])
    assert name in message and all(w in message for w in words), message
    return message


def test_an_empty_file_is_rejected_by_name(mill_db, tmp_path):
    result, _ = night_two(mill_db, tmp_path, {"empty.txt": b""})
    only_problem(result, "empty.txt", "CC101", "file is empty")


def test_a_binary_file_is_rejected_by_name(mill_db, tmp_path):
    result, _ = night_two(mill_db, tmp_path, {"photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50})
    only_problem(result, "photo.txt", "CC102", "binary")


@pytest.mark.parametrize("encoding, text", [
    ("latin-1", "Source: Gazette\n\nThe café in Brackwater, run by Zoë Ærø, closed."),
    ("cp1252", "Source: Gazette\n\nThe union said the closure was \u201ca betrayal\u201d \u2013 and vowed to fight."),
])
def test_latin1_and_cp1252_text_is_decoded_with_a_note(mill_db, tmp_path, encoding, text):
    result, _ = night_two(mill_db, tmp_path, {"legacy.txt": text.encode(encoding)})
    assert result.exit_code == 0 and not result.problems
    assert any(n.startswith("legacy.txt: decoded as cp1252") for n in result.notes), result.notes
    stored = rows(mill_db, "SELECT text FROM articles WHERE id = 'legacy.txt'")[0][0]
    assert stored == text


def test_a_20_mb_file_is_rejected_without_being_read(mill_db, tmp_path):
    (tmp_path / "inbox2").mkdir()
    with open(tmp_path / "inbox2" / "huge.txt", "wb") as handle:
        handle.truncate(20_000_000)  # sparse: instant to make, and never read
    result, _ = night_two(mill_db, tmp_path, {})
    only_problem(result, "huge.txt", "CC103", "20,000,000 bytes", "max_file_bytes")


def test_a_single_100_kb_line_is_processed(mill_db, tmp_path):
    # One line of 100 KB: a sentence carrying a pasted 100 KB tracking URL.  (100 KB of
    # prose on one line works too, ~25 s with 1,500 claims to embed: opt-in, see
    # test_100_kb_of_prose_on_one_line_is_processed.)
    line = ("Halvorsen Steel said the Brackwater site would be sold, according to a notice at "
            "https://halvorsen.example/notice?ref=" + "a1b2c3d4" * 12_500 + " published on Monday.")
    result, _ = night_two(mill_db, tmp_path, {"one_line.txt": "Source: Wire\n\n" + line})
    assert result.exit_code == 0 and not result.problems
    stored = rows(mill_db, "SELECT length(text) FROM articles WHERE id = 'one_line.txt'")[0][0]
    assert stored > 100_000


@pytest.mark.skipif(not os.environ.get("CLAIMCHECK_SLOW_TESTS"), reason="slow: set CLAIMCHECK_SLOW_TESTS=1")
def test_100_kb_of_prose_on_one_line_is_processed(mill_db, tmp_path):
    prose = " ".join(f"Inspection {i} of the Brackwater mill found {i % 7 + 2} cracked beams." for i in range(1500))
    result, _ = night_two(mill_db, tmp_path, {"prose.txt": "Source: Wire\n\n" + prose})
    assert result.exit_code == 0


def test_an_article_already_stored_under_another_name_is_skipped(mill_db, tmp_path):
    result, inbox = night_two(mill_db, tmp_path, {"echo_copy.txt": MILL_ECHO.replace("\n", "\r\n"),
                                                  "valley_times_copy.txt": MILL_TIMES})
    assert result.exit_code == 0 and not result.problems
    assert [str(d) for d in result.duplicates] == [
        f"{inbox / 'echo_copy.txt'}: already stored as brackwater_echo.txt; skipped as a duplicate",
        f"{inbox / 'valley_times_copy.txt'}: already stored as valley_times.txt; skipped as a duplicate",
    ]
    assert result.summary().startswith("1 new article in 1 story (0 new stories); 2 skipped as duplicates")


def test_a_malformed_jsonl_line_is_rejected_and_the_good_records_are_processed(mill_db, tmp_path):
    good = json.dumps({"id": "wire-1", "source": "Wire", "text": "Ingrid Solberg of Halvorsen Steel met unions."})
    good2 = json.dumps({"id": "wire-2", "source": "Wire", "text": "Tom Aldous met workers at the Brackwater mill."})
    result, _ = night_two(mill_db, tmp_path, {"feed.jsonl": f"{good}\n{{not json\n{good2}\n"})
    only_problem(result, "feed.jsonl:2", "CC104", "not valid JSON")
    assert {r[0] for r in rows(mill_db, "SELECT id FROM articles")} >= {"feed.jsonl#wire-1", "feed.jsonl#wire-2"}


def test_an_html_page_keeps_the_article_and_drops_scripts_and_navigation(mill_db, tmp_path):
    page = """<html><head><title>Mill</title><script>var tracking = "SECRET";</script></head><body>
    <nav><a href="/">Home</a> | <a href="/sport">Sport</a></nav>
    <article><h1>Mill to close</h1><p>Halvorsen Steel will close the Brackwater mill, Ingrid Solberg said.</p></article>
    <footer>Copyright Brackwater Echo</footer></body></html>"""
    result, _ = night_two(mill_db, tmp_path, {"page.html": page})
    assert result.exit_code == 0 and not result.problems
    text = rows(mill_db, "SELECT text FROM articles WHERE id = 'page.html'")[0][0]
    assert "Halvorsen Steel will close the Brackwater mill" in text
    assert "SECRET" not in text and "Sport" not in text and "Copyright" not in text


def test_an_unreadable_file_is_rejected_by_name(mill_db, tmp_path, monkeypatch):
    write_inbox(tmp_path / "inbox2", {"locked.txt": "Tom Aldous spoke."})
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):  # we run as root, where chmod 000 stops nothing
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    result, _ = night_two(mill_db, tmp_path, {})
    only_problem(result, "locked.txt", "CC106", "permission denied")


def test_an_inbox_that_does_not_exist_does_nothing_and_says_so(mill_db, tmp_path):
    before = discrepancy_rows(mill_db)
    with pytest.raises(InputError, match="nowhere.*does not exist"):
        run_batch(tmp_path / "nowhere", mill_db, tmp_path / "reports", run_date=NIGHT2)
    result = runner.invoke(app, ["batch", str(tmp_path / "nowhere"), "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 2 and "nowhere" in result.output and "does not exist" in result.output
    assert not (tmp_path / "new.db").exists() and discrepancy_rows(mill_db) == before


# --------------------------------------------------------------------------- the command


def test_batch_command_prints_one_summary_line_and_exits_1_when_a_file_is_rejected(mill_db, tmp_path):
    inbox = write_inbox(tmp_path / "inbox2", {"valley_times.txt": MILL_TIMES, "empty.txt": b""})
    args = ["batch", str(inbox), "--db", str(mill_db), "--reports", str(tmp_path / "r"), "--date", "2026-03-03"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines == [f"1 new article in 1 story (0 new stories); 0 skipped as duplicates; 1 rejected; "
                     f"3 discrepancies (0 new); wrote {tmp_path / 'r' / '2026-03-03'}/"]
    assert "empty.txt" in result.stderr and "reopened" not in result.stderr

    quiet = runner.invoke(app, [*args, "--quiet"])  # cron: nothing but errors
    assert quiet.exit_code == 1 and quiet.stdout == "" and "empty.txt" in quiet.stderr


def test_batch_command_exits_2_when_nothing_could_be_read(mill_db, tmp_path):
    inbox = write_inbox(tmp_path / "inbox2", {"empty.txt": b"", "blank.md": "  \n"})
    result = runner.invoke(app, ["batch", str(inbox), "--db", str(mill_db), "--reports", str(tmp_path / "r")])
    assert result.exit_code == 2 and "nothing done" in result.stderr
    empty = write_inbox(tmp_path / "empty_inbox", {})
    result = runner.invoke(app, ["batch", str(empty), "--db", str(mill_db), "--reports", str(tmp_path / "r")])
    assert result.exit_code == 2 and "no article files" in result.stderr


def test_an_empty_inbox_creates_no_dated_folder_no_run_and_no_database(mill_db, tmp_path):
    empty = write_inbox(tmp_path / "empty_inbox", {})
    runs_before = rows(mill_db, "SELECT COUNT(*) FROM runs")
    result = run_batch(empty, mill_db, tmp_path / "r", run_date=NIGHT2)
    assert result.exit_code == 2 and result.index is None and result.written == ()
    assert "wrote nothing" in result.summary()
    assert not (tmp_path / "r").exists() and rows(mill_db, "SELECT COUNT(*) FROM runs") == runs_before

    fresh = runner.invoke(app, ["batch", str(empty), "--db", str(tmp_path / "new.db"), "--reports", str(tmp_path / "r")])
    assert fresh.exit_code == 2 and "no article files" in fresh.stderr
    assert not (tmp_path / "r").exists() and not (tmp_path / "new.db").exists()


def test_an_empty_inbox_still_finishes_a_run_that_was_killed(mill_db, tmp_path):
    with Store(mill_db) as store:  # as a run killed after storing its articles leaves it
        run = store.begin_run(NIGHT2, "inbox2")
        story = store.stories()[0]
        store.update_story_features(story.id, centroid=story.centroid, n_articles=story.n_articles,
                                    entities=story.entities, updated=NIGHT2)
    result = run_batch(write_inbox(tmp_path / "empty_inbox", {}), mill_db, tmp_path / "r", run_date=NIGHT2)
    assert result.run_id == run.id and result.resumed and result.written
    assert (tmp_path / "r" / NIGHT2.isoformat() / "index.html").is_file()


def test_a_second_batch_on_the_same_database_gives_up_at_once_naming_the_pid(mill_db, tmp_path):
    inbox = write_inbox(tmp_path / "inbox2", {"echo.txt": MILL_ECHO})
    with BatchLock(mill_db):
        with pytest.raises(BatchLockedError, match=rf"another claimcheck batch is running on .*cc.db \(pid {os.getpid()}\)"):
            run_batch(inbox, mill_db, tmp_path / "r")
        result = runner.invoke(app, ["batch", str(inbox), "--db", str(mill_db), "--reports", str(tmp_path / "r")])
    assert result.exit_code == 2 and f"(pid {os.getpid()})" in result.stderr


def test_with_wait_a_second_batch_runs_once_the_first_finishes(mill_db, tmp_path):
    inbox = write_inbox(tmp_path / "inbox2", {"echo.txt": MILL_ECHO})
    lock = BatchLock(mill_db).__enter__()
    threading.Timer(0.4, lock.__exit__).start()
    started = time.monotonic()
    result = runner.invoke(app, ["batch", str(inbox), "--db", str(mill_db), "--reports", str(tmp_path / "r"),
                                 "--wait", "10"])
    assert result.exit_code == 0, result.output
    assert 0.3 < time.monotonic() - started < 10
    assert "1 skipped as duplicates" in result.stdout


def test_a_lock_held_by_another_process_is_seen(mill_db, tmp_path):
    code = ("import sys, time; from claimcheck.batch import BatchLock\n"
            "with BatchLock(sys.argv[1]):\n    print('locked', flush=True); time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(mill_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BatchLockedError, match=rf"\(pid {holder.pid}\)"):
            run_batch(write_inbox(tmp_path / "inbox2", {"echo.txt": MILL_ECHO}), mill_db, tmp_path / "r")
    finally:
        holder.kill()
        holder.wait()
    run_batch(tmp_path / "inbox2", mill_db, tmp_path / "r")  # the kernel freed the lock with the process


# --------------------------------------------------------------------------- crash safety


def report_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {
        "articles": rows(db, "SELECT id, content_hash, run_id FROM articles ORDER BY id"),
        "stories": rows(db, "SELECT slug, title, n_articles, entities, needs_analysis, needs_report, report_date "
                            "FROM stories ORDER BY slug"),
        "members": sorted(stories(db).items(), key=str),
        "claims": rows(db, "SELECT article_id, claim_id FROM claims ORDER BY article_id, claim_id"),
        "discrepancies": discrepancy_rows(db),
        "history": rows(db, "SELECT discrepancy_id, status, note, by FROM review_events ORDER BY seq"),
        "runs": rows(db, "SELECT id, run_date, finished_at IS NOT NULL FROM runs ORDER BY id"),
        # a run that finishes its work leaves no failed attempt behind
        "failures": rows(db, "SELECT path FROM file_failures") + rows(db, "SELECT slug FROM stories WHERE attempts > 0"),
    }


def kill_chain(command: list[str], db: Path, reports: Path, points: list[str]) -> list[str]:
    """Run the batch once per point, each killed there; returns what went wrong."""
    failures = []
    for point in points:
        killed = subprocess.run(command, env={**os.environ, "CLAIMCHECK_TEST_KILL_AT": point},
                                capture_output=True, text=True, timeout=120)
        if killed.returncode != -signal.SIGKILL:
            failures.append(f"{point}: exit {killed.returncode}: {killed.stderr[-2000:]}")
            continue
        # consistent after every kill: each stored article is in exactly one story, no empty story
        if rows(db, "SELECT COUNT(*) FROM articles") != rows(db, "SELECT COUNT(*) FROM story_articles"):
            failures.append(f"{point}: an article without a story")
        if rows(db, "SELECT COUNT(*) FROM stories WHERE n_articles = 0") != [(0,)]:
            failures.append(f"{point}: a story without articles")
        if list(reports.rglob("*.tmp")):
            failures.append(f"{point}: a report file was left half-written")
    return failures


def test_a_run_killed_at_any_stage_is_finished_by_the_next_with_the_same_rows_and_reports(tmp_path):
    cache = tmp_path / "cache"  # warmed by the reference run: the killed runs need no embedding model
    # each killed run counts an attempt at the files it was reading: allow more than the four kills
    (tmp_path / "cc.toml").write_text(f'cache_dir = "{cache}"\nbatch_max_attempts = 10\n')
    config = Config.load(tmp_path / "cc.toml")
    inbox = write_inbox(tmp_path / "inbox", {**MILL, "sports_desk.txt": TRANSFER})
    expected = run_batch(inbox, tmp_path / "ref.db", tmp_path / "ref", config=config, run_date=NIGHT1)
    reference = snapshot(tmp_path / "ref.db")

    # Two chains of killed runs, side by side on two databases; each run resumes the last.
    chains = {
        "a": ["article-parsed", "article-committed", "article-uncommitted", "analysis-uncommitted"],
        "b": ["analysis-saved", "report-written", "index-written"],
    }
    assert {p for points in chains.values() for p in points} == set(KILL_POINTS)
    failures: dict[str, list[str]] = {}

    def run_chain(name: str) -> None:
        db, reports = tmp_path / f"{name}.db", tmp_path / f"reports-{name}"
        command = [sys.executable, "-m", "claimcheck", "batch", str(inbox), "--db", str(db), "--reports",
                   str(reports), "--date", NIGHT1.isoformat(), "--config", str(tmp_path / "cc.toml"), "--quiet"]
        failures[name] = kill_chain(command, db, reports, chains[name])

    threads = [threading.Thread(target=run_chain, args=(name,)) for name in chains]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == {"a": [], "b": []}

    for name in chains:
        db, reports = tmp_path / f"{name}.db", tmp_path / f"reports-{name}"
        assert snapshot(db)["runs"] == [(1, "2026-03-02", 0)]  # one run, never finished
        finished = run_batch(inbox, db, reports, config=config, run_date=NIGHT1)
        assert finished.summary().replace(str(reports), "R") == expected.summary().replace(str(tmp_path / "ref"), "R")
        assert snapshot(db) == reference

        got, want = report_files(reports), report_files(tmp_path / "ref")
        assert sorted(got) == sorted(want)
        for file, text in got.items():
            if file.endswith("report.json"):
                a, b = json.loads(text), json.loads(want[file])
                assert a["discrepancies"] == b["discrepancies"] and a["articles"] == b["articles"]
            elif file.endswith("report.md"):
                assert text == want[file]
            elif file.endswith("index.html"):
                assert text.replace(str(reports), "R") == want[file].replace(str(tmp_path / "ref"), "R")
            else:
                assert text.rstrip().endswith("</html>")

        again = run_batch(inbox, db, reports, config=config, run_date=NIGHT1)
        assert again.new_articles == 0 and len(again.duplicates) == 3 and again.new_discrepancies == 0
        assert snapshot(db)["discrepancies"] == reference["discrepancies"]


def test_a_jsonl_duplicate_is_skipped_naming_the_file_and_the_record(mill_db, tmp_path):
    copy = json.dumps({"id": "wire-9", "source": "Wire", "text": MILL_ECHO})
    result, inbox = night_two(mill_db, tmp_path, {"feed.jsonl": copy + "\n"})
    assert [str(d) for d in result.duplicates] == [
        f"{inbox / 'feed.jsonl'}, record 'wire-9': already stored as brackwater_echo.txt; skipped as a duplicate"]


def test_the_stored_articles_keep_their_record_and_encoding_for_later_reports(mill_db, tmp_path):
    latin = MILL_TIMES.replace("Valley Times", "Vallée Times").encode("cp1252")
    inbox = write_inbox(tmp_path / "inbox2", {"vallee.txt": latin})
    run_batch(inbox, mill_db, tmp_path / "reports", run_date=NIGHT2)
    report = tmp_path / "reports" / "2026-03-03" / "2026-03-02-halvorsen-steel" / "report.json"
    encodings = {a["id"]: a["encoding"] for a in json.loads(report.read_text(encoding="utf-8"))["articles"]}
    assert encodings == {"brackwater_echo.txt": "utf-8", "northern_post.txt": "utf-8", "vallee.txt": "cp1252"}


# --------------------------------------------------------------------------- failures are not retried for ever

POISON = MILL_TIMES.replace("Valley Times", "Quay Courier") + "POISON\n"


def poison_features(monkeypatch):
    """Make reading any article whose text holds POISON fail, as a parser crash would."""
    from claimcheck import story_features

    real = story_features.articles_features

    def failing(articles, config):
        if any("POISON" in a.text for a in articles):
            raise ValueError("the parser choked")
        return real(articles, config)

    monkeypatch.setattr(story_features, "articles_features", failing)


def test_a_file_that_fails_is_tried_three_times_then_held_back_until_its_bytes_change(mill_db, tmp_path, monkeypatch):
    poison_features(monkeypatch)
    inbox = write_inbox(tmp_path / "inbox2", {"valley_times.txt": MILL_TIMES, "quay.txt": POISON})
    for night in range(3):
        result = run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2 + dt.timedelta(days=night))
        assert result.exit_code == 1 and result.held_back == ()
        [problem] = result.problems
        assert str(inbox / "quay.txt") in problem and "ValueError: the parser choked" in problem
    assert ("valley_times.txt",) in rows(mill_db, "SELECT id FROM articles")  # the good file went on
    with Store(mill_db) as store:
        [failure] = store.file_failures()
    assert failure.attempts == 3 and "the parser choked" in failure.error and failure.path == str(inbox / "quay.txt")

    fourth = run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2 + dt.timedelta(days=3))
    assert fourth.exit_code == 0 and fourth.problems == ()
    [held] = fourth.held_back
    assert held.startswith(f"{inbox / 'quay.txt'}: held back, not read: 3 attempts failed (last: ")
    assert f"`claimcheck failures clear {failure.content_hash[:12]}`" in held
    assert "; 1 held back; " in fourth.summary()
    index = (tmp_path / "r" / (NIGHT2 + dt.timedelta(days=3)).isoformat() / "index.html").read_text(encoding="utf-8")
    assert "Held back after failing before" in index and "quay.txt: held back" in index

    (inbox / "quay.txt").write_text(POISON + "A new paragraph.\n", encoding="utf-8")  # new bytes: a new file
    fifth = run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2 + dt.timedelta(days=4))
    assert fifth.exit_code == 1 and fifth.held_back == () and "the parser choked" in fifth.problems[0]


def test_an_operator_lists_and_clears_failed_files_and_stories(mill_db, tmp_path, monkeypatch):
    poison_features(monkeypatch)
    inbox = write_inbox(tmp_path / "inbox2", {"quay.txt": POISON})
    for night in range(3):
        run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2 + dt.timedelta(days=night))
    with Store(mill_db) as store:
        [failure] = store.file_failures()
        story = store.stories()[0]
        store.begin_story_attempts([story.id])
        store.story_attempt_failed(story.id, "analysis failed: ValueError: x")

    listed = runner.invoke(app, ["failures", "list", "--db", str(mill_db)])
    assert listed.exit_code == 0, listed.output
    assert f"{failure.content_hash[:12]}  3 attempts, held back" in listed.stdout
    assert str(inbox / "quay.txt") in listed.stdout and "the parser choked" in listed.stdout
    assert f"{story.slug}  1 attempt" in listed.stdout and "ValueError: x" in listed.stdout

    cleared = runner.invoke(app, ["failures", "clear", failure.content_hash[:12], "--db", str(mill_db)])
    assert cleared.exit_code == 0 and f"cleared {inbox / 'quay.txt'}" in cleared.stdout
    cleared = runner.invoke(app, ["failures", "clear", story.slug, "--db", str(mill_db)])
    assert cleared.exit_code == 0 and f"cleared story {story.slug}" in cleared.stdout
    unknown = runner.invoke(app, ["failures", "clear", "nothing-like-it", "--db", str(mill_db)])
    assert unknown.exit_code == 2 and "no failed file or story" in unknown.output
    assert runner.invoke(app, ["failures", "list", "--db", str(mill_db)]).stdout.strip() == "No failures."

    again = run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2 + dt.timedelta(days=5))
    assert again.held_back == () and "the parser choked" in again.problems[0]  # read again


def test_a_run_that_dies_while_reading_counts_an_attempt_for_the_files_it_was_reading(mill_db, tmp_path, monkeypatch):
    from claimcheck import story_features

    def killed(articles, config):
        raise KeyboardInterrupt  # like a kill: nothing after this point runs

    monkeypatch.setattr(story_features, "features_each", killed)
    inbox = write_inbox(tmp_path / "inbox2", {"valley_times.txt": MILL_TIMES})
    with pytest.raises(KeyboardInterrupt):
        run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2)
    with Store(mill_db) as store:
        [failure] = store.file_failures()
    assert failure.attempts == 1 and "the run stopped while reading it" in failure.error

    monkeypatch.undo()
    finished = run_batch(inbox, mill_db, tmp_path / "r", run_date=NIGHT2)
    assert finished.exit_code == 0 and finished.new_articles == 1
    with Store(mill_db) as store:
        assert store.file_failures() == []  # read at last: nothing to remember


def test_a_story_whose_check_fails_is_held_back_after_three_tries_until_an_article_joins(tmp_path, monkeypatch):
    break_extraction(monkeypatch, "sports_desk.txt", ValueError("parser exploded"))
    inbox = write_inbox(tmp_path / "inbox", {"sports_desk.txt": TRANSFER})
    db = tmp_path / "cc.db"
    said = []
    for night in range(4):
        result = run_batch(inbox, db, tmp_path / "r", run_date=NIGHT1 + dt.timedelta(days=night))
        said.append((result.exit_code, [p for p in result.problems], list(result.held_back)))
    assert [code for code, _, _ in said] == [1, 1, 1, 0]
    assert all("tried again" in problems[0] for _, problems, _ in said[:2])
    assert "held back after 3 attempts" in said[2][1][0]
    assert said[3][1] == [] and said[3][2][0].startswith("story ")
    assert "3 attempts failed (last: analysis failed: ValueError: parser exploded)" in said[3][2][0]

    other = TRANSFER.replace("Sports Desk", "Match Wire").replace("a fee of about", "a fee of")
    more = write_inbox(tmp_path / "inbox2", {"sports_desk_2.txt": other})
    joined = run_batch(more, db, tmp_path / "r", run_date=NIGHT1 + dt.timedelta(days=4))
    assert joined.held_back == () and "tried again" in joined.problems[0]  # a new article: tried afresh
