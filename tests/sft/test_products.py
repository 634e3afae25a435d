"""Stage 04's step products: each saved as a folder and read back as the same typed object."""

from __future__ import annotations

from fixtures.sft_fakes import item
from seedkit.files import load_product, save_product
from seedkit.sft.products import (
    Candidates,
    Comparison,
    Effect,
    Filtered,
    FunnelRow,
    Judged,
    JudgeRatings,
    Seeds,
    Training,
    TrainingSet,
    Verified,
)
from seedkit.sft.seeds import Seed


def test_every_product_reads_back_as_what_was_saved(tmp_path):
    a, b = item(id="a", split="sft", history=["def add(a, b):\n    return 0\n"], attempts=2), item(id="b")
    row = FunnelRow(step="parse", n_in=2, removed=1, out=1, reasons={"no_tests": 1})
    ratings = JudgeRatings(method="likelihood", rule="off", why="flat", threshold=None, difficulty=[2.0, None],
                           correctness=[7.5, 1.0], proxy=[3.0, 4.0], signal={"n": 1, "has_signal": False})
    products = [
        Seeds(code=[Seed(id="c", kind="code", text="def f():\n    pass\n", quality_score=8.0)],
              instructions=[Seed(id="i", kind="instruction", text="Write g.", tests="assert g()")],
              corpus={"files": 3}),
        Candidates(items=[a, b], sources={"generated": 2}, docstring_mining={"kept": 0}),
        Filtered(kept=[a], dropped=[b], funnel=[row]),
        Judged(kept=[a], dropped=[], funnel=[row], ratings=ratings),
        Verified(kept=[a], dropped=[b], funnel=[row], verification={"checked": 2}, docstring_tests={"asked": 0},
                 correctness_signal={"auc": None, "why": "too few"}),
        TrainingSet(items=[a, b], stats={"total": 2}),
        Training(model_spec="run:r/04_sft", log_history=[{"loss": 1.5, "step": 1}], train_seconds=1.0, examples=2,
                 trainable_parameters=10, total_parameters=20),
        Effect(pass_at_1={"line": "x"}, pass_at_1_same_format=None, answer_loss={"line": "y"},
               comparisons=[Comparison(task_id="t", prompt="p", before="b", after="a")]),
    ]
    for i, product in enumerate(products):
        save_product(product, tmp_path / str(i))
        back = load_product(type(product), tmp_path / str(i))
        assert back == product and type(back) is type(product)
    verified = load_product(Verified, tmp_path / "4")
    assert verified.rescued() == [a] and isinstance(verified.funnel[0], FunnelRow)
    assert load_product(TrainingSet, tmp_path / "5").sft_items() == [a]
    assert row.to_dict() == {"step": "parse", "in": 2, "removed": 1, "out": 1, "reasons": {"no_tests": 1}}
    assert products[6].final_loss == 1.5
