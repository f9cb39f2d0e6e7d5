"""Ingest: article files, folders and JSONL in; ``Article`` records and problems out.

The first stage of the pipeline.  Its one promise is that **offsets stay honest**:
``Article.text`` is the file exactly as decoded from disk, never stripped or
normalised, so every character range reported later points into the original file.
Metadata found at the top of a file (a ``Title:``/``Source:``/``Date:`` header block,
YAML front matter in Markdown, or an inline ``date 2025-12-15`` token) is *read*, and
``Article.body_start`` says where the body begins; the text itself is untouched.

Decisions worth knowing:

* **Encoding.** Files are decoded as plain ``utf-8`` (not ``utf-8-sig``), as the eval
  does, so a leading byte-order mark stays in the text as character 0 and offsets
  match the eval's; ``body_start`` skips it.  When a file is not valid UTF-8 it is
  decoded as cp1252 (a superset of latin-1's printable range, and what "smart quote"
  bytes 0x93/0x94 usually mean), then latin-1, which never fails; either way the
  article and the result carry a note.  A file that starts with a UTF-16 byte-order
  mark is decoded as UTF-16, also with a note.
* **HTML.** For ``.html``/``.htm`` files ``Article.text`` is the article's main text as
  trafilatura extracts it (menus, cookie notices, share bars, related links, comments and
  footers dropped; one block per paragraph, blocks separated by a blank line; entities
  unescaped), so offsets point into that extracted text, not into the markup, and the
  report quotes that text.  Title, date, site name (the outlet) and URL come from the
  page's metadata.  ``Article.path`` is still the file.
* **JSONL.** Each record is one article; its ``text`` field is the text offsets point
  into, and its ``id`` field is the article id.
* **Bad input is reported, not fatal.** ``load_articles`` turns every unreadable,
  empty, binary, oversized, malformed or duplicate input into an ``InputProblem`` and
  carries on with the rest; ``read_article_file`` and ``parse_jsonl`` are the strict
  building blocks (the former raises ``InputError`` subclasses).
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

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
from claimcheck.models import Article

__all__ = [
    "IngestResult",
    "InputProblem",
    "article_location",
    "content_hash",
    "fold_typography",
    "jsonl_article_id",
    "load_articles",
    "parse_date",
    "parse_jsonl",
    "read_article_file",
    "undated_warning",
]

PathInput = str | os.PathLike[str]

HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
BOM = "\ufeff"

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class InputProblem:
    """A rejected file, folder or JSONL record: reported to the user, never fatal.

    ``message`` names the file (and line, for JSONL) and says what to do; ``code`` is
    the stable code of the matching ``InputError`` subclass.
    """

    path: str
    code: str
    message: str
    line: int | None = None  # JSONL line number, 1-based

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    @classmethod
    def from_error(cls, error: InputError, path: str | None = None, line: int | None = None) -> InputProblem:
        where = f"{error.path}: " if error.path else ""
        hint = f" ({error.hint})" if error.hint else ""
        return cls(
            path=path or error.path or "",
            code=error.code,
            message=f"{where}{error.message}{hint}",
            line=line,
        )


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # non-fatal remarks, each naming its file


# --------------------------------------------------------------------------- text helpers

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′ prime, often typed for an apostrophe
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
    }
)


def fold_typography(text: str) -> str:
    """Map curly quotes, dashes and non-breaking spaces to their ASCII look-alikes.

    For *matching* only (a quote typed with ``'`` should find ``’``).  Every mapping is
    one character to one character, so the result has the same length as ``text`` and
    an offset found in the folded text is valid in the original.
    """
    return text.translate(_TYPOGRAPHY)


def content_hash(text: str) -> str:
    """sha256 of ``text`` with runs of white space folded to one space (and any
    byte-order mark dropped): two files that differ only in spacing or line endings
    hash the same."""
    normalised = " ".join(text.replace(BOM, "").split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- dates

# Month number by the first three letters of its name (the regex below admits only months).
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH = (
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_ISO = r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_MDY = rf"{_MONTH}\.?\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"
_DMY = rf"\d{{1,2}}{_ORD}\s+{_MONTH}\.?,?\s+\d{{4}}"
_DATE_TEXT = rf"(?:{_ISO}|{_MDY}|{_DMY})"

_ISO_RE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_MDY_RE = re.compile(rf"({_MONTH})\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})", re.I)
_DMY_RE = re.compile(rf"(\d{{1,2}}){_ORD}\s+({_MONTH})\.?,?\s+(\d{{4}})", re.I)

# " date 2025-12-15 According to..." -- a date token glued to the start of the body.
# The word must be followed by an actual date, so "Date palms..." is left alone.
_INLINE_DATE_RE = re.compile(rf"\s*date[ \t]*:?[ \t]*(?P<date>{_DATE_TEXT})(?![\w-])", re.I)


def parse_date(value: Any) -> dt.date | None:
    """Read a publication date: ISO (``2025-12-15``, with or without a time),
    ``December 15, 2025``, ``Dec. 15 2025`` or ``15 December 2025``; None if unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    text = str(value).strip()
    candidates: list[tuple[int, int, int]] = []
    if m := _ISO_RE.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := _MDY_RE.search(text):
        candidates.append((int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])))
    if m := _DMY_RE.search(text):
        candidates.append((int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- metadata


@dataclass
class _Metadata:
    title: str | None = None
    source: str | None = None
    date: dt.date | None = None
    url: str | None = None
    body_start: int = 0
    notes: list[str] = field(default_factory=list)

    def set(self, key: str, value: Any) -> None:
        """Record one metadata value under its canonical key; the first value wins."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        if key == "date":
            parsed = parse_date(value)
            if parsed is None:
                self.notes.append(f"could not read the date {str(value).strip()!r}; date left unset")
            elif self.date is None:
                self.date = parsed
            return
        text = str(value).strip()
        if key == "source" and text.startswith(("http://", "https://")):
            # "Source: https://www.example.com/..." is a URL; name the outlet by its host.
            self.set("url", text)
            text = _host(text) or text
        if getattr(self, key) is None:
            setattr(self, key, text)


def _host(url: str) -> str | None:
    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.") or None


_KEY_ALIASES = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "publication": "source",
    "site_name": "source",
    "date": "date",
    "published": "date",
    "published_at": "date",
    "published_date": "date",
    "publication_date": "date",
    "pubdate": "date",
    "url": "url",
    "link": "url",
    "source_url": "url",
    "canonical_url": "url",
    "permalink": "url",
    "author": None,  # recognised as header lines, but Article has no field for them
    "authors": None,
    "byline": None,
}

_HEADER_LINE_RE = re.compile(
    r"[ \t]*(?P<key>title|headline|source(?:[ _]url)?|outlet|publisher|publication(?:[ _]date)?"
    r"|date|published(?:[ _](?:at|date))?|url|link|canonical[ _]url|author|authors|byline)"
    r"[ \t]*:[ \t]*(?P<value>.*?)[ \t]*",
    re.I,
)
_MAX_HEADER_LINES = 20

_FRONT_MATTER_RE = re.compile(r"---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def _canonical_key(key: str) -> str | None:
    return _KEY_ALIASES.get(re.sub(r"[\s-]+", "_", key.strip().lower()), None)


def _iter_lines(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, line)`` from ``pos`` on; ``end`` includes the newline."""
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        yield pos, end, text[pos:end].rstrip("\r\n")
        pos = end


def _read_header_block(text: str, pos: int, meta: _Metadata) -> int:
    """Read ``Key: value`` lines at ``pos``; return where they end (``pos`` if none)."""
    found = False
    end_of_header = pos
    for count, (_start, end, line) in enumerate(_iter_lines(text, pos)):
        if count >= _MAX_HEADER_LINES:
            break
        if not line.strip():
            if found:
                break  # a blank line closes the header
            continue  # blank lines before the header
        m = _HEADER_LINE_RE.fullmatch(line)
        if not m:
            break
        key = _canonical_key(m["key"])
        if key == "date" and _runs_into_body(m["value"]):
            break  # "Date: March 4, 2031 Officials said..." is an inline token, not a header
        found = True
        if key:
            meta.set(key, m["value"])
        end_of_header = end
    return end_of_header if found else pos


_DATE_TEXT_RE = re.compile(_DATE_TEXT, re.I)
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _runs_into_body(value: str) -> bool:
    """True when a ``Date:`` value is a date followed by prose (three words or more);
    a weekday, time or zone after the date ("8:00 GMT") is still a header value."""
    m = _DATE_TEXT_RE.search(value)
    return bool(m) and len(_WORD_RE.findall(value[m.end():])) >= 3


def _read_front_matter(text: str, pos: int, meta: _Metadata) -> int:
    """Read a YAML ``---`` block at ``pos``; return where it ends (``pos`` if none)."""
    m = _FRONT_MATTER_RE.match(text, pos)
    if not m:
        return pos
    try:
        data = yaml.safe_load(m["yaml"]) or {}
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        meta.notes.append(f"front matter is not valid YAML ({problem}); its metadata was ignored")
        return m.end()  # still not article text
    if not isinstance(data, dict):
        meta.notes.append("front matter is not a key: value mapping; its metadata was ignored")
        return m.end()
    for raw_key, value in data.items():
        key = _canonical_key(str(raw_key))
        if key and isinstance(value, (str, int, float, dt.date)):
            meta.set(key, value)
    return m.end()


def _read_inline_date(text: str, pos: int, meta: _Metadata) -> int:
    """Read a ``date 2025-12-15`` token glued to the start of the body."""
    m = _INLINE_DATE_RE.match(text, pos)
    if not m:
        return pos
    parsed = parse_date(m["date"])
    if parsed is None:
        return pos  # "date 2025-13-45" is not a date: leave it in the body
    if meta.date is None:
        meta.date = parsed
    elif meta.date != parsed:
        meta.notes.append(f"inline date {parsed} differs from the header date {meta.date}; kept {meta.date}")
    return m.end()


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] == BOM):
        pos += 1
    return pos


def _read_text_metadata(text: str, *, front_matter: bool = False) -> _Metadata:
    """Find the metadata at the top of ``text`` and where the body begins.

    ``body_start`` is the first non-space character after any BOM, front matter
    (when ``front_matter``), header block and inline date token.
    """
    meta = _Metadata()
    pos = 1 if text.startswith(BOM) else 0
    after_front = _read_front_matter(text, pos, meta) if front_matter else pos
    pos = after_front if after_front != pos else _read_header_block(text, pos, meta)
    pos = _read_inline_date(text, pos, meta)
    meta.body_start = _skip_space(text, pos)
    return meta


# --------------------------------------------------------------------------- reading bytes


def _read_bytes(path: Path, config: Config) -> bytes:
    """Read a file's bytes, checking existence, size (before reading) and permissions."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=name, hint="check the path") from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read: {exc.strerror or exc}", path=name,
                                  hint="check the file and its folder's permissions") from exc
    if path.is_dir():
        raise InputError("is a folder, not a file", path=name,
                         hint="pass the folder to load_articles() to load its articles")
    limit = config.max_file_bytes
    if size > limit:
        raise _too_large(name, size, limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat()
    except PermissionError as exc:
        raise UnreadableFileError("cannot be read: permission denied", path=name,
                                  hint="check the file's permissions (e.g. chmod u+r)") from exc
    except OSError as exc:
        raise UnreadableFileError(f"cannot be read: {exc.strerror or exc}", path=name,
                                  hint="check that the file is a regular, readable file") from exc
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    if not data:
        raise EmptyArticleError("file is empty", path=name, hint="add the article text or remove the file")
    return data


def _too_large(name: str, size: int, limit: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"file is {size:,} bytes, over the {limit:,}-byte limit (max_file_bytes); it was not read",
        path=name,
        hint="split it into one file per article, or raise max_file_bytes under [tool.claimcheck]",
    )


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.10  # real text has almost none; binary data has ~1/8
_CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _binary_error(name: str, reason: str) -> BinaryFileError:
    return BinaryFileError(
        f"looks like a binary file, not text ({reason})",
        path=name,
        hint="pass plain text, Markdown, HTML or JSONL; convert PDF or Word files to text first",
    )


def _decode(data: bytes, name: str, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes as UTF-8, else the declared charset, cp1252, latin-1.

    Plain ``utf-8`` (not ``utf-8-sig``): a BOM stays in the text so offsets match a
    plain UTF-8 decode of the file.  Returns the text, the encoding used (what offsets
    into the text refer to) and notes about the decoding.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16", ["decoded as UTF-16 (byte-order mark; not UTF-8)"]
        except UnicodeDecodeError:
            raise _binary_error(name, "starts like UTF-16 but does not decode as UTF-16") from None
    if b"\x00" in data:
        raise _binary_error(name, "contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    fallbacks = ["cp1252", "latin-1"]
    if declared and _known_codec(declared):
        fallbacks.insert(0, codecs.lookup(declared).name)  # "ISO-8859-2" -> "iso8859-2"
    for encoding in dict.fromkeys(fallbacks):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, encoding, [f"decoded as {encoding} (not valid UTF-8)"]
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _known_codec(name: str) -> bool:
    """A declared charset worth trying: known, and not UTF-8/16/32 (UTF-8 was tried
    first; a UTF-16/32 page without a byte-order mark would decode to nonsense)."""
    try:
        return not codecs.lookup(name).name.startswith(("utf-8", "utf-16", "utf-32"))
    except LookupError:
        return False


def _check_text(text: str, name: str) -> None:
    """Reject text that is empty, white space only, or mostly control characters."""
    if not text.replace(BOM, "").strip():
        raise EmptyArticleError("file contains only white space", path=name,
                                hint="add the article text or remove the file")
    controls = len(_CONTROL_RE.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise _binary_error(name, f"{controls:,} of {len(text):,} characters are control characters")


def _load_text(path: Path, config: Config, *, declared_charset: bool = False) -> tuple[str, str, list[str]]:
    """The file's text, the encoding it was decoded with, and notes."""
    data = _read_bytes(path, config)
    declared = None
    if declared_charset and (m := _CHARSET_RE.search(data[:4096])):
        declared = m[1].decode("ascii", "replace")
    text, encoding, notes = _decode(data, str(path), declared=declared)
    _check_text(text, str(path))
    return text, encoding, notes


# --------------------------------------------------------------------------- plain text and Markdown


def _article_from_text(
    article_id: str, text: str, *, path: str, notes: list[str], front_matter: bool, encoding: str | None = None
) -> Article:
    meta = _read_text_metadata(text, front_matter=front_matter)
    if meta.body_start >= len(text):
        raise EmptyArticleError("has a metadata header but no article body", path=path,
                                hint="add the article text after the header")
    return Article(
        id=article_id,
        text=text,
        source=meta.source,
        date=meta.date,
        title=meta.title,
        path=path,
        url=meta.url,
        body_start=meta.body_start,
        notes=tuple(notes + meta.notes),
        encoding=encoding,
    )


# --------------------------------------------------------------------------- HTML

#: Elements never part of an article, removed before trafilatura looks for the main text:
#: a menu (on a page with no article trafilatura would fall back to it), and markup
#: whose text is never shown as such (templates, no-script notices, drawings, frames, controls).
_HTML_NEVER_ARTICLE = ["//nav", "//template", "//noscript", "//svg", "//iframe", "//button", "//select"]
#: htmldate rejects dates outside [min_date, max_date]; its default max is today, which
#: would drop the date of a page saved with a clock set ahead or dated in a time zone ahead.
_HTML_DATE_PARAMS = {"extensive_search": False, "original_date": True,
                     "min_date": "1900-01-01", "max_date": "2999-12-31"}


@functools.cache
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # A short article is still an article: by default trafilatura treats under 250
    # characters as a failed extraction and falls back to the whole page, menus included.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # a signal-based timeout; no use in a library
    return config


def _extract_html(markup: str, path: str) -> tuple[str, _Metadata]:
    """The page's main text (one paragraph a block, blocks separated by a blank line)
    and its title, date, site name and URL, by trafilatura.

    Precision over recall: boilerplate read as article text (a cookie notice, "Most
    read", reader comments) would become claims and false discrepancies.
    """
    import trafilatura  # imported here: it takes about half a second and only pages need it
    from trafilatura.utils import load_html

    markup = markup.removeprefix(BOM)  # offsets index the extracted text, so a BOM has no use
    try:
        # trafilatura refuses a fragment ("<p>…</p>" alone); a document around it is fine
        tree = load_html(markup)
        if tree is None:
            tree = load_html(f"<html><body>{markup}</body></html>")
        document = None if tree is None else trafilatura.bare_extraction(
            tree, with_metadata=True, favor_precision=True, include_comments=False, include_tables=True,
            deduplicate=False, prune_xpath=_HTML_NEVER_ARTICLE, date_extraction_params=_HTML_DATE_PARAMS,
            config=_trafilatura_config(),
        )
    except Exception as exc:  # lxml and trafilatura raise more than ValueError on broken markup
        raise UnreadableFileError(f"the HTML page could not be parsed ({type(exc).__name__}: {exc})", path=path,
                                  hint="save the article's text as .txt and check that instead") from exc
    meta = _Metadata()
    if document is None:
        return "", meta
    blocks = (" ".join(line.split()) for line in (document.text or "").split("\n"))
    meta.set("title", document.title)
    meta.set("source", document.sitename)
    meta.set("url", document.url)
    meta.set("date", document.date)
    return "\n\n".join(block for block in blocks if block), meta


def _article_from_html(article_id: str, markup: str, *, path: str, notes: list[str],
                       encoding: str | None = None) -> Article:
    text, meta = _extract_html(markup, path)
    if not text.strip():
        raise EmptyArticleError(
            "no article text found: the page holds only scripts, navigation and other page furniture",
            path=path,
            hint="check that the page holds the article itself, or save its text as .txt",
        )
    return Article(
        id=article_id,
        text=text,
        source=meta.source,
        date=meta.date,
        title=meta.title,
        path=path,
        url=meta.url,
        body_start=0,  # the extracted text has no header; metadata came from the page
        notes=tuple(notes + meta.notes),
        encoding=encoding,
    )


# --------------------------------------------------------------------------- JSONL


@dataclass(frozen=True)
class _RecordProblem:
    line: int
    error: InputError


def _record_error(cls: type[InputError], path: str, line: int, message: str, hint: str) -> InputError:
    return cls(message, path=f"{path}:{line}", hint=hint)


def _article_from_record(record: Any, *, path: str, line: int, notes: list[str],
                         encoding: str | None = None) -> Article:
    if not isinstance(record, dict):
        raise _record_error(MalformedRecordError, path, line,
                            f"record is a JSON {type(record).__name__}, not an object",
                            "write one JSON object per line, with 'id' and 'text'")
    article_id = record.get("id")
    if isinstance(article_id, int) and not isinstance(article_id, bool):
        article_id = str(article_id)
    if not isinstance(article_id, str) or not article_id.strip():
        raise _record_error(MalformedRecordError, path, line, "record has no 'id'",
                            "give every record a unique string 'id'; the other records were loaded")
    text = record.get("text")
    if not isinstance(text, str):
        raise _record_error(MalformedRecordError, path, line, f"record {article_id!r} has no 'text' string",
                            "add the article text as a 'text' field; the other records were loaded")
    if not text.replace(BOM, "").strip():
        raise _record_error(EmptyArticleError, path, line, f"record {article_id!r} has an empty 'text'",
                            "add the article text or remove the record")
    # Metadata at the top of the text counts too, but the record's own fields win.
    meta = _read_text_metadata(text)
    record_meta = _Metadata()
    for key in ("title", "source", "date", "url"):
        record_meta.set(key, record.get(key))
    return Article(
        id=jsonl_article_id(path, article_id),
        text=text,
        source=record_meta.source or meta.source,
        date=record_meta.date or meta.date,
        title=record_meta.title or meta.title,
        path=path,
        url=record_meta.url or meta.url,
        body_start=meta.body_start,
        notes=tuple(notes + record_meta.notes + meta.notes),
        encoding=encoding,
        record=article_id,
    )


def jsonl_article_id(path: PathInput, record_id: str) -> str:
    """A JSONL record's article id, ``<file name>#<record id>``: evidence, reports and the
    store then say which file to open and which record to look for."""
    return f"{Path(path).name}#{record_id}"


def article_location(article: Article) -> str:
    """Where an article came from, for messages: its path, and its record for JSONL."""
    where = article.path or article.id
    return f"{where}, record {article.record!r}" if article.record is not None else where


def _parse_jsonl_records(path: Path, config: Config) -> tuple[list[Article], list[_RecordProblem]]:
    text, encoding, notes = _load_text(path, config)
    articles: list[Article] = []
    problems: list[_RecordProblem] = []
    # Split on "\n" only: JSON strings may hold a raw U+2028, which splitlines() would cut.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip().lstrip(BOM) if number == 1 else line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            # json's messages may end in "at" already ("Unterminated string starting at")
            where = f"{exc.msg} column {exc.colno}" if exc.msg.endswith(" at") else f"{exc.msg} at column {exc.colno}"
            problems.append(_RecordProblem(number, _record_error(
                MalformedRecordError, str(path), number, f"not valid JSON ({where})",
                "fix or delete that line; the other lines were loaded")))
            continue
        try:
            articles.append(_article_from_record(record, path=str(path), line=number, notes=notes,
                                                 encoding=encoding))
        except InputError as exc:
            problems.append(_RecordProblem(number, exc))
    return articles, problems


def parse_jsonl(path: PathInput, config: Config | None = None) -> tuple[list[Article], list[InputProblem]]:
    """Read a JSONL file, one article per line (``id``, ``text``; optional ``source``,
    ``date``, ``title``, ``url``).  Good records load; each bad line becomes an
    ``InputProblem`` naming the file and line.  Raises ``InputError`` only when the
    file as a whole cannot be read (missing, empty, binary, too large)."""
    path = Path(path)
    articles, problems = _parse_jsonl_records(path, config or Config())
    return articles, [InputProblem.from_error(p.error, path=str(path), line=p.line) for p in problems]


# --------------------------------------------------------------------------- one file


def read_article_file(path: PathInput, config: Config | None = None) -> list[Article]:
    """Read one article file (.txt, .md, .html/.htm, .jsonl; anything else as plain text).

    Strict: raises an ``InputError`` subclass for a bad file, and for a JSONL file with
    any bad record (a ``MalformedRecordError`` listing them; use ``parse_jsonl`` or
    ``load_articles`` to keep the good records).
    """
    config = config or Config()
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        articles, problems = _parse_jsonl_records(path, config)
        if problems:
            lines = ", ".join(str(p.line) for p in problems)
            raise MalformedRecordError(
                f"{len(problems)} bad record(s), on line(s) {lines}: {problems[0].error.message}",
                path=str(path),
                hint="fix those lines, or load the file with load_articles() to skip them",
            )
        return articles
    if suffix in HTML_SUFFIXES:
        markup, encoding, notes = _load_text(path, config, declared_charset=True)
        return [_article_from_html(path.name, markup, path=str(path), notes=notes, encoding=encoding)]
    text, encoding, notes = _load_text(path, config)
    return [_article_from_text(path.name, text, path=str(path), notes=notes,
                               front_matter=suffix in MARKDOWN_SUFFIXES, encoding=encoding)]


# --------------------------------------------------------------------------- many inputs


def undated_warning(articles: Iterable[Article]) -> str | None:
    """The warning to give once per run when articles were read and none has a date."""
    articles = list(articles)
    if not articles or any(a.date for a in articles):
        return None
    return ("no article has a date: dates resolve \"on Monday\" or \"last year\" and tell an update "
            "from an earlier report, and the report shows \"—\". Give each article a Date: header line, "
            "a date: key in YAML front matter, or a \"date\" key in a JSONL record "
            "(see `claimcheck check --help`)")


def _folder_files(folder: Path, config: Config, recursive: bool) -> list[Path]:
    """Article files in ``folder``, sorted by name; hidden files, other suffixes and a
    folder's README (notes about the articles, like seeds/README.md) skipped."""
    suffixes = tuple(s.lower() for s in config.article_suffixes)
    candidates = folder.rglob("*") if recursive else folder.iterdir()
    files = [
        p for p in candidates
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.suffix.lower() in suffixes
        and p.stem.lower() != "readme"
    ]
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


class _Collector:
    """Accumulates articles, skipping duplicates by content and by id."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.result = IngestResult()
        self._by_hash: dict[str, Article] = {}
        self._by_id: dict[str, Article] = {}
        self._seen_files: set[str] = set()

    def problem(self, error: InputError, path: str | None = None) -> None:
        self.result.problems.append(InputProblem.from_error(error, path=path))

    def add_path(self, path: Path, recursive: bool) -> None:
        if path.is_dir():
            self.add_folder(path, recursive)
        elif not path.exists():
            hint = "check the path" + (" (it is a broken symbolic link)" if path.is_symlink() else "")
            self.problem(InputError("no such file or folder", path=str(path), hint=hint))
        else:
            self.add_file(path)

    def add_folder(self, folder: Path, recursive: bool) -> None:
        try:
            files = _folder_files(folder, self.config, recursive)
        except OSError as exc:
            self.problem(UnreadableFileError(f"folder cannot be listed: {exc.strerror or exc}",
                                             path=str(folder), hint="check the folder's permissions"))
            return
        if not files:
            wanted = ", ".join(self.config.article_suffixes)
            self.problem(InputError(f"folder holds no article files ({wanted})", path=str(folder),
                                    hint="check the folder, or set article_suffixes in the config"))
        for file in files:
            self.add_file(file)

    def add_file(self, path: Path) -> None:
        key = os.path.realpath(path)
        if key in self._seen_files:
            self.result.notes.append(f"{path}: listed more than once; read once")
            return
        self._seen_files.add(key)
        if path.suffix.lower() in JSONL_SUFFIXES:
            try:
                articles, problems = parse_jsonl(path, self.config)
            except InputError as exc:
                self.problem(exc, path=str(path))
                return
            self.result.problems.extend(problems)
        else:
            try:
                articles = read_article_file(path, self.config)
            except InputError as exc:
                self.problem(exc, path=str(path))
                return
        for article in articles:
            self.add_article(article)

    def add_article(self, article: Article) -> None:
        where = article_location(article)
        if not article.text[article.body_start:].replace(BOM, "").strip():
            self.problem(EmptyArticleError(f"article {article.id!r} has no text", path=where,
                                           hint="give the article its text"), path=where)
            return
        digest = content_hash(article.text[article.body_start:])
        if (earlier := self._by_hash.get(digest)) is not None:
            self.problem(DuplicateArticleError(
                f"same text as {earlier.id}; skipped", path=where,
                hint="remove one of the copies"), path=where)
            return
        if (earlier := self._by_id.get(article.id)) is not None:
            self.problem(DuplicateArticleError(
                f"article id {article.id!r} is already used by {earlier.path or earlier.id}; skipped",
                path=where, hint="rename one of the files (or give the JSONL record another id)"), path=where)
            return
        self._by_hash[digest] = article
        self._by_id[article.id] = article
        self.result.articles.append(article)
        self.result.notes.extend(f"{article.id}: {note}" for note in article.notes)


def load_articles(
    inputs: Iterable[PathInput | Article] | PathInput | Article,
    config: Config | None = None,
    *,
    recursive: bool = False,
) -> IngestResult:
    """Load articles from folders, files and ``Article`` objects, in the order given.

    A folder contributes its article files (``config.article_suffixes``; hidden files
    skipped), sorted by name, without descending into sub-folders unless
    ``recursive``.  Never raises for bad input: each bad file, record or duplicate
    becomes an ``InputProblem`` and the rest still load.
    """
    config = config or Config()
    if isinstance(inputs, (str, os.PathLike, Article)):
        inputs = [inputs]
    collector = _Collector(config)
    for item in inputs:
        if isinstance(item, Article):
            collector.add_article(item)
        elif isinstance(item, (str, os.PathLike)):
            collector.add_path(Path(item), recursive)
        else:
            raise TypeError(f"cannot load {type(item).__name__!r}: pass paths, folders or Article objects")
    return collector.result
