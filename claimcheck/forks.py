"""Per-item work of a large batch over forked worker processes.

The costly steps after parsing (reading names, figures and claims; grouping and
checking each story) are pure Python and use one core.  Forked workers inherit what
this process holds (the cached parses, the vectors, the function to run) without
pickling any of it, so only each item's result travels back.  Parsing itself runs in
spaCy's own workers (``claimcheck.nlp``).
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

from claimcheck.config import Config
from claimcheck.nlp import parse_processes

__all__ = ["fork_map", "fork_workers", "travelling"]

T = TypeVar("T")

# What the workers run: set just before the fork, so the children inherit it.
_WORK: Callable[[int], object] | None = None


def fork_workers(n_articles: int, n_items: int, config: Config) -> int:
    """How many forked workers share work over ``n_items`` items holding ``n_articles``
    articles: ``parse_processes`` (0: one per core) when there are at least
    ``parse_parallel_min_texts`` articles and this platform forks; else 1 (the caller
    then works in this process)."""
    if n_items < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(parse_processes(n_articles, config.parse_processes, config.parse_parallel_min_texts), n_items)


def travelling(result: T) -> T | RuntimeError:
    """``result``, or, when it is an exception that cannot be pickled back from a
    worker, a RuntimeError telling it in words."""
    if isinstance(result, BaseException):
        try:
            pickle.dumps(result)
        except Exception:  # noqa: BLE001 - whatever stops the pickling
            return RuntimeError(f"{type(result).__name__}: {result}")
    return result


def _run(i: int) -> object:
    assert _WORK is not None
    return _WORK(i)


def fork_map(work: Callable[[int], T], items: Sequence[int], processes: int) -> list[T]:
    """``work(i)`` for each of ``items``, in order, over ``processes`` forked workers.
    ``work`` may be a closure: the workers inherit it.  An exception raised by ``work``
    is raised here (return exceptions as values to keep the other items' results)."""
    global _WORK
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return pool.map(_run, items, chunksize=max(1, len(items) // (4 * processes)))  # type: ignore[arg-type]
    finally:
        _WORK = None
