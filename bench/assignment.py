"""What filing one article under a story costs on the coordinator, against many open stories.

    .venv/bin/python bench/assignment.py                          # 230, 2,300 and 23,000 open stories
    .venv/bin/python bench/assignment.py --stories 1000,50000 --json out.json

Story assignment (``claimcheck.batch.choose_story``) is the part of a batch run that stays
on the coordinating process whatever the engine: each new article is compared with every
story open in the window, one after the other, since an article may start a story the
next one joins.  A 1,000-article run has a few hundred open stories; this times one
article's choice against as many open stories as a night of 100,000 articles would leave
(the benchmark corpus's 4.3 articles a story), on this machine, so that the projection in
``bench/README.md`` rests on a measured cost and not on an estimate.

The stories are random unit vectors of the encoder's dimension with invented names:
nearly all of them are far from the article, as in a real night, so the figure is the
matrix product and the bookkeeping around it; the few similar stories a real article
has add a name comparison each.  A second column times what the product and ranking
alone cost when the centroids are kept as one matrix (not stacked again per article, as
``choose_story`` does now): the part of the cost a change of data structure would leave.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

DIM = 384  # all-MiniLM-L6-v2


def invented_names(rng: np.random.Generator, n: int) -> dict[str, int]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return {" ".join("".join(rng.choice(letters, 7)) for _ in range(2)): int(rng.integers(1, 5)) for _ in range(n)}


def time_choice(stories: int, repeats: int, seed: int = 7) -> dict:
    from claimcheck.batch import _Candidate, choose_story
    from claimcheck.config import Config
    from claimcheck.story_features import ArticleFeatures

    rng = np.random.default_rng(seed)
    config = Config()
    vectors = rng.standard_normal((stories, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sizes = rng.integers(1, 8, stories)
    candidates = [_Candidate(i, vectors[i] * sizes[i], int(sizes[i]), Counter(invented_names(rng, 4)))
                  for i in range(stories)]
    # what-if: the centroids kept as one matrix, updated in place as articles join,
    # instead of stacked again for every article: the product and the ranking alone
    matrix = np.stack([c.centroid for c in candidates])
    norms = np.linalg.norm(matrix, axis=1)
    seconds, kept = [], []
    for _ in range(repeats):
        v = rng.standard_normal(DIM).astype(np.float32)
        article = ArticleFeatures(vector=v / np.linalg.norm(v), entities=invented_names(rng, 3), title="t")
        t = time.perf_counter()
        choose_story(article, candidates, config)
        seconds.append(time.perf_counter() - t)
        t = time.perf_counter()
        np.argsort(-(matrix @ article.vector / norms))
        kept.append(time.perf_counter() - t)
    return {"stories": stories, "repeats": repeats, "median_seconds": statistics.median(seconds),
            "min_seconds": min(seconds), "matrix_kept_median_seconds": statistics.median(kept)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", default="230,2300,23000", help="open stories to compare against (comma separated)")
    ap.add_argument("--repeats", type=int, default=21, help="articles timed at each size (the median is kept)")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    rows = [time_choice(int(n), args.repeats) for n in args.stories.split(",") if n.strip()]
    print(f"{'open stories':>12}  {'one article (ms)':>16}  {'per story (us)':>14}  {'matrix kept (ms)':>16}")
    for r in rows:
        print(f"{r['stories']:>12,}  {r['median_seconds'] * 1e3:>16.2f}  {r['median_seconds'] / r['stories'] * 1e6:>14.3f}"
              f"  {r['matrix_kept_median_seconds'] * 1e3:>16.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"choose_story": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
