"""Fact-checkers' review: list, show, confirm and dismiss; decisions persist and later
runs respect them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from claimcheck.batch import run_batch
from claimcheck.cli import app
from claimcheck.errors import StoreError
from claimcheck.models import Article, Claim, Discrepancy, DiscrepancyKind, Evidence, Severity, Span, Speaker
from claimcheck.review import decide, format_detail, format_list, list_discrepancies, open_store, show_discrepancy
from claimcheck.store import Store

from .test_batch import MILL_TIMES, NIGHT2, mill_db, mill_night_one, write_inbox  # noqa: F401 - fixtures

runner = CliRunner()
DAY = dt.date(2026, 3, 2)
ECHO = "Mayor Tom Aldous called the closure a blow. The mill cut 850 jobs."
POST = "Governor Tom Aldous said the state would help. About 1,400 jobs go."


def side(file: str, text: str, word: str, claim: str) -> Evidence:
    start = text.index(word)
    return Evidence(file=file, start=start, end=start + len(word), text=word, value=word, claim_id=claim)


@pytest.fixture
def db(tmp_path):
    """A store with one story, two articles, their claims and two discrepancies."""
    path = tmp_path / "cc.db"
    with Store(path) as store:
        run = store.begin_run(DAY, "inbox")
        with store.transaction():
            story = store.create_story(title="Mill closes", run_date=DAY, run_id=run.id, dim=3).id
            for article_id, text in (("echo.txt", ECHO), ("post.txt", POST)):
                store.add_article(Article(id=article_id, text=text, source=article_id.split(".")[0].title()),
                                  content_hash=article_id, run_id=run.id, story_id=story)
            store.name_story(story, "2026-03-02-halvorsen-steel")
            store.replace_claims(["echo.txt", "post.txt"], [
                Claim(id="echo.txt#0", article_id="echo.txt", text=ECHO[:43], spans=(Span(0, 43),),
                      sentence=Span(0, 43), speaker=Speaker("Echo")),
                Claim(id="post.txt#0", article_id="post.txt", text=POST[:47], spans=(Span(0, 47),),
                      sentence=Span(0, 47), speaker=Speaker("Post")),
            ])
            office = Discrepancy(
                id="ent-aldous", kind=DiscrepancyKind.ENTITY_ATTRIBUTE, severity=Severity.HIGH, score=0.9,
                explanation="Tom Aldous holds different offices: mayor (echo.txt); governor (post.txt)",
                evidence=(side("echo.txt", ECHO, "Mayor", "echo.txt#0"), side("post.txt", POST, "Governor", "post.txt#0")),
                subject="Tom Aldous")
            jobs = Discrepancy(
                id="num-jobs", kind=DiscrepancyKind.NUMERIC, severity=Severity.MEDIUM, score=0.7,
                explanation="jobs: 850 vs about 1,400", subject="Halvorsen Steel",
                evidence=(Evidence("echo.txt", 59, 62, "850", value="850", highlights=(Span(59, 62),)),
                          Evidence("post.txt", 48, 59, "About 1,400", value="About 1,400")))
            store.save_discrepancy(story, office, seen=DAY, run_id=run.id)
            store.save_discrepancy(story, jobs, seen=DAY, run_id=run.id)
    return path


def test_list_shows_current_discrepancies_most_severe_first_filtered_by_status(db):
    with open_store(db) as store:
        assert [d.id for d in list_discrepancies(store)] == ["ent-aldous", "num-jobs"]
        decide(store, "num-jobs", "dismissed", by="ana")
        assert [d.id for d in list_discrepancies(store, status="dismissed")] == ["num-jobs"]
        assert [d.id for d in list_discrepancies(store, story="2026-03-02-halvorsen-steel", status="open")] == [
            "ent-aldous"]
        text = format_list(list_discrepancies(store))
    assert "ent-aldous  open" in text and "num-jobs  dismissed" in text and "2026-03-02-halvorsen-steel" in text


def test_show_gives_both_sides_with_their_sentences_values_and_the_history(db):
    with open_store(db) as store:
        decide(store, "ent", "confirmed", note="Aldous is the mayor; the Post erred", by="ben")
        detail = show_discrepancy(store, "ent-aldous")
    assert [(s.file, s.outlet, s.value) for s in detail.sides] == [
        ("echo.txt", "Echo", "Mayor"), ("post.txt", "Post", "Governor")]
    assert detail.sides[0].sentence == "Mayor Tom Aldous called the closure a blow."
    assert [(e.status, e.by, e.note) for e in detail.history] == [
        ("confirmed", "ben", "Aldous is the mayor; the Post erred")]
    text = format_detail(detail)
    assert "Governor Tom Aldous said the state would help." in text and "value: Governor" in text
    assert "confirmed  by ben: Aldous is the mayor; the Post erred" in text


def test_a_decision_is_by_USER_unless_given(db, monkeypatch):
    monkeypatch.setenv("USER", "carla")
    with open_store(db) as store:
        assert decide(store, "num-jobs", "dismissed").by == "carla"
        assert decide(store, "num-jobs", "confirmed", by="dan").by == "dan"
        assert store.resolve_discrepancy("num-jobs").status == "confirmed"


def test_confirming_twice_is_a_no_op_that_says_who_decided_it(db):
    with open_store(db) as store:
        first = decide(store, "ent-aldous", "confirmed", note="checked", by="ben")
        again = decide(store, "ent-aldous", "confirmed", note="me too", by="carla")
        history = store.history(store.resolve_discrepancy("ent-aldous").story_id, "ent-aldous")
    assert first.changed and not again.changed
    assert (again.status, again.by, again.note) == ("confirmed", "ben", "checked")
    assert [(e.status, e.by) for e in history] == [("confirmed", "ben")]


def test_the_review_commands_say_when_a_decision_changes_nothing(db):
    base = ["--db", str(db)]
    assert runner.invoke(app, ["review", "confirm", "ent-aldous", *base, "--by", "ben"]).exit_code == 0
    again = runner.invoke(app, ["review", "confirm", "ent-aldous", *base, "--by", "carla", "-m", "me too"])
    assert again.exit_code == 0
    assert again.stdout.startswith("ent-aldous: already confirmed by ben")
    assert "nothing changed" in again.stdout and "'me too' was not recorded" in again.stdout
    still_open = runner.invoke(app, ["review", "reopen", "num-jobs", *base])
    assert still_open.exit_code == 0 and "num-jobs: already open" in still_open.stdout
    shown = runner.invoke(app, ["review", "show", "ent-aldous", *base])
    assert shown.stdout.count("confirmed  by") == 1


def test_reviewing_a_database_that_is_not_there_creates_nothing(tmp_path):
    with pytest.raises(StoreError, match="no batch database"):
        open_store(tmp_path / "typo.db")
    result = runner.invoke(app, ["review", "list", "--db", str(tmp_path / "typo.db")])
    assert result.exit_code == 2 and "typo.db" in result.output
    assert not (tmp_path / "typo.db").exists()


def test_review_commands_list_show_confirm_dismiss_and_reopen(db):
    base = ["--db", str(db)]
    result = runner.invoke(app, ["review", "dismiss", "num-jobs", *base, "--note", "rounding", "--by", "ana"])
    assert result.exit_code == 0 and result.stdout.strip() == "num-jobs: dismissed by ana (rounding)"
    result = runner.invoke(app, ["review", "confirm", "ent-al", *base, "-m", "checked", "--by", "ben"])
    assert result.exit_code == 0 and "ent-aldous: confirmed by ben" in result.stdout

    listed = runner.invoke(app, ["review", "list", *base, "--status", "dismissed"])
    assert listed.exit_code == 0 and "num-jobs" in listed.stdout and "ent-aldous" not in listed.stdout
    shown = runner.invoke(app, ["review", "show", "num-jobs", *base])
    assert shown.exit_code == 0 and "dismissed  by ana: rounding" in shown.stdout and "About 1,400" in shown.stdout

    reopened = runner.invoke(app, ["review", "reopen", "num-jobs", *base, "--by", "ana", "-m", "new filing"])
    assert reopened.exit_code == 0 and "num-jobs: open by ana" in reopened.stdout


def test_review_commands_fail_clearly(db):
    base = ["--db", str(db)]
    unknown = runner.invoke(app, ["review", "show", "xyz", *base])
    assert unknown.exit_code == 2 and "no discrepancy 'xyz'" in unknown.output
    bad_status = runner.invoke(app, ["review", "list", *base, "--status", "ignored"])
    assert bad_status.exit_code == 2 and "open, confirmed or dismissed" in bad_status.output
    bad_story = runner.invoke(app, ["review", "list", *base, "--story", "nope"])
    assert bad_story.exit_code == 2 and "no story 'nope'" in bad_story.output


# --------------------------------------------------------------------------- with the batch


def test_decisions_hold_over_the_next_night_when_new_articles_only_repeat_a_side(mill_db, tmp_path):
    base = ["--db", str(mill_db)]
    with open_store(mill_db) as store:
        ids = {d.kind.value: d.id for d in list_discrepancies(store)}
    assert set(ids) == {"numeric", "entity_attribute", "name_spelling"}
    for command, key, note in (("dismiss", "numeric", "Echo counts direct jobs only"),
                               ("confirm", "entity_attribute", "he is the mayor"),
                               ("dismiss", "name_spelling", "one typo")):
        assert runner.invoke(app, ["review", command, ids[key], *base, "-m", note, "--by", "ana"]).exit_code == 0

    # Night two: the Valley Times cites the mayor and spells Solberg as the Echo did, and
    # gives no job figure: it adds evidence to two discrepancies but no new side to either.
    inbox = write_inbox(tmp_path / "inbox2", {"valley_times.txt": MILL_TIMES})
    result = run_batch(inbox, mill_db, tmp_path / "reports", run_date=NIGHT2)
    assert result.new_discrepancies == 0 and result.reopened == ()
    with open_store(mill_db) as store:
        status = {d.kind.value: d.status for d in list_discrepancies(store)}
        spelling = show_discrepancy(store, ids["name_spelling"])
    assert status == {"numeric": "dismissed", "entity_attribute": "confirmed", "name_spelling": "dismissed"}
    assert "valley_times.txt" in {s.file for s in spelling.sides}  # its evidence is kept
    assert [e.status for e in spelling.history] == ["open", "dismissed"]

    report = tmp_path / "reports" / "2026-03-03" / "2026-03-02-halvorsen-steel" / "report.json"
    found = [(d["id"], d["status"]) for d in json.loads(report.read_text(encoding="utf-8"))["discrepancies"]]
    assert found[0] == (ids["entity_attribute"], "confirmed")
    assert {s for _, s in found[1:]} == {"dismissed"}  # last: the writers' "Dismissed" section
    index = (tmp_path / "reports" / "2026-03-03" / "index.html").read_text(encoding="utf-8")
    assert ('<td class="n">3</td><td class="n">0</td><td class="n">0</td><td class="n">1</td>'
            '<td class="n">2</td>') in index  # articles, new, open, confirmed, dismissed
