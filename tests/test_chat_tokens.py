"""Answers that end, for any base (issue 25, item 4): an end-of-sequence token of the vocabulary, a chat
template whose end of turn is a token generation stops on, SFT labels that teach it, rollouts that stop."""

from __future__ import annotations

import datasets
import pytest

from seedkit.longcot_rl.grpo import stop_token_ids
from seedkit.models import load_model
from seedkit.tokens import (
    CHATML_TEMPLATE,
    ModelLoadError,
    check_end_of_turn,
    end_of_turn_ids,
    install_chat_template,
    train_tokenizer,
)

TEXTS = [f"def f{i}(x):\n    return x + {i}\n" for i in range(40)]
CFG = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
           max_position_embeddings=256)


def bare_tokenizer():
    """A base model's tokenizer as a hub base may ship it: an eos token, no chat template, no ChatML tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(TEXTS, trainer=trainers.BpeTrainer(
        vocab_size=300, special_tokens=["</s>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, eos_token="</s>")
    assert tok.chat_template is None and "<|im_end|>" not in tok.get_vocab()
    return tok


def _sft_rows(model, tok, tmp_path):
    """The supervised label ids TRL's SFTTrainer builds for one prompt-completion example (the prompt's are -100)."""
    from trl import SFTConfig, SFTTrainer

    ds = datasets.Dataset.from_list([{"prompt": [{"role": "user", "content": "Write f."}],
                                      "completion": [{"role": "assistant", "content": "def f(x):\n    return x"}]}])
    args = SFTConfig(output_dir=str(tmp_path), max_steps=1, report_to="none", use_cpu=True, bf16=False,
                     completion_only_loss=True, dataset_num_proc=None, max_length=256)
    row = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok).train_dataset[0]
    return [t for t in row["labels"] if t != -100]


def test_a_tokenizer_without_chat_template_or_chatml_tokens_ends_answers_with_its_own_eos(tmp_path):
    tok = bare_tokenizer()
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer=tok, verbose=False)
    assert "</s>" in tok.chat_template and "<|im_end|>" not in tok.chat_template
    eos = tok.eos_token_id
    assert "'</s>'" in check_end_of_turn(tok, model) and eos in end_of_turn_ids(tok, model)
    assert eos in stop_token_ids(model, tok)  # GRPO's rollouts stop on it
    # the answer's end is in the supervised labels: SFT teaches the model to write it
    assert eos in _sft_rows(model, tok, tmp_path)


def test_the_kits_chatml_end_marker_is_taught_where_it_is_a_token(tmp_path):
    tok = train_tokenizer(TEXTS, vocab_size=400)
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer=tok, verbose=False)
    im_end = tok.convert_tokens_to_ids("<|im_end|>")
    assert tok.chat_template == CHATML_TEMPLATE and "<|im_end|>" in check_end_of_turn(tok, model)
    assert im_end in stop_token_ids(model, tok)
    assert im_end in _sft_rows(model, tok, tmp_path)


def test_a_template_whose_turn_end_is_not_a_token_is_refused_in_one_line():
    tok = bare_tokenizer()
    tok.chat_template = CHATML_TEMPLATE  # installed blindly, as the kit did: <|im_end|> is several pieces here
    with pytest.raises(ModelLoadError, match="not one token generation stops on") as e:
        check_end_of_turn(tok)
    assert "\n" not in str(e.value)
    tok.eos_token = None
    tok.chat_template = None
    with pytest.raises(ModelLoadError, match="no end-of-sequence token"):
        install_chat_template(tok)


def test_rollouts_stop_at_the_end_of_turn():
    """A model that writes the turn end first: GRPO's rollout path (the kit's slot engine, with the stop ids
    GRPO sets) stops there instead of running to the length cap, and keeps the token for the loss."""
    from seedkit.generation.local import generate_token_ids

    tok = bare_tokenizer()
    model, tok = load_model("scratch", scratch_config=CFG, tokenizer=tok, verbose=False)
    eos = tok.eos_token_id

    def eos_first(module, args, out):
        out = out.clone()
        out[..., eos] += 1e4
        return out

    model.get_output_embeddings().register_forward_hook(eos_first)
    prompt = tok.apply_chat_template([{"role": "user", "content": "Write f."}], add_generation_prompt=True,
                                     tokenize=False)
    ids = tok(prompt, add_special_tokens=False)["input_ids"]
    out = generate_token_ids(model, [ids], max_new_tokens=40, eos_token_ids=stop_token_ids(model, tok))
    assert out == [[eos]]


def test_a_base_tokenizer_with_the_kits_template_is_still_asked_as_a_base_model():
    from seedkit.formats import choose_prompt_format
    from seedkit.tokens import is_kit_template

    tok = bare_tokenizer()
    install_chat_template(tok)
    assert is_kit_template(tok.chat_template) and is_kit_template(CHATML_TEMPLATE)
    assert choose_prompt_format("org/some-base", tokenizer=tok)[0] == "completion"
    tok.chat_template = "{% for m in messages %}{{ m['content'] }}</s>{% endfor %}"  # a template of its own
    assert not is_kit_template(tok.chat_template) and choose_prompt_format("org/some-base", tokenizer=tok)[0] == "chat"
