"""Stage 05's step products: each saved as a folder and read back as the same typed object."""

from __future__ import annotations

from fixtures.dpo_fakes import PASS_A, SYNTAX, TASK, WRONG
from seedkit.dpo.pairs import PAIR_COLUMNS, build_all_pairs, summarize
from seedkit.dpo.products import (
    Effect,
    Outcomes,
    Pair,
    Pairs,
    PairSummary,
    Prompt,
    Prompts,
    Samples,
    Training,
)
from seedkit.files import load_product, save_product


def test_every_product_reads_back_as_what_was_saved(tmp_path):
    rows, records = build_all_pairs([TASK], [[PASS_A, WRONG, SYNTAX]], max_pairs=2)
    pairs = [Pair(**{k: r[k] for k in PAIR_COLUMNS}, split="train") for r in rows]
    summary = PairSummary(**summarize(rows, records), train_pairs=2, heldout_pairs=0)
    products = [
        Prompts(items=[Prompt(task_id="t/0", source="train_problem", message="m", tests="t", entry_point=None,
                              reference="r", language="python", split="heldout")], excluded_train_problems=["x"]),
        Samples(answers=[[PASS_A.answer, WRONG.answer]], seconds=1.5),
        Outcomes(outcomes=[[PASS_A, WRONG, SYNTAX]], reference_verified=[True]),
        Pairs(pairs=pairs, records=[{**r.to_row(), "split": "train"} for r in records], summary=summary),
        Training(model_spec="run:r/05_dpo", log_history=[], trained=False, reference_model="", train_pairs=0,
                 train_seconds=0.0, final_reward_margin=None, final_reward_accuracy=None, train_steps=0),
        Effect(pass_at_1={"line": "x"}, preference={"n_pairs": 0}),
    ]
    for i, product in enumerate(products):
        save_product(product, tmp_path / str(i))
        back = load_product(type(product), tmp_path / str(i))
        assert back == product and type(back) is type(product)
    outcomes = load_product(Outcomes, tmp_path / "2")
    assert [o.failure for o in outcomes.outcomes[0]] == ["passed", "failed", "syntax:SyntaxError"]
    assert outcomes.pass_rates() == [1 / 3]
    back = load_product(Pairs, tmp_path / "3")
    assert back.train() == pairs and back.heldout() == [] and back.summary.pairs == 2
    assert load_product(Prompts, tmp_path / "0").items[0].task().entry_point is None
