"""What each step of stage 06 returns: one small dataclass per step, saved under ``steps/`` by
:meth:`seedkit.steps.Stage.step` and read back typed (a notebook reads ``seeds.kept``, not ``seeds["kept"]``).

The effect fields hold :func:`seedkit.measure.effects.effect` records, the manifest's own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from seedkit.longcot_rl.grpo import RLHistory


@dataclass
class Problems:
    """The RL problems (``max_problems`` of ``problems_file``) and the reasoning prompt of the first."""

    file: str
    in_file: int  # problems in the file
    problems: list[dict[str, Any]]
    prompt: str


@dataclass
class RLPool:
    """The problems GRPO trains on: ``max_problems`` of the pool, or, with ``rl_pool_candidates``, those whose
    probe answers from the warm-up model earned different execution rewards (:func:`~seedkit.longcot_rl.curriculum.probe_pool`)."""

    problems: list[dict[str, Any]]
    reason: str
    candidates: int = 0  # problems probed (0: no probe)
    samples: int = 0  # answers per probed problem
    dropped: list[tuple[str, float]] = field(default_factory=list)  # left out, with the full-pass rate in the probe
    rows: list[dict[str, Any]] = field(default_factory=list)  # each probe answer: task_id, tests passed/total, status
    seconds: float = 0.0


@dataclass
class SeedTraces:
    """The hand-checked traces, each verified in the sandbox (``kept``: every test passed, layout complete)."""

    file: str
    rows: list[dict[str, Any]]
    kept: int
    total: int


@dataclass
class GeneratedTraces:
    """The trace generator's traces, verified as the seeds are (none with ``trace_generator='none'``)."""

    generator: str  # the model spec or server URL, or "none"
    why: str
    rows: list[dict[str, Any]]
    kept: int
    total: int
    passed_without_layout: int  # passed every test but had no closed <think> block before the code: dropped
    seconds: float

    def record(self) -> dict[str, Any]:
        """Everything but the rows (``metrics.json``'s ``generator``)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}


@dataclass
class Warmup:
    """The warm-up SFT: its loss log, its data, its cost (the model is ``warmup_model/``)."""

    log_history: list[dict[str, Any]]
    examples: int
    by_source: dict[str, int]
    train_seconds: float
    trainable_parameters: int
    total_parameters: int


@dataclass
class WarmupEffect:
    """pass@1 of the warm-up model against the stage-03 model: both in the reasoning format
    (``warmup_vs_parent``), and with the parent asked as it was trained (``..._as_trained``, None when
    that is the reasoning format); ``parent_formats``: the parent asked both ways; ``layout``: how many
    of each one's reasoning-format answers are in the complete layout (:func:`~seedkit.longcot_rl.rewards.answer_layouts`)."""

    warmup_vs_parent: dict[str, Any]
    warmup_vs_parent_as_trained: dict[str, Any] | None
    parent_formats: dict[str, Any] | None
    measurements: dict[str, dict[str, Any]]  # label -> PassCounts.to_dict() (written back to effects/)
    layout: dict[str, dict[str, Any]] = field(default_factory=dict)  # label -> answers in the reasoning layout


@dataclass
class GRPOEffect:
    """pass@1 of the GRPO model against the warm-up model, and the stage's whole effect against stage 03."""

    grpo_vs_warmup: dict[str, Any]
    stage_vs_parent: dict[str, Any]
    stage_vs_parent_as_trained: dict[str, Any] | None
    measurements: dict[str, dict[str, Any]]
    layout: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class GRPORun:
    """What GRPO did (every step, rollout, curriculum decision and round) and its reward curves."""

    steps: list[dict[str, Any]]
    rollouts: list[dict[str, Any]]
    curriculum: list[dict[str, Any]]
    rounds: list[dict[str, Any]]
    train_seconds: float
    reward_curve: list[dict[str, Any]]
    execution_curve: list[dict[str, Any]]
    trainable_parameters: int
    total_parameters: int
    config: dict[str, Any]  # the first round's trainer arguments
    rollout_paths: list[str]  # which path sampled the rollouts, per round ("kit" or TRL's)

    @property
    def history(self) -> RLHistory:
        return RLHistory(self.steps, self.rollouts, self.curriculum, self.rounds)


def effects_record(product: WarmupEffect | GRPOEffect | None) -> dict[str, Any]:
    """The effects of a measuring step without its measurements (``metrics.json``'s ``effects``)."""
    if product is None:
        return {}
    return {f.name: getattr(product, f.name) for f in fields(product) if f.name != "measurements"}
