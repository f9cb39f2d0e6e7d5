"""Why were planted items of the synthetic corpus missed, and look-alikes flagged?

    .venv/bin/python bench/diagnose.py CORPUS_DIR [--json bench.json] [--stories story-0004,...]

The corpus stories carry ``gold.yaml`` files in the shared format, so this is
``claimcheck eval CORPUS_DIR --explain`` on the stories that matter: with ``--json``
(``bench/run.py --json`` output) the stories of the main run's missed hard items and
false alarms, otherwise the ``--stories`` given.  Each miss is followed through the
pipeline stage by stage (``claimcheck/explain.py``), and the stages are counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def stories_of_run(data: dict, corpus: Path) -> list[str]:
    runs = [data["main"], *data.get("other_sizes", [])]
    run = next((r for r in runs if str(corpus).rstrip("/").endswith(f"n{r['size']}/corpus")), runs[0])
    found = []
    for examples in run["accuracy"]["examples"].values():
        found += [e["story"] for e in examples]
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--json", help="bench/run.py --json output: diagnose the stories of its misses")
    ap.add_argument("--stories", help="comma-separated story folders")
    ap.add_argument("--limit", type=int, default=40, help="at most this many stories")
    args = ap.parse_args(argv)
    from claimcheck.explain import format_explanations, format_stage_counts
    from claimcheck.suite import evaluate_stories

    corpus = Path(args.corpus)
    names: list[str] = []
    if args.json:
        names += stories_of_run(json.loads(Path(args.json).read_text()), corpus)
    if args.stories:
        names += args.stories.split(",")
    if not names:
        ap.error("give --json or --stories")
    suite = evaluate_stories(corpus, names=names[: args.limit], explain=True)
    misses = [e for s in suite.stories for e in s.explanations]
    alarms = [a for s in suite.stories for a in s.false_alarms]
    print(format_explanations(misses, alarms))
    print()
    print(format_stage_counts(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
