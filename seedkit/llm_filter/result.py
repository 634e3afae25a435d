"""A finished stage 02 read back (:class:`LLMFilterResult`) and views of scored files: the best and
worst, what a cut would drop, the oracle labels' spread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seedkit.llm_filter.scorer import load_scorer
from seedkit.steps import DatasetStageResult


@dataclass
class LLMFilterResult(DatasetStageResult):
    """What the notebook shows: stats plus the scored corpus (loaded lazily from the run)."""

    def dataset(self, name: str = "scored") -> Any:
        return super().dataset(name)

    @property
    def scores(self) -> np.ndarray:
        return np.asarray(self.dataset("scored")["quality_score"], float)

    @property
    def threshold(self) -> float:
        return float(self.stats["cut"]["threshold"])

    def scorer(self) -> Any:
        return load_scorer(self.path / "scorer")


def extremes(scored: Any, n: int = 3, worst: bool = False) -> list[dict[str, Any]]:
    """The n best (or worst) scored files: path, language, score, content."""
    order = np.argsort(np.asarray(scored["quality_score"], float))
    idx = order[:n] if worst else order[::-1][:n]
    return [{k: scored[int(i)][k] for k in ("path", "language", "quality_score", "content")} for i in idx]


def preview_cut(scored: Any, threshold: float, show: int = 5) -> str:
    """What a cut at ``threshold`` would drop: counts and the highest-scored files that would go (the
    notebook's slider calls this; it changes nothing on disk)."""
    s = np.asarray(scored["quality_score"], float)
    drop = np.flatnonzero(s < threshold)
    lines = [f"cut at {threshold:.2f}: drop {len(drop)} of {len(s)} files ({len(drop) / max(1, len(s)):.0%})"]
    for i in drop[np.argsort(-s[drop])][:show]:
        row = scored[int(i)]
        lines.append(f"  would drop {row['quality_score']:5.2f}  {row['path']} ({row['language']})")
    return "\n".join(lines)


def label_stats(scores: list[float | None]) -> dict[str, Any]:
    """Count, parsed and unparseable answers, spread and rounded histogram of the oracle's labels."""
    ok = np.asarray([s for s in scores if s is not None], float)
    return {"n": len(scores), "parsed": int(len(ok)), "unparseable": int(len(scores) - len(ok)),
            "mean": round(float(ok.mean()), 4) if len(ok) else None,
            "std": round(float(ok.std()), 4) if len(ok) else None,
            "min": round(float(ok.min()), 4) if len(ok) else None,
            "max": round(float(ok.max()), 4) if len(ok) else None,
            "histogram_rounded": {str(k): int((np.rint(ok) == k).sum()) for k in range(11)}}
