"""Stage 03's models (seedkit.pretraining.models): FIM tokens added to a tokenizer without them, trained under
LoRA, saved and loaded back."""

from __future__ import annotations

import os

from fixtures.pretraining_run import TEXTS
from seedkit.pretraining.settings import PretrainingSettings

os.environ.setdefault("HF_HUB_OFFLINE", "1")

def test_fim_tokens_are_added_to_a_tokenizer_without_them_and_train_under_lora(tmp_path):
    """A pretrained parent whose tokenizer has no FIM tokens (SmolLM2's case): the kit adds them, resizes
    the embeddings, trains exactly those rows beside the LoRA adapters, and saves a loadable model."""
    import torch
    from transformers import AutoTokenizer

    from seedkit.models import load_model, save_model
    from seedkit.pretraining import models as st
    from seedkit.pretraining.fim import ADDED_FIM_TOKENS, FimTokens, ensure_fim_tokens

    plain = AutoTokenizer.from_pretrained(str(_save_tok_without_fim(tmp_path)))
    assert FimTokens.from_tokenizer(plain) is None
    cfg = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, max_position_embeddings=128)
    base, _ = load_model("scratch", scratch_config=cfg, tokenizer=plain, verbose=False)
    save_model(base, plain, tmp_path / "base")
    rows = base.get_input_embeddings().weight.shape[0]

    tok = AutoTokenizer.from_pretrained(str(tmp_path / "base"))
    assert ensure_fim_tokens(tok) == list(ADDED_FIM_TOKENS) and ensure_fim_tokens(tok) == []
    fim = FimTokens.from_tokenizer(tok)
    assert fim.prefix == "<fim_prefix>" and min(fim.prefix_id, fim.suffix_id, fim.middle_id) >= rows
    s = PretrainingSettings.from_params("tiny", model_source=str(tmp_path / "base"), adapter="lora",
                                        runs_dir=str(tmp_path))
    model = st.load_stage_model(s, None, tok, trainable=True)
    assert model.get_base_model().model.embed_tokens.token_adapter.base_layer.weight.shape[0] == len(tok) == rows + 3
    ids = torch.tensor([[fim.suffix_id, 5, 6, fim.prefix_id, 7, fim.middle_id, 8]])
    model(input_ids=ids, labels=ids).loss.backward()
    grads = {n for n, p in model.named_parameters() if p.requires_grad and p.grad is not None}
    assert any("trainable_tokens" in n for n in grads) and any("lora_" in n for n in grads)
    assert not any(n.endswith("embed_tokens.weight") for n in grads)  # only the FIM rows, not the matrix
    st.save_stage_model(model, tok, tmp_path / "out", s)
    again, tok2 = load_model(str(tmp_path / "out"), verbose=False)
    assert again.get_input_embeddings().weight.shape[0] == len(tok2) == rows + 3
    assert FimTokens.from_tokenizer(tok2) == fim


def _save_tok_without_fim(tmp_path):
    """A byte-level BPE tokenizer with an end-of-text token and no FIM tokens, saved to a directory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator([t for t in TEXTS if t] * 20, trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<eos>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, eos_token="<eos>", pad_token="<eos>")
    path = tmp_path / "plain_tok"
    tok.save_pretrained(str(path))
    return path
