"""The walkthrough notebook runs from top to bottom, so it cannot rot unnoticed."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import REPO

NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"


def test_walkthrough_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the walkthrough has no code"
    assert all(not c.outputs and c.execution_count is None for c in code), "clear the outputs before committing"


def test_walkthrough_runs_and_shows_claims_groups_discrepancies_and_the_coverage_figure(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the kernel inherits this: no model hub, ever
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, if any cell fails

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "5 articles" in printed and "discrepancies" in printed
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs if "data" in o)
    assert "<table" in html and "explanation" in html  # the discrepancy table was displayed
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1 and 'class="coverage"' in svgs[0]


@pytest.fixture(autouse=True)
def _kernel_available():
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:  # pragma: no cover - ipykernel is a test dependency
        pytest.fail("no python3 Jupyter kernel: install the test extras (pip install -e '.[test]')")


def _setup_cell() -> str:
    """The notebook's first code cell: its imports and where it finds the repository."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("where", ["repository", "notebooks", "elsewhere"])
def test_the_notebook_finds_the_seeds_from_the_repository_its_folder_or_elsewhere(where, tmp_path, monkeypatch):
    import claimcheck

    monkeypatch.chdir({"repository": REPO, "notebooks": NOTEBOOK.parent, "elsewhere": tmp_path}[where])
    monkeypatch.setattr(claimcheck, "check", lambda *a, **k: pytest.fail("the set-up cell runs no check"))
    namespace: dict = {}
    exec(compile(_setup_cell(), "walkthrough, first cell", "exec"), namespace)
    assert (namespace["ROOT"] / "seeds").resolve() == (REPO / "seeds").resolve()
