"""The README stays true: CI runs exactly its install and test commands."""

from __future__ import annotations

import re

from .conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Set up and test.*?```sh\n(.*?)```", text, re.S)
    assert block, "README has no 'Set up and test' code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_has_one_install_and_one_test_command():
    install, test = readme_commands()
    assert install.startswith("pip install") and "constraints.txt" in install
    assert "pytest" in test


def test_ci_starts_from_the_readme_virtualenv():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    venv = re.search(r"\((`python3 -m venv[^`]*`)\)", text).group(1).strip("`")
    assert venv in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_runs_the_readme_commands_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in [line.strip() for line in ci]


def test_torch_is_pinned_to_the_cpu_build():
    assert "torch==2.13.0" in (REPO / "constraints.txt").read_text()
