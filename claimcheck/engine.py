"""Where a batch run analyses its stories: in this process (the default), or on a Dask
cluster (``--engine dask``, from the ``scale`` extra).

Stories are independent once their articles are filed, so the unit of work is one
story's analysis (parse, figures, claims, embed, align, detect: ``pipeline.analyse``).
Before that, what assignment compares is read from each article on its own (its parse,
its lead's embedding, its names: ``features``), so that is the engine's work too.  The
rest stays with the run that coordinates: reading the inbox, filing articles under
stories (assignment compares each article with every open story, so it is one
process's job), the store, and writing reports.

    >>> with open_engine("dask", config, scheduler="tcp://10.0.0.5:8786") as engine:
    ...     for report in engine.analyse([story_a_articles, story_b_articles], config):
    ...         ...   # a Report, or the exception that stopped that story, in the order given
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from claimcheck.config import Config
from claimcheck.models import Article, Report

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.story_features import ArticleFeatures

__all__ = ["ENGINES", "Engine", "InProcessEngine", "open_engine"]

ENGINES = ("inprocess", "dask")


class Engine(Protocol):
    """Analyses stories and yields, in the order given, each one's ``Report`` or the
    exception that stopped it (one story's failure does not stop the others).  An
    engine that cannot go on at all (its cluster is gone) raises ``EngineError``."""

    name: str

    def features(self, articles: Sequence[Article], config: Config) -> list[ArticleFeatures | Exception]:
        """What story assignment compares, article by article (``story_features.article_features``:
        each one's parse and lead embedding), or the exception that stopped that article."""

    def analyse(self, stories: Sequence[Sequence[Article]], config: Config) -> Iterator[Report | Exception]:
        """Each story's ``Report`` (or its exception), in the order given."""

    def close(self) -> None:
        """Let go of what the engine started."""


class InProcessEngine:
    """This process, as ``claimcheck.pipeline.analyse_many``: the stories of a chunk are
    parsed together (over ``parse_processes`` workers) and their claims embedded in one
    call."""

    name = "inprocess"

    def features(self, articles: Sequence[Article], config: Config) -> list[ArticleFeatures | Exception]:
        from claimcheck.story_features import features_each

        return features_each(articles, config)

    def analyse(self, stories: Sequence[Sequence[Article]], config: Config) -> Iterator[Report | Exception]:
        from claimcheck.pipeline import analyse_many

        yield from analyse_many(stories, config)

    def close(self) -> None:
        return None


@contextmanager
def open_engine(
    name: str, config: Config, *, scheduler: str | None = None, workers: int | None = None,
) -> Iterator[Engine]:
    """An engine by name, closed on the way out (a LocalCluster it started is shut down;
    a cluster given by ``scheduler`` is left running)."""
    if name == "inprocess":
        engine: Engine = InProcessEngine()
    elif name == "dask":
        from claimcheck.dask_engine import DaskEngine

        engine = DaskEngine(config, scheduler=scheduler, workers=workers)
    else:
        from claimcheck.errors import EngineError

        raise EngineError(f"unknown engine {name!r}", hint=f"choose one of {', '.join(ENGINES)}")
    try:
        yield engine
    finally:
        engine.close()
