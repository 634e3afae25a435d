"""Prepacked matrix products in the slot engine (seedkit/generation/packed.py): the same products,
used only where the module says, packed again when a weight changes, every layer's own forward back
afterwards. Speed is measured in bench/bench_engine_gains.py, not here."""

from __future__ import annotations

import copy

import pytest
import torch
import torch.nn.functional as F

from seedkit.generation import packed
from seedkit.generation.engine import decode

pytestmark = [pytest.mark.usefixtures("one_thread"),
              pytest.mark.skipif(not packed.enabled(), reason="this torch has no oneDNN prepacking")]


def big_linear(out_features: int = 1024, in_features: int = 512, bias: bool = True) -> torch.nn.Linear:
    torch.manual_seed(0)
    lin = torch.nn.Linear(in_features, out_features, bias=bias)
    assert packed.packable(lin)
    return lin


@pytest.mark.parametrize("bias", [True, False])
def test_a_packed_layer_computes_what_f_linear_computes_and_is_itself_again_afterwards(bias):
    lin = big_linear(bias=bias)
    x = torch.randn(2, 4, 512)  # 8 rows: packed
    want = F.linear(x, lin.weight, lin.bias)
    with torch.inference_mode(), packed.packed_linears(lin) as n:
        assert n == 1 and "forward" in vars(lin)
        got = lin(x)
    assert "forward" not in vars(lin)
    assert got.shape == want.shape
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


def test_one_row_and_many_rows_keep_f_linear_but_a_wide_output_layer_stays_packed(monkeypatch):
    lin = big_linear()
    wide = big_linear(out_features=packed.WIDE_OUTPUT, in_features=32)
    x = torch.randn(packed.MAX_ROWS + 1, 512)
    xw = torch.randn(packed.MAX_ROWS + 1, 32)
    rows = []
    real = packed._packed_product
    monkeypatch.setattr(packed, "_packed_product", lambda a, p, b: (rows.append(a.shape[0]), real(a, p, b))[1])
    with torch.inference_mode(), packed.packed_linears(lin):
        assert torch.equal(lin(x), F.linear(x, lin.weight, lin.bias))  # a prefill's rows: F.linear itself
        assert torch.equal(lin(x[:1]), F.linear(x[:1], lin.weight, lin.bias))  # one sequence: F.linear
        lin(x[:packed.MAX_ROWS])
    with torch.inference_mode(), packed.packed_linears(wide):
        torch.testing.assert_close(wide(xw), F.linear(xw, wide.weight, wide.bias), rtol=1e-4, atol=1e-4)
    assert rows == [packed.MAX_ROWS, packed.MAX_ROWS + 1]


def test_a_weight_changed_in_place_is_packed_again():
    lin = big_linear()
    x = torch.randn(8, 512)
    with torch.inference_mode(), packed.packed_linears(lin):
        lin(x)
    with torch.no_grad():
        lin.weight.mul_(-2.0)  # an optimizer step, a merged adapter
    with torch.inference_mode(), packed.packed_linears(lin):
        got = lin(x)
    torch.testing.assert_close(got, F.linear(x, lin.weight, lin.bias), rtol=1e-4, atol=1e-4)


def test_what_is_not_packed():
    small = torch.nn.Linear(64, 64)
    half = big_linear().to(torch.bfloat16)
    hooked = big_linear()
    hooked.forward = hooked.forward  # what accelerate's hooks do: a forward of the instance's own
    assert not packed.packable(small) and not packed.packable(half) and not packed.packable(hooked)
    lin = big_linear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SEEDKIT_PACKED_MATMUL", "0")
        with packed.packed_linears(lin) as n:
            assert n == 0 and "forward" not in vars(lin)


def test_packs_that_would_not_fit_in_free_memory_are_not_made(monkeypatch):
    lin = big_linear()
    packed._packs.pop(lin, None)
    monkeypatch.setattr(packed, "_free_bytes", lambda: 4 * lin.weight.numel())  # packs may take a quarter
    with packed.packed_linears(lin) as n:
        assert n == 0


def test_forward_is_restored_when_the_block_fails():
    lin = big_linear()
    with pytest.raises(RuntimeError, match="boom"), packed.packed_linears(lin):
        raise RuntimeError("boom")
    assert "forward" not in vars(lin)


@pytest.fixture(scope="module")
def wide_model():
    """A scratch Llama wide enough that its projections and output layer are packed, weights scaled
    so that greedy picks are not near-ties."""
    import transformers

    torch.manual_seed(0)
    cfg = transformers.LlamaConfig(vocab_size=2048, hidden_size=512, intermediate_size=1024, num_hidden_layers=2,
                                   num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=256,
                                   initializer_range=0.2, eos_token_id=0, pad_token_id=0)
    return transformers.LlamaForCausalLM(cfg).eval()


def test_the_engine_decodes_with_packed_layers_and_picks_the_same_tokens(wide_model, monkeypatch):
    prompts = [list(range(5 + i, 25 + 3 * i)) for i in range(6)]
    monkeypatch.setenv("SEEDKIT_PACKED_MATMUL", "0")
    plain = decode(wide_model, prompts, n=2, max_new_tokens=12, eos_token_ids=[], slots=8)
    monkeypatch.delenv("SEEDKIT_PACKED_MATMUL")
    used = []
    real = packed._forward
    monkeypatch.setattr(packed, "_forward", lambda m, p, x: (used.append(x.shape[0]), real(m, p, x))[1])
    got = decode(wide_model, prompts, n=2, max_new_tokens=12, eos_token_ids=[], slots=8)
    assert used  # the engine went through the packed layers
    assert got == plain
    assert not any("forward" in vars(m) for m in wide_model.modules())


def test_a_lora_model_decodes_with_its_adapter_over_packed_base_layers(wide_model):
    from peft import LoraConfig, get_peft_model

    lora = get_peft_model(copy.deepcopy(wide_model), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "down_proj"]))
    with torch.no_grad():
        for name, p in lora.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.5)
    lora.eval()
    x = torch.randint(1, 2048, (1, 12))
    with torch.inference_mode():
        want = lora(input_ids=x).logits
        with packed.packed_linears(lora) as n:
            got = lora(input_ids=x[:, :8]).logits  # 8 rows: the packed products
        ref = lora(input_ids=x[:, :8]).logits
    assert n > 0 and want.shape[1] == 12
    torch.testing.assert_close(got, ref, rtol=1e-3, atol=1e-3)
