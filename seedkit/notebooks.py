"""The kit's notebooks: jupytext pairs, their shape, and widgets that degrade to static views.

Each stage notebook is a pair in ``notebooks/``: ``NN_stage.py`` (jupytext percent format: the
source people edit, lint and review) and ``NN_stage.ipynb`` (what Jupyter and papermill open),
stored without outputs. After editing a ``.py``, ``python -m seedkit.notebooks`` (``make
notebooks``) rewrites every ``.ipynb`` from its ``.py`` and sets each parameters cell to exactly
the stage settings' :meth:`~seedkit.config.StageSettings.parameters_cell`; a test checks that the
pairs agree.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from seedkit.config import NOTEBOOKS, STAGES, stage_settings_class

# The kernel `make install` registers inside .venv, so JupyterLab offers the kit's environment by name.
KERNELSPEC = {"name": "seedkit", "display_name": "seedkit (.venv)", "language": "python"}
PAIRED_FORMATS = "ipynb,py:percent"


def pair_paths(stage: str, notebooks_dir: str | Path = NOTEBOOKS) -> tuple[Path, Path]:
    """(``.py`` source, ``.ipynb``) of a stage's notebook."""
    d = Path(notebooks_dir)
    return d / f"{stage}.py", d / f"{stage}.ipynb"


def _cells(nb: Any) -> list[tuple[str, str, bool]]:
    return [(c.cell_type, c.source.strip("\n"), "parameters" in c.metadata.get("tags", [])) for c in nb.cells]


def build_notebook(stage: str, notebooks_dir: str | Path = NOTEBOOKS) -> Any:
    """The ``.ipynb`` content for a stage, read from its ``.py``: parameters cell from the settings,
    stable cell ids, no outputs."""
    import jupytext

    py, _ = pair_paths(stage, notebooks_dir)
    nb = jupytext.read(py)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(params) != 1:
        raise ValueError(f"{py}: {len(params)} cells tagged parameters (want exactly 1)")
    params[0].source = stage_settings_class(stage).parameters_cell().strip("\n")
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.setdefault("jupytext", {})["formats"] = PAIRED_FORMATS
    nb.metadata["jupytext"].pop("text_representation", None)
    for j, cell in enumerate(nb.cells):  # stable ids keep diffs small when a notebook is rewritten
        cell["id"] = f"cell-{j:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.source = cell.source.strip("\n")
    return nb


def write_pair(stage: str, notebooks_dir: str | Path = NOTEBOOKS) -> Path:
    """Rewrite a stage's ``.ipynb`` (and the parameters cell of its ``.py``) from its ``.py``."""
    import jupytext
    import nbformat

    py, ipynb = pair_paths(stage, notebooks_dir)
    nb = build_notebook(stage, notebooks_dir)
    jupytext.write(nb, py, fmt="py:percent")
    nbformat.write(nb, str(ipynb))
    return ipynb


def pair_problems(stage: str, notebooks_dir: str | Path = NOTEBOOKS) -> list[str]:
    """What is wrong with a stage's notebook pair (empty list when nothing)."""
    import jupytext
    import nbformat

    py, ipynb = pair_paths(stage, notebooks_dir)
    missing = [p.name for p in (py, ipynb) if not p.exists()]
    if missing:
        return [f"missing {', '.join(missing)}"]
    problems = notebook_problems(ipynb)
    stored = nbformat.read(str(ipynb), as_version=4)
    if _cells(jupytext.read(py)) != _cells(stored):
        problems.append(f"{ipynb.name} differs from {py.name}: run `python -m seedkit.notebooks` (make notebooks)")
    params = [c for c in stored.cells if "parameters" in c.metadata.get("tags", [])]
    if params and params[0].source.strip() != stage_settings_class(stage).parameters_cell().strip():
        problems.append("parameters cell differs from the stage settings' fields: run `python -m seedkit.notebooks`")
    return problems


def notebook_problems(path: str | Path) -> list[str]:
    """What is wrong with a stored notebook's shape (empty list when nothing)."""
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


def main(argv: list[str] | None = None) -> int:
    """``python -m seedkit.notebooks``: rewrite every stage's ``.ipynb`` from its ``.py``."""
    stages = argv if argv else [s for s in STAGES if pair_paths(s)[0].exists()]
    for stage in stages:
        print(write_pair(stage))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 110) -> Path:
    """Write a figure as PNG atomically (a temporary file renamed into place)."""
    import tempfile

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".png")
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight")
        os.chmod(tmp, 0o644)  # a figure is for reading (mkstemp creates 0600)
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return p
