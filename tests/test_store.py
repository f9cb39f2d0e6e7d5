"""The batch store: migrations, transactions, articles by content, discrepancies by
stable id, and an append-only review history.  No models are loaded here.

Tests taking ``target`` or ``db`` run on both back-ends: a SQLite file and a fresh
PostgreSQL database (skipped without a server, see ``conftest.pg_server``)."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from dataclasses import replace

import numpy as np
import pytest

from claimcheck import store as store_module
from claimcheck.errors import StoreError
from claimcheck.models import (
    Article,
    Claim,
    Discrepancy,
    DiscrepancyKind,
    EntityMention,
    Evidence,
    Modality,
    Quantity,
    QuantityKind,
    Severity,
    Span,
    Speaker,
    SpeakerKind,
    Title,
    TitleTense,
)
from claimcheck.store import MIGRATIONS, Store, evidence_signature

DAY1 = dt.date(2026, 3, 2)
DAY2 = dt.date(2026, 3, 3)


def discrepancy(id_: str = "num-aaa", files: tuple[str, ...] = ("a.txt", "b.txt"), explanation: str = "850 vs 1,400"):
    return Discrepancy(
        id=id_, kind=DiscrepancyKind.NUMERIC, severity=Severity.HIGH, score=0.8, explanation=explanation,
        evidence=tuple(Evidence(file=f, start=0, end=3, text="850", value="850") for f in files),
        subject="Halvorsen Steel",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    """Where a store lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "cc.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def db(target):
    with Store(target) as store:
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


def test_a_new_database_is_at_the_latest_version_on_either_back_end(target):
    with Store(target) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.dialect == ("postgresql" if target.startswith("postgresql://") else "sqlite")
        assert store.concurrent_runs == (store.dialect == "postgresql")
    with Store(target) as store:  # opened again: nothing to apply
        assert store.migrate() == len(MIGRATIONS)


def test_foreign_keys_are_enforced(db):
    run = db.begin_run(DAY1, "inbox")
    with pytest.raises(StoreError):
        add(db, story_id=999, run_id=run.id, article_id="a.txt", text="x", digest="h1")
    assert db.count("articles") == 0  # the whole transaction rolled back


def test_reopening_applies_only_the_migrations_a_database_lacks(target, monkeypatch):
    Store(target).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE notes (id {serial_key});"))
    with Store(target) as store:
        assert store.schema_version() == len(MIGRATIONS) + 1
    with Store(target) as store:  # applied once, not again
        assert store.schema_version() == len(MIGRATIONS) + 1
        assert store._rows("SELECT COUNT(*) AS n FROM notes")[0]["n"] == 0


def test_a_failing_migration_leaves_the_database_at_the_previous_version(target, monkeypatch):
    Store(target).close()
    broken = "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match=f"migration {len(MIGRATIONS) + 1} failed"):
        Store(target)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(target) as store:
        assert store.schema_version() == len(MIGRATIONS)
        with pytest.raises(StoreError):  # the table its first statement made went with it
            store._rows("SELECT 1 FROM half")


def test_a_database_from_a_newer_claimcheck_is_refused(target, monkeypatch):
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE later (id INTEGER);"))
    Store(target).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with pytest.raises(StoreError, match="newer than this claimcheck"):
        Store(target)


def _tables(target: str) -> set[str]:
    """The tables in a database, read around the store."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            return {n for (n,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    with sqlite3.connect(target) as conn:
        return {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_database_without_the_store_is_refused_for_reading_and_left_as_it_was(target):
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")
    else:
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="holds no claimcheck batch database"):
        Store(target, create=False)
    assert _tables(target) == {"invoices"}  # no schema_migrations left behind


def test_a_schema_version_that_cannot_be_read_is_an_error_not_version_0(target, monkeypatch):
    with Store(target) as store:
        with pytest.raises(StoreError, match="cannot read its schema version"):
            with store.transaction():  # inside a transaction even a missing table is an error
                store._exec("DROP TABLE schema_migrations")
                store.schema_version()
        monkeypatch.setattr(store._backend, "missing_table", lambda exc: False)
        store._exec("DROP TABLE schema_migrations")
        with pytest.raises(StoreError, match="cannot read its schema version"):
            store.schema_version()


def test_two_processes_opening_a_new_postgresql_database_at_once_apply_each_migration_once(pg_url):
    import threading
    import time

    import psycopg

    from claimcheck.store.backends import LOCK_CLASSES

    def waiting_for_migrations() -> int:
        with psycopg.connect(pg_url) as conn:
            return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                                "AND NOT granted", (LOCK_CLASSES["migrations"],)).fetchone()[0]

    opened, failed = [], []

    def open_store() -> None:
        try:
            with Store(pg_url) as store:
                opened.append(store.schema_version())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failed.append(exc)

    # a third session holds the migrations lock, so both openers read version 0 and then
    # queue on the lock: the interleaving where each could apply migration 1
    with psycopg.connect(pg_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s, 0)", (LOCK_CLASSES["migrations"],))
        openers = [threading.Thread(target=open_store) for _ in range(2)]
        for t in openers:
            t.start()
        deadline = time.monotonic() + 120
        while waiting_for_migrations() < 2 and not failed:
            assert time.monotonic() < deadline, "the two openers never queued on the migrations lock"
            time.sleep(0.05)
        assert _tables(pg_url) == set()  # neither wrote anything before taking the lock
        holder.rollback()  # releases the lock
    for t in openers:
        t.join(120)
    assert not failed, failed
    assert opened == [len(MIGRATIONS)] * 2
    with psycopg.connect(pg_url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_every_term_a_migration_names_has_a_form_in_both_dialects():
    from claimcheck.store.schema import TERMS, render, steps

    assert TERMS["sqlite"].keys() == TERMS["postgresql"].keys()
    for migration in MIGRATIONS:
        for step in steps(migration):
            if isinstance(step, str):
                for dialect in TERMS:
                    assert "{" not in render(step, dialect).replace("'{}'", "")


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


def test_a_decision_sets_the_status_and_is_kept_in_an_append_only_history(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    with db.transaction():
        db.save_discrepancy(story, discrepancy(), seen=DAY1, run_id=run.id)
    db.set_status(story, "num-aaa", "dismissed", note="rounding", by="ana")
    db.set_status(story, "num-aaa", "confirmed", note="checked the filing", by="ben")
    assert db.resolve_discrepancy("num-aaa").status == "confirmed"
    assert [(e.status, e.by, e.note) for e in db.history(story, "num-aaa")] == [
        ("dismissed", "ana", "rounding"), ("confirmed", "ben", "checked the filing")]
    for sql in ("UPDATE review_events SET note = 'x'", "DELETE FROM review_events"):
        with pytest.raises(StoreError, match="append-only"):
            db._exec(sql)
    assert len(db.history(story, "num-aaa")) == 2


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


# --------------------------------------------------------------------------- the store's own records


def claim_with_everything(article_id: str = "a.txt", n: int = 0) -> Claim:
    """A claim with two spans, an open-ended and a not-a-number figure, a titled name."""
    return Claim(
        id=f"{article_id}#{n}", article_id=article_id, text="Halvorsen Steel will cut more than 850 jobs.",
        spans=(Span(0, 15), Span(20, 44)), sentence=Span(0, 60), speaker=Speaker("Ingrid Solberg", SpeakerKind.PERSON),
        modality=Modality.PLEDGE, subject="Halvorsen Steel", subject_entity="e1",
        quantities=(
            Quantity("more than 850", 25, 38, 850.0, 850.0, math.inf, QuantityKind.COUNT, "jobs", "more than", "job"),
            Quantity("several", 40, 47, math.nan, -math.inf, math.inf, QuantityKind.OTHER),
        ),
        entities=(EntityMention("Ingrid Solberg", 48, 62, "PERSON",
                                (Title("Chief executive", 30, 45, "chief executive", TitleTense.FORMER, True),), "e2"),
                  EntityMention("Brackwater", 64, 74, "GPE")),
    )


def same_claims(got: list[Claim], want: list[Claim]) -> bool:
    """Equal, NaN included (NaN != NaN)."""
    def key(c: Claim):
        return (c.id, c.text, c.spans, c.sentence, c.speaker, c.modality, c.subject, c.subject_entity, c.entities,
                [(q.text, q.start, q.end, "nan" if math.isnan(q.value) else q.value, q.low, q.high, q.kind, q.unit,
                  q.hedge, q.measure) for q in c.quantities])
    return [key(c) for c in got] == [key(c) for c in want]


def test_claims_are_kept_as_typed_rows_and_read_back_as_they_were(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    add(db, story, run.id, "a.txt", "text a", "h1")
    add(db, story, run.id, "b.txt", "text b", "h2")
    claims = [claim_with_everything("a.txt", 0), claim_with_everything("a.txt", 1), claim_with_everything("b.txt", 0)]
    db.replace_claims(["a.txt", "b.txt"], claims)
    assert same_claims(db.claims(["a.txt", "b.txt"]), claims)
    assert same_claims(db.claims(["b.txt", "a.txt"]), [claims[2], claims[0], claims[1]])
    assert same_claims([db.claim("a.txt", "a.txt#1")], [claims[1]]) and db.claim("a.txt", "a.txt#9") is None
    db.replace_claims(["a.txt"], [claims[0]])  # replaced, not added to
    assert [c.id for c in db.claims(["a.txt", "b.txt"])] == ["a.txt#0", "b.txt#0"]
    assert db.count("claim_figures") == 4 and db.count("claim_names") == 4


def test_a_discrepancy_keeps_its_title_group_and_sides_with_their_highlights(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    d = Discrepancy(
        id="num-jobs", kind=DiscrepancyKind.NUMERIC, severity=Severity.MEDIUM, score=0.123456789012345,
        explanation="jobs: 850 vs about 1,400", subject="Halvorsen Steel", group_id="g3", title="Jobs cut: 850 vs 1,400",
        evidence=(Evidence("a.txt", 5, 8, "850", speaker="a.txt", value="850", highlights=(Span(5, 8),),
                           claim_id="a.txt#0", detail=""),
                  Evidence("b.txt", 10, 21, "about 1,400", value="about 1,400", highlights=(Span(10, 15), Span(16, 21)),
                           detail="about 1,400, so 1,300–1,500")))
    db.save_discrepancy(story, d, seen=DAY1, run_id=run.id)
    stored = db.story_discrepancies(story)["num-jobs"]
    assert stored.to_discrepancy() == d  # the score to the last bit, title, group, every side
    db.save_discrepancy(story, replace(d, evidence=d.evidence[:1]), seen=DAY2, run_id=run.id, first_seen=DAY1)
    assert db.story_discrepancies(story)["num-jobs"].evidence == d.evidence[:1]
    assert db.count("discrepancy_sides") == 1


def test_migration_4_turns_stored_report_json_into_the_stores_own_rows(target, monkeypatch):
    """A database of version 3 kept claims and evidence as report.json records."""
    from claimcheck.report.jsonfmt import claim_to_dict, evidence_to_dict

    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:3])
    claims = [claim_with_everything("a.txt", 1), claim_with_everything("a.txt", 0)]
    evidence = (Evidence("a.txt", 5, 8, "850", value="850", highlights=(Span(5, 8),), claim_id="a.txt#0"),
                Evidence("b.txt", 1, 4, "900", value="900"))
    with Store(target) as old:  # its rows as claimcheck of version 3 wrote them
        run = old.begin_run(DAY1, "inbox")
        story = old._insert_id("INSERT INTO stories (title, created, updated, created_run, centroid) "
                               "VALUES ('Mill', '2026-03-02', '2026-03-02', ?, ?)", (run.id, b"\0" * 16))
        old._exec("INSERT INTO articles (id, content_hash, text, run_id, ingested_at) "
                  "VALUES ('a.txt', 'h1', 'text a', ?, 'now')", (run.id,))
        old._many("INSERT INTO claims (article_id, claim_id, record) VALUES (?, ?, ?)",
                  [(c.article_id, c.id, json.dumps(claim_to_dict(c))) for c in claims])
        old._exec("INSERT INTO discrepancies (story_id, id, kind, severity, score, explanation, evidence, "
                  "evidence_signature, first_seen, last_seen, first_run, last_run) "
                  "VALUES (?, 'num-aaa', 'numeric', 'high', 0.5, 'x', ?, 'sig', '2026-03-02', '2026-03-02', ?, ?)",
                  (story, json.dumps([evidence_to_dict(e) for e in evidence]), run.id, run.id))
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(target) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert same_claims(store.claims(["a.txt"]), sorted(claims, key=lambda c: c.id))  # in the order cut
        assert store.story_discrepancies(story)["num-aaa"].evidence == evidence


def test_a_story_is_marked_analysed_only_if_no_article_joined_it_meanwhile(db):
    run = db.begin_run(DAY1, "inbox")
    story = new_story(db, run.id)
    add(db, story, run.id, "a.txt", "one", "h1")
    add(db, story, run.id, "b.txt", "two", "h2")
    assert not db.mark_analysed(story, run_id=run.id, n_articles=1)  # it analysed one of two
    assert db.story(story).needs_analysis
    assert db.mark_analysed(story, run_id=run.id, n_articles=2)
    s = db.story(story)
    assert not s.needs_analysis and s.needs_report and s.analysed_run == run.id


def test_on_postgresql_a_run_another_process_is_running_is_not_resumed(pg_url):
    with Store(pg_url) as first, Store(pg_url) as second:
        running = first.begin_run(DAY1, "inbox-a")
        assert second.run_alive(running.id) and second.unfinished_run() is None
        other = second.begin_run(DAY1, "inbox-b")
        assert other.id != running.id and not other.resumed
        assert not first.try_lock_story(7) or second.try_lock_story(7) is False
    with Store(pg_url) as third:  # both connections closed: as if both runs were killed
        assert not third.run_alive(running.id)
        resumed = third.begin_run(DAY2, "inbox-c")
        assert resumed.resumed and resumed.id == other.id  # the latest unfinished run
        with Store(pg_url) as fourth:
            assert fourth.begin_run(DAY2, "inbox-d").id == running.id  # the other one, not the one third runs


def test_on_sqlite_the_store_takes_no_locks_of_its_own(tmp_path):
    """One batch runs at a time there (BatchLock): the store's locks always succeed."""
    with Store(tmp_path / "cc.db") as first, Store(tmp_path / "cc.db") as second:
        assert first.try_lock_story(1) and second.try_lock_story(1)
        running = first.begin_run(DAY1, "inbox")
        assert not second.run_alive(running.id) and second.unfinished_run().id == running.id


def test_a_server_that_cannot_be_reached_is_named_without_its_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=r"postgresql://cc:\*\*\*@127.0.0.1:9/news: cannot connect") as raised:
        Store("postgresql://cc:s3cret@127.0.0.1:9/news")
    assert "s3cret" not in str(raised.value)
