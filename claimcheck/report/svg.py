"""The coverage matrix as an inline SVG figure: no script, no external font or image.

Drawn in Python so the picture is there with scripts off, in a mail client and in a
notebook (``IPython.display.SVG(coverage_svg(report))``).  The output is well-formed XML;
every piece of article text in it (row labels, source names, tooltips) is escaped.
"""

from __future__ import annotations

import html
import math
import re

from claimcheck.models import Report
from claimcheck.report.common import (
    AGREES,
    COVERAGE_STATES,
    DISAGREES,
    NOT_MENTIONED,
    TELLS,
    CoverageMatrix,
    coverage_matrix,
    truncate,
)

ROW_LABEL_CHARS = 64
SOURCE_LABEL_CHARS = 26
COLORS: dict[str, str] = {AGREES: "#2f7d6d", DISAGREES: "#c0392b", TELLS: "#5d6675", NOT_MENTIONED: "#c3c8d1"}

_LABEL_WIDTH = 430  # px for row labels; ~6.5 px a character at 12 px
_CELL_W = 36
_ROW_H = 22
_CHAR_W = 6.6
_SLANT = math.radians(40)  # source names are written at an angle so columns stay narrow
_LEGEND_H = 30
_FOOTER_H = 26
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_SVG_NS = ' xmlns="http://www.w3.org/2000/svg"'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text safe inside an SVG element or a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _cell(state: str, cx: float, cy: float, tip: str) -> str:
    color = COLORS[state]
    box = f'x="{cx - 10}" y="{cy - 7}" width="20" height="14" rx="3"'
    if state == AGREES:
        shape = (f'<rect {box} fill="{color}"/>'
                 f'<path d="M{cx - 5} {cy}L{cx - 1.5} {cy + 3.5}L{cx + 5} {cy - 3.5}" fill="none" '
                 'stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>')
    elif state == DISAGREES:
        shape = (f'<rect {box} fill="{color}"/>'
                 f'<path d="M{cx - 4} {cy - 4}L{cx + 4} {cy + 4}M{cx + 4} {cy - 4}L{cx - 4} {cy + 4}" '
                 'stroke="#fff" stroke-width="2" stroke-linecap="round"/>')
    elif state == TELLS:
        # an outline: the source tells it, and nothing says whether it agrees
        shape = f'<rect x="{cx - 9}" y="{cy - 6}" width="18" height="12" rx="3" fill="#fff" stroke="{color}" stroke-width="1.5"/>'
    else:
        shape = f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{color}"/>'
    return f'<g class="cell {state}"><title>{_x(tip)}</title>{shape}</g>'


def _tip(source: str, state: str, value: str, label: str) -> str:
    """A cell's tooltip: who, what the cell means, the value it differs by, the group."""
    said = {AGREES: "agrees (compared with another source, consistent)",
            DISAGREES: "tells it differently", TELLS: "tells it (not compared with another source)",
            NOT_MENTIONED: "does not mention it"}[state]
    differs = f": “{truncate(value, 80)}”" if value else ""
    return f"{source} {said}{differs} — {truncate(label, 160)}"


def _legend(y: float) -> list[str]:
    parts = []
    x = 0.0
    for state, words in COVERAGE_STATES.items():
        parts.append(_cell(state, x + 10, y, words))
        parts.append(f'<text x="{x + 26}" y="{y + 4}">{_x(words)}</text>')
        x += 26 + len(words) * _CHAR_W + 24
    return parts


def render_coverage_svg(matrix: CoverageMatrix, *, element_id: str = "coverage", standalone: bool = True) -> str:
    """The matrix as one ``<svg>`` element (legend, slanted source names, one row a group).

    ``standalone`` adds the SVG namespace, which a separate file or a notebook needs and
    HTML does not.
    """
    names = [truncate(label, SOURCE_LABEL_CHARS) for label in matrix.labels]
    longest = max((len(n) for n in names), default=0) * _CHAR_W
    header = math.ceil(_LEGEND_H + longest * math.sin(_SLANT) + 16)
    grid_w = _CELL_W * len(names)
    width = math.ceil(_LABEL_WIDTH + grid_w + longest * math.cos(_SLANT) + 8)
    height = math.ceil(header + _ROW_H * max(1, len(matrix.rows)) + _FOOTER_H)
    title = f"Coverage: {len(matrix.rows)} claim groups × {len(names)} sources"
    out = [
        f'<svg{_SVG_NS if standalone else ""} id="{_x(element_id)}" class="coverage" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{_x(element_id)}-title {_x(element_id)}-desc" '
        f'font-family="{_FONT}" font-size="12" fill="#1d2330">',
        f'<title id="{_x(element_id)}-title">{_x(title)}</title>',
        f'<desc id="{_x(element_id)}-desc">Each row is a group of claims that say the same thing; each column '
        'a source. A square with a tick: the source agrees (its claim was compared with another source\'s '
        'and found consistent); a square with a cross: the source tells it differently (it holds the value '
        'fewer sources give in a discrepancy); an outlined square: the source tells it and nothing compared '
        'it; a dot: the source does not mention it.</desc>',
        *_legend(_LEGEND_H / 2),
    ]
    base = header - 8
    for j, name in enumerate(names):
        cx = _LABEL_WIDTH + _CELL_W * j + _CELL_W / 2
        out.append(f'<text class="source" x="{cx}" y="{base}" transform="rotate(-40 {cx} {base})">'
                   f'<title>{_x(matrix.labels[j])}</title>{_x(name)}</text>')
    for i, row in enumerate(matrix.rows):
        top = header + _ROW_H * i
        cy = top + _ROW_H / 2
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{top}" width="{_LABEL_WIDTH + grid_w}" height="{_ROW_H}" fill="#f1f3f6"/>')
        weight = ' font-weight="600"' if row.discrepancy_ids else ""
        out.append(f'<text class="group" x="6" y="{cy + 4}"{weight}><title>{_x(row.label)}</title>'
                   f'{_x(truncate(row.label, ROW_LABEL_CHARS))}</text>')
        for j, state in enumerate(row.cells):
            cx = _LABEL_WIDTH + _CELL_W * j + _CELL_W / 2
            out.append(_cell(state, cx, cy, _tip(matrix.labels[j], state, row.value(j), row.label)))
    if not matrix.rows:
        out.append(f'<text x="6" y="{header + _ROW_H / 2 + 4}" fill="#5d6675" font-style="italic">'
                   'No claim is told by more than one source.</text>')
    foot = header + _ROW_H * max(1, len(matrix.rows)) + 17
    out.append(f'<text x="6" y="{foot}" fill="#5d6675">groups each source tells</text>')
    for j in range(len(names)):
        told = sum(row.cells[j] != NOT_MENTIONED for row in matrix.rows)
        cx = _LABEL_WIDTH + _CELL_W * j + _CELL_W / 2
        out.append(f'<text x="{cx}" y="{foot}" text-anchor="middle" fill="#5d6675">{told}</text>')
    out.append("</svg>")
    return "\n".join(out)


def coverage_svg(report: Report, *, limit: int | None = None, element_id: str = "coverage") -> str:
    """The report's coverage matrix as SVG text (see ``common.coverage_matrix`` for the rows)."""
    matrix = coverage_matrix(report) if limit is None else coverage_matrix(report, limit)
    return render_coverage_svg(matrix, element_id=element_id)
