"""Any file the limits accept is processed, and nothing a file holds gives a traceback or
leaves the batch store unable to run the next night (issue 13).  Fixtures are invented."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claimcheck.cli import app

runner = CliRunner()

ECHO = """Source: Brackwater Echo
Date: 2026-03-02

Halvorsen Steel will close its rolling mill in Brackwater and cut 850 jobs, the company said on Monday.
Chief executive Ingrid Solberg said the decision was painful but necessary.
Mayor Tom Aldous called the closure a blow to the town.
"""
POST_LEAD = "Halvorsen Steel is shutting its Brackwater rolling mill, cutting about 1,400 jobs."
POST_REST = ("Ingrid Solburg, the company's chief executive, said the mill had lost money for five years. "
             "Governor Tom Aldous said the state would help workers find new jobs.")
# Two megabytes on one line: long runs of letters between spaces (cheap to parse, and no
# paragraph or sentence end in reach, so the pieces are cut at white space).
FILLER = ("x" * 9_999 + " ") * 210


def two_megabyte_post() -> str:
    return f"Source: Northern Post\nDate: 2026-03-02\n\n{POST_LEAD} {FILLER}{POST_REST}\n"


def assert_offsets_index_the_files(report_json: Path, folder: Path) -> dict:
    data = json.loads(report_json.read_text(encoding="utf-8"))
    texts = {a["id"]: (folder / a["id"]).read_bytes().decode(a["encoding"]) for a in data["articles"]}
    for d in data["discrepancies"]:
        for e in d["evidence"]:
            assert texts[e["file"]][e["start"] : e["end"]] == e["text"]
    for c in data["claims"]:
        assert all(texts[c["article_id"]][a:b] for a, b in c["spans"])
        assert texts[c["article_id"]][c["start"] : c["end"]]
    return data


def test_a_two_megabyte_one_line_article_is_checked_with_exact_offsets(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "brackwater_echo.txt").write_text(ECHO, encoding="utf-8")
    (folder / "northern_post.txt").write_text(two_megabyte_post(), encoding="utf-8")
    assert (folder / "northern_post.txt").stat().st_size > 2_000_000

    result = runner.invoke(app, ["check", str(folder), "--out", str(tmp_path / "out"), "--format", "json"])

    assert result.exit_code == 0, result.output
    data = assert_offsets_index_the_files(tmp_path / "out" / "report.json", folder)
    late = [e for d in data["discrepancies"] for e in d["evidence"] if e["start"] > len(FILLER)]
    assert {e["text"] for e in late} >= {"Ingrid Solburg"}  # found after the two megabytes, where it is


def test_a_two_megabyte_article_is_stored_by_the_batch(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "brackwater_echo.txt").write_text(ECHO, encoding="utf-8")
    (inbox / "northern_post.txt").write_text(two_megabyte_post(), encoding="utf-8")

    result = runner.invoke(app, ["batch", str(inbox), "--db", str(tmp_path / "cc.db"), "--reports",
                                 str(tmp_path / "r"), "--date", "2026-03-02"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 new articles in ")
    reports = list((tmp_path / "r" / "2026-03-02").glob("*/report.json"))
    assert reports and all(assert_offsets_index_the_files(r, inbox) for r in reports)


# --------------------------------------------------------------------------- fuzz

WORDS = ["the", "mayor", "said", "Ana", "Ruiz", "Brackwater", "about", "1,400", "850", "jobs", "12%",
         "nearly", "$3 million", "on", "Monday", "—", "“quoted”", "(@handle)", "Dec. 3, 2026", "x" * 300,
         "é", "\u00a0", "🚨", "BREAKING:", "http://t.co/x", "...", "!!", "--", "#", "\t", "'"]
ENCODINGS = ["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"]
SUFFIXES = [".txt", ".md", ".html", ".jsonl"]
LIMIT = 6_000  # max_file_bytes in the fuzz config: sizes on both sides of it


@st.composite
def prose(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=120))
    width = draw(st.integers(min_value=1, max_value=400))  # line length, in words
    lines = [" ".join(words[i : i + width]) for i in range(0, len(words), width)]
    return draw(st.sampled_from(["\n", "\r\n", "\n\n", " "])).join(lines)


@st.composite
def file_bytes(draw, suffix: str) -> bytes:
    kind = draw(st.sampled_from(["soup", "text", "prose", "jsonl", "sized"]))
    if kind == "soup":
        return draw(st.binary(max_size=3_000))
    if kind == "sized":  # just under or over the size limit
        return (b"Ana Ruiz said 12 jobs went. " * 400)[: LIMIT + draw(st.integers(-50, 50))]
    if kind == "text":
        text = draw(st.text(max_size=1_500))
    elif kind == "jsonl" or suffix == ".jsonl":
        records = draw(st.lists(st.one_of(
            st.fixed_dictionaries({"id": st.one_of(st.text(max_size=5), st.integers()), "text": prose()},
                                  optional={"date": st.text(max_size=12), "source": st.text(max_size=8)}),
            st.text(max_size=40),
        ), max_size=4))
        text = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)
    else:
        text = draw(prose())
        if draw(st.booleans()):
            text = draw(st.sampled_from(["Source: Echo\nDate: 2026-03-02\n\n", "---\ndate: [\n---\n", "<p>"])) + text
    encoding = draw(st.sampled_from(ENCODINGS))
    return codecs.encode(text, encoding, "replace") if encoding not in ("utf-8", "utf-16", "utf-8-sig") \
        else text.encode(encoding, "surrogatepass")


@st.composite
def inboxes(draw) -> dict[str, bytes]:
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True))
    return {name + (suffix := draw(st.sampled_from(SUFFIXES))): draw(file_bytes(suffix)) for name in names}


def _config(tmp_path: Path, cache: Path) -> Path:
    """Small limits, so sizes, pieces and chunks are all fuzzed; one embedding cache for
    every example, so the fixed article is embedded once."""
    path = tmp_path / "fuzz.toml"
    path.write_text(f'max_file_bytes = {LIMIT}\nparse_max_chars = 1000\ncache_dir = "{cache}"\n'
                    "batch_chunk_articles = 2\n", encoding="utf-8")
    return path


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output


# CI runs a fixed sample (well under a minute); CLAIMCHECK_FUZZ_EXAMPLES=500 runs a long, random one
LONG_RUN = int(os.environ.get("CLAIMCHECK_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=LONG_RUN or 10, deadline=None, derandomize=not LONG_RUN, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@FUZZ
@given(files=inboxes())
def test_check_never_gives_a_traceback(tmp_path_factory, files):
    base = tmp_path_factory.mktemp("check")
    folder = _write(base / "in", files)
    config = _config(base, tmp_path_factory.getbasetemp() / "fuzz-cache")
    result = runner.invoke(app, ["check", str(folder), "--out", str(base / "out"), "--config", str(config)])
    _no_traceback(result)
    assert (result.exit_code == 2) == (not (base / "out").exists())


@settings(FUZZ, max_examples=LONG_RUN or 6)
@given(files=inboxes())
def test_batch_never_gives_a_traceback_and_the_next_night_runs(tmp_path_factory, files):
    base = tmp_path_factory.mktemp("batch")
    config = _config(base, tmp_path_factory.getbasetemp() / "fuzz-cache")
    args = ["--db", str(base / "cc.db"), "--reports", str(base / "r"), "--config", str(config)]
    first = runner.invoke(app, ["batch", str(_write(base / "night1", files)), *args, "--date", "2026-03-02"])
    _no_traceback(first)

    second = runner.invoke(app, ["batch", str(_write(base / "night2", {"echo.txt": ECHO.encode()})), *args,
                                 "--date", "2026-03-03"])
    _no_traceback(second)
    assert second.exit_code == 0, second.output
    assert "1 new article" in second.stdout or "already stored" in second.stderr
