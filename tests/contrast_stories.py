"""Small invented stories for the contrast detectors (outcomes, attributes): one
sentence or two per article, run through the real parser and, where the wording
matters, the real embedding model."""

from __future__ import annotations

import claimcheck
from claimcheck.detect.context import StoryContext
from claimcheck.models import Article
from claimcheck.nlp import parse_articles
from claimcheck.pipeline import _extract, _Timer


def articles(*texts: str) -> list[Article]:
    return [Article(id=f"{chr(ord('a') + i)}.txt", text=t, source=f"Outlet {i + 1}") for i, t in enumerate(texts)]


def found(detector: str, *texts: str):
    """The discrepancies one detector finds in a story of one article per text."""
    config = claimcheck.Config(detectors=(detector,))
    return claimcheck.analyse(articles(*texts), config).discrepancies


def context(*texts: str) -> StoryContext:
    """A story's context from the parse alone: no embedding (every two clauses alike)."""
    config = claimcheck.Config()
    arts = articles(*texts)
    extracted = _extract(arts, config, _Timer())
    docs = parse_articles([a.text[a.body_start :] for a in arts], config)
    return StoryContext(
        articles={a.id: a for a in arts},
        claims=extracted.claims,
        entities=extracted.entities,
        mentions=extracted.mentions,
        figures=extracted.figures,
        docs={a.id: d for a, d in zip(arts, docs, strict=True)},
        config=config,
    )
