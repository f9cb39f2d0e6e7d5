"""Word knowledge as data: the YAML files next to this module.

Each file is a list a reader can check and extend (measure words, office equivalents,
opposite outcomes, exclusive values), every entry with a line saying why it is there.
They are read once per process.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from claimcheck.errors import ConfigError


@functools.lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """The parsed content of ``claimcheck/data/<name>``."""
    try:
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"data file {name!r} is missing from the installed package", path=name) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"data file is not valid YAML: {exc}", path=name) from exc
