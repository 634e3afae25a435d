"""GRPO rollouts through the kit's slot engine, with the policy's current weights.

TRL's GRPOTrainer generates its rollouts with ``model.generate`` unless told to use vLLM or
transformers' continuous batching; on the CPU the slot engine is faster than either (measured:
docs/environment.md, "Generation speed"). Mix :class:`SlotRolloutsMixin` in front of the trainer::

    class Trainer(SlotRolloutsMixin, GRPOTrainer):
        pass

Each rollout batch then goes through :func:`seedkit.generation.generate_token_ids`: the rows TRL
tokenised (each prompt repeated ``num_generations`` times, which share one prefill), sampled from
``softmax(logits / temperature)`` with the unwrapped model as it is at that step (a LoRA model
through its current adapter), completions returned with their end-of-turn token as TRL returns
them. Settings the engine does not implement (top-p/top-k/min-p truncation, a repetition penalty,
extra ``generation_kwargs``, images, vLLM, DeepSpeed ZeRO-3 sharded weights) keep TRL's own path;
which path runs is printed once with the reason.
"""

from __future__ import annotations

from typing import Any

from seedkit.generation.engine import EngineUnsupported, check_supported
from seedkit.generation.local import generate_token_ids


def slot_rollout_blocker(trainer: Any, images: Any = None, multimodal_fields: Any = None) -> str:
    """Why this trainer's rollouts cannot go through the slot engine ("" when they can)."""
    if getattr(trainer, "use_vllm", False):
        return "the trainer uses vLLM"
    if getattr(trainer, "use_transformers_continuous_batching", False):
        return "the trainer uses transformers' continuous batching"
    if images or multimodal_fields:
        return "the prompts carry images"
    if getattr(trainer, "top_p", 1.0) not in (None, 1.0):
        return f"top_p={trainer.top_p} (the engine samples from the whole distribution)"
    if getattr(trainer, "top_k", 0) not in (None, 0):
        return f"top_k={trainer.top_k} (the engine samples from the whole distribution)"
    if getattr(trainer, "min_p", None) not in (None, 0.0):
        return f"min_p={trainer.min_p} (the engine samples from the whole distribution)"
    if getattr(trainer, "repetition_penalty", 1.0) not in (None, 1.0):
        return f"repetition_penalty={trainer.repetition_penalty}"
    if getattr(getattr(trainer, "args", None), "generation_kwargs", None):
        return "generation_kwargs are set"
    if getattr(getattr(trainer, "accelerator", None), "state", None) is not None and \
            getattr(trainer.accelerator.state, "deepspeed_plugin", None) is not None:
        return "DeepSpeed shards the weights"
    if not getattr(trainer, "temperature", 1.0) or trainer.temperature <= 0:
        return f"temperature={getattr(trainer, 'temperature', None)}"
    try:
        check_supported(trainer.accelerator.unwrap_model(trainer.model))
    except EngineUnsupported as e:
        return str(e)
    return ""


class SlotRolloutsMixin:
    """Put before ``GRPOTrainer`` in the bases: rollouts through the slot engine when it applies."""

    _seedkit_rollout_said = False

    def _generate_single_turn(self, prompt_ids: Any, images: Any, multimodal_fields: Any, num_generations: Any,
                              has_tool_images: bool = False) -> tuple[list[list[int]], Any]:
        import torch

        why = slot_rollout_blocker(self, images, multimodal_fields)
        if not self._seedkit_rollout_said:
            type(self)._seedkit_rollout_said = True
            print("[generation] GRPO rollouts: " + (f"TRL's model.generate ({why})" if why else
                  "the kit's slot engine (exact sampling from the current weights, faster on the CPU)"), flush=True)
        if why:
            return super()._generate_single_turn(prompt_ids, images, multimodal_fields, num_generations,  # type: ignore[misc]
                                                 has_tool_images)
        model = self.accelerator.unwrap_model(self.model)  # type: ignore[attr-defined]
        with torch.no_grad():
            ids = generate_token_ids(model, prompt_ids, max_new_tokens=self.max_completion_length,  # type: ignore[attr-defined]
                                     eos_token_ids=list(self.eos_token_ids), temperature=self.temperature,  # type: ignore[attr-defined]
                                     keep_eos=True)
        return ids, None
