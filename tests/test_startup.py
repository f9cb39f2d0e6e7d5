"""Start-up: importing claimcheck, and commands that need no model, load no model (issue 13).

Each check runs in a fresh interpreter, where nothing is imported yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import FIXTURES, REPO

HEAVY = ("torch", "sentence_transformers", "transformers", "spacy", "pandas")


def imported_after(code: str) -> set[str]:
    """The heavy libraries in sys.modules after running ``code`` in a new interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=REPO,
                          check=True, timeout=300)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_claimcheck_and_its_cli_imports_no_heavy_library():
    assert imported_after("import claimcheck, claimcheck.cli") == set()


def test_help_imports_no_heavy_library():
    code = ("from claimcheck.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass")
    assert imported_after(code) == set()


def test_claims_on_one_file_loads_the_parser_but_no_sentence_encoder():
    article = FIXTURES / "plant_closure" / "business_daily.txt"
    code = ("from claimcheck.cli import app\n"
            f"try:\n    app(['claims', {str(article)!r}])\nexcept SystemExit as e:\n    assert not e.code, e.code")
    assert imported_after(code) == {"spacy"}  # no torch, no sentence-transformers, no pandas


def test_the_lazy_names_of_the_package_are_its_api():
    import claimcheck
    from claimcheck.pipeline import check, read_claims
    from claimcheck.store import Store

    assert claimcheck.check is check and claimcheck.read_claims is read_claims and claimcheck.Store is Store
    assert set(claimcheck.__all__) <= set(dir(claimcheck))
