"""One cold batch run of a checkout over a flat inbox, as one process: for timing two
versions of the code against each other with ``farm-bench`` (the whole process, start-up
included), e.g.

    git worktree add /tmp/old <commit>
    mkdir /tmp/inbox && cp corpus/story-*/*.txt /tmp/inbox/    # a corpus.py corpus, flattened
    farm-bench -n 3 --warmup 0 --timeout 3000 \\
        --vs "python bench/cold_batch.py /tmp/old /tmp/inbox" -- python bench/cold_batch.py . /tmp/inbox

Each run starts with an empty store, report folder and embedding cache (a temporary
folder, removed after), so it is the cold run ``run.py`` times, without the benchmark's
own bookkeeping.  It prints the run's summary line."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="the checkout whose claimcheck runs")
    parser.add_argument("inbox", type=Path, help="a folder of article files")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    sys.path.insert(0, str(checkout))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import claimcheck
    from claimcheck import batch
    from claimcheck.config import Config

    if not Path(claimcheck.__file__).resolve().is_relative_to(checkout):
        raise SystemExit(f"claimcheck was imported from {claimcheck.__file__}, not from {checkout}")
    work = Path(tempfile.mkdtemp(prefix="claimcheck-cold-"))
    try:
        result = batch.run_batch(args.inbox, work / "db.sqlite", work / "reports",
                                 config=Config(cache_dir=str(work / "cache")))
        print(result.summary())
        return result.exit_code
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
