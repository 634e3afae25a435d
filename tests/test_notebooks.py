"""Every stage notebook: a jupytext pair in sync, stored in the kit's shape, and run end to end on tiny.

The tiny pipeline runs all of them in stage order in one run, as `make pipeline PROFILE=tiny` does.
Nothing here writes into notebooks/.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from seedkit.config import NOTEBOOKS, STAGES
from seedkit.exercises import exercises_of
from seedkit.notebooks import pair_paths, pair_problems
from seedkit.pipeline import run_notebooks


@pytest.mark.parametrize("stage", STAGES)
def test_notebook_pair_in_sync_and_in_shape(stage):
    assert pair_problems(stage) == []


@pytest.mark.parametrize("stage", STAGES)
def test_one_package_per_notebook_that_a_wheel_ships(stage):
    """Each notebook's package is named like it and is a regular package (an __init__.py with its map),
    so setuptools' find() puts it in a built wheel, not only in an editable install."""
    from setuptools import find_packages

    from seedkit.config import REPO_ROOT

    name = stage.split("_", 1)[1]
    assert (REPO_ROOT / "seedkit" / name / "__init__.py").read_text().startswith('"""Stage ' + stage[:2])
    assert f"seedkit.{name}" in find_packages(str(REPO_ROOT), include=["seedkit*"])


STAGE_OPENERS = ("begin", "open_stage")


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def product_lookups(source: str) -> list[str]:
    """String-key lookups of step products in a notebook's code: ``x["kept"]`` where ``x`` came from a
    step (a call given the stage object, or a method of it), a step's call indexed directly, or
    ``<stage>.products["..."]``. Stage objects are what ``begin``/``open_stage``/``...Steps(...)`` return."""
    tree = ast.parse(source)
    assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)]

    def names(node: ast.Assign) -> set[str]:
        return {n.id for target in node.targets for n in ast.walk(target) if isinstance(n, ast.Name)}

    stages = set().union(*(names(a) for a in assigns if _callee(a.value) in STAGE_OPENERS
                           or _callee(a.value).endswith("Steps")))

    def is_step(call: ast.Call) -> bool:
        on_stage = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
            and call.func.value.id in stages
        given = any(isinstance(a, ast.Name) and a.id in stages for a in [*call.args, *(k.value for k in call.keywords)])
        return on_stage or given

    products = set().union(*(names(a) for a in assigns if is_step(a.value)))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)):
            continue
        v = node.value
        if ((isinstance(v, ast.Name) and v.id in products) or (isinstance(v, ast.Call) and is_step(v))
                or (isinstance(v, ast.Attribute) and v.attr == "products")):
            found.append(ast.unparse(node))
    return sorted(found)


def test_product_lookup_finder_finds_what_it_should():
    source = ("st = dpo.begin(settings)\npairs = make_pairs(st, prompts)\nn = len(pairs['chosen'])\n"
              "m = sample(st)['rows']\nk = st.products['train']\nrow = rows['x']\nok = pairs.chosen\n"
              "steps = CurationSteps(s)\nkept = steps.filters(src)\nx = kept['kept']\n")
    assert product_lookups(source) == ["kept['kept']", "pairs['chosen']", "sample(st)['rows']", "st.products['train']"]


@pytest.mark.parametrize("stage", STAGES)
def test_notebooks_read_step_products_by_field_not_by_string(stage):
    """A step returns a dataclass, so a notebook reads ``pairs.chosen``: tab completion shows the fields."""
    assert product_lookups((NOTEBOOKS / f"{stage}.py").read_text(encoding="utf-8")) == []


def test_pair_check_catches_an_edit_to_one_side(tmp_path):
    """An .ipynb edited by hand (or a .py edited without `make notebooks`) is reported."""
    py, ipynb = pair_paths("07_eval")
    (tmp_path / py.name).write_text(py.read_text() + "\n# %%\nprint('added only to the .py')\n")
    (tmp_path / ipynb.name).write_bytes(ipynb.read_bytes())
    problems = pair_problems("07_eval", tmp_path)
    assert any("differs from" in p for p in problems), problems


def test_pair_check_catches_a_stale_parameters_cell(tmp_path):
    py, ipynb = pair_paths("07_eval")
    nb = json.loads(ipynb.read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    knob = next(line for line in cell["source"] if line.endswith("= None\n"))  # the first knob the cell teaches
    cell["source"] = [line for line in cell["source"] if line != knob]
    (tmp_path / ipynb.name).write_text(json.dumps(nb))
    text = py.read_text().replace(knob, "", 1)
    assert text != py.read_text()
    (tmp_path / py.name).write_text(text)
    assert any("parameters cell differs" in p for p in pair_problems("07_eval", tmp_path))


def check_cell_lines(executed) -> list[str]:
    """What each exercise check cell of an executed notebook displayed (its one line)."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "".join(cell["source"]).startswith("check_answer("):
            shown = ["".join(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])]
            lines.append("\n".join(x for x in shown if x))
    return lines


def test_check_cell_lines_reads_what_a_check_cell_displayed(tmp_path):
    from seedkit.exercises import check_answer

    line = repr(check_answer("07-1", n=5, c=2, k=3, estimate=0.5))
    nb = {"cells": [{"cell_type": "code", "source": ['check_answer("07-1", n=n)'],
                     "outputs": [{"output_type": "execute_result", "data": {"text/plain": [line]}}]},
                    {"cell_type": "code", "source": ["print(1)"], "outputs": []}]}
    (tmp_path / "x.ipynb").write_text(json.dumps(nb))
    assert check_cell_lines(tmp_path / "x.ipynb") == [line] and line.startswith("NOT YET 07-1:")


@pytest.mark.slow
def test_tiny_pipeline_runs_every_notebook(tmp_path):
    outcomes = run_notebooks("tiny", "nbtest", STAGES, {}, runs_dir=tmp_path, cell_timeout_s=300)
    assert [o.stage for o in outcomes if o.ok] == list(STAGES)
    # the exercises as shipped, on this run's own products: every check cell prints one line, NOT YET
    checked = {o.stage: check_cell_lines(o.output) for o in outcomes}
    for stage in STAGES:
        want = [e.id for e in exercises_of(stage) if e.checked]
        assert [line.split(":")[0] for line in checked[stage]] == [f"NOT YET {i}" for i in want], checked[stage]
    manifests = {}
    for stage in STAGES:
        manifest = json.loads((tmp_path / "nbtest" / stage / "manifest.json").read_text())
        assert manifest["profile"] == "tiny" and manifest["stage"] == stage
        manifests[stage] = manifest["metrics"]
    # one chain: each training stage's manifest names the model it started from and holds its effect on
    # the evaluation problems with an interval (the paired difference to that parent)
    parents = {"03_pretraining": "scratch", "04_sft": "run:nbtest/03_pretraining", "05_dpo": "run:nbtest/04_sft",
               "06_longcot_rl": "run:nbtest/03_pretraining"}
    for stage, parent in parents.items():
        m = manifests[stage]
        assert m["parent_model"] == parent, stage
        if stage != "03_pretraining":  # a scratch parent is not measured
            diff = m["effect"]["difference"]
            assert diff["lo"] <= diff["mean"] <= diff["hi"] and diff["n_problems"] == 6, stage
            assert m["effect"]["parent_model"] == parent
    # stage 07 draws the same chain, GRPO beside the warm-up it trained
    summary = json.loads((tmp_path / "nbtest" / "07_eval" / "summary.json").read_text())
    got = {p["label"]: p["parent"] for p in summary["models"]}
    assert got == {"03_pretraining": None, "04_sft": "03_pretraining", "05_dpo": "04_sft",
                   "06_warmup": "03_pretraining", "06_longcot_rl": "06_warmup"}, got
    assert any(line.startswith("basic: 06_longcot_rl - 06_warmup: ") for line in summary["differences"])
    _unedited_notebooks_open_the_run_through_the_switch(tmp_path, "nbtest", list(STAGES))


def _unedited_notebooks_open_the_run_through_the_switch(runs: Path, run: str, stages: list[str]) -> None:
    """After the pipeline, `seedkit use RUN` and Run All: the notebooks as shipped, run by plain papermill
    with no parameters from the folder the switch points, open that run and recompute nothing (every
    manifest and saved step product as the pipeline left them)."""
    import papermill

    from seedkit.cli import main
    from seedkit.pipeline import default_kernel

    def state() -> dict[str, object]:
        root = runs / run
        return {str(p.relative_to(root)): (p.read_bytes() if p.name == "manifest.json" else p.stat().st_mtime_ns)
                for p in sorted(root.rglob("*")) if p.is_file() and (p.name == "manifest.json" or "steps" in p.parts)}

    lab = runs / "lab"
    lab.mkdir()
    assert main(["use", run, "--runs-dir", str(runs), "--notebooks", str(lab)]) == 0
    before = state()
    for stage in stages:
        nb = NOTEBOOKS / f"{stage}.ipynb"
        out = runs / f"plain-{stage}.ipynb"
        papermill.execute_notebook(str(nb), str(out), cwd=str(lab), progress_bar=False, execution_timeout=600,
                                   kernel_name=default_kernel(nb, lambda line: None))
        text = "".join("".join(o.get("text", "")) for c in json.loads(out.read_text())["cells"]
                       for o in c.get("outputs", []))
        assert f"[{stage}] done already (" in text, text[-2000:]
        assert "redoing the stage" not in text and "computing it again" not in text
    assert state() == before
