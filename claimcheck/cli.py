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
    """Check articles about one story and write a discrepancy report, most severe first.

    Each article's outlet and date name the sources in the report, and dates
    drive time-aware detection ("on Monday", "last year"). Without them,
    sources are named by file and dates show as "—". Give them in one of
    three ways:

    \b
    1. A header block at the top of a .txt or .md file, closed by a blank line
       (Source, Date, Title, URL; any order):
         Source: Harbour Gazette
         Date: 2031-03-04
         Title: Port traffic hits a record

    \b
    2. YAML front matter at the top of a .md file:
         ---
         source: Harbour Gazette
         date: 2031-03-04
         ---

    \b
    3. One JSON object per line of a .jsonl file ("id" and "text" required;
       "source", "date", "title", "url" optional):
         {"id": "17", "source": "Gazette", "date": "2031-03-04", "text": "..."}
    """
    from claimcheck.pipeline import check as run_check
    from claimcheck.report import write_report

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = set(wanted) - set(FORMATS)
    if unknown:
        raise typer.BadParameter(f"unknown format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")
    try:
        report = run_check([str(p) for p in inputs], _config(config))
        if not report.articles:  # a report of nothing would say "No discrepancies found"
            for problem in report.problems:
                typer.echo(f"error: {problem}", err=True)
            typer.echo("error: no article could be read; nothing written", err=True)
            raise typer.Exit(2)
        written = write_report(report, out, formats=wanted)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    for problem in report.problems:
        typer.echo(f"warning: {problem}", err=True)
    if not quiet:
        from claimcheck.ingest import undated_warning

        if warning := undated_warning(report.articles):
            typer.echo(f"warning: {warning}", err=True)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    if not quiet:
        from claimcheck.wording import check_summary

        typer.echo(check_summary(report))
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
    from claimcheck.pipeline import read_claims

    try:
        report = read_claims([str(path)], _config(config))
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
    inputs: Annotated[Path, typer.Argument(help="A folder of story folders, each with a gold.yaml naming the articles beside it; or, with --gold, the folder of one story's articles.")],
    gold: Annotated[Optional[Path], typer.Option("--gold", "-g", help="Gold annotations for the articles in INPUTS (YAML; seeds/README.md gives the format). Without it, INPUTS is a folder of stories.")] = None,
    report_json: Annotated[Optional[Path], typer.Option("--report", help="Score this report.json instead of running the check (with --gold only).")] = None,
    stories: Annotated[Optional[list[str]], typer.Option("--story", "-s", metavar="NAME", help="Run only this story folder of INPUTS (repeatable).")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures, every gold item and any explanations to this JSON file.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="For each missed hard item, say what the pipeline did with its spans and the stage that lost it; show each false alarm with its evidence.")] = False,
    config: ConfigOption = None,
) -> None:
    """Score runs against gold annotations: hard recall, soft hits, false alarms, report size.

    On a folder of story folders, runs every story in one process and prints one table (per story, per kind, total). With --gold, scores one story and lists each gold item.
    """
    from claimcheck.evaluate import evaluate, format_eval, load_gold
    from claimcheck.explain import format_explanations
    from claimcheck.suite import StoryEval, SuiteEval, evaluate_stories, evaluate_story, format_suite

    if gold is None and report_json is not None:
        raise typer.BadParameter("--report scores one story: give its gold file with --gold", param_hint="--report")
    if gold is not None and stories:
        raise typer.BadParameter("--story picks stories of a folder of stories; drop --gold", param_hint="--story")
    if report_json is not None and explain:
        raise typer.BadParameter("--explain needs a run to trace; drop --report", param_hint="--explain")
    try:
        cfg = _config(config)
        if gold is None:
            suite = evaluate_stories(inputs, cfg, names=stories or (), explain=explain)
        elif report_json is not None:
            from claimcheck.report.jsonfmt import load_report_json

            gold_data = load_gold(gold, articles_dir=inputs)
            result = evaluate(load_report_json(report_json)["discrepancies"], gold_data)
            folder = inputs if inputs.is_dir() else inputs.parent
            suite = SuiteEval(root=str(folder), stories=[StoryEval(name=folder.name, folder=str(folder), result=result)])
        else:
            story = evaluate_story(gold, inputs, cfg, explain=explain)
            suite = SuiteEval(root=story.folder, stories=[story])
    except ClaimcheckError as exc:
        _fail(exc)
        return
    if explain:
        typer.echo(format_explanations([e for s in suite.stories for e in s.explanations],
                                       [a for s in suite.stories for a in s.false_alarms]))
        typer.echo("")
    # the single-story form lists every gold item; many stories make one table
    typer.echo(format_eval(suite.stories[0].result) if gold is not None else format_suite(suite))
    if json_path is not None:
        from claimcheck.errors import ReportError

        try:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(suite.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            _fail(ReportError(f"cannot be written: {exc.strerror or exc}", path=str(json_path),
                              hint="choose another --json path"))
        typer.echo(f"wrote {json_path}")


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


# =========================================================================== nightly batch runs
# `claimcheck batch` and `claimcheck review ...` (issue 3).  The work happens in
# claimcheck/batch.py, claimcheck/review.py and claimcheck/store.py; these commands only
# parse options, show progress and print results.

DbOption = Annotated[str, typer.Option(
    "--db", metavar="PATH|URL",
    help="The batch database: a SQLite file (`batch` creates it if missing), or a PostgreSQL "
         "database as postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME (needs the scale extra).")]
StoryOption = Annotated[
    Optional[str],
    typer.Option("--story", "-s", help="A story's slug (as in the report folders), or its number."),
]


class _BatchProgress:
    """A rich progress bar on stderr, one task per stage of the run."""

    def __init__(self, progress) -> None:
        self._progress = progress
        self._task = None
        self._stage = ""

    def start(self, stage: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, description=self._stage)
        self._stage = stage
        self._task = self._progress.add_task(stage, total=max(total, 0))

    def advance(self, label: str = "") -> None:
        self._progress.update(self._task, advance=1, description=f"{self._stage}: {label}" if label else self._stage)


def _run_date(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-12-15", param_hint="--date") from None


@app.command()
def batch(
    inbox: Annotated[Path, typer.Argument(help="The folder the night's article files arrive in (.txt, .md, .html, .jsonl).")],
    db: DbOption = "claimcheck.db",
    reports: Annotated[Path, typer.Option("--reports", "-r", help="Reports go to REPORTS/<date>/<story>/ and REPORTS/<date>/index.html.")] = Path("reports"),
    date: Annotated[Optional[str], typer.Option("--date", help="File the run under this date (YYYY-MM-DD) instead of today.")] = None,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another batch run on the same SQLite database to finish (0: give up at once). Runs on PostgreSQL share the database and do not wait.")] = 0.0,
    engine: Annotated[str, typer.Option("--engine", help="Where stories are analysed: inprocess (this process) or dask (a Dask cluster: the one at --scheduler, else a LocalCluster on this machine; needs the scale extra).")] = "inprocess",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="With --engine dask: the scheduler of a running cluster, e.g. tcp://10.0.0.5:8786.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="With --engine dask and no --scheduler: the LocalCluster's worker processes (default 2).")] = None,
    config: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors (for cron).")] = False,
) -> None:
    """Nightly run: file the inbox's new articles under stories, check the stories that changed, write the night's reports.

    Exit status: 0 all processed, 1 some files rejected (the rest processed), 2 nothing done.
    A file or story that failed batch_max_attempts times is held back (see `claimcheck failures`).
    On SQLite one batch runs at a time; several may share a PostgreSQL database.
    """
    from claimcheck.batch import run_batch

    from claimcheck.engine import ENGINES

    run_date = _run_date(date)
    if engine not in ENGINES:
        raise typer.BadParameter(f"{engine!r}: choose one of {', '.join(ENGINES)}", param_hint="--engine")
    if engine != "dask" and (scheduler or workers):
        raise typer.BadParameter("--scheduler and --workers are for --engine dask", param_hint="--engine")
    if scheduler and workers:
        raise typer.BadParameter("a running cluster has the workers it has: drop --workers", param_hint="--workers")
    show_progress = not quiet and sys.stderr.isatty()
    try:
        cfg = _config(config)
        if show_progress:
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as bar:
                result = run_batch(inbox, db, reports, config=cfg, run_date=run_date, wait=wait,
                                   progress=_BatchProgress(bar), engine=engine, scheduler=scheduler, workers=workers)
        else:
            result = run_batch(inbox, db, reports, config=cfg, run_date=run_date, wait=wait,
                               engine=engine, scheduler=scheduler, workers=workers)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    for problem in result.problems:
        typer.echo(f"error: {problem}", err=True)
    if result.nothing_done_reason:
        typer.echo(f"error: {result.nothing_done_reason}", err=True)
    if not quiet:
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        for note in result.notes:
            typer.echo(f"note: {note}", err=True)
        for skipped in result.duplicates:
            typer.echo(f"skipped: {skipped}", err=True)
        for reopened in result.reopened:
            typer.echo(f"reopened: {reopened}", err=True)
        for held in result.held_back:
            typer.echo(f"held back: {held}", err=True)
        typer.echo(result.summary())
    raise typer.Exit(result.exit_code)


review_app = typer.Typer(
    help="Review what the nightly runs flagged: list, show, confirm or dismiss discrepancies.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(review_app, name="review")


def _review_store(db: str):
    from claimcheck.review import open_store

    return open_store(db, busy_timeout=Config().store_busy_timeout_seconds)


@review_app.command("list")
def review_list(
    db: DbOption = "claimcheck.db",
    story: StoryOption = None,
    status: Annotated[Optional[str], typer.Option("--status", help="Only this status: open, confirmed or dismissed.")] = None,
) -> None:
    """List current discrepancies, most severe first, with their status and story."""
    from claimcheck.review import ReviewStatus, format_list, list_discrepancies

    if status is not None and status not in {s.value for s in ReviewStatus}:
        raise typer.BadParameter(f"{status!r}: choose open, confirmed or dismissed", param_hint="--status")
    try:
        with _review_store(db) as store:
            typer.echo(format_list(list_discrepancies(store, story=story, status=status)))
    except ClaimcheckError as exc:
        _fail(exc)


@review_app.command("show")
def review_show(
    discrepancy_id: Annotated[str, typer.Argument(metavar="ID", help="A discrepancy id (or a unique prefix of one).")],
    db: DbOption = "claimcheck.db",
    story: StoryOption = None,
) -> None:
    """Show one discrepancy: both sides' sentences and values, the explanation and its review history."""
    from claimcheck.review import format_detail, show_discrepancy

    try:
        with _review_store(db) as store:
            typer.echo(format_detail(show_discrepancy(store, discrepancy_id, story=story)))
    except ClaimcheckError as exc:
        _fail(exc)


def _decide(discrepancy_id: str, status: str, db: str, story: str | None, note: str, by: str | None) -> None:
    from claimcheck.review import decide

    try:
        with _review_store(db) as store:
            decision = decide(store, discrepancy_id, status, note=note, by=by, story=story)
    except ClaimcheckError as exc:
        _fail(exc)
        return
    if decision.changed:
        typer.echo(f"{decision.discrepancy_id}: {decision.status} by {decision.by}"
                   + (f" ({decision.note})" if decision.note else ""))
        return
    typer.echo(f"{decision.discrepancy_id}: already {decision.status}"
               + (f" by {decision.by} at {decision.at}" if decision.by else "") + "; nothing changed"
               + (f"; the note {note!r} was not recorded" if note else ""))


IdArgument = Annotated[str, typer.Argument(metavar="ID", help="A discrepancy id (or a unique prefix of one).")]
NoteOption = Annotated[str, typer.Option("--note", "-m", help="Why: kept in the discrepancy's history.")]
ByOption = Annotated[Optional[str], typer.Option("--by", help="Who decided (default: $USER).")]


@review_app.command("confirm")
def review_confirm(discrepancy_id: IdArgument, db: DbOption = "claimcheck.db", story: StoryOption = None,
                   note: NoteOption = "", by: ByOption = None) -> None:
    """Confirm a discrepancy: the sources really disagree."""
    _decide(discrepancy_id, "confirmed", db, story, note, by)


@review_app.command("dismiss")
def review_dismiss(discrepancy_id: IdArgument, db: DbOption = "claimcheck.db", story: StoryOption = None,
                   note: NoteOption = "", by: ByOption = None) -> None:
    """Dismiss a discrepancy: later runs keep it dismissed unless new evidence adds a side (a new spelling, office or figure)."""
    _decide(discrepancy_id, "dismissed", db, story, note, by)


@review_app.command("reopen")
def review_reopen(discrepancy_id: IdArgument, db: DbOption = "claimcheck.db", story: StoryOption = None,
                  note: NoteOption = "", by: ByOption = None) -> None:
    """Reopen a confirmed or dismissed discrepancy for review."""
    _decide(discrepancy_id, "open", db, story, note, by)


failures_app = typer.Typer(
    help="Files and stories the nightly runs failed on: list them, or clear them to be tried again.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(failures_app, name="failures")


@failures_app.command("list")
def failures_list(db: DbOption = "claimcheck.db", config: ConfigOption = None) -> None:
    """List files whose reading failed and stories whose check failed, with their attempts and last error."""
    from claimcheck.failures import format_failures, list_failures

    try:
        cfg = _config(config)
        with _review_store(db) as store:
            typer.echo(format_failures(list_failures(store, max_attempts=cfg.batch_max_attempts)))
    except ClaimcheckError as exc:
        _fail(exc)


@failures_app.command("clear")
def failures_clear(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A file's hash prefix (as listed) or path, or a story's slug or number.")],
    db: DbOption = "claimcheck.db",
) -> None:
    """Forget a file's or a story's failed attempts: the next batch run tries it again."""
    from claimcheck.failures import clear_failure

    try:
        with _review_store(db) as store:
            for line in clear_failure(store, key):
                typer.echo(line)
    except ClaimcheckError as exc:
        _fail(exc)
# ======================================================================= end of nightly batch runs
