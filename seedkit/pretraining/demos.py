"""What a pretrained model does, shown after each stage: greedy completions and FIM infilling.

A base model is judged by how it continues code, so each stage ends with a few greedy
completions of fixed prompts, and with an infilling demo: a function with its middle cut out,
given to the model in the FIM format it was trained on (suffix-prefix-middle by default), and
the middle it writes put back between prefix and suffix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from seedkit.pretraining.fim import FimMode, FimTokens, infilling_prompt
from seedkit.pretraining.packing import encode_pieces

COMPLETION_PROMPTS: list[str] = [
    "def fibonacci(n):\n",
    "import os\n\n\ndef read_lines(path):\n",
    "class Stack:\n    def __init__(self):\n",
    "function sum(values) {\n",
]

# (name, prefix, expected middle, suffix): functions with an obvious middle to fill.
FIM_EXAMPLES: list[tuple[str, str, str, str]] = [
    ("python: mean",
     "def mean(values):\n    \"\"\"Return the arithmetic mean of a non-empty list.\"\"\"\n    total = ",
     "sum(values)",
     "\n    return total / len(values)\n"),
    ("python: is_even",
     "def is_even(n):\n    return ",
     "n % 2 == 0",
     "\n\n\nprint(is_even(4))\n"),
]


def _generate(model: Any, tokenizer: Any, ids: list[int], max_new_tokens: int, stop_ids: list[int]) -> list[int]:
    import torch

    device = next(model.parameters()).device
    inp = torch.tensor([ids], device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = model.generate(input_ids=inp, attention_mask=torch.ones_like(inp), max_new_tokens=max_new_tokens,
                             do_sample=False, eos_token_id=stop_ids, pad_token_id=tokenizer.pad_token_id)
    if was_training:
        model.train()
    new = out[0, len(ids):].tolist()
    for i, t in enumerate(new):
        if t in stop_ids:
            return new[:i]
    return new


def greedy_completions(model: Any, tokenizer: Any, prompts: list[str] | None = None,
                       max_new_tokens: int = 48) -> list[dict[str, str]]:
    """[{prompt, completion}] with greedy decoding, stopping at end-of-text."""
    prompts = COMPLETION_PROMPTS if prompts is None else prompts
    out = []
    for p, ids in zip(prompts, encode_pieces(tokenizer, [[p] for p in prompts]), strict=True):
        new = _generate(model, tokenizer, ids, max_new_tokens, [tokenizer.eos_token_id])
        out.append({"prompt": p, "completion": tokenizer.decode(new, skip_special_tokens=True)})
    return out


@dataclass
class InfillResult:
    name: str
    prefix: str
    expected_middle: str
    suffix: str
    generated_middle: str

    @property
    def exact(self) -> bool:
        return self.generated_middle.strip() == self.expected_middle.strip()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "exact": self.exact}


def fim_demo(model: Any, tokenizer: Any, fim_tokens: FimTokens | None, mode: FimMode = "spm",
             max_new_tokens: int = 32, examples: list[tuple[str, str, str, str]] | None = None) -> list[dict[str, Any]]:
    """Fill the cut-out middle of each example; [] when the tokenizer has no FIM tokens."""
    if fim_tokens is None:
        return []
    out = []
    stops = [tokenizer.eos_token_id, fim_tokens.prefix_id, fim_tokens.suffix_id, fim_tokens.middle_id]
    for name, prefix, middle, suffix in examples or FIM_EXAMPLES:
        ids = encode_pieces(tokenizer, [infilling_prompt(prefix, suffix, fim_tokens, mode)])[0]
        new = _generate(model, tokenizer, ids, max_new_tokens, stops)
        out.append(InfillResult(name, prefix, middle, suffix, tokenizer.decode(new, skip_special_tokens=True)).to_dict())
    return out
