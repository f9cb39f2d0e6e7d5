"""Score a discrepancy report against gold annotations (format and rules: seeds/README.md).

A gold file names, by exact quotes, the real disagreements between a story's articles
(``hard``: must be found; ``soft``: fine to show) and pairs that only look like
disagreements (``consistent``).  Quotes are located in each article's original text,
comparing with runs of white space folded to one space, so each becomes a character
range ``[start, end)``.

Rules, as seeds/README.md states them:

* a predicted evidence span *touches* a gold span when both are in the same file and
  their ranges overlap by at least ``min_overlap`` (5) characters;
* a prediction *hits* a gold item when it has evidence in two different files that
  touch spans of that item in those two files;
* hard recall = hard items hit / hard items; false alarms = consistent items hit by any
  prediction; report size = number of predictions.

A quote that occurs more than once in its file (a name, say) is ambiguous about which
occurrence the annotator meant, so every occurrence counts as that gold span; ``start``
and ``end`` give the first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from claimcheck.errors import ClaimcheckError, GoldFileError
from claimcheck.models import Discrepancy, DiscrepancyKind

if TYPE_CHECKING:  # pragma: no cover
    from claimcheck.config import Config
    from claimcheck.explain import FalseAlarm, MissExplanation

LEVELS = ("hard", "soft")
CONSISTENT = "consistent"
MIN_OVERLAP = 5
_KINDS = {k.value for k in DiscrepancyKind}

# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldSpan:
    file: str
    quote: str
    start: int
    end: int
    # Every place the quote occurs in the file; (start, end) is the first of them.
    occurrences: tuple[tuple[int, int], ...] = ()

    @property
    def ranges(self) -> tuple[tuple[int, int], ...]:
        return self.occurrences or ((self.start, self.end),)


@dataclass(frozen=True)
class GoldItem:
    id: str
    level: str  # hard | soft | consistent
    kind: str
    why: str
    spans: tuple[GoldSpan, ...]


@dataclass(frozen=True)
class Gold:
    story: str
    articles: tuple[str, ...]
    discrepancies: tuple[GoldItem, ...]
    consistent: tuple[GoldItem, ...]

    @property
    def items(self) -> tuple[GoldItem, ...]:
        return self.discrepancies + self.consistent


_WS = re.compile(r"\s+")


@lru_cache(maxsize=32)
def fold_whitespace(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold each run of white space to one space, with the original offset of each
    folded character (so a match in the folded text maps back to the file).

    Cached: a gold file locates many quotes in the same few articles."""
    folded: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _WS.finditer(text):
        folded.append(text[pos:m.start()])
        origin.extend(range(pos, m.start()))
        folded.append(" ")
        origin.append(m.start())
        pos = m.end()
    folded.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return "".join(folded), tuple(origin)


def locate_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` in ``text``'s original offsets where ``quote`` occurs,
    white-space runs folded on both sides; empty when it does not occur."""
    needle = _WS.sub(" ", quote).strip()
    if not needle:
        return []
    folded, origin = fold_whitespace(text)
    found: list[tuple[int, int]] = []
    at = folded.find(needle)
    while at >= 0:
        # The needle neither starts nor ends with a space, so both ends map to real
        # characters; end is one past the original position of the last one.
        found.append((origin[at], origin[at + len(needle) - 1] + 1))
        at = folded.find(needle, at + 1)
    return found


def _read_article(path: Path, gold_path: str) -> str:
    """The file as the eval README reads it: UTF-8, nothing stripped or translated.

    Falls back like ingest does (cp1252, then latin-1) so a file that ``check`` can read
    can be annotated too."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GoldFileError(f"names article {path.name}, which is not in {path.parent}", path=gold_path,
                            hint="pass the articles folder, or fix the file name under `articles:`") from None
    except OSError as exc:
        raise GoldFileError(f"cannot read article {path}: {exc.strerror or exc}", path=gold_path) from exc
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _require(mapping: Any, key: str, where: str, gold_path: str, kind: type = str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping or mapping[key] is None:
        raise GoldFileError(f"{where} has no `{key}`", path=gold_path, hint="seeds/README.md gives the format")
    value = mapping[key]
    if not isinstance(value, kind):
        raise GoldFileError(f"{where}: `{key}` should be a {kind.__name__}", path=gold_path)
    return value


def _parse_item(raw: Any, section: str, index: int, texts: dict[str, str], articles_dir: Path,
                gold_path: str) -> GoldItem:
    where = f"{section}[{index}]"
    item_id = str(_require(raw, "id", where, gold_path, object))
    where = f"item {item_id!r}"
    if section == "consistent":
        level, kind = CONSISTENT, str(raw.get("kind") or "")  # kind is optional here
    else:
        level = _require(raw, "level", where, gold_path)
        if level not in LEVELS:
            raise GoldFileError(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}", path=gold_path)
        kind = _require(raw, "kind", where, gold_path)
        if kind not in _KINDS:
            raise GoldFileError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(_KINDS))}", path=gold_path)
    why = str(raw.get("why") or "").strip()
    raw_spans = _require(raw, "spans", where, gold_path, list)
    spans = []
    for raw_span in raw_spans:
        file = str(_require(raw_span, "file", f"{where} span", gold_path, object))
        quote = str(_require(raw_span, "quote", f"{where} span in {file}", gold_path, object))
        if file not in texts:
            texts[file] = _read_article(articles_dir / file, gold_path)
        found = locate_quote(texts[file], quote)
        if not found:
            raise GoldFileError(
                f"{where}: quote {quote!r} is not in {file}",
                path=gold_path,
                hint="quotes must be exact substrings of the article (white space may differ)",
            )
        spans.append(GoldSpan(file=file, quote=quote, start=found[0][0], end=found[0][1],
                              occurrences=tuple(found)))
    if len({s.file for s in spans}) < 2:
        raise GoldFileError(f"{where} needs spans from at least two files", path=gold_path,
                            hint="a disagreement (or agreement) is always between two sources")
    return GoldItem(id=item_id, level=level, kind=kind, why=why, spans=tuple(spans))


def load_gold(path: str | os.PathLike[str], articles_dir: str | os.PathLike[str] | None = None) -> Gold:
    """Read a gold YAML file and locate every quote in its article.

    ``articles_dir`` defaults to the gold file's folder; a file path there stands for its
    folder.  Raises :class:`GoldFileError` naming the item and file of any quote that is
    not found, and for any malformed entry.
    """
    gold_path = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFileError("no such gold file", path=gold_path, hint="check the --gold path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"cannot be read: {exc}", path=gold_path) from exc
    except yaml.YAMLError as exc:
        raise GoldFileError(f"is not valid YAML: {exc}", path=gold_path) from exc
    if not isinstance(raw, Mapping):
        raise GoldFileError("is not a gold file (expected a mapping with story, articles, discrepancies)",
                            path=gold_path, hint="seeds/README.md gives the format")
    folder = Path(articles_dir) if articles_dir is not None else Path(path).parent
    if folder.is_file():
        folder = folder.parent
    articles = tuple(str(a) for a in (raw.get("articles") or ()))
    texts: dict[str, str] = {}
    for name in articles:  # read every listed article up front: a missing one is an error
        texts[name] = _read_article(folder / name, gold_path)
    sections: dict[str, tuple[GoldItem, ...]] = {}
    for section in ("discrepancies", "consistent"):
        entries = raw.get(section) or []
        if not isinstance(entries, list):
            raise GoldFileError(f"`{section}` should be a list", path=gold_path)
        sections[section] = tuple(
            _parse_item(entry, section, i, texts, folder, gold_path) for i, entry in enumerate(entries)
        )
    gold = Gold(
        story=str(raw.get("story") or Path(path).stem),
        articles=articles or tuple(texts),
        discrepancies=sections["discrepancies"],
        consistent=sections["consistent"],
    )
    seen: set[str] = set()
    for item in gold.items:
        if item.id in seen:
            raise GoldFileError(f"item id {item.id!r} is used twice", path=gold_path)
        seen.add(item.id)
    return gold


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class PredictedSpan:
    file: str
    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class Prediction:
    """The little of a discrepancy that scoring needs, from an object or a JSON dict."""

    id: str
    summary: str
    evidence: tuple[PredictedSpan, ...]
    kind: str = ""  # the discrepancy kind, for the per-kind report size


def _file_key(name: str) -> str:
    # Evidence names the article id (its file name); tolerate a path in either place.
    return Path(name).name


def to_prediction(pred: Discrepancy | Mapping[str, Any] | Prediction, index: int = 0) -> Prediction:
    """Normalise a ``Discrepancy`` or a ``report.json`` discrepancy dict."""
    if isinstance(pred, Prediction):
        return pred
    if isinstance(pred, Discrepancy):
        return Prediction(
            id=pred.id,
            summary=pred.explanation or pred.subject,
            evidence=tuple(PredictedSpan(ev.file, ev.start, ev.end, ev.text) for ev in pred.evidence),
            kind=pred.kind.value,
        )
    if isinstance(pred, Mapping):
        try:
            evidence = tuple(
                PredictedSpan(str(ev["file"]), int(ev["start"]), int(ev["end"]), str(ev.get("text") or ""))
                for ev in pred.get("evidence") or ()
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ClaimcheckError(f"prediction #{index + 1} has evidence without file, start and end ({exc})",
                                  hint="evidence items need {file, start, end, text}") from exc
        return Prediction(
            id=str(pred.get("id") or f"#{index + 1}"),
            summary=str(pred.get("explanation") or pred.get("subject") or ""),
            evidence=evidence,
            kind=str(pred.get("kind") or ""),
        )
    raise TypeError(f"cannot score a {type(pred).__name__} as a prediction")


def touches(span: PredictedSpan, gold: GoldSpan, min_overlap: int = MIN_OVERLAP) -> bool:
    """Same file and at least ``min_overlap`` characters in common with an occurrence."""
    if _file_key(span.file) != _file_key(gold.file):
        return False
    return any(min(span.end, e) - max(span.start, s) >= min_overlap for s, e in gold.ranges)


def hits(prediction: Prediction, item: GoldItem, min_overlap: int = MIN_OVERLAP) -> bool:
    """Evidence in two different files, each touching a span of the item in its file."""
    files = {
        _file_key(ev.file)
        for ev in prediction.evidence
        for span in item.spans
        if touches(ev, span, min_overlap)
    }
    return len(files) >= 2


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ItemResult:
    id: str
    level: str
    kind: str
    why: str
    hit: bool
    prediction_ids: tuple[str, ...] = ()


@dataclass
class EvalResult:
    story: str
    hard_total: int
    hard_hit: int
    soft_total: int
    soft_hits: int
    false_alarms: list[tuple[str, Prediction]]  # (consistent item id, the prediction hitting it)
    report_size: int
    item_results: list[ItemResult]
    unmatched: int = 0  # predictions that hit no gold item (not errors: gold is never complete)
    predictions: dict[str, Prediction] = field(default_factory=dict, repr=False)

    @property
    def hard_recall(self) -> float:
        """Hard items hit / hard items; 1.0 when the gold has no hard item (nothing missed)."""
        return self.hard_hit / self.hard_total if self.hard_total else 1.0

    @property
    def false_alarm_count(self) -> int:
        """Consistent items hit (the README's figure), not predictions hitting them."""
        return len({item_id for item_id, _ in self.false_alarms})

    @property
    def missed_hard(self) -> list[str]:
        return [r.id for r in self.item_results if r.level == "hard" and not r.hit]


def evaluate(predictions: Sequence[Discrepancy | Mapping[str, Any]], gold: Gold, *,
             min_overlap: int = MIN_OVERLAP) -> EvalResult:
    """Score predictions against gold by the README's rules."""
    preds = [to_prediction(p, i) for i, p in enumerate(predictions)]
    item_results: list[ItemResult] = []
    false_alarms: list[tuple[str, Prediction]] = []
    matched: set[int] = set()
    for item in gold.items:
        hitting = [i for i, p in enumerate(preds) if hits(p, item, min_overlap)]
        matched.update(hitting)
        item_results.append(ItemResult(
            id=item.id, level=item.level, kind=item.kind, why=item.why, hit=bool(hitting),
            prediction_ids=tuple(preds[i].id for i in hitting),
        ))
        if item.level == CONSISTENT:
            false_alarms.extend((item.id, preds[i]) for i in hitting)

    def count(level: str, hit_only: bool = False) -> int:
        return sum(r.level == level and (r.hit or not hit_only) for r in item_results)

    return EvalResult(
        story=gold.story,
        hard_total=count("hard"), hard_hit=count("hard", True),
        soft_total=count("soft"), soft_hits=count("soft", True),
        false_alarms=false_alarms,
        report_size=len(preds),
        item_results=item_results,
        unmatched=len(preds) - len(matched),
        predictions={p.id: p for p in preds},
    )


def _short(text: str, width: int = 90) -> str:
    text = _WS.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_eval(result: EvalResult) -> str:
    """The text ``claimcheck eval`` prints.  The figures come first and again last:
    tools that only keep the tail of the output still see recall and false alarms."""
    n_alarm_items = result.false_alarm_count
    recall = f"hard recall: {result.hard_hit}/{result.hard_total} ({result.hard_recall:.2f})"
    figures = [
        recall,
        f"false alarms: {n_alarm_items}" + (f" ({len(result.false_alarms)} predictions)"
                                            if len(result.false_alarms) != n_alarm_items else ""),
        f"soft hits: {result.soft_hits}/{result.soft_total}",
        f"report size: {result.report_size}",
    ]
    lines = [f"eval: {result.story}", "  ".join(figures), "", "gold items:"]
    width = max((len(r.id) for r in result.item_results), default=0)
    for r in result.item_results:
        # a look-alike left alone is the right answer, not a miss
        mark = "HIT " if r.hit else ("ok  " if r.level == CONSISTENT else "miss")
        line = f"  {mark} {r.level:<10} {r.kind or '-':<22} {r.id:<{width}}"
        if r.hit:
            first = result.predictions.get(r.prediction_ids[0])
            more = f" (+{len(r.prediction_ids) - 1} more)" if len(r.prediction_ids) > 1 else ""
            alarm = " (false alarm)" if r.level == CONSISTENT else ""
            line += f"  <- {r.prediction_ids[0]}: {_short(first.summary, 70) if first else ''}{more}{alarm}"
        elif r.level == CONSISTENT:
            line += "  not flagged, correct"
        lines.append(line.rstrip())
    lines += ["", "false alarms:" if result.false_alarms else "false alarms: none"]
    for item_id, pred in result.false_alarms:
        lines.append(f"  {item_id} <- {pred.id}: {_short(pred.summary, 70)}")
        for ev in pred.evidence:
            lines.append(f"    {ev.file} [{ev.start}-{ev.end}] {_short(ev.text, 80)}")
    missed = result.missed_hard
    lines += [
        "",
        "summary:",
        f"  {recall}",
        f"  missed hard: {', '.join(missed) if missed else 'none'}",
        f"  false alarms: {n_alarm_items}"
        + (f" ({', '.join(dict.fromkeys(i for i, _ in result.false_alarms))})" if result.false_alarms else ""),
        f"  soft hits: {result.soft_hits}/{result.soft_total}",
        f"  report size: {result.report_size} ({result.unmatched} hit no gold item)",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- many stories
#
# ``claimcheck eval STORIES/``: a folder of story folders, each with its gold.yaml naming
# the articles beside it, scored in one process (the models load once) into one table.

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
        from dataclasses import asdict

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
    import time

    from claimcheck.pipeline import check

    gold = load_gold(gold_path, articles_dir=articles_dir)
    folder = Path(articles_dir) if articles_dir is not None else Path(gold_path).parent
    if folder.is_file():
        files = [str(folder)]
        folder = folder.parent
    else:
        files = [str(folder / a) for a in gold.articles]
    started = time.perf_counter()
    trace = None
    if explain:
        from claimcheck.trace import DetectionTrace

        trace = DetectionTrace()
    report = check(files, config, trace=trace)
    result = evaluate(report.discrepancies, gold)
    story = StoryEval(name=name or folder.name, folder=str(folder), result=result)
    if trace is not None:
        from claimcheck.explain import explain_false_alarms, explain_misses

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
