"""Report writers: the same findings as Markdown, JSON, HTML and CSV.

    >>> from claimcheck.report import write_report
    >>> write_report(report, "reports/latest")       # {"md": Path(...), "json": ..., ...}

Every format is rendered before any file is written, so a rendering bug cannot leave a
folder with some new and some old files; each file is then replaced atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from claimcheck.models import Report
from claimcheck.report.html import render_html
from claimcheck.report.io import ReportError, atomic_write_text
from claimcheck.report.jsonfmt import load_report_json, render_json, report_to_dict
from claimcheck.report.markdown import render_markdown
from claimcheck.report.svg import coverage_svg
from claimcheck.report.tables import (
    claims_frame,
    coverage_frame,
    descriptors_frame,
    discrepancies_frame,
    groups_frame,
    render_csv,
    write_csv,
)

FORMATS: tuple[str, ...] = ("md", "json", "html", "csv")
FILE_NAMES: dict[str, str] = {
    "md": "report.md",
    "json": "report.json",
    "html": "report.html",
    "csv": "discrepancies.csv",
}
_RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": render_markdown,
    "json": render_json,
    "html": render_html,
    "csv": lambda report: render_csv(discrepancies_frame(report)),
}


def write_report(report: Report, out_dir: str | os.PathLike[str],
                 formats: Iterable[str] = FORMATS) -> dict[str, Path]:
    """Write the report in each of ``formats`` into ``out_dir`` (created if missing).

    Returns the path written for each format, in the order asked.
    """
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in _RENDERERS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"output folder cannot be created: {exc.strerror or exc}", path=str(folder),
                          hint="choose another --out folder") from exc
    texts = {fmt: _RENDERERS[fmt](report) for fmt in wanted}
    return {fmt: atomic_write_text(folder / FILE_NAMES[fmt], text) for fmt, text in texts.items()}


__all__ = [
    "FILE_NAMES", "FORMATS", "ReportError", "atomic_write_text", "claims_frame", "coverage_frame",
    "coverage_svg", "descriptors_frame", "discrepancies_frame", "groups_frame", "load_report_json",
    "render_html", "render_json", "render_markdown", "report_to_dict", "write_csv", "write_report",
]
