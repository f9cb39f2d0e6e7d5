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

This module only scores: running the check on stories and explaining what it missed is
``claimcheck/suite.py``'s, which builds on this one and on ``claimcheck/explain.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from claimcheck.errors import ClaimcheckError, GoldFileError
from claimcheck.models import Discrepancy, DiscrepancyKind

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

