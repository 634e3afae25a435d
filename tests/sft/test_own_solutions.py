"""The model's own solutions to training problems: a problem becomes an instruction seed whose tests run the
problem's check in the sandbox, so only an answer that passes joins the SFT data."""

from __future__ import annotations

from seedkit.problems import load_training_problems
from seedkit.sandbox import run_jobs
from seedkit.sft import filters, seeds, verify
from seedkit.sft.settings import SFTSettings
from seedkit.sft.synthesis import SFTItem


def test_a_problem_seed_keeps_only_answers_that_pass_the_problems_tests():
    problem = load_training_problems("generated:1")[0]
    seed = seeds.problem_seed(problem)
    assert seed.kind == "instruction" and seed.text == problem.instruction and seed.origin == problem.task_id
    right = problem.reference
    wrong = problem.reference.rsplit("\n    return", 1)[0] + "\n    return None\n"
    items = [SFTItem(id=f"{seed.id}/{i}", source="seed", style="plain", instruction=seed.text, solution=code,
                     tests=seed.tests, entry_point=seed.entry_point, seed_id=seed.id)
             for i, code in enumerate((right, wrong))]
    assert all(filters.parse_verdict(it).keep for it in items)
    results = run_jobs([verify.make_job(it) for it in items], workers=2, progress=False)
    assert [r.status for r in results] == ["passed", "failed"]


def test_own_solution_problems_is_off_on_small_profiles_and_checked():
    import pytest

    from seedkit.config import SettingsError

    assert SFTSettings.from_params("smol", run_name="t").own_solution_problems == 0
    assert SFTSettings.from_params("tiny", run_name="t").own_solution_problems == 0
    assert SFTSettings.from_params("gpu", run_name="t").own_solution_problems > 0
    with pytest.raises(SettingsError, match="own_solution_problems"):
        SFTSettings.from_params("smol", run_name="t", own_solution_problems=-1)
