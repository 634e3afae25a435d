"""seedkit.longcot_rl.products: each step's product is saved and read back typed, and what metrics.json records
of it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from seedkit.files import load_product, save_product
from seedkit.longcot_rl.products import (
    GeneratedTraces,
    GRPOEffect,
    GRPORun,
    Problems,
    SeedTraces,
    Warmup,
    WarmupEffect,
    effects_record,
)

EFFECT = {"child": "06_warmup", "parent": "03_pretraining", "line": "...", "difference": {"mean": 0.1}}
PRODUCTS = [
    Problems(file="train.jsonl", in_file=3, problems=[{"task_id": "a"}], prompt="Write..."),
    SeedTraces(file="seeds.jsonl", rows=[{"task_id": "a", "kept": True}], kept=1, total=1),
    GeneratedTraces(generator="none", why="tiny", rows=[], kept=0, total=0, passed_without_layout=0, seconds=0.0),
    Warmup(log_history=[{"loss": 1.0}], examples=2, by_source={"seed": 2}, train_seconds=1.5,
           trainable_parameters=10, total_parameters=20),
    WarmupEffect(warmup_vs_parent=EFFECT, warmup_vs_parent_as_trained=None, parent_formats=None,
                 measurements={"06_warmup": {"label": "06_warmup"}}),
    GRPOEffect(grpo_vs_warmup=EFFECT, stage_vs_parent=EFFECT, stage_vs_parent_as_trained=None, measurements={}),
    GRPORun(steps=[{"step": 0, "loss": 0.0}], rollouts=[{"step": 0, "total": 1.0}], curriculum=[], rounds=[],
            train_seconds=2.0, reward_curve=[], execution_curve=[], trainable_parameters=10, total_parameters=20,
            config={"learning_rate": 1e-4}, rollout_paths=["kit"]),
]


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: type(p).__name__)
def test_every_product_reads_back_equal(product, tmp_path):
    save_product(product, tmp_path / "p")
    assert load_product(type(product), tmp_path / "p") == product


def test_what_metrics_json_records():
    generated, warm_effect, grpo = PRODUCTS[2], PRODUCTS[4], PRODUCTS[6]
    assert "rows" not in generated.record() and generated.record()["generator"] == "none"
    assert set(effects_record(warm_effect)) == {f.name for f in fields(WarmupEffect)} - {"measurements"}
    assert effects_record(None) == {}
    assert grpo.history.to_dict() == {"steps": grpo.steps, "rollouts": grpo.rollouts, "curriculum": [], "rounds": []}
    assert grpo.history.column("loss") == ([0], [0.0])
