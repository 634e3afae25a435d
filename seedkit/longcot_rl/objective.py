"""GRPO's objective on one fixed group of completions, as TRL's ``GRPOTrainer`` computes it.

The notebook computes the objective by hand for one batch (rewards, group-relative advantages, the
importance ratio, the clipped objective with clip-higher, the token-level mean) and checks it against
what these functions get from TRL for the same batch; tests/longcot_rl/test_objective.py does the same.
TRL's own methods are called (``_generate_and_score_completions`` with the sampling replaced by the
fixed completions, then ``_compute_loss``), so the check is against the code that trains the model.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from seedkit.longcot_rl.grpo import rl_dataset


def group_completion_ids(tokenizer: Any, texts: Sequence[str], n: int) -> list[list[int]]:
    """``n`` completions (the texts in turn), each as token ids ending with the end-of-sequence token: a
    completion that ended, so ``mask_truncated_completions`` keeps it."""
    ids = [tokenizer(t, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id] for t in texts]
    return [ids[i % len(ids)] for i in range(n)]


def score_group(model: Any, tokenizer: Any, config: Any, reward_funcs: Sequence[Callable[..., list[float]]],
                problem: dict[str, Any], completion_ids: Sequence[Sequence[int]]) -> tuple[Any, dict[str, Any]]:
    """(trainer, batch): a ``GRPOTrainer`` with ``config`` (in float32: no mixed precision, so a hand
    computation can match it to rounding) whose rollout for ``problem`` is ``completion_ids`` (one group
    of ``config.num_generations``), and the batch TRL makes of it: prompt and completion ids and masks,
    the advantages, the token count ``num_items_in_batch``."""
    from trl import GRPOTrainer

    fixed = [list(ids) for ids in completion_ids]

    class FixedGroup(GRPOTrainer):
        def _generate_single_turn(self, prompt_ids: Any, images: Any, multimodal_fields: Any, num_generations: Any,
                                  has_tool_images: bool = False) -> tuple[list[list[int]], None]:
            return fixed, None

    args = copy.deepcopy(config)
    args.bf16 = args.fp16 = False
    args.report_to = []
    data = rl_dataset([problem])
    trainer = FixedGroup(model=model, args=args, reward_funcs=list(reward_funcs), train_dataset=data,
                         processing_class=tokenizer)
    trainer.model.train()  # scored as in training (disable_dropout: no dropout either way)
    batch = trainer._generate_and_score_completions([dict(data[0]) for _ in fixed])
    return trainer, batch


def trl_loss(trainer: Any, batch: dict[str, Any], old_per_token_logps: Any) -> float:
    """TRL's loss for ``batch`` when the completions were sampled by a policy that gave them
    ``old_per_token_logps`` (the policy has moved since; the importance ratio is new / old). Computed in
    eval mode, where TRL neither splits the batch across steps nor accumulates: for ``loss_type='dapo'``
    the normaliser is the batch's token count, i.e. the token-level mean."""
    import torch

    trainer.model.eval()
    with torch.no_grad():
        return float(trainer._compute_loss(trainer.model, dict(batch, old_per_token_logps=old_per_token_logps)))
