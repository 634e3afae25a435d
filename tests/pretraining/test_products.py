"""Stage 03's step products (seedkit.pretraining.products) save and read back typed."""

from __future__ import annotations

from seedkit.files import load_product, save_product
from seedkit.pretraining.ablation import AblationSeed
from seedkit.pretraining.products import Ablation, Blocks, Effect, Trained
from seedkit.pretraining.train import StageTrainResult


def test_products_read_back_typed(tmp_path):
    import datasets

    train = StageTrainResult("stage 1", [{"step": 1, "loss": 2.5}], 1, 1, 8, 64, 0.5, 128.0)
    trained = Trained(train, "full", "scratch", 1000, "8 x 1", 8, 0.5)
    save_product(trained, tmp_path / "t")
    back = load_product(Trained, tmp_path / "t")
    assert back == trained and isinstance(back.train, StageTrainResult)
    blocks = Blocks(datasets.Dataset.from_dict({"input_ids": [[1, 2], [3, 4]]}), {"code": {"share": 1.0}}, 2, 2, 4, 0.5)
    save_product(blocks, tmp_path / "b")
    got = load_product(Blocks, tmp_path / "b")
    assert len(got) == 2 and got.block(1) == [3, 4]
    assert got.stats() == {"mixture": {"code": {"share": 1.0}}, "blocks": 2, "seq_len": 2, "tokens": 4, "fim_rate": 0.5}
    assert Effect({}).headline == {} and Effect({"chat": {"line": "a"}, "completion": {}}).headline == {"line": "a"}
    assert not Ablation(None, []).ran and "run_ablation=False" in Ablation(None, []).describe()
    seed = AblationSeed(0, 4, 1024, {}, {}, {"random": 0.1})
    save_product(seed, tmp_path / "s")
    assert load_product(AblationSeed, tmp_path / "s") == seed
