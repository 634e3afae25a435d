"""What stage 02's steps return: one small dataclass per step (datasets in their fields are saved as
dataset folders, the rest as JSON; :meth:`seedkit.steps.Stage.step`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Sample:
    """The files the oracle grades (id, path, language, content)."""

    files: Any  # datasets.Dataset


@dataclass
class Labels:
    """The oracle's grade of every sampled file: ``rows`` holds id, path, language, score (None when the
    answer did not parse), raw_answer, method, prompt_version, oracle, score_probs, valid_mass."""

    rows: Any  # datasets.Dataset

    @property
    def scores(self) -> list[float | None]:
        return list(self.rows["score"])


@dataclass
class OracleCheck:
    """The oracle on files written good and poor, per reading (``readings``: difference, P(good > poor),
    their intervals, the per-file table); ``chosen`` is the stage's reading. Empty with
    ``compare_samples=False``."""

    chosen: str = ""
    readings: dict[str, Any] = field(default_factory=dict)

    def as_stats(self) -> dict[str, Any]:
        return {"chosen": self.chosen, "readings": self.readings} if self.readings else {}


@dataclass
class ScorerReport:
    """How faithfully the distilled scorer copies the oracle: train and held-out agreement, the held-out
    evidence (Spearman and MAE with 95% intervals and n), the held-out labels and predictions."""

    backbone: str
    train: dict[str, Any]
    heldout: dict[str, Any]
    evidence: dict[str, Any]
    train_s: float
    heldout_predictions: list[float]
    heldout_labels: list[float]


@dataclass
class Scored:
    """Stage 01's files plus ``quality_score`` (0-10) from the distilled scorer."""

    files: Any  # datasets.Dataset


@dataclass
class Filtered:
    """The scored files at or above the cut (``kept``), the cut and why it is there."""

    kept: Any  # datasets.Dataset
    threshold: float
    reason: str
    n_kept: int
    n_dropped: int


@dataclass
class TokenCounts:
    """Every stage-01 file's token count, in the files' order, and the tokenizer that counted."""

    counter: str
    counts: list[int]


@dataclass
class RulesOnly:
    """Stage 01's files sampled to as many tokens as the filtered corpus holds."""

    files: Any  # datasets.Dataset
