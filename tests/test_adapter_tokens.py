"""A saved adapter trained with tokens added to its base's tokenizer (stage 03 on the gpu profile adds
FIM tokens to a base that has none and trains their rows): the one loader grows the base's embeddings
to the saved vocabulary before placing the adapter, in every way a later stage loads it. A tiny random
Llama on the CPU, 4-bit through bitsandbytes' CPU path."""

from __future__ import annotations

import pytest
import torch

from seedkit.models import LoraOptions, load_model, save_model

TEXTS = ["def add(a, b):\n    return a + b\n", "for i in range(10):\n    print(i)\n"] * 20
CFG = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
           num_key_value_heads=2, max_position_embeddings=128)
ADDED = ["<|added_a|>", "<|added_b|>", "<|added_c|>"]


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer_texts=TEXTS, verbose=False)
    return save_model(model, tok, tmp_path_factory.mktemp("vocab") / "base")


@pytest.mark.parametrize("four_bit", [False, True])
def test_an_adapter_with_added_tokens_loads_on_its_base_grown_to_the_saved_vocabulary(base_dir, tmp_path, four_bit):
    model, tok = load_model(str(base_dir), load_in_4bit=four_bit, verbose=False)
    rows = model.get_input_embeddings().weight.shape[0]
    assert tok.add_special_tokens({"additional_special_tokens": ADDED}) == len(ADDED)
    model.resize_token_embeddings(len(tok), mean_resizing=False)
    ids = tok.convert_tokens_to_ids(ADDED)
    assert min(ids) >= rows  # rows the base does not have
    cfg = LoraOptions(r=4, alpha=8, dropout=0.0).to_peft()
    cfg.trainable_token_indices = {"embed_tokens": ids}  # as stage 03's lora_config trains the FIM tokens' rows
    from peft import get_peft_model

    model = get_peft_model(model, cfg)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.05 * torch.randn(p.shape, generator=gen).to(p.dtype))
    model.eval()
    probe = torch.tensor([[ids[0], 5, ids[1], 7, ids[2]]])
    with torch.no_grad():
        trained_rows = model.get_input_embeddings()(torch.tensor(ids)).float()
        trained_logits = model(probe).logits.float()
    out = save_model(model, tok, tmp_path / "adapter", base_spec=str(base_dir))

    # merged (stages 04-07 on a 16-bit base), and kept over a 4-bit base to continue (stage 06)
    for kwargs in (dict(), dict(load_in_4bit=four_bit, continue_adapter=True)):
        again, tok2 = load_model(str(out), verbose=False, **kwargs)
        assert len(tok2) == len(tok) and again.get_input_embeddings().weight.shape[0] == len(tok)
        with torch.no_grad():
            assert torch.allclose(again.get_input_embeddings()(torch.tensor(ids)).float(), trained_rows, atol=1e-6)
            if not four_bit or kwargs:  # a merged 4-bit adapter lands on full-precision weights: other logits
                assert torch.allclose(again(probe).logits.float(), trained_logits, atol=1e-4)
