"""Score runs on stories: ``claimcheck eval STORIES/`` and ``claimcheck eval --gold``.

A folder of story folders, each with its gold.yaml naming the articles beside it, is
checked and scored in one process (the models load once) into one table: a row per
story, a row per kind, the total.  With ``explain``, each story's run is traced and each
missed hard item explained (``claimcheck/explain.py``).

This module runs the pipeline; ``claimcheck/evaluate.py`` scores one report against one
gold file and ``claimcheck/explain.py`` reads a scored run, so both stay free of it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck.errors import GoldFileError
from claimcheck.evaluate import CONSISTENT, EvalResult, ItemResult, evaluate, load_gold
from claimcheck.explain import FalseAlarm, MissExplanation, explain_false_alarms, explain_misses
from claimcheck.models import DiscrepancyKind
from claimcheck.trace import DetectionTrace

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.config import Config

GOLD_FILE = "gold.yaml"
NO_KIND = ""  # consistent items may leave their kind out


@dataclass(frozen=True)
class Tally:
    """The README's figures for one story, one kind or the total: hard items hit of all,
    soft items hit, consistent items hit (false alarms) of all, predictions made."""

    hard_hit: int = 0
    hard_total: int = 0
    soft_hits: int = 0
    soft_total: int = 0
    false_alarms: int = 0
    consistent_total: int = 0
    report_size: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.hard_hit, self.hard_total, self.soft_hits, self.soft_total,
                self.false_alarms, self.consistent_total, self.report_size)

    @property
    def hard_recall(self) -> float | None:
        """Hard items hit / hard items; None when there are none."""
        return self.hard_hit / self.hard_total if self.hard_total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "hard_hit": self.hard_hit, "hard_total": self.hard_total, "hard_recall": self.hard_recall,
            "soft_hits": self.soft_hits, "soft_total": self.soft_total,
            "false_alarms": self.false_alarms, "consistent_total": self.consistent_total,
            "report_size": self.report_size,
        }


def _tally_items(results: Sequence[ItemResult], report_size: int) -> Tally:
    def count(level: str, hit_only: bool = False) -> int:
        return sum(r.level == level and (r.hit or not hit_only) for r in results)

    return Tally(count("hard", True), count("hard"), count("soft", True), count("soft"),
                 count(CONSISTENT, True), count(CONSISTENT), report_size)


def tally(result: EvalResult) -> Tally:
    """One story's figures."""
    return _tally_items(result.item_results, result.report_size)


def tally_by_kind(result: EvalResult) -> dict[str, Tally]:
    """One story's figures per discrepancy kind: gold items by their kind, report size by
    the kind of each prediction.  Consistent items without a kind go under ``NO_KIND``."""
    kinds = {r.kind for r in result.item_results} | {p.kind for p in result.predictions.values()}
    return {
        kind: _tally_items([r for r in result.item_results if r.kind == kind],
                           sum(p.kind == kind for p in result.predictions.values()))
        for kind in kinds
    }


@dataclass
class StoryEval:
    """One story scored: its folder, the scoring, and (with ``explain``) why each missed
    hard item was lost, with the false alarms' records."""

    name: str
    folder: str
    result: EvalResult
    explanations: list[MissExplanation] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def tally(self) -> Tally:
        return tally(self.result)


@dataclass
class SuiteEval:
    """Many stories scored in one run: ``claimcheck eval STORIES/``."""

    root: str
    stories: list[StoryEval]

    @property
    def total(self) -> Tally:
        return sum((s.tally for s in self.stories), Tally())

    def by_kind(self) -> dict[str, Tally]:
        """Figures per kind over every story, in the order of ``DiscrepancyKind``."""
        out: dict[str, Tally] = {}
        for story in self.stories:
            for kind, t in tally_by_kind(story.result).items():
                out[kind] = out.get(kind, Tally()) + t
        order = [k.value for k in DiscrepancyKind] + [NO_KIND]
        return dict(sorted(out.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))

    def to_dict(self) -> dict[str, Any]:
        """What ``claimcheck eval --json`` writes: the table's figures and every item."""
        return {
            "root": self.root,
            "stories": [
                {
                    "name": s.name, "folder": s.folder, "story": s.result.story, "seconds": round(s.seconds, 2),
                    **s.tally.to_dict(),
                    "by_kind": {k or "none": t.to_dict() for k, t in tally_by_kind(s.result).items()},
                    "items": [
                        {"id": r.id, "level": r.level, "kind": r.kind, "hit": r.hit,
                         "prediction_ids": list(r.prediction_ids)}
                        for r in s.result.item_results
                    ],
                    "false_alarm_items": [
                        {"item": item_id, "prediction": p.id, "summary": p.summary,
                         "evidence": [asdict(e) for e in p.evidence]}
                        for item_id, p in s.result.false_alarms
                    ],
                    **({"explanations": [e.to_dict() for e in s.explanations]} if s.explanations else {}),
                }
                for s in self.stories
            ],
            "by_kind": {k or "none": t.to_dict() for k, t in self.by_kind().items()},
            "total": self.total.to_dict(),
        }


def story_folders(root: str | os.PathLike[str], names: Sequence[str] = ()) -> list[Path]:
    """The story folders under ``root`` (those holding a gold.yaml), by name; only
    ``names`` when given.  ``root`` itself is one story when it holds a gold.yaml."""
    root = Path(root)
    if not root.is_dir():
        raise GoldFileError("is not a folder of stories", path=str(root),
                            hint="pass a folder whose story folders each hold a gold.yaml")
    found = [root] if (root / GOLD_FILE).is_file() else sorted(
        p.parent for p in root.glob(f"*/{GOLD_FILE}") if p.is_file()
    )
    if not found:
        raise GoldFileError(f"holds no {GOLD_FILE}, and no folder in it does", path=str(root),
                            hint="pass a folder of story folders each with a gold.yaml, or give --gold")
    if not names:
        return found
    by_name = {p.name: p for p in found}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise GoldFileError(f"has no story {', '.join(map(repr, unknown))}", path=str(root),
                            hint=f"the stories are: {', '.join(by_name)}")
    return [by_name[n] for n in dict.fromkeys(names)]


def evaluate_story(
    gold_path: str | os.PathLike[str],
    articles_dir: str | os.PathLike[str] | None = None,
    config: Config | None = None,
    *,
    explain: bool = False,
    name: str | None = None,
) -> StoryEval:
    """Run the check on the articles a gold file names and score it; with ``explain``,
    trace detection and say why each missed hard item was lost."""
    from claimcheck.pipeline import check  # numpy, spaCy and torch: only when a story runs

    gold = load_gold(gold_path, articles_dir=articles_dir)
    folder = Path(articles_dir) if articles_dir is not None else Path(gold_path).parent
    if folder.is_file():
        files = [str(folder)]
        folder = folder.parent
    else:
        files = [str(folder / a) for a in gold.articles]
    started = time.perf_counter()
    trace = DetectionTrace() if explain else None
    report = check(files, config, trace=trace)
    result = evaluate(report.discrepancies, gold)
    story = StoryEval(name=name or folder.name, folder=str(folder), result=result)
    if trace is not None:
        story.explanations = explain_misses(gold, result, report, trace, story=story.name)
        story.false_alarms = explain_false_alarms(gold, result, story=story.name)
    story.seconds = time.perf_counter() - started
    return story


def evaluate_stories(
    root: str | os.PathLike[str],
    config: Config | None = None,
    *,
    names: Sequence[str] = (),
    explain: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SuiteEval:
    """Score every story folder under ``root`` (or those in ``names``) in this process,
    so the models load once.  ``progress``, when given, is called with each story's name
    before it runs."""
    stories = []
    for folder in story_folders(root, names):
        if progress is not None:
            progress(folder.name)
        stories.append(evaluate_story(folder / GOLD_FILE, folder, config, explain=explain))
    return SuiteEval(root=str(root), stories=stories)


def _fraction(hit: int, total: int) -> str:
    return f"{hit}/{total}" if total else "–"


def format_suite(suite: SuiteEval) -> str:
    """The table ``claimcheck eval STORIES/`` prints: a row per story, a row per kind,
    and the total (last, for tools that keep only the tail)."""
    header = ("", "hard", "recall", "soft", "false alarms", "report")

    def row(label: str, t: Tally) -> tuple[str, ...]:
        recall = f"{t.hard_recall:.2f}" if t.hard_recall is not None else "–"
        return (label, _fraction(t.hard_hit, t.hard_total), recall, _fraction(t.soft_hits, t.soft_total),
                _fraction(t.false_alarms, t.consistent_total), str(t.report_size))

    stories = [row(s.name, s.tally) for s in suite.stories]
    kinds = [row(f"kind: {k or '(no kind)'}", t) for k, t in suite.by_kind().items()]
    n = len(suite.stories)
    total = row(f"total ({n} {'story' if n == 1 else 'stories'})", suite.total)
    rows = [header, *stories, *kinds, total]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join([r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))])

    rule = "-" * len(line(header))
    out = [f"eval: {n} {'story' if n == 1 else 'stories'} in {suite.root}", "",
           line(header), rule, *map(line, stories), rule, *map(line, kinds), rule, line(total)]
    return "\n".join(out)
