"""Batch runs on PostgreSQL: the same answers as SQLite, two runs at once on one
database, and reviewers deciding while a run rewrites the story.

Interleavings are forced, not hoped for: a run is paused at a named point
(``CLAIMCHECK_TEST_PAUSE_AT``) and the test waits until the server shows the other
party blocked on the lock it is meant to wait for, before letting the first go on."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from claimcheck.batch import PAUSE_ENV, PAUSE_FILE_ENV, run_batch
from claimcheck.config import Config
from claimcheck.review import decide, open_store
from claimcheck.store import Store
from claimcheck.store.backends import LOCK_CLASSES

from .scale_helpers import store_answers
from .test_batch import MILL, MILL_ECHO, MILL_POST, MILL_TIMES, TRANSFER, write_inbox

NIGHT1, NIGHT2 = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
WAIT = 120.0  # seconds: a bound on waiting for the other process, never a pause that makes the test pass


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def waiting_on_lock(url: str, kind: str | None = None) -> int:
    """Sessions of the database waiting for a lock (an advisory lock of ``kind``, or a row)."""
    import psycopg

    with psycopg.connect(url) as conn:
        if kind is None:
            sql = ("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND wait_event_type = 'Lock'")
            return conn.execute(sql).fetchone()[0]
        return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                            "AND NOT granted", (LOCK_CLASSES[kind],)).fetchone()[0]


def batch_process(inbox: Path, url: str, reports: Path, config_file: Path, pause_at: str, marker: Path):
    env = {**os.environ, PAUSE_ENV: pause_at, PAUSE_FILE_ENV: str(marker)}
    command = [sys.executable, "-m", "claimcheck", "batch", str(inbox), "--db", url, "--reports", str(reports),
               "--date", NIGHT1.isoformat(), "--config", str(config_file), "--quiet"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_runs_at_once_store_each_article_once_and_give_the_answers_of_two_runs_in_turn(pg_url, tmp_path):
    cache = tmp_path / "cache"  # warmed by the reference runs: the two processes load only the parser
    config_file = tmp_path / "cc.toml"
    config_file.write_text(f'cache_dir = "{cache}"\n')
    config = Config.load(config_file)
    first = write_inbox(tmp_path / "inbox-a", {**MILL, "sports_desk.txt": TRANSFER})
    # the second inbox has the first's two mill articles again, and a third that joins their story
    second = write_inbox(tmp_path / "inbox-b", {**MILL, "valley_times.txt": MILL_TIMES})
    for inbox in (first, second):  # the same two runs one after the other, on SQLite
        run_batch(inbox, tmp_path / "ref.db", tmp_path / "ref", config=config, run_date=NIGHT1)
    expected = store_answers(tmp_path / "ref.db", with_runs=False)

    a = batch_process(first, pg_url, tmp_path / "ra", config_file, "article-committed", tmp_path / "a")
    try:
        # A has filed its first article and holds the assignment lock
        wait_for(lambda: (tmp_path / "a.reached").exists() or a.poll() is not None, "run A to file an article")
        b = batch_process(second, pg_url, tmp_path / "rb", config_file, "article-parsed", tmp_path / "b")
        try:
            # B has read its inbox (one mill article stored, one not yet) and parsed what looked new
            wait_for(lambda: (tmp_path / "b.reached").exists() or b.poll() is not None, "run B to read its inbox")
            (tmp_path / "b.go").touch()
            wait_for(lambda: waiting_on_lock(pg_url, "assignment") or b.poll() is not None,
                     "run B to wait for the assignment lock")
            (tmp_path / "a.go").touch()
            out_a, out_b = a.communicate(timeout=WAIT), b.communicate(timeout=WAIT)
        finally:
            b.kill()
    finally:
        a.kill()
    assert a.returncode == 0, out_a[1][-3000:]
    assert b.returncode == 0, out_b[1][-3000:]

    with Store(pg_url) as store:
        assert store.count("articles") == 4 == store.count("story_articles")  # each once, each in a story
        assert [r.finished_at is not None for r in store.runs()] == [True, True]
        assert not store.stories_needing_analysis() and not store.stories_needing_report()
        for story in store.stories():
            for d in store.story_discrepancies(story.id).values():  # found once, noted once
                found = [e for e in store.history(story.id, d.id) if e.note.startswith("found by")]
                assert len(found) == 1, (d.id, found)
        runs = [r.summary for r in store.runs()]
    assert [s["new_articles"] for s in runs] == [3, 1] and [s["duplicates"] for s in runs] == [0, 2]
    assert store_answers(pg_url, with_runs=False) == expected


def test_a_decision_taken_while_a_run_rewrites_the_story_waits_for_it_and_is_kept(pg_url, tmp_path, monkeypatch):
    config = Config(cache_dir=str(tmp_path / "cache"))
    night1 = run_batch(write_inbox(tmp_path / "in1", MILL), pg_url, tmp_path / "r", config=config, run_date=NIGHT1)
    assert night1.exit_code == 0 and night1.new_discrepancies
    with open_store(pg_url) as store:
        target = next(d for d in store.find_discrepancies() if d.kind.value == "entity_attribute")

    # night two stops inside its save of the story, its discrepancies read (and locked)
    monkeypatch.setenv(PAUSE_ENV, "discrepancies-read")
    monkeypatch.setenv(PAUSE_FILE_ENV, str(tmp_path / "night2"))
    results = {}
    night2 = threading.Thread(target=lambda: results.update(night2=run_batch(
        write_inbox(tmp_path / "in2", {"valley_times.txt": MILL_TIMES}), pg_url, tmp_path / "r", config=config,
        run_date=NIGHT2)))
    night2.start()
    try:
        wait_for(lambda: (tmp_path / "night2.reached").exists() or not night2.is_alive(), "night two to save")

        def review() -> None:
            with open_store(pg_url) as store:
                results["decision"] = decide(store, target.id, "dismissed", note="both are right", by="ana")

        reviewer = threading.Thread(target=review)
        reviewer.start()
        # the reviewer waits for the run's lock on the row (or, were there none, is already done)
        wait_for(lambda: waiting_on_lock(pg_url) or not reviewer.is_alive(), "the reviewer to wait or finish")
        assert reviewer.is_alive(), "the decision did not wait for the run that is rewriting the story"
    finally:
        (tmp_path / "night2.go").touch()
        night2.join(WAIT)
    reviewer.join(WAIT)
    assert results["night2"].exit_code == 0 and results["decision"].changed
    with open_store(pg_url) as store:
        kept = store.resolve_discrepancy(target.id)
        assert kept.status == "dismissed" and kept.active and kept.last_seen == NIGHT2
        assert [(e.status, e.by) for e in store.history(kept.story_id, kept.id)][-1] == ("dismissed", "ana")


def test_review_commands_take_a_postgresql_url_and_refuse_a_database_without_the_store(pg_url, pg_server, tmp_path):
    from typer.testing import CliRunner

    from claimcheck.cli import app
    from claimcheck.errors import StoreError

    from .conftest import drop_pg_database, fresh_pg_database

    run_batch(write_inbox(tmp_path / "in", {"brackwater_echo.txt": MILL_ECHO, "northern_post.txt": MILL_POST}),
              pg_url, tmp_path / "r", config=Config(cache_dir=str(tmp_path / "cache")), run_date=NIGHT1)
    listed = CliRunner().invoke(app, ["review", "list", "--db", pg_url])
    assert listed.exit_code == 0 and "open" in listed.stdout, listed.output
    empty = fresh_pg_database(pg_server)
    try:
        with pytest.raises(StoreError, match="holds no claimcheck batch database"):
            open_store(empty)
    finally:
        drop_pg_database(pg_server, empty)
