"""Story analysis on Dask: a real LocalCluster of two worker processes gives the same
answers as the in-process engine and as a PostgreSQL store, and a worker killed with
SIGKILL mid-run loses and duplicates nothing.

The answers of the three paths are compared with each other, never with fixed
discrepancies: detection changes, and these tests are about where it runs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from claimcheck.batch import KILL_ENV, KILL_ONCE_ENV, run_batch
from claimcheck.config import Config

from .scale_helpers import fixture_inbox, store_answers

if os.environ.get("CI") == "true":  # CI installs the test extra: dask missing there is a failure, not a skip
    import distributed  # noqa: F401
else:
    distributed = pytest.importorskip("distributed", reason="the scale extra (dask, distributed) is not installed")

NIGHT = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def kill_marker(tmp_path_factory) -> Path:
    """While this file exists no worker kills itself; delete it and the first worker to
    begin a story's analysis dies of SIGKILL (creating it again)."""
    marker = tmp_path_factory.mktemp("kill") / "killed-once"
    marker.touch()
    return marker


@pytest.fixture(scope="module")
def cluster_client(kill_marker):
    """A LocalCluster of two worker processes, one thread each (as --engine dask starts),
    whose workers may be told to kill themselves (``kill_marker``)."""
    from distributed import Client, LocalCluster

    env = {KILL_ENV: "story-analysis", KILL_ONCE_ENV: str(kill_marker)}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50, env=env) as cluster, Client(cluster) as client:
        yield client


def dask_engine(client, config):
    from claimcheck.dask_engine import DaskEngine

    return DaskEngine(config, client=client)


def config_in(folder: Path) -> Config:
    return Config(cache_dir=str(folder / "cache"))  # a fresh embedding cache: each path embeds for itself


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The fixture inbox through the default path: in process, SQLite."""
    base = tmp_path_factory.mktemp("inprocess")
    inbox = fixture_inbox(base / "inbox")
    result = run_batch(inbox, base / "cc.db", base / "reports", config=config_in(base), run_date=NIGHT)
    assert result.exit_code == 0 and len(result.stories) == 3, result.summary()
    return inbox, store_answers(base / "cc.db"), result


def test_in_process_a_local_cluster_and_postgresql_give_the_same_stories_claims_and_discrepancies(
        reference, cluster_client, tmp_path, request):
    inbox, expected, first = reference
    on_dask = run_batch(inbox, tmp_path / "dask.db", tmp_path / "r-dask", config=config_in(tmp_path / "d"),
                        run_date=NIGHT, engine=dask_engine(cluster_client, config_in(tmp_path / "d")))
    assert on_dask.summary().replace(str(tmp_path / "r-dask"), "R") == first.summary().replace(
        str(first.reports_dir), "R")
    assert store_answers(tmp_path / "dask.db") == expected
    assert expected and all(story["claims"] for story in expected.values())  # there was something to compare

    pg_url = request.getfixturevalue("pg_url")  # skipped here (and only here) without a PostgreSQL server
    on_postgres = run_batch(inbox, pg_url, tmp_path / "r-pg", config=config_in(tmp_path / "p"), run_date=NIGHT)
    assert on_postgres.exit_code == 0
    assert store_answers(pg_url) == expected


def test_a_worker_killed_mid_run_has_its_story_analysed_again_and_nothing_is_lost_or_doubled(
        reference, cluster_client, kill_marker, tmp_path):
    inbox, expected, _ = reference
    kill_marker.unlink()  # the first worker to begin a story dies
    config = config_in(tmp_path)
    result = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", config=config, run_date=NIGHT,
                       engine=dask_engine(cluster_client, config))
    assert kill_marker.exists(), "no worker was killed"
    assert result.exit_code == 0 and not result.problems, result.problems  # the scheduler ran it again
    assert store_answers(tmp_path / "cc.db") == expected


def test_a_story_whose_workers_keep_dying_fails_cleanly_and_the_next_run_finishes_it(
        reference, cluster_client, kill_marker, tmp_path):
    inbox, expected, _ = reference
    allowed = cluster_client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    cluster_client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", 0))
    config = config_in(tmp_path)
    try:
        kill_marker.unlink()  # one death is now one too many for that story
        first = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", config=config, run_date=NIGHT,
                          engine=dask_engine(cluster_client, config))
    finally:
        cluster_client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", allowed))
    assert kill_marker.exists(), "no worker was killed"
    # the story it was analysing failed (and any the scheduler had queued on it): named, to be tried again
    assert first.exit_code == 1 and first.problems, first.summary()
    assert all("KilledWorker" in str(p) and "tried again next run" in str(p) for p in first.problems), first.problems

    again = run_batch(inbox, tmp_path / "cc.db", tmp_path / "reports", config=config, run_date=NIGHT,
                      engine=dask_engine(cluster_client, config))
    assert again.exit_code == 0 and again.new_articles == 0 and len(again.duplicates) == len(os.listdir(inbox))
    answers = store_answers(tmp_path / "cc.db", with_runs=False)
    assert answers == {slug: {**story, "discrepancies": {i: d[:-2] for i, d in story["discrepancies"].items()}}
                       for slug, story in expected.items()}  # which run found what aside


def test_the_dask_engine_without_a_reachable_scheduler_stops_with_a_coded_error(tmp_path):
    from claimcheck.errors import EngineError

    with pytest.raises(EngineError, match=r"CC800.*tcp://127.0.0.1:9"):
        from claimcheck.dask_engine import DaskEngine

        DaskEngine(Config(), scheduler="tcp://127.0.0.1:9", connect_timeout=2)
