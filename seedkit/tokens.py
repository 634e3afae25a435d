"""Tokenizers: the kit's special tokens, the byte-level BPE it trains for scratch models, and chat
templates whose answers end (a template's end of turn must be a token generation stops on, and SFT's
labels must teach it, for any base: :func:`install_chat_template`, :func:`check_end_of_turn`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The kit's special tokens for tokenizers it trains. Roles are what code asks for; the strings are
# what the tokenizer holds. FIM tokens follow the report's suffix-prefix-middle use (stage 03).
SPECIAL_TOKENS: dict[str, str] = {
    "eos": "<|endoftext|>",
    "pad": "<|pad|>",
    "fim_prefix": "<|fim_prefix|>",
    "fim_suffix": "<|fim_suffix|>",
    "fim_middle": "<|fim_middle|>",
    "file_sep": "<|file_sep|>",
    "repo_name": "<|repo_name|>",
    "im_start": "<|im_start|>",
    "im_end": "<|im_end|>",
}

# ChatML, the same layout SmolLM2's own template uses, so chat data looks alike for both.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def chatml_template(end: str = "<|im_end|>") -> str:
    """ChatML with ``end`` closing each turn (``<|im_end|>``, or a tokenizer's own end-of-sequence token)."""
    return CHATML_TEMPLATE.replace("'<|im_end|>'", repr(end))


def is_kit_template(template: str | None) -> bool:
    """Is ``template`` one the kit installed (ChatML, with ``<|im_end|>`` or a tokenizer's eos closing turns)?
    A tokenizer that carries one shipped no chat template of its own (a base model's)."""
    if not template:
        return False
    head, _, tail = CHATML_TEMPLATE.partition("'<|im_end|>'")
    middle = template[len(head):len(template) - len(tail)] if template.startswith(head) and template.endswith(tail) else ""
    return len(middle) >= 2 and middle[0] == middle[-1] and middle[0] in "'\"" and middle.count(middle[0]) == 2


class ModelLoadError(RuntimeError):
    """A model spec could not be resolved or loaded; the message says what to change."""


def train_tokenizer(texts: Iterable[str], vocab_size: int = 1024, min_frequency: int = 2) -> Any:
    """A byte-level BPE trained on ``texts`` with the kit's special tokens and a ChatML template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = list(SPECIAL_TOKENS.values())
    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tk.train_from_iterator(texts, trainer=trainer)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=tk, eos_token=SPECIAL_TOKENS["eos"], bos_token=SPECIAL_TOKENS["eos"],
        pad_token=SPECIAL_TOKENS["pad"], unk_token=None,
        additional_special_tokens=[t for r, t in SPECIAL_TOKENS.items() if r not in ("eos", "pad")],
    )
    tok.chat_template = CHATML_TEMPLATE
    return tok


def _single_token_id(tokenizer: Any, text: str) -> int | None:
    """The id of ``text`` when the tokenizer encodes it as exactly one token, else None."""
    if not text:
        return None
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids[0] if len(ids) == 1 else None


def install_chat_template(tokenizer: Any) -> str:
    """Give a tokenizer without a chat template the kit's ChatML one, and say which turn end it uses.

    ChatML ends each turn with ``<|im_end|>``. Where that is one token of the vocabulary (the kit's
    tokenizers, SmolLM2, Qwen-style vocabularies) it is used as is. Where it is not, the turn ends with the
    tokenizer's own end-of-sequence token instead. The other way out, adding ``<|im_end|>`` as a new token
    and resizing the embeddings, gives it a random input and output row that LoRA and QLoRA adapters (on the
    attention and MLP projections) never train, so the model could not learn to write it; the eos token is
    already trained (a base model writes it at the end of every pretraining document), SFT's labels then
    teach it at the end of each answer, and generation stops on it. Returns the one-line reason."""
    if getattr(tokenizer, "chat_template", None) is not None:
        return "the tokenizer's own chat template"
    if _single_token_id(tokenizer, "<|im_end|>") is not None:
        tokenizer.chat_template = CHATML_TEMPLATE
        return "no chat template: the kit's ChatML, whose <|im_end|> is a token of this vocabulary"
    eos = tokenizer.eos_token
    if eos is None or _single_token_id(tokenizer, eos) is None:
        raise ModelLoadError("the tokenizer has no chat template, no <|im_end|> token and no end-of-sequence token "
                             "of its vocabulary: set tokenizer.eos_token to one of its tokens, or give it a chat template")
    tokenizer.chat_template = chatml_template(eos)
    return (f"no chat template, and <|im_end|> is not a token of this vocabulary: ChatML whose turns end with the "
            f"tokenizer's own end-of-sequence token {eos!r} (trained already, unlike a new token under adapters)")


def end_of_turn_ids(tokenizer: Any, model: Any = None) -> list[int]:
    """Token ids that end a generated answer: the tokenizer's eos, the model's generation eos ids and
    ChatML's ``<|im_end|>`` where it is one token (a chat-tuned model ends its turn with it)."""
    ids: set[int] = set()
    cur = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    ids.update([cur] if isinstance(cur, int) else list(cur or []))
    for text in (tokenizer.eos_token, "<|im_end|>"):
        tid = _single_token_id(tokenizer, text) if text else None
        if tid is not None:
            ids.add(tid)
    return sorted(ids)


def check_end_of_turn(tokenizer: Any, model: Any = None) -> str:
    """Check that answers can end: the tokenizer has an end-of-sequence token of its vocabulary, and an
    assistant turn rendered with its chat template ends with a token generation stops on, right after the
    answer (so SFT's labels on the answer teach it). Returns a one-line description; raises a one-line
    ModelLoadError naming the fix otherwise."""
    eos = tokenizer.eos_token
    if eos is None or _single_token_id(tokenizer, eos) is None:
        raise ModelLoadError(f"the tokenizer's end-of-sequence token {eos!r} is not a token of its vocabulary: set "
                             "tokenizer.eos_token to one of its tokens")
    stops = end_of_turn_ids(tokenizer, model)
    marker = "\u2063answer\u2063"
    text = tokenizer.apply_chat_template([{"role": "user", "content": "q"}, {"role": "assistant", "content": marker}],
                                         tokenize=False)
    after = text[text.rindex(marker) + len(marker):]
    ids = tokenizer(after, add_special_tokens=False)["input_ids"]
    if not ids or ids[0] not in stops:
        raise ModelLoadError(
            f"the chat template ends an answer with {after[:20]!r}, which is not one token generation stops on "
            f"(stop ids {stops}): answers would never end; use a template whose turn end is a token of the "
            "vocabulary (the kit installs one when a tokenizer has none)")
    return (f"answers end with {tokenizer.convert_ids_to_tokens(ids[0])!r} (id {ids[0]}), a stop token "
            f"(stop ids {stops})")


def special_token(tokenizer: Any, role: str) -> str | None:
    """The tokenizer's token for a role (fim_prefix, file_sep, ...): the kit's, or a StarCoder-style one."""
    vocab = tokenizer.get_vocab()
    kit = SPECIAL_TOKENS.get(role)
    if kit and kit in vocab:
        return kit
    alt = {"fim_prefix": "<fim_prefix>", "fim_suffix": "<fim_suffix>", "fim_middle": "<fim_middle>",
           "file_sep": "<file_sep>", "repo_name": "<repo_name>", "eos": tokenizer.eos_token,
           "pad": tokenizer.pad_token}.get(role)
    return alt if alt and alt in vocab else None


def adapter_vocabulary(adapter_dir: Any, tokenizer: Any) -> int:
    """How many embedding rows a saved LoRA adapter was trained with: its tokenizer's length, or more where
    the adapter says so (the ids of the token rows it trained, ``trainable_token_indices``; embedding or
    output matrices saved whole). Stage 03 adds FIM tokens to a base that has none and trains their rows."""
    import json
    from pathlib import Path

    rows = len(tokenizer)
    config = Path(adapter_dir) / "adapter_config.json"
    indices = json.loads(config.read_text()).get("trainable_token_indices") if config.exists() else None
    for ids in (indices.values() if isinstance(indices, dict) else [indices or []]):
        rows = max([rows, *(i + 1 for i in ids)])
    weights = Path(adapter_dir) / "adapter_model.safetensors"
    if weights.exists():
        from safetensors import safe_open

        with safe_open(str(weights), "pt") as f:
            for key in f.keys():
                if key.endswith(("embed_tokens.weight", "lm_head.weight")) and "lora_" not in key:
                    rows = max(rows, f.get_slice(key).get_shape()[0])
    return rows



def fit_adapter_vocabulary(model: Any, adapter_dir: Any, tokenizer: Any) -> None:
    """Give ``model``, the base a saved adapter is about to be placed on, the embedding rows the adapter was
    trained with (:func:`adapter_vocabulary`) where it has fewer: the added tokens' rows are then the
    adapter's to fill with their saved values, instead of ids outside the vocabulary."""
    rows = adapter_vocabulary(adapter_dir, tokenizer)
    if rows > model.get_input_embeddings().weight.shape[0]:
        model.resize_token_embeddings(rows, mean_resizing=False)
