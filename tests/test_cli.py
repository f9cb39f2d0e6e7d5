"""The command line: a thin layer over the API; every command documents itself."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app

from .conftest import FIXTURES

runner = CliRunner()


def commands():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in commands():
        assert name in result.output


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_text(name):
    import typer.main

    command = typer.main.get_command(app).commands[name]
    assert command.help and len(command.help.strip()) > 20
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0


def test_check_writes_all_four_reports(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(FIXTURES / "plant_closure"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "discrepancies.csv", "report.html", "report.json", "report.md"
    ]
    data = json.loads((out / "report.json").read_text())
    assert data["schema_version"] and len(data["discrepancies"]) == 3


def test_check_on_a_missing_folder_exits_2_names_it_and_writes_nothing(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "nowhere" in result.output and "nothing written" in result.output
    assert not (tmp_path / "o").exists()


def test_check_on_a_folder_without_articles_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.pdf").write_bytes(b"%PDF-1.7")
    result = runner.invoke(app, ["check", str(tmp_path / "in"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no article files" in result.output
    assert not (tmp_path / "o").exists()


def test_eval_prints_the_figures():
    folder = FIXTURES / "plant_closure"
    result = runner.invoke(app, ["eval", str(folder), "--gold", str(folder / "gold.yaml")])
    assert result.exit_code == 0, result.output
    assert "hard recall: 3/3" in result.output and "false alarms: 0" in result.output


def test_claims_prints_speaker_and_modality():
    result = runner.invoke(app, ["claims", str(FIXTURES / "plant_closure" / "business_daily.txt")])
    assert result.exit_code == 0, result.output
    assert "said by Business Daily (outlet)" in result.output
    assert "figure: 1,200" in result.output


def test_config_prints_settings_as_toml():
    import tomllib

    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    parsed = tomllib.loads(result.output)
    assert parsed["numeric_context_similarity"] > 0 and "hedges" in parsed
