"""Data flows one way: no part of the package (a module, or a sub-package as a whole)
imports, however late, a part that imports it back, and the typed records import nothing
of the package at all.

Imports are read from the source (every ``import`` statement, also those inside functions
and ``TYPE_CHECKING`` blocks), so nothing is run.  Inside a sub-package its face may be
imported back (``detect.registry`` imports ``claimcheck.detect`` so the built-in
detectors register): that is the sub-package's own affair."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO


def package_modules(root: Path, package: str = "claimcheck") -> dict[str, Path]:
    """Every module of the package under ``root`` by its dotted name (a package by its own)."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(name: str, modules: dict[str, Path]) -> set[str]:
    """The package's modules that module ``name`` imports: ``from claimcheck.report import
    io`` names the module ``claimcheck.report.io``; ``from claimcheck.entities import X``
    the package ``claimcheck.entities``."""
    path = modules[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: each level past the first climbs one package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
    return {m for m in found if m in modules and m != name}


def part_of(module: str) -> str:
    """The part of the package a module belongs to: ``claimcheck.detect.numeric`` is
    ``claimcheck.detect``; ``claimcheck.models`` is itself."""
    return ".".join(module.split(".")[:2])


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which parts of the package each part imports."""
    graph: dict[str, set[str]] = {}
    for name in modules:
        part = part_of(name)
        graph.setdefault(part, set()).update(part_of(m) for m in imports_of(name, modules))
        graph[part].discard(part)
    return graph


def circle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports from ``start`` back to itself, or None."""
    stack, seen = [(start, [start])], {start}
    while stack:
        node, chain = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*chain, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*chain, nxt]))
    return None


def write_package(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return package_modules(root)


def test_imports_are_read_also_late_relative_and_for_typing_only(tmp_path):
    modules = write_package(tmp_path, {
        "claimcheck/__init__.py": "", "claimcheck/report/__init__.py": "", "claimcheck/report/io.py": "",
        "claimcheck/stage.py": "import json\nimport claimcheck.records\n",
        "claimcheck/records.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from claimcheck.stage import Thing\n"
            "def late():\n    from claimcheck.report import io\n    from . import report\n"
        ),
    })
    assert imports_of("claimcheck.records", modules) == {"claimcheck.stage", "claimcheck.report.io",
                                                         "claimcheck.report"}
    assert imports_of("claimcheck.stage", modules) == {"claimcheck.records"}


def test_a_sub_package_is_one_part_whose_face_its_modules_may_import(tmp_path):
    modules = write_package(tmp_path, {
        "claimcheck/__init__.py": "", "claimcheck/records.py": "",
        "claimcheck/detect/__init__.py": "from claimcheck.detect import numeric\n",
        "claimcheck/detect/numeric.py": "import claimcheck.detect\nfrom claimcheck.records import Thing\n",
        "claimcheck/stage.py": "from claimcheck.detect.numeric import find\n",
    })
    graph = import_graph(modules)
    assert graph == {"claimcheck": set(), "claimcheck.records": set(),
                     "claimcheck.detect": {"claimcheck.records"}, "claimcheck.stage": {"claimcheck.detect"}}
    assert all(circle_through(part, graph) is None for part in graph)
    (tmp_path / "claimcheck/records.py").write_text("def late():\n    from claimcheck.stage import run\n")
    assert circle_through("claimcheck.records", import_graph(modules)) == [
        "claimcheck.records", "claimcheck.stage", "claimcheck.detect", "claimcheck.records"]


def test_the_records_import_nothing_of_the_package():
    assert imports_of("claimcheck.models", package_modules(REPO)) == set()


def test_no_part_of_the_package_imports_one_that_imports_it_back():
    graph = import_graph(package_modules(REPO))
    circles = [" -> ".join(chain) for name in graph if (chain := circle_through(name, graph))]
    assert circles == []
