"""The ``claimcheck`` command: parses arguments and calls the Python API, nothing more."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError

app = typer.Typer(
    name="claimcheck",
    help="Find where news sources disagree: atomic claims aligned across outlets, "
    "with evidence from each side.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", "-c", help="A TOML file with settings: a pyproject with a tool.claimcheck table, or any TOML file with top-level keys."),
]
FORMATS = ("md", "json", "html", "csv")


def _config(path: Path | None) -> Config:
    return Config.load(path)


def _fail(exc: ClaimcheckError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


@app.command()
def check(
    inputs: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html, .jsonl) or folders of them, all about one story.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write report.md, report.json, report.html and discrepancies.csv into.")] = Path("reports/latest"),
    formats: Annotated[str, typer.Option("--format", "-f", help="Comma-separated formats to write: md,json,html,csv.")] = ",".join(FORMATS),
    config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Check articles about one story and write a discrepancy report, most severe first."""
    from claimcheck.pipeline import check as run_check
    from claimcheck.report import write_report

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = set(wanted) - set(FORMATS)
    if unknown:
        raise typer.BadParameter(f"unknown format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")
    try:
        report = run_check([str(p) for p in inputs], _config(config))
        written = write_report(report, out, formats=wanted)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    for problem in report.problems:
        typer.echo(f"warning: {problem}", err=True)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    if not report.articles:
        typer.echo("error: no article could be read", err=True)
        raise typer.Exit(2)
    if not quiet:
        counts = {s: sum(d.severity.value == s for d in report.discrepancies) for s in ("high", "medium", "low")}
        typer.echo(
            f"{len(report.articles)} articles, {len(report.claims)} claims, "
            f"{len(report.discrepancies)} discrepancies "
            f"({counts['high']} high, {counts['medium']} medium, {counts['low']} low)"
        )
        for path in written.values():
            typer.echo(f"  wrote {path}")
    raise typer.Exit(1 if report.problems else 0)


@app.command()
def claims(
    path: Annotated[Path, typer.Argument(help="One article file.")],
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines instead of text.")] = False,
) -> None:
    """Print one article's atomic claims with their figures, entities, speaker and modality."""
    from claimcheck.pipeline import check as run_check

    cfg = _config(config)
    try:
        report = run_check([str(path)], cfg)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    for problem in report.problems:
        typer.echo(f"warning: {problem}", err=True)
    for claim in report.claims:
        if as_json:
            from claimcheck.report.jsonfmt import claim_to_dict

            typer.echo(json.dumps(claim_to_dict(claim), ensure_ascii=False))
            continue
        spans = ",".join(f"{s.start}-{s.end}" for s in claim.spans)
        typer.echo(f"{claim.id} [{spans}] {claim.modality.value}, said by {claim.speaker.name} ({claim.speaker.kind.value})")
        typer.echo(f"  {claim.text}")
        for q in claim.quantities:
            typer.echo(f"  figure: {q.describe()} {q.kind.value} {q.unit}".rstrip())
        for m in claim.entities:
            titles = "; ".join(f"{t.text} ({t.head}, {t.tense.value})" for t in m.titles)
            typer.echo(f"  {m.label.lower()}: {m.text}" + (f" — {titles}" if titles else ""))
    if not report.articles:
        raise typer.Exit(2)


@app.command("eval")
def evaluate_cmd(
    inputs: Annotated[Path, typer.Argument(help="The folder of articles the gold file describes.")],
    gold: Annotated[Path, typer.Option("--gold", "-g", help="Gold annotations (YAML, see the README).")],
    report_json: Annotated[Optional[Path], typer.Option("--report", help="Score this report.json instead of running the check.")] = None,
    config: ConfigOption = None,
) -> None:
    """Score a run against gold annotations: hard recall, false alarms, report size."""
    from claimcheck.evaluate import evaluate, format_eval, load_gold

    try:
        gold_data = load_gold(gold, articles_dir=inputs)
        if report_json is not None:
            from claimcheck.report.jsonfmt import load_report_json

            predictions = load_report_json(report_json)["discrepancies"]
        else:
            from claimcheck.pipeline import check as run_check

            files = [str(inputs / name) for name in gold_data.articles] if inputs.is_dir() else [str(inputs)]
            predictions = run_check(files, _config(config)).discrepancies
        result = evaluate(predictions, gold_data)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    typer.echo(format_eval(result))


@app.command("config")
def show_config(config: ConfigOption = None) -> None:
    """Print the settings in force: the defaults, overridden by ./pyproject.toml's tool.claimcheck table, or by --config."""
    try:
        cfg = _config(config)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    typer.echo(_to_toml(cfg.to_dict()))


def _to_toml(data: dict, prefix: str = "") -> str:
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append(f"\n[{prefix}{key}]\n" + _to_toml(value, f"{prefix}{key}."))
        else:
            lines.append(f"{key} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
    return "\n".join(lines) + "".join(tables)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except ClaimcheckError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
