"""What the steps of stage 03 return: one small dataclass per step, saved under ``steps/`` by
:meth:`seedkit.steps.Stage.step` and read back typed (a rerun cell or a restarted kernel gets the same
object). ``metrics.json`` records them as plain dicts (:func:`dataclasses.asdict`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seedkit.pretraining.ablation import AblationSeed, describe
from seedkit.pretraining.train import StageTrainResult


@dataclass
class Blocks:
    """One stage's training data: the packed blocks as a dataset (``input_ids``, ``attention_mask``,
    ``labels``, every row ``seq_len`` tokens) and how its sources were mixed."""

    dataset: Any  # datasets.Dataset
    mixture: dict[str, dict[str, Any]]  # source -> its token share, tokens and epochs
    n_blocks: int
    seq_len: int
    tokens: int
    fim_rate: float

    def __len__(self) -> int:
        return self.n_blocks

    def block(self, i: int) -> list[int]:
        """The token ids of block ``i``."""
        return list(self.dataset[i]["input_ids"])

    def stats(self) -> dict[str, Any]:
        """What ``metrics.json`` records of the data of a stage."""
        return {"mixture": self.mixture, "blocks": self.n_blocks, "seq_len": self.seq_len, "tokens": self.tokens,
                "fim_rate": self.fim_rate}


@dataclass
class Trained:
    """One training stage: the Trainer's log and throughput (``train``), how the model was trained, and
    the batch and context it was trained at. The model is saved in the stage's checkpoints folder."""

    train: StageTrainResult
    adapter: str
    adapter_why: str
    trainable_parameters: int
    batch_split: str
    seq_len: int
    fim_rate: float

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Trained:
        return cls(**{**fields, "train": StageTrainResult(**fields["train"])})


@dataclass
class Heldout:
    """Held-out loss of one model (``label``: parent, stage1, stage2) on each held-out set: ``sets`` maps
    random / top_scored to {loss, interval, perplexity, tokens, files, per_language, per_file, ids}."""

    label: str
    sets: dict[str, dict[str, Any]]


@dataclass
class ChatAbility:
    """One model's (``label``: parent, stage1, stage2) loss of the probe problems' reference answers in the
    chat format (:mod:`seedkit.pretraining.chat`): task_id -> mean NLL per answer token."""

    label: str
    losses: dict[str, float]


@dataclass
class Demos:
    """Greedy completions of fixed prompts and the fill-in-the-middle demo of one model."""

    label: str
    completions: list[dict[str, str]]
    fim_demo: list[dict[str, Any]]


@dataclass
class Effect:
    """The parent and this stage's model on the same problems, per prompt format (``by_format``: the
    effect of :func:`seedkit.measure.effects.effect`); empty when ``effect_prompt_formats`` is []."""

    by_format: dict[str, dict[str, Any]]

    @property
    def headline(self) -> dict[str, Any]:
        """The first format's effect (the one the manifest records), or {} when none was measured."""
        return next(iter(self.by_format.values()), {})


@dataclass
class Ablation:
    """Filtered vs rules-only over seeds: ``per_seed`` (each seed a step of its own) and ``summary``
    (:func:`seedkit.pretraining.ablation.summarize`); None and [] when ``run_ablation`` is off."""

    summary: dict[str, Any] | None
    per_seed: list[AblationSeed]

    @property
    def ran(self) -> bool:
        return bool(self.per_seed)

    def describe(self) -> str:
        return describe(self.summary) if self.summary else "no ablation in this run (run_ablation=False)"
