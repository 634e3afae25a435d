"""What each step of stage 04 returns: one small dataclass per step, with named fields.

:meth:`seedkit.steps.Stage.step` saves a product as a folder (``steps/<hash>/<step>/product.json``) and
reads it back as the same class; a product whose fields hold other dataclasses (items, seeds, funnel
rows) rebuilds them in its ``from_saved`` classmethod. The notebook reads them by attribute
(``filtered.dropped``, ``judged.ratings.why``), ``finish`` writes ``stats.json`` and ``metrics.json``
from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Self

from seedkit.sft.seeds import Seed
from seedkit.sft.synthesis import SFTItem


def _items(rows: list[dict[str, Any]]) -> list[SFTItem]:
    return [SFTItem(**r) for r in rows]


@dataclass
class Seeds:
    """Step 1: the top-scored code snippets of stage 02 and the seed instructions (with their tests)."""

    code: list[Seed]
    instructions: list[Seed]
    corpus: dict[str, int]  # files read, non-Python files skipped, ...

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(code=[Seed(**x) for x in fields["code"]], instructions=[Seed(**x) for x in fields["instructions"]],
                   corpus=fields["corpus"])

    def all(self) -> list[Seed]:
        return self.code + self.instructions


@dataclass
class Candidates:
    """Step 2: every synthesised item (generated, seed instruction, mined docstring pair) before any filter."""

    items: list[SFTItem]
    sources: dict[str, int]  # items per source
    docstring_mining: dict[str, Any]  # what the docstring miner looked at and why it skipped functions

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(**{**fields, "items": _items(fields["items"])})


@dataclass
class FunnelRow:
    """One filter of the data funnel: items in, removed (with the reasons counted), passed on."""

    step: str
    n_in: int
    removed: int
    out: int
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The row of ``stats.json``'s funnel (docs/contracts.md: ``in`` rather than ``n_in``)."""
        return {"step": self.step, "in": self.n_in, "removed": self.removed, "out": self.out, "reasons": self.reasons}


@dataclass
class Filtered:
    """Step 3 (and the base of steps 4 and 5): the items a filter kept, those it dropped (each with
    ``dropped_by`` and ``drop_reason``), and one funnel row per filter applied."""

    kept: list[SFTItem]
    dropped: list[SFTItem]
    funnel: list[FunnelRow]

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        rebuilt = {"kept": _items(fields["kept"]), "dropped": _items(fields["dropped"]),
                   "funnel": [FunnelRow(**r) for r in fields["funnel"]]}
        return cls(**{**fields, **rebuilt, **cls._rebuild(fields)})

    @classmethod
    def _rebuild(cls, fields: dict[str, Any]) -> dict[str, Any]:
        """Fields of a subclass that hold dataclasses."""
        return {}


@dataclass
class JudgeRatings:
    """The judge's ratings of every item it saw, whether its difficulty rating carries signal, and the
    filter rule that follows (``stats.json``'s ``judge``)."""

    method: str  # likelihood (an in-process model) | generate (a server)
    rule: str  # threshold | rank | off
    why: str
    threshold: float | None
    difficulty: list[float | None]
    correctness: list[float | None]
    proxy: list[float]  # the solution-size proxy the difficulty is checked against
    signal: dict[str, Any]  # Spearman's rho with the proxy, its interval, has_signal


@dataclass
class Judged(Filtered):
    """Step 4: the judge's filter, and its ratings."""

    ratings: JudgeRatings | None = None

    @classmethod
    def _rebuild(cls, fields: dict[str, Any]) -> dict[str, Any]:
        return {"ratings": JudgeRatings(**fields["ratings"])}


@dataclass
class Verified(Filtered):
    """Step 5: the sandbox's verdicts (self-correction included), the tests written for mined functions,
    and how well the judge's correctness rating separates passing items from failing ones."""

    verification: dict[str, Any] = field(default_factory=dict)  # checked, passed per attempt, rescued, statuses
    docstring_tests: dict[str, Any] = field(default_factory=dict)
    correctness_signal: dict[str, Any] = field(default_factory=dict)  # AUC with its interval, and why

    def rescued(self) -> list[SFTItem]:
        """Kept items whose first solution failed and a corrected one passed."""
        return [it for it in self.kept if it.attempts > 1 and it.history]


@dataclass
class TrainingSet:
    """Step 6: every kept item with its split (``sft`` or ``held_for_dpo``), the kit's training problems
    included, and the counts ``stats.json`` keeps under ``kept``."""

    items: list[SFTItem]
    stats: dict[str, Any]

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(items=_items(fields["items"]), stats=fields["stats"])

    def sft_items(self) -> list[SFTItem]:
        return [it for it in self.items if it.split == "sft"]


@dataclass
class Training:
    """Step 7: what the trainer logged and what it trained; the model itself is ``model_spec``."""

    model_spec: str  # run:<run>/04_sft
    log_history: list[dict[str, Any]]
    train_seconds: float
    examples: int
    trainable_parameters: int
    total_parameters: int

    @property
    def final_loss(self) -> float | None:
        return next((r["loss"] for r in reversed(self.log_history) if "loss" in r), None)


@dataclass
class Comparison:
    """One evaluation problem answered by the parent (before) and the SFT model (after)."""

    task_id: str
    prompt: str
    before: str
    after: str


@dataclass
class Effect:
    """Step 8: pass@1 before and after (each model in its own format, and the parent in the SFT model's
    format when they differ), the held-out answer loss, and a few answers side by side. The records
    are :func:`seedkit.measure.effects.effect`'s and :func:`seedkit.posttraining.answer_loss.loss_effect`'s."""

    pass_at_1: dict[str, Any]
    pass_at_1_same_format: dict[str, Any] | None
    answer_loss: dict[str, Any]
    comparisons: list[Comparison]

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> Self:
        return cls(**{**fields, "comparisons": [Comparison(**c) for c in fields["comparisons"]]})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
