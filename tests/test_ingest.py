"""Specification of ingest: files, folders and JSONL in; Articles and problems out.

Every fixture is invented and written into ``tmp_path``; the seed stories are not used.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.config import Config
from claimcheck.errors import (
    BinaryFileError,
    DuplicateArticleError,
    EmptyArticleError,
    FileTooLargeError,
    InputError,
    MalformedRecordError,
    UnreadableFileError,
)
from claimcheck.ingest import (
    IngestResult,
    InputProblem,
    content_hash,
    fold_typography,
    load_articles,
    parse_date,
    parse_jsonl,
    read_article_file,
)
from claimcheck.models import Article

GOOD = "The harbour authority said 412 ships docked in March, up from 380 a year earlier.\n"
OTHER = "Port officials counted roughly 400 arrivals last month, a record for the season.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # no newline translation
    return path


def only_problem(result: IngestResult) -> InputProblem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def assert_rejected(result: IngestResult, path: Path, error: type[InputError]) -> InputProblem:
    """The file is reported (by name, with the error's code) and the good one still loads."""
    problem = only_problem(result)
    assert problem.code == error.code
    assert problem.path == str(path)
    assert str(path) in problem.message
    assert [a.id for a in result.articles] == ["good.txt"]
    return problem


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write(tmp_path, "good.txt", GOOD)


# --------------------------------------------------------------------------- folders and ids


def test_folder_loads_article_files_sorted_by_name_with_file_names_as_ids(tmp_path: Path) -> None:
    write(tmp_path, "b_second.md", OTHER)
    write(tmp_path, "a_first.txt", GOOD)
    write(tmp_path, "c_third.txt", "A third, different account of the harbour figures.\n")
    write(tmp_path, ".hidden.txt", "A hidden draft that must be ignored.\n")
    write(tmp_path, "README.md", "# Notes on these articles, not an article.\n")
    write(tmp_path, "gold.yaml", "story: harbour\n")
    write(tmp_path, "notes.csv", "a,b\n")
    write(tmp_path, "sub/d_nested.txt", "Nested files are not read by default.\n")

    result = load_articles([tmp_path])

    assert [a.id for a in result.articles] == ["a_first.txt", "b_second.md", "c_third.txt"]
    assert result.articles[0].path == str(tmp_path / "a_first.txt")
    assert result.articles[0].source == "a_first.txt"  # unknown source defaults to the id
    assert result.problems == []


def test_recursive_folder_loading_descends_into_subfolders(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", GOOD)
    write(tmp_path, "sub/b.txt", OTHER)

    result = load_articles([tmp_path], recursive=True)

    assert [a.id for a in result.articles] == ["a.txt", "b.txt"]


def test_mixed_inputs_keep_their_order_and_in_memory_articles_pass_through(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    write(folder, "x.txt", GOOD)
    single = write(tmp_path, "single.txt", OTHER)
    memo = Article(id="memo", text="An in-memory article about the harbour.")

    result = load_articles([memo, single, folder])

    assert [a.id for a in result.articles] == ["memo", "single.txt", "x.txt"]
    assert result.articles[0] is memo


def test_folder_without_article_files_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "gold.yaml", "story: harbour\n")

    problem = only_problem(load_articles([tmp_path]))

    assert str(tmp_path) in problem.message and "no article files" in problem.message


# --------------------------------------------------------------------------- text and metadata


def test_text_is_kept_exactly_as_on_disk(tmp_path: Path) -> None:
    raw = "  Ships docked:\r\n412 in March.\r\n\r\n\n\n\n\n"
    path = write(tmp_path, "crlf.txt", raw)

    (article,) = read_article_file(path)

    assert article.text == path.read_bytes().decode("utf-8") == raw


def test_header_block_fills_metadata_and_body_start(tmp_path: Path) -> None:
    raw = (
        "Title: Harbour traffic hits record\n"
        "Source: The Coastal Ledger\n"
        "Date: March 4, 2031\n"
        "URL: https://ledger.example/harbour\n"
        "\n"
        "The harbour authority said 412 ships docked.\n"
    )
    (article,) = read_article_file(write(tmp_path, "ledger.txt", raw))

    assert article.title == "Harbour traffic hits record"
    assert article.source == "The Coastal Ledger"
    assert article.date == dt.date(2031, 3, 4)
    assert article.url == "https://ledger.example/harbour"
    assert article.text == raw
    assert article.text[article.body_start :] == "The harbour authority said 412 ships docked.\n"


def test_outlet_header_line_is_the_source(tmp_path: Path) -> None:
    (article,) = read_article_file(write(tmp_path, "o.txt", "Outlet: Harbour Weekly\n\n" + GOOD))

    assert article.source == "Harbour Weekly"


def test_unreadable_header_date_leaves_date_unset_with_a_note(tmp_path: Path) -> None:
    (article,) = read_article_file(write(tmp_path, "d.txt", "Date: last Tuesday\n\n" + GOOD))

    assert article.date is None
    assert any("last Tuesday" in note for note in article.notes)


def test_inline_date_token_sets_date_without_changing_text(tmp_path: Path) -> None:
    raw = " date 2031-03-04 According to the harbour authority, 412 ships docked.\n\n\n\n"
    (article,) = read_article_file(write(tmp_path, "inline.txt", raw))

    assert article.text == raw
    assert article.date == dt.date(2031, 3, 4)
    assert article.text[article.body_start :].startswith("According to the harbour authority")
    start = article.text.index("412")
    assert article.text[start : start + 3] == "412"  # offsets index the original text


def test_inline_date_token_accepts_a_colon_and_a_month_name(tmp_path: Path) -> None:
    raw = "Date: March 4, 2031 Officials counted 412 ships."
    (article,) = read_article_file(write(tmp_path, "inline2.txt", raw))

    assert article.date == dt.date(2031, 3, 4)
    assert article.text[article.body_start :] == "Officials counted 412 ships."


def test_body_starting_with_the_word_date_is_not_a_date_token(tmp_path: Path) -> None:
    raw = "Date palms line the harbour road, officials said.\n"
    (article,) = read_article_file(write(tmp_path, "palms.txt", raw))

    assert article.date is None
    assert article.body_start == 0


def test_markdown_front_matter_fills_metadata_and_body_start(tmp_path: Path) -> None:
    raw = (
        "---\n"
        "title: Harbour traffic hits record\n"
        "outlet: Harbour Weekly\n"
        "date: 2031-03-04\n"
        "---\n"
        "\n"
        "# Harbour traffic\n\nThe authority said 412 ships docked.\n"
    )
    (article,) = read_article_file(write(tmp_path, "weekly.md", raw))

    assert (article.title, article.source, article.date) == (
        "Harbour traffic hits record", "Harbour Weekly", dt.date(2031, 3, 4))
    assert article.text == raw
    assert article.text[article.body_start :].startswith("# Harbour traffic")


def test_utf8_bom_is_kept_as_character_zero_and_skipped_by_body_start(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbfShips docked: 412.")

    (article,) = read_article_file(path)

    assert article.text == "\ufeffShips docked: 412."  # what a plain UTF-8 decode gives
    assert article.body_start == 1


def test_parse_date_reads_iso_and_written_dates() -> None:
    assert parse_date("2031-03-04T08:00:00Z") == dt.date(2031, 3, 4)
    assert parse_date("Tuesday, Mar. 4th, 2031") == dt.date(2031, 3, 4)
    assert parse_date("4 March 2031") == dt.date(2031, 3, 4)
    assert parse_date("soon") is None


# --------------------------------------------------------------------------- typography and hashing


def test_fold_typography_keeps_length_and_maps_curly_quotes_dashes_and_nbsp() -> None:
    text = "The harbour’s “record” — 412\u00a0ships – ‘up’"

    folded = fold_typography(text)

    assert len(folded) == len(text)
    assert folded == "The harbour's \"record\" - 412 ships - 'up'"


@given(st.text())
def test_fold_typography_never_changes_length(text: str) -> None:
    assert len(fold_typography(text)) == len(text)


def test_content_hash_ignores_whitespace_differences_only() -> None:
    assert content_hash("412 ships\r\n docked. \n\n") == content_hash("412  ships docked.")
    assert content_hash("412 ships docked.") != content_hash("413 ships docked.")


# --------------------------------------------------------------------------- bad input


def test_empty_file_is_reported_and_other_articles_still_load(tmp_path: Path, good: Path) -> None:
    empty = write(tmp_path, "empty.txt", "")

    problem = assert_rejected(load_articles([tmp_path]), empty, EmptyArticleError)

    assert "empty" in problem.message


def test_whitespace_only_file_is_reported_as_empty(tmp_path: Path, good: Path) -> None:
    blank = write(tmp_path, "blank.txt", " \n\t\n\n")

    assert_rejected(load_articles([tmp_path]), blank, EmptyArticleError)


def test_header_without_a_body_is_reported_as_empty(tmp_path: Path, good: Path) -> None:
    header_only = write(tmp_path, "header.txt", "Title: Nothing here\nSource: Ledger\n\n\n")

    problem = assert_rejected(load_articles([tmp_path]), header_only, EmptyArticleError)

    assert "no article body" in problem.message


def test_binary_file_with_nul_bytes_is_reported(tmp_path: Path, good: Path) -> None:
    binary = write(tmp_path, "scan.txt", b"%PDF-1.7\x00\x01\x02\xff\xfe" * 50)

    problem = assert_rejected(load_articles([tmp_path]), binary, BinaryFileError)

    assert "binary" in problem.message


def test_file_of_mostly_control_characters_is_reported_as_binary(tmp_path: Path, good: Path) -> None:
    binary = write(tmp_path, "noise.txt", bytes(range(1, 32)) * 20)

    assert_rejected(load_articles([tmp_path]), binary, BinaryFileError)


def test_latin1_file_is_decoded_with_a_note(tmp_path: Path, good: Path) -> None:
    write(tmp_path, "latin.txt", "Le café du port a reçu 412 navires.".encode("latin-1"))

    result = load_articles([tmp_path])

    latin = next(a for a in result.articles if a.id == "latin.txt")
    assert latin.text == "Le café du port a reçu 412 navires."
    assert any("not valid UTF-8" in note for note in latin.notes)
    assert any(note.startswith("latin.txt:") for note in result.notes)
    assert result.problems == []


def test_cp1252_file_is_decoded_with_a_note(tmp_path: Path, good: Path) -> None:
    write(tmp_path, "smart.txt", b"\x93We are full,\x94 the harbour master said \x96 412 ships.")

    result = load_articles([tmp_path])

    smart = next(a for a in result.articles if a.id == "smart.txt")
    assert smart.text == "“We are full,” the harbour master said – 412 ships."
    assert smart.encoding == "cp1252"  # what the offsets into smart.text refer to
    assert "decoded as cp1252 (not valid UTF-8)" in smart.notes
    assert "smart.txt: decoded as cp1252 (not valid UTF-8)" in result.notes


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    (article,) = read_article_file(write(tmp_path, "odd.txt", b"Harbour \x81 report: 412 ships."))

    assert article.text == "Harbour \x81 report: 412 ships."
    assert "decoded as latin-1 (not valid UTF-8)" in article.notes
    assert article.encoding == "latin-1"


def test_utf16_file_with_a_byte_order_mark_is_decoded_with_a_note(tmp_path: Path) -> None:
    (article,) = read_article_file(write(tmp_path, "u16.txt", "412 ships docked.".encode("utf-16")))

    assert article.text == "412 ships docked."
    assert any("UTF-16" in note for note in article.notes)
    assert article.encoding == "utf-16"


def test_every_file_says_which_decoding_its_offsets_refer_to(tmp_path: Path) -> None:
    plain = write(tmp_path, "plain.txt", GOOD)
    page = write(tmp_path, "page.html", '<meta charset="iso-8859-2"><p>Przysta\xf1 412 ships.</p>'.encode("latin-1"))
    feed = write(tmp_path, "feed.jsonl", jsonl({"id": "a", "text": OTHER}).encode("utf-8"))

    encodings = {a.id: a.encoding for a in load_articles([plain, page, feed]).articles}

    assert encodings == {"plain.txt": "utf-8", "page.html": "iso8859-2", "feed.jsonl#a": "utf-8"}
    assert Article(id="x", text="given as text").encoding is None


def test_file_over_max_file_bytes_is_rejected_before_reading(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = write(tmp_path, "big.txt", "x" * 500 + "\n")
    real_open = Path.open

    def open_only_small_files(self: Path, *args, **kwargs):
        assert self.name != "big.txt", "an over-size file must be rejected from its size alone"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_only_small_files)

    result = load_articles([tmp_path], Config(max_file_bytes=200))

    problem = assert_rejected(result, big, FileTooLargeError)
    assert "max_file_bytes" in problem.message


def test_single_100kb_line_is_accepted(tmp_path: Path) -> None:
    line = ("The harbour counted 412 ships. " * 3300)[:100_000]
    (article,) = read_article_file(write(tmp_path, "long.txt", line))

    assert len(article.text) == 100_000
    assert article.body_start == 0


def test_duplicate_text_under_another_name_is_skipped(tmp_path: Path, good: Path) -> None:
    copy = write(tmp_path, "copy.txt", GOOD.replace(" ", "  ") + "\n\n")  # same text, other spacing

    result = load_articles([good, copy])

    problem = only_problem(result)
    assert problem.code == DuplicateArticleError.code
    assert "copy.txt" in problem.message and "same text as good.txt; skipped" in problem.message
    assert [a.id for a in result.articles] == ["good.txt"]


def test_two_different_articles_with_the_same_id_are_reported(tmp_path: Path, good: Path) -> None:
    clash = write(tmp_path, "elsewhere/good.txt", OTHER)

    result = load_articles([good, clash])

    problem = only_problem(result)
    assert problem.code == DuplicateArticleError.code
    assert str(clash) in problem.message and "'good.txt' is already used" in problem.message
    assert [a.text for a in result.articles] == [GOOD]


def test_same_file_listed_twice_is_read_once_with_a_note(tmp_path: Path, good: Path) -> None:
    result = load_articles([tmp_path, good])

    assert [a.id for a in result.articles] == ["good.txt"]
    assert result.problems == []
    assert any("listed more than once" in note for note in result.notes)


def test_missing_folder_is_reported_and_other_inputs_still_load(tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "no_such_folder"

    result = load_articles([missing, good])

    problem = only_problem(result)
    assert problem.code == InputError.code
    assert str(missing) in problem.message and "no such file or folder" in problem.message
    assert [a.id for a in result.articles] == ["good.txt"]


def test_missing_file_raises_input_error_when_read_directly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article_file(tmp_path / "gone.txt")


def test_read_article_file_raises_for_an_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", "")

    with pytest.raises(EmptyArticleError) as excinfo:
        read_article_file(path)

    assert str(path) in str(excinfo.value) and excinfo.value.code in str(excinfo.value)


def test_unreadable_file_is_reported(tmp_path: Path, good: Path) -> None:
    locked = write(tmp_path, "locked.txt", OTHER)
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop this process reading")
        assert_rejected(load_articles([tmp_path]), locked, UnreadableFileError)
    finally:
        locked.chmod(0o644)


def test_permission_denied_while_reading_is_reported(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same path as the chmod test, exercised even when the tests run as root.
    locked = write(tmp_path, "locked.txt", OTHER)
    real_open = Path.open

    def deny_locked(self: Path, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny_locked)

    problem = assert_rejected(load_articles([tmp_path]), locked, UnreadableFileError)
    assert "permission" in problem.message


def test_in_memory_article_with_no_text_is_reported() -> None:
    result = load_articles([Article(id="blank", text="  \n"), Article(id="ok", text=GOOD)])

    assert only_problem(result).code == EmptyArticleError.code
    assert [a.id for a in result.articles] == ["ok"]


def test_problem_str_carries_the_stable_code(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.txt", "")

    problem = only_problem(load_articles([empty]))

    assert str(problem).startswith(f"[{EmptyArticleError.code}] {empty}: ")


# --------------------------------------------------------------------------- JSONL


def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def test_jsonl_records_become_articles_with_their_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl(
        {"id": "ledger-1", "text": GOOD, "source": "Ledger", "date": "2031-03-04",
         "title": "Record month", "url": "https://ledger.example/1"},
        {"id": "weekly-7", "text": OTHER},
    ))

    articles, problems = parse_jsonl(path)

    assert problems == []
    # an article from JSONL is named by its file and its record: evidence says where to look
    assert [a.id for a in articles] == ["feed.jsonl#ledger-1", "feed.jsonl#weekly-7"]
    assert [a.record for a in articles] == ["ledger-1", "weekly-7"]
    first = articles[0]
    assert (first.text, first.source, first.date, first.title, first.url, first.path) == (
        GOOD, "Ledger", dt.date(2031, 3, 4), "Record month", "https://ledger.example/1", str(path))
    assert articles[1].source == "feed.jsonl#weekly-7"


def test_malformed_jsonl_line_is_reported_with_its_line_number_and_good_lines_load(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl(
        {"id": "a", "text": GOOD},
        '{"id": "b", "text": "unterminated',
        {"id": "c", "text": OTHER},
    ))

    result = load_articles([path])

    problem = only_problem(result)
    assert problem.code == MalformedRecordError.code
    assert problem.line == 2
    assert f"{path}:2: not valid JSON" in problem.message
    assert [a.record for a in result.articles] == ["a", "c"]


def test_jsonl_record_without_id_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl({"text": GOOD}, {"id": "c", "text": OTHER}))

    result = load_articles([path])

    problem = only_problem(result)
    assert problem.code == MalformedRecordError.code
    assert f"{path}:1" in problem.message and "no 'id'" in problem.message
    assert [a.record for a in result.articles] == ["c"]


def test_jsonl_record_without_text_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl({"id": "a", "text": GOOD}, {"id": "b", "body": "x"}))

    result = load_articles([path])

    problem = only_problem(result)
    assert f"{path}:2" in problem.message and "'text'" in problem.message
    assert [a.record for a in result.articles] == ["a"]


def test_a_duplicate_jsonl_record_is_skipped_naming_the_file_and_the_record(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl({"id": "a", "text": GOOD}, {"id": "b", "text": GOOD}))

    result = load_articles([path])

    problem = only_problem(result)
    assert problem.code == DuplicateArticleError.code
    assert f"{path}, record 'b': same text as feed.jsonl#a" in problem.message
    assert [a.id for a in result.articles] == ["feed.jsonl#a"]


def test_the_same_record_id_in_two_jsonl_files_names_two_articles(tmp_path: Path) -> None:
    one = write(tmp_path, "monday.jsonl", jsonl({"id": "7", "text": GOOD}))
    two = write(tmp_path, "tuesday.jsonl", jsonl({"id": 7, "text": OTHER}))

    result = load_articles([one, two])

    assert result.problems == []
    assert [a.id for a in result.articles] == ["monday.jsonl#7", "tuesday.jsonl#7"]


def test_read_article_file_is_strict_about_bad_jsonl_records(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", jsonl({"id": "a", "text": GOOD}, "not json"))

    with pytest.raises(MalformedRecordError, match="line"):
        read_article_file(path)


# --------------------------------------------------------------------------- HTML

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Harbour traffic hits record &amp; more | Ledger</title>
<meta property="og:site_name" content="The Coastal Ledger">
<script>alert(1)</script>
<style>p { color: red }</style>
</head>
<body>
<header><a href="/">Ledger home</a></header>
<nav><a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
  <h2>Ships</h2>
  <time datetime="2031-03-04T08:00:00Z">4 March</time>
  <p>The harbour authority said
     412 ships docked &mdash; a record.</p>
  <aside>Related: lighthouse closes</aside>
  <p>Officials expect&nbsp;more.</p>
</article>
<form>Subscribe <input name="email"></form>
<footer>&copy; 2031 Ledger</footer>
</body></html>
"""


def test_html_keeps_only_article_text(tmp_path: Path, good: Path) -> None:
    write(tmp_path, "page.html", PAGE)

    result = load_articles([tmp_path])

    page = next(a for a in result.articles if a.id == "page.html")
    assert page.text == (
        "Ships\n\nThe harbour authority said 412 ships docked — a record.\n\n"
        "Officials expect more."
    )
    for dropped in ("alert", "color", "World", "Ledger home", "Related", "Subscribe", "©"):
        assert dropped not in page.text
    assert page.path == str(tmp_path / "page.html")
    assert result.problems == []


def test_html_metadata_comes_from_title_site_name_and_time(tmp_path: Path) -> None:
    (page,) = read_article_file(write(tmp_path, "page.htm", PAGE))

    assert page.title == "Harbour traffic hits record & more"  # the site's name is the source
    assert page.source == "The Coastal Ledger"
    assert page.date == dt.date(2031, 3, 4)
    assert page.body_start == 0


def test_html_published_time_meta_wins_over_time_element(tmp_path: Path) -> None:
    markup = PAGE.replace(
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><meta property="article:published_time" content="2031-03-05">',
    )
    (page,) = read_article_file(write(tmp_path, "page.html", markup))

    assert page.date == dt.date(2031, 3, 5)


def test_html_with_a_utf8_bom_does_not_leak_it_into_the_text(tmp_path: Path) -> None:
    (page,) = read_article_file(write(tmp_path, "bom.html", "\ufeff<p>412 ships docked.</p>"))

    assert page.text == "412 ships docked."


def test_html_with_no_article_text_is_reported_as_empty(tmp_path: Path, good: Path) -> None:
    shell = write(tmp_path, "shell.html", "<html><body><nav>Home</nav><script>x()</script></body></html>")

    problem = assert_rejected(load_articles([tmp_path]), shell, EmptyArticleError)

    assert "no article text" in problem.message


def test_a_json_error_that_ends_in_at_is_not_followed_by_another_at(tmp_path: Path) -> None:
    # json says "Unterminated string starting at"; the column follows it directly
    path = write(tmp_path, "feed.jsonl", jsonl('{"id": "b", "text": "unterminated'))

    problem = only_problem(load_articles([path]))

    assert "Unterminated string starting at column 21" in problem.message
    assert " at at " not in problem.message
