"""Why was a planted item missed (or a look-alike flagged)?  Re-runs one story through
``claimcheck.check`` and explains, per planted item, what the pipeline saw.

    .venv/bin/python bench/diagnose.py CORPUS_DIR [--json bench.json] [--stories story-0004,...]

With ``--json`` (``bench/run.py --json`` output) it diagnoses every missed hard item and
every false alarm of the main run; otherwise every hard numeric item of the given stories.
Numeric items get a cause: the figure was not read, had no holder, holders/modality/
event anchors/measure differ between the sides, or their frames are not similar enough.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def numeric_cause(story_dir: Path, item, config) -> tuple[str, list[str]]:
    import claimcheck
    from claimcheck.detect import (
        Story, _anchors_agree, _measures_match, _pair_threshold, _plain_future, compared_figures, embedding_similarity,
    )
    from claimcheck.pipeline import get_embedder

    report = claimcheck.check(story_dir, config)
    story = Story(articles={a.id: a for a in report.articles}, claims=report.claims,
                  entities=report.entities, mentions={})
    names = {e.id: e.name for e in report.entities}
    figures = compared_figures(story)  # as detect_numeric_conflicts sees them
    by_span = {}
    notes = []
    for span in item.spans:
        found = [f for f in figures if f.claim.article_id == span.file
                 and _overlap(f.quantity.start, f.quantity.end, span.start, span.end) > 0]
        claims = [c for c in report.claims if c.article_id == span.file
                  and any(_overlap(s.start, s.end, span.start, span.end) >= 5 for s in c.spans)]
        if found:
            f = found[0]
            by_span[span.file] = f
            notes.append(f"{span.file}: “{span.quote}” -> holder={names.get(f.holder, f.holder)} "
                         f"measure={f.measure} modality={f.claim.modality.value} anchors={sorted(f.anchors)} "
                         f"frame=“{f.frame}”")
        else:
            qs = [q.text for c in claims for q in c.quantities]
            notes.append(f"{span.file}: “{span.quote}” -> no holder/figure "
                         f"(claim: {[c.text for c in claims][:1]}, modality "
                         f"{[c.modality.value for c in claims][:1]}, figures read: {qs}, "
                         f"subject: {[c.subject for c in claims][:1]})")
    odd_file = item.spans[0].file
    odd = by_span.get(odd_file)
    if odd is None:
        return "planted side: figure without holder (or not read)", notes
    causes = Counter()
    sim = embedding_similarity(get_embedder(config).encode)
    for file, f in by_span.items():
        if file == odd_file:
            continue
        if f.holder != odd.holder:
            causes["holder differs"] += 1
        elif (f.quantity.kind, f.quantity.unit) != (odd.quantity.kind, odd.quantity.unit):
            causes["kind/unit differs"] += 1
        elif f.claim.modality != odd.claim.modality and not _plain_future(odd, f):
            causes[f"modality differs ({odd.claim.modality.value} vs {f.claim.modality.value})"] += 1
        elif not _anchors_agree(odd, f):
            causes["event anchors differ"] += 1
        elif not _measures_match(odd, f) or ((odd.inferred or f.inferred) and odd.measure != f.measure):
            causes[f"measure differs ({odd.measure} vs {f.measure})"] += 1
        elif (threshold := _pair_threshold(odd, f, config)) is None:
            causes["same article or overlapping intervals"] += 1
        else:
            s = float(sim([odd.frame], [f.frame])[0])
            if s < threshold:
                causes[f"frame similarity {s:.2f} < {threshold}"] += 1
            else:
                causes["comparable: should have been found"] += 1
    if not causes:
        return "other sides: no figure with a holder", notes
    if any(k.startswith("comparable") for k in causes):
        return "comparable: should have been found", notes
    return causes.most_common(1)[0][0], notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--json", help="bench/run.py --json output: diagnose its misses")
    ap.add_argument("--stories", help="comma-separated story folders")
    ap.add_argument("--limit", type=int, default=40)
    args = ap.parse_args(argv)
    from claimcheck.config import Config
    from claimcheck.evaluate import load_gold

    corpus = Path(args.corpus)
    config = Config()
    targets: list[tuple[str, str]] = []  # (story folder, item id)
    if args.json:
        data = json.loads(Path(args.json).read_text())
        runs = [data["main"], *data.get("other_sizes", [])]
        run = next(r for r in runs if str(corpus).rstrip("/").endswith(f"n{r['size']}/corpus")) if len(runs) > 1 else runs[0]
        for kind, examples in run["accuracy"]["examples"].items():
            if kind == "hard:numeric":
                targets += [(e["story"], e["item"]) for e in examples]
    if args.stories:
        for s in args.stories.split(","):
            gold = load_gold(corpus / s / "gold.yaml")
            targets += [(s, i.id) for i in gold.discrepancies if i.kind == "numeric"]
    causes = Counter()
    for story, item_id in targets[: args.limit]:
        gold = load_gold(corpus / story / "gold.yaml")
        item = next(i for i in gold.items if i.id == item_id)
        cause, notes = numeric_cause(corpus / story, item, config)
        causes[cause] += 1
        print(f"{story} {item_id}: {cause}")
        for n in notes:
            print("    " + n)
    print("\ncauses:")
    for c, n in causes.most_common():
        print(f"  {n:4d}  {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
