"""What each step of stage 05 returns: one small dataclass per step, with named fields.

:meth:`seedkit.steps.Stage.step` saves a product as a folder (``steps/<hash>/<step>/product.json``) and
reads it back as the same class; a product whose fields hold other dataclasses (prompts, outcomes,
pairs) rebuilds them in its ``from_saved`` classmethod. The notebook reads them by attribute
(``pairs.summary.why``, ``pair.chosen``); ``finish`` writes ``pairs/``, ``prompts/``, ``stats.json``
and ``metrics.json`` from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Self

from seedkit.dpo.pairs import PromptTask, SampleOutcome


@dataclass
class Prompt:
    """One prompt with tests, and whether its pairs are trained on (``train``) or measured on (``heldout``)."""

    task_id: str
    source: str  # held_for_dpo (stage 04's held-back items) | train_problem (the kit's)
    message: str
    tests: str
    entry_point: str | None
    reference: str
    language: str
    split: str  # train | heldout

    def task(self, problem: Any = None) -> PromptTask:
        return PromptTask(task_id=self.task_id, source=self.source, message=self.message, tests=self.tests,
                          entry_point=self.entry_point, reference=self.reference, language=self.language,
                          problem=problem)


@dataclass
class Prompts:
    """Step 1: the prompts, in the order the later steps keep, and the training problems left out
    because stage 04 trained on them."""

    items: list[Prompt]
    excluded_train_problems: list[str]

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(items=[Prompt(**r) for r in fields["items"]], excluded_train_problems=fields["excluded_train_problems"])


@dataclass
class Samples:
    """Step 2: the policy's answers, ``samples_per_prompt`` per prompt, in the prompts' order."""

    answers: list[list[str]]
    seconds: float


@dataclass
class Outcomes:
    """Step 3: what the sandbox said about every answer, and, per prompt, whether its reference passes
    its tests (the off-policy fallback trusts only those)."""

    outcomes: list[list[SampleOutcome]]
    reference_verified: list[bool]

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(outcomes=[[SampleOutcome(**o) for o in row] for row in fields["outcomes"]],
                   reference_verified=fields["reference_verified"])

    def pass_rates(self) -> list[float]:
        return [sum(o.passed for o in row) / max(len(row), 1) for row in self.outcomes]


@dataclass
class Pair:
    """One preference pair: a row of ``pairs/`` (docs/contracts.md)."""

    prompt: str
    chosen: str
    rejected: str
    task_id: str
    source: str
    pass_rate: float
    rejected_failure: str  # why the rejected answer failed: failed, error:NameError, syntax:SyntaxError, ...
    off_policy: bool  # the chosen answer is the verified reference, not the model's
    split: str  # train | heldout, the prompt's

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PairSummary:
    """The pair set's report card (:func:`seedkit.dpo.pairs.summarize`) and the train / held-out split."""

    prompts: int
    samples: int
    samples_passed: int
    sample_pass_rate: float
    prompt_outcomes: dict[str, int]  # on_policy, all_pass, none_pass_off_policy, none_pass_no_pair
    pairs: int
    pairs_on_policy: int
    pairs_off_policy: int
    rejected_failures: dict[str, int]
    sample_failures: dict[str, int]
    why: str
    train_pairs: int
    heldout_pairs: int


@dataclass
class Pairs:
    """Step 4: every pair, one record per prompt (the rows of ``prompts/``), and the summary."""

    pairs: list[Pair]
    records: list[dict[str, Any]]
    summary: PairSummary

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(pairs=[Pair(**p) for p in fields["pairs"]], records=fields["records"],
                   summary=PairSummary(**fields["summary"]))

    def train(self) -> list[Pair]:
        return [p for p in self.pairs if p.split == "train"]

    def heldout(self) -> list[Pair]:
        return [p for p in self.pairs if p.split == "heldout"]


@dataclass
class Training:
    """Step 5: what DPO logged; the model itself is ``model_spec`` (stage 04's unchanged when no pair
    was left to train on)."""

    model_spec: str  # run:<run>/05_dpo
    log_history: list[dict[str, Any]]
    trained: bool
    reference_model: str  # how the reference was made
    train_pairs: int
    train_seconds: float
    final_reward_margin: float | None
    final_reward_accuracy: float | None
    train_steps: int


@dataclass
class Effect:
    """Step 6: pass@1 before and after (:func:`seedkit.measure.effects.effect`) and the preference accuracy
    on held-out pairs (:func:`seedkit.dpo.effect.preference_effect`)."""

    pass_at_1: dict[str, Any]
    preference: dict[str, Any]
