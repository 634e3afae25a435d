"""Write and check the kit's notebooks: one place that knows a seedkit notebook's shape.

Notebooks are stored without outputs; cell 2 is the ``parameters`` cell (papermill) whose source is
exactly the stage settings' :meth:`~seedkit.config.StageSettings.parameters_cell`. Stage owners build
their notebook from a list of (kind, source) pairs with :func:`write_notebook`, so the file on disk
is regenerated, not hand-edited JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def write_notebook(path: str | Path, cells: Sequence[tuple[str, str]], parameters_source: str | None = None) -> Path:
    """Write ``cells`` (("markdown"|"code", source)) to ``path``; ``parameters_source`` becomes the
    tagged parameters cell after the first cell."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    out = []
    for i, (kind, source) in enumerate(cells):
        if kind == "markdown":
            out.append(nbformat.v4.new_markdown_cell(source.strip("\n")))
        elif kind == "code":
            out.append(nbformat.v4.new_code_cell(source.strip("\n")))
        else:
            raise ValueError(f"cell kind {kind!r}: use 'markdown' or 'code'")
        if i == 0 and parameters_source is not None:
            cell = nbformat.v4.new_code_cell(parameters_source.strip("\n"))
            cell.metadata["tags"] = ["parameters"]
            out.append(cell)
    nb.cells = out
    for j, cell in enumerate(nb.cells):  # stable ids keep diffs small when a notebook is regenerated
        cell["id"] = f"cell-{j:02d}"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def notebook_problems(path: str | Path) -> list[str]:
    """What is wrong with a stored notebook (empty list when nothing)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = []
    cells = nb.get("cells", [])
    for c in cells:
        if c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count")):
            problems.append("stored with outputs")
            break
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(params) != 1:
        problems.append(f"{len(params)} cells tagged 'parameters' (want 1)")
    if not cells or cells[0].get("cell_type") != "markdown":
        problems.append("does not open with a markdown cell")
    if not cells or cells[-1].get("cell_type") != "markdown" or "exercise" not in "".join(cells[-1].get("source", "")).lower():
        problems.append("does not end with a markdown cell of exercises")
    return problems


def live_widgets() -> Any:
    """The ipywidgets module when a person runs the notebook in Jupyter; ImportError otherwise.

    Headless runs (``seedkit run``, ``make pipeline``, the notebook test) set SEEDKIT_HEADLESS=1:
    nobody can move a slider there, and under papermill the widgets' comm traffic was seen to leave
    nbclient waiting for a reply that never came. Notebooks call this inside ``try: ... except
    ImportError:`` and print their static view in the ``except`` branch.
    """
    if os.environ.get("SEEDKIT_HEADLESS"):
        raise ImportError("headless run (SEEDKIT_HEADLESS): widgets skipped, static view below")
    import ipywidgets

    return ipywidgets
