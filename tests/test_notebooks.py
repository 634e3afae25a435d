"""Every stage notebook: stored in the kit's shape, and run end to end on the tiny profile.

Stage notebooks are picked up as they appear in notebooks/; the tiny pipeline runs all of them in
stage order in one run, as `make pipeline PROFILE=tiny` does.
"""

from __future__ import annotations

import json

import pytest

from seedkit.config import NOTEBOOKS, STAGES, stage_settings_class
from seedkit.notebook_build import notebook_problems
from seedkit.runner import run_notebooks

PRESENT = [s for s in STAGES if (NOTEBOOKS / f"{s}.ipynb").exists()]


@pytest.mark.parametrize("stage", PRESENT)
def test_notebook_shape_and_parameters_cell(stage):
    path = NOTEBOOKS / f"{stage}.ipynb"
    assert notebook_problems(path) == []
    nb = json.loads(path.read_text())
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert "".join(params["source"]).strip() == stage_settings_class(stage).parameters_cell().strip()


@pytest.mark.slow
@pytest.mark.skipif(not PRESENT, reason="no stage notebooks yet")
def test_tiny_pipeline_runs_every_notebook(tmp_path):
    outcomes = run_notebooks("tiny", "nbtest", PRESENT, {}, runs_dir=tmp_path, cell_timeout_s=300)
    assert [o.stage for o in outcomes if o.ok] == PRESENT
    for stage in PRESENT:
        manifest = json.loads((tmp_path / "nbtest" / stage / "manifest.json").read_text())
        assert manifest["profile"] == "tiny" and manifest["stage"] == stage


BUILDERS = sorted((NOTEBOOKS / "build").glob("0*.py"))


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda p: p.stem)
def test_stored_notebook_is_what_its_builder_writes(builder):
    """Notebooks are regenerated from notebooks/build/, never hand-edited: the two must agree."""
    import runpy

    target = NOTEBOOKS / f"{builder.stem}.ipynb"
    stored = target.read_bytes()
    try:
        runpy.run_path(str(builder), run_name="__seedkit_build__")["main"]()
        assert target.read_bytes() == stored, f"run `python {builder}` and commit {target.name}"
    finally:
        target.write_bytes(stored)
