"""Story analysis on a Dask distributed cluster (``claimcheck batch --engine dask``).

Imported only for that engine: it needs the ``scale`` extra (dask, distributed).

* **Reading for assignment**: ``read_features`` gives, for a slice of the night's new
  articles, what story assignment compares (each one's parse, lead embedding and
  names); the run that submitted it files the articles under stories itself.
* **One task per story**: ``analyse_story`` runs ``claimcheck.pipeline.analyse`` on the
  story's articles (sent with the task: their text and metadata) and returns its
  ``Report``, or the exception that stopped it, as a value; the run that submitted it
  saves it to the store and writes its report.  Workers never touch the store.
* **Models load once per worker**: ``LoadModels``, a worker plugin, loads the spaCy
  pipeline and the sentence encoder when a worker starts (and when a restarted one
  comes back); every task on that worker reuses them.  Each worker keeps its own
  embedding cache under ``cache_dir`` (shared, when the workers share a disk).
* **A worker that dies** (killed, out of memory) takes its running task with it; the
  scheduler runs the task again on another worker, up to its
  ``distributed.scheduler.allowed-failures`` (3), then gives up with ``KilledWorker``:
  that story fails this run (counted in its attempts, like any failed story) and the
  next run checks it again.
* **No scheduler given**: a ``LocalCluster`` of ``workers`` processes (default 2) with
  one thread each is started on this machine, and shut down when the run ends.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
import uuid
from collections.abc import Iterator, Sequence

from claimcheck.config import Config
from claimcheck.errors import EngineError
from claimcheck.models import Article, Report

try:
    from distributed import Client, LocalCluster, WorkerPlugin
    from distributed.scheduler import KilledWorker
except ImportError as exc:  # pragma: no cover - the default install has no dask
    raise EngineError("--engine dask needs dask and distributed",
                      hint="pip install 'claimcheck[scale]' (or use the default in-process engine)") from exc

__all__ = ["DaskEngine", "LoadModels", "analyse_story", "read_features"]

#: a test hook (claimcheck.checkpoints), as the batch's: CLAIMCHECK_TEST_KILL_AT=story-analysis kills the
#: worker process that reaches it (once in all, with CLAIMCHECK_TEST_KILL_ONCE=<file>)
WORKER_KILL_POINT = "story-analysis"


def _worker_config(config: Config) -> Config:
    # a worker is one process of one thread: its parallelism is the cluster's, so it
    # forks no parse workers of its own (nor may it: Dask workers are daemon processes)
    return dataclasses.replace(config, parse_processes=1)


class LoadModels(WorkerPlugin):
    """Load the parser and the sentence encoder once, when a worker starts."""

    name = "claimcheck-load-models"

    def __init__(self, config: Config):
        self.config = _worker_config(config)

    def setup(self, worker) -> None:  # noqa: ANN001 - distributed's Worker
        from claimcheck.nlp import load_spacy
        from claimcheck.pipeline import get_embedder

        load_spacy(self.config.spacy_model)
        _ = get_embedder(self.config).model


def read_features(articles: Sequence[Article], config: Config) -> list:
    """What story assignment compares, for a slice of the new articles, on a worker."""
    from claimcheck.story_features import features_each

    return [_travels(f) for f in features_each(list(articles), _worker_config(config))]


def _travels(result):
    """An exception that cannot be pickled back is told in words."""
    if isinstance(result, Exception):
        try:
            pickle.dumps(result)
        except Exception:  # noqa: BLE001
            return RuntimeError(f"{type(result).__name__}: {result}")
    return result


def analyse_story(articles: Sequence[Article], config: Config) -> Report | Exception:
    """One story's analysis on a worker: its Report, or the exception that stopped it."""
    from claimcheck.checkpoints import checkpoint
    from claimcheck.pipeline import analyse

    checkpoint(WORKER_KILL_POINT)
    try:
        report = analyse(list(articles), _worker_config(config))
        report.config = config.to_dict()  # the settings the run was given, as in-process
        return report
    except Exception as exc:  # noqa: BLE001 - the coordinating run decides what a failure means
        return _travels(exc)


class DaskEngine:
    """Stories analysed on a Dask cluster: the one at ``scheduler``, or a LocalCluster."""

    name = "dask"

    def __init__(self, config: Config, *, scheduler: str | None = None, workers: int | None = None,
                 client: Client | None = None, connect_timeout: float = 30.0):
        self._cluster = None
        self._own_client = client is None
        try:
            if client is not None:
                self.client = client
            elif scheduler:
                self.client = Client(scheduler, timeout=f"{connect_timeout}s")
            else:
                self._cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self._cluster)
            self.client.register_plugin(LoadModels(config), name=LoadModels.name)
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError...: said in words
            self.close()
            where = scheduler or "a LocalCluster on this machine"
            raise EngineError(f"cannot start the Dask engine on {where}: {type(exc).__name__}: {exc}",
                              hint="check the --scheduler address and that its workers run this "
                                   "claimcheck with the scale extra") from exc

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def features(self, articles: Sequence[Article], config: Config) -> list:
        """The articles in slices, a task each (two per worker, at least 8 articles a
        slice: a parse batch must not be too small to pay); results in the order given."""
        if not articles:
            return []
        per_task = max(8, -(-len(articles) // max(1, 2 * self.workers)))
        slices = [list(articles[i : i + per_task]) for i in range(0, len(articles), per_task)]
        out: list = []
        for piece, result in zip(slices, self._in_order(read_features, slices, config, "features"), strict=True):
            # a slice whose workers kept dying: its articles are not filed this run (and tried next)
            out += [result] * len(piece) if isinstance(result, Exception) else result
        return out

    def analyse(self, stories: Sequence[Sequence[Article]], config: Config) -> Iterator[Report | Exception]:
        """Submit every story at once; yield their results in the order given (the store
        then names and saves stories in the same order as the in-process engine)."""
        yield from self._in_order(analyse_story, [list(a) for a in stories], config, "story")

    def _in_order(self, task, inputs: Sequence, config: Config, what: str) -> Iterator:
        run = uuid.uuid4().hex[:12]
        futures = [self.client.submit(task, item, config, key=f"claimcheck-{what}-{run}-{i}", pure=False)
                   for i, item in enumerate(inputs)]
        try:
            for future in futures:
                try:
                    result = future.result()
                except KilledWorker as exc:  # its workers kept dying: this one fails, the run goes on
                    result = exc
                except Exception as exc:  # noqa: BLE001 - the scheduler or the connection is gone
                    raise EngineError(f"the Dask cluster stopped answering: {type(exc).__name__}: {exc}",
                                      hint="the run stops here; run the batch again to finish its work") from exc
                finally:
                    future.release()
                yield result
        finally:
            for future in futures:
                future.release()

    def close(self) -> None:
        try:
            if self._own_client and getattr(self, "client", None) is not None:
                self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None
