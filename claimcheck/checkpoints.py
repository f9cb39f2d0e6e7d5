"""Test hooks at named points of a batch run, in the coordinating process and on Dask
workers alike: crash-safety tests run the batch in a subprocess with
``CLAIMCHECK_TEST_KILL_AT`` set and check that a clean re-run finishes the work;
concurrency tests pause a run at a point.  Unset, every hook is one lookup of the
environment.  (The points of the batch are ``claimcheck.batch.KILL_POINTS``.)

Its own module so that the batch and the engines it runs both reach it, and neither
imports the other for it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

__all__ = ["KILL_ENV", "KILL_ONCE_ENV", "PAUSE_ENV", "PAUSE_FILE_ENV", "checkpoint"]

KILL_ENV = "CLAIMCHECK_TEST_KILL_AT"
#: with CLAIMCHECK_TEST_KILL_AT, a file: only the process that creates it is killed, so
#: of many processes reaching the point (Dask workers, restarted ones) one dies, once
KILL_ONCE_ENV = "CLAIMCHECK_TEST_KILL_ONCE"


#: concurrency tests pause a run at a point: it creates ``<file>.reached`` there and
#: waits for ``<file>.go`` (CLAIMCHECK_TEST_PAUSE_AT=<point>, CLAIMCHECK_TEST_PAUSE_FILE=<file>)
PAUSE_ENV, PAUSE_FILE_ENV = "CLAIMCHECK_TEST_PAUSE_AT", "CLAIMCHECK_TEST_PAUSE_FILE"


def checkpoint(point: str) -> None:
    """Pause here, or die here, when a test asked for ``point`` (see the module's docstring)."""
    if os.environ.get(PAUSE_ENV) == point and (marker := os.environ.get(PAUSE_FILE_ENV)):
        reached, go = Path(f"{marker}.reached"), Path(f"{marker}.go")
        if not reached.exists():  # the first time only
            reached.touch()
            deadline = time.monotonic() + 300
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
    if os.environ.get(KILL_ENV) == point:
        if marker := os.environ.get(KILL_ONCE_ENV):
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
        os.kill(os.getpid(), signal.SIGKILL)
