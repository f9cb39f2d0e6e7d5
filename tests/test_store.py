"""The batch store: migrations, transactions, articles by content, discrepancies by
stable id, and an append-only review history.  No models are loaded here."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pytest

from claimcheck import store as store_module
from claimcheck.errors import StoreError
from claimcheck.models import Article, Discrepancy, DiscrepancyKind, Evidence, Severity
from claimcheck.store import MIGRATIONS, Store, evidence_signature

DAY1 = dt.date(2026, 3, 2)
DAY2 = dt.date(2026, 3, 3)


def discrepancy(id_: str = "num-aaa", files: tuple[str, ...] = ("a.txt", "b.txt"), explanation: str = "850 vs 1,400"):
    return Discrepancy(
        id=id_, kind=DiscrepancyKind.NUMERIC, severity=Severity.HIGH, score=0.8, explanation=explanation,
        evidence=tuple(Evidence(file=f, start=0, end=3, text="850", value="850") for f in files),
        subject="Halvorsen Steel",
    )


@pytest.fixture
def db(tmp_path):
    with Store(tmp_path / "cc.db") as store:
        yield store


def new_story(store: Store, run_id: int, title: str = "Mill closes") -> int:
    with store.transaction():
        return store.create_story(title=title, run_date=DAY1, run_id=run_id, dim=4).id


def add(store: Store, story_id: int, run_id: int, article_id: str, text: str, digest: str) -> str:
    with store.transaction():
        return store.add_article(Article(id=article_id, text=text, source="Echo", date="2026-03-02"),
                                 content_hash=digest, run_id=run_id, story_id=story_id)


# --------------------------------------------------------------------------- schema


def test_a_new_database_is_migrated_to_the_latest_version_with_wal_and_foreign_keys(tmp_path):
    with Store(tmp_path / "cc.db") as store:
        assert store.schema_version() == len(MIGRATIONS)
    conn = sqlite3.connect(tmp_path / "cc.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "stories", "story_articles", "claims", "discrepancies", "review_events", "runs"} <= tables


def test_foreign_keys_are_enforced(db):
    run = db.begin_run(DAY1, "inbox")
    with pytest.raises(StoreError):
        add(db, story_id=999, run_id=run.id, article_id="a.txt", text="x", digest="h1")
    assert db.count("articles") == 0  # the whole transaction rolled back


def test_reopening_applies_only_the_migrations_a_database_lacks(tmp_path, monkeypatch):
    Store(tmp_path / "cc.db").close()
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE notes (id INTEGER PRIMARY KEY);"))
    with Store(tmp_path / "cc.db") as store:
        assert store.schema_version() == len(MIGRATIONS) + 1
    with Store(tmp_path / "cc.db") as store:  # applied once, not again
        assert store.schema_version() == len(MIGRATIONS) + 1


def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path, monkeypatch):
    Store(tmp_path / "cc.db").close()
    broken = "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match=f"migration {len(MIGRATIONS) + 1} failed"):
        Store(tmp_path / "cc.db")
    conn = sqlite3.connect(tmp_path / "cc.db")
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchall()


def test_a_database_from_a_newer_claimcheck_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE later (id INTEGER);"))
    Store(tmp_path / "cc.db").close()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with pytest.raises(StoreError, match="newer than this claimcheck"):
        Store(tmp_path / "cc.db")


# --------------------------------------------------------------------------- articles and stories


def test_an_article_is_found_by_its_content_hash_under_any_name(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    add(db, story, run.id, "a.txt", "Halvorsen Steel will close its mill.", "h1")
    found = db.article_by_hash("h1")
    assert found.article.id == "a.txt" and found.story_id == story and found.run_id == run.id
    assert found.article.date == DAY1 and found.article.source == "Echo"
    assert db.article_by_hash("h2") is None


def test_a_second_article_with_the_same_hash_is_refused_and_nothing_is_half_stored(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    add(db, story, run.id, "a.txt", "text", "h1")
    with pytest.raises(StoreError):
        add(db, story, run.id, "copy.txt", "text", "h1")
    assert db.count("articles") == 1 and db.count("story_articles") == 1


def test_an_article_whose_name_is_taken_gets_a_unique_id(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    assert add(db, story, run.id, "article.txt", "one", "1111aaaa") == "article.txt"
    assert add(db, story, run.id, "article.txt", "two", "2222bbbb") == "article.txt~2222bbbb"
    assert [a.id for a in db.story_articles(story)] == ["article.txt", "article.txt~2222bbbb"]


def test_story_features_round_trip(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.update_story_features(story, centroid=np.array([1, 0, 0, 0], np.float32), n_articles=1,
                                 entities={"halvorsen steel": 3, "ingrid solberg": 2}, updated=DAY2)
    s = db.story(story)
    assert s.centroid.tolist() == [1, 0, 0, 0] and s.n_articles == 1 and s.updated == DAY2
    assert list(s.entities) == ["halvorsen steel", "ingrid solberg"] and s.needs_analysis
    assert [x.id for x in db.stories(updated_since=DAY2)] == [story]
    assert db.stories(updated_since=DAY2 + dt.timedelta(days=1)) == []


def test_a_slug_is_given_once_and_made_unique(db):
    run = db.begin_run(DAY1, "inbox")
    first, second = new_story(db, run.id), new_story(db, run.id)
    assert db.name_story(first, "2026-03-02-halvorsen-steel") == "2026-03-02-halvorsen-steel"
    assert db.name_story(first, "something-else") == "2026-03-02-halvorsen-steel"
    assert db.name_story(second, "2026-03-02-halvorsen-steel") == "2026-03-02-halvorsen-steel-2"
    assert db.story("2026-03-02-halvorsen-steel-2").id == second
    with pytest.raises(StoreError, match="no story"):
        db.story("nope")


def test_a_transaction_is_all_or_nothing(db):
    run = db.begin_run(DAY1, "inbox")
    with pytest.raises(RuntimeError):
        with db.transaction():
            new_story(db, run.id)  # nested: joins the outer transaction
            raise RuntimeError("killed half-way")
    assert db.count("stories") == 0


def test_an_unfinished_run_is_resumed_and_a_finished_one_is_not(db):
    first = db.begin_run(DAY1, "inbox")
    again = db.begin_run(DAY1, "inbox")
    assert again.id == first.id and again.resumed
    db.finish_run(first.id, {"summary": "done"})
    later = db.begin_run(DAY2, "inbox2")
    assert later.id != first.id and not later.resumed
    assert [r.summary for r in db.runs(run_date=DAY1)] == [{"summary": "done"}]


# --------------------------------------------------------------------------- discrepancies


def test_a_discrepancy_is_upserted_by_story_and_id_keeping_when_it_was_first_seen(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy(), seen=DAY1, run_id=run.id)
    db.finish_run(run.id, {})
    run2 = db.begin_run(DAY2, "inbox")
    with db.transaction():
        db.save_discrepancy(story, discrepancy(files=("a.txt", "b.txt", "c.txt")), seen=DAY2, run_id=run2.id,
                            first_seen=DAY1, first_run=run.id, status="open")
    assert db.count("discrepancies") == 1
    d = db.story_discrepancies(story)["num-aaa"]
    assert (d.first_seen, d.last_seen, d.first_run, d.last_run) == (DAY1, DAY2, run.id, run2.id)
    assert [e.file for e in d.evidence] == ["a.txt", "b.txt", "c.txt"]
    assert d.evidence_signature == evidence_signature(d.evidence)
    assert d.to_discrepancy().evidence == discrepancy(files=("a.txt", "b.txt", "c.txt")).evidence


def test_a_discrepancy_no_longer_found_is_kept_but_not_current(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy("num-aaa"), seen=DAY1, run_id=run.id)
        db.save_discrepancy(story, discrepancy("ent-bbb"), seen=DAY1, run_id=run.id)
        assert db.deactivate_discrepancies(story, keep=["ent-bbb"]) == ["num-aaa"]
    assert [d.id for d in db.find_discrepancies()] == ["ent-bbb"]
    assert {d.id for d in db.find_discrepancies(active_only=False)} == {"num-aaa", "ent-bbb"}


def test_evidence_signature_ignores_order_but_not_offsets():
    a, b = discrepancy().evidence
    moved = Evidence(file="b.txt", start=5, end=8, text="850", value="850")
    assert evidence_signature([a, b]) == evidence_signature([b, a])
    assert evidence_signature([a, b]) != evidence_signature([a, moved])


def test_a_decision_sets_the_status_and_is_kept_in_an_append_only_history(db, tmp_path):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy(), seen=DAY1, run_id=run.id)
    db.set_status(story, "num-aaa", "dismissed", note="rounding", by="ana")
    db.set_status(story, "num-aaa", "confirmed", note="checked the filing", by="ben")
    assert db.resolve_discrepancy("num-aaa").status == "confirmed"
    assert [(e.status, e.by, e.note) for e in db.history(story, "num-aaa")] == [
        ("dismissed", "ana", "rounding"), ("confirmed", "ben", "checked the filing")]
    conn = sqlite3.connect(tmp_path / "cc.db")
    for sql in ("UPDATE review_events SET note = 'x'", "DELETE FROM review_events"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)


def test_an_unknown_status_is_refused(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy(), seen=DAY1, run_id=run.id)
    with pytest.raises(StoreError, match="unknown status"):
        db.set_status(story, "num-aaa", "ignored", note="", by="ana")
    assert db.history(story, "num-aaa") == []


def test_an_id_prefix_finds_one_discrepancy_and_an_id_in_two_stories_needs_the_story(db):
    run = db.begin_run(DAY1, "inbox")
    one, two = new_story(db, run.id), new_story(db, run.id, "Another mill")
    db.name_story(one, "mill"), db.name_story(two, "other-mill")
    with db.transaction():
        db.save_discrepancy(one, discrepancy("num-aaa"), seen=DAY1, run_id=run.id)
        db.save_discrepancy(one, discrepancy("ent-bbb"), seen=DAY1, run_id=run.id)
        db.save_discrepancy(two, discrepancy("ent-bbb"), seen=DAY1, run_id=run.id)
    assert db.resolve_discrepancy("num").id == "num-aaa"
    with pytest.raises(StoreError, match="several.*--story"):
        db.resolve_discrepancy("ent-bbb")
    assert db.resolve_discrepancy("ent-bbb", story="other-mill").story_id == two
    with pytest.raises(StoreError, match="no discrepancy 'zzz'"):
        db.resolve_discrepancy("zzz")


def test_status_counts_count_current_discrepancies_and_those_new_that_day(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy("num-aaa"), seen=DAY1, run_id=run.id)
        db.save_discrepancy(story, discrepancy("ent-bbb"), seen=DAY2, run_id=run.id)
    db.set_status(story, "num-aaa", "dismissed", note="", by="ana")
    assert db.status_counts(story, new_on=DAY2) == {"new": 1, "open": 1, "confirmed": 0, "dismissed": 1}
