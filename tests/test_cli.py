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


# --------------------------------------------------------------------------- outlet and date


def test_check_help_shows_the_three_ways_to_give_outlet_and_date():
    result = runner.invoke(app, ["check", "--help"], terminal_width=100)
    assert result.exit_code == 0
    for shown in ("Source: ", "Date: ", "front matter", "---", ".jsonl", '"source"', '"date"', '"id"', '"text"'):
        assert shown in result.output, shown


def _readme_section(title: str) -> str:
    from .conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_the_readme_examples_of_outlet_and_date_are_read_as_they_say(tmp_path):
    import re

    from claimcheck.ingest import load_articles

    section = _readme_section("Giving an article its outlet and date")
    header, front_matter, record = re.findall(r"```[a-z]*\n(.*?)```", section, re.S)[:3]
    (tmp_path / "header.txt").write_text(header, encoding="utf-8")
    (tmp_path / "front.md").write_text(front_matter, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(record, encoding="utf-8")

    loaded = load_articles([tmp_path])

    assert loaded.problems == []
    for article in loaded.articles:
        assert article.source == "Harbour Gazette" and str(article.date) == "2031-03-04", article.id
        assert article.title == "Port traffic hits a record"
        assert article.text[article.body_start:].startswith("The harbour authority said")


def _undated(tmp_path):
    folder = tmp_path / "undated"
    folder.mkdir()
    for name in ("business_daily.txt", "northern_post.txt"):
        text = (FIXTURES / "plant_closure" / name).read_text(encoding="utf-8")
        kept = [line for line in text.splitlines(keepends=True) if not line.lower().startswith("date")]
        (folder / name).write_text("".join(kept), encoding="utf-8")
    return folder


def test_check_warns_once_when_no_article_has_a_date(tmp_path):
    result = runner.invoke(app, ["check", str(_undated(tmp_path)), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: no article has a date") == 1
    dated = runner.invoke(app, ["check", str(FIXTURES / "plant_closure"), "--out", str(tmp_path / "o2")])
    assert "no article has a date" not in dated.stderr


def test_batch_warns_once_when_no_new_article_has_a_date(tmp_path):
    result = runner.invoke(app, ["batch", str(_undated(tmp_path)), "--db", str(tmp_path / "cc.db"),
                                 "--reports", str(tmp_path / "r"), "--date", "2031-03-05"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: no article has a date") == 1


def test_batch_engine_options_are_checked_before_anything_is_read(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for args, said in ((["--engine", "spark"], "choose one of inprocess, dask"),
                       (["--workers", "3"], "--scheduler and --workers are for --engine dask"),
                       (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "--workers", "3"], "drop --workers")):
        result = runner.invoke(app, ["batch", str(inbox), "--db", str(tmp_path / "cc.db"), *args])
        assert result.exit_code == 2 and said in " ".join(result.output.replace("│", " ").split()), result.output
    assert not (tmp_path / "cc.db").exists()
