"""What stage 03 records when it finishes (``metrics.json``, ``stats.json``, the manifest's summary) and
:class:`PretrainResult`, which reads a finished stage back."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from seedkit.pretraining.models import STAGE, parent_spec
from seedkit.pretraining.products import Ablation, Effect
from seedkit.pretraining.settings import PretrainingSettings
from seedkit.runs import read_manifest


@dataclass
class PretrainResult:
    """What the notebook shows and the manifest records; loaded from disk when the stage is skipped."""

    path: Path
    metrics: dict[str, Any]
    stats: dict[str, Any]
    manifest: dict[str, Any] | None = None
    skipped: bool = False

    @classmethod
    def load(cls, path: str | os.PathLike[str], skipped: bool = True) -> PretrainResult:

        p = Path(path)
        return cls(p, json.loads((p / "metrics.json").read_text()), json.loads((p / "stats.json").read_text()),
                   read_manifest(p), skipped)

    @property
    def model_spec(self) -> str:
        return f"run:{self.path.parent.name}/{self.path.name}"

    def stage(self, n: int) -> dict[str, Any]:
        return self.metrics["stages"].get(f"stage{n}", {})

    @property
    def ablation(self) -> dict[str, Any]:
        return self.stats.get("ablation", {})

    def describe(self) -> str:
        """The manifest's headline: parent, training method, held-out change, effect, timings."""
        if not self.manifest:
            return f"{self.path}: not finished by this process"
        m = self.manifest["metrics"]
        return "\n".join([f"parent model: {m['parent_model']} | adapter: {m['adapter']}",
                          f"held-out loss change vs the parent: {m['heldout_change']}",
                          f"effect: {(m['effect'] or {}).get('line')}",
                          f"timings (s): {self.manifest['timings']}"])


def _strip_per_file(evals: dict[str, Any]) -> dict[str, Any]:
    return {label: {k: {kk: vv for kk, vv in v.items() if kk not in ("per_file", "ids")} for k, v in sets.items()}
            for label, sets in evals.items()}


def _ablation_headline(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if not summary:
        return None
    return {"n_seeds": summary["n_seeds"], "tokens_each": summary["tokens_each"],
            **{name: {k: v[k] for k in ("mean", "interval", "interval_over_files", "verdict")}
               for name, v in summary["sets"].items()}}


def records(s: PretrainingSettings, stages: dict[str, dict[str, Any]], evals: dict[str, dict[str, Any]],
            changes: dict[str, dict[str, Any]], effect: Effect, ablation: Ablation, data_stats: dict[str, Any],
            chat: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(metrics.json, stats.json, the manifest's summary) from the steps' products: ``stages`` maps
    stage1/stage2 to its training, data and demos; ``evals`` each model's held-out sets; ``chat`` the
    change of the chat answer loss (:func:`seedkit.pretraining.chat.chat_change`)."""
    last = list(stages)[-1]
    metrics = {
        "parent_model": parent_spec(s), "model_spec": f"run:{s.run_name}/{STAGE}",
        "adapter": stages["stage1"]["adapter"], "adapter_why": stages["stage1"]["adapter_why"],
        "stages": stages, "heldout": _strip_per_file(evals), "heldout_changes": changes,
        "effect": effect.headline, "effect_by_format": effect.by_format, "ablation": ablation.summary,
        "chat_ability": chat or {}, "chat_weight": s.chat_weight,
    }
    ablation_stats = ({"summary": ablation.summary, "per_seed": [asdict(r) for r in ablation.per_seed]}
                      if ablation.ran else {})
    stats = {"data": data_stats, "ablation": ablation_stats,
             "tokens_trained": {k: v["train"]["global_step"] * v["train"]["tokens_per_step"] for k, v in stages.items()}}
    summary = {
        "parent_model": parent_spec(s),
        "adapter": metrics["adapter"],
        "heldout_loss": {k: v["loss"] for k, v in evals[last].items()},
        "heldout_loss_parent": {k: v["loss"] for k, v in evals["parent"].items()},
        "heldout_change": {k: v.get(f"{last} - parent") for k, v in changes.items()},
        "tokens_per_second_stage1": stages["stage1"]["train"]["tokens_per_second"],
        "tokens_trained": sum(stats["tokens_trained"].values()),
        "effect": effect.headline,
        "effect_by_format": {k: v["line"] for k, v in effect.by_format.items()},
        "ablation": _ablation_headline(ablation.summary),
        "chat_ability": (chat or {}).get("line"),
    }
    return metrics, stats, summary
