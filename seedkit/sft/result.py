"""What a finished stage 04 leaves behind, read back: :class:`SFTResult` (the notebook's last cells, stage
05's inputs) and the ``data/`` / ``dropped/`` dataset schema (docs/contracts.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seedkit.runs import load_dataset_dir, read_manifest
from seedkit.training import log_history_table

STAGE = "04_sft"


@dataclass
class SFTResult:
    """What the notebook shows, read back from the stage directory."""

    path: Path
    stats: dict[str, Any]
    metrics: dict[str, Any]
    data: Any  # datasets.Dataset of kept items
    dropped: Any  # datasets.Dataset of dropped items
    model_spec: str = ""
    parent_model: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> SFTResult:

        path = Path(path)
        manifest = read_manifest(path) or {}
        return cls(path=path, stats=json.loads((path / "stats.json").read_text()),
                   metrics=json.loads((path / "metrics.json").read_text()), data=load_dataset_dir(path / "data"),
                   dropped=load_dataset_dir(path / "dropped"),
                   model_spec=f"run:{manifest.get('run_name', path.parent.name)}/{STAGE}",
                   parent_model=manifest.get("metrics", {}).get("parent_model", ""),
                   timings=manifest.get("timings", {}))

    @property
    def effect(self) -> dict[str, Any] | None:
        return self.metrics.get("effect")

    @property
    def loss_curve(self) -> dict[str, list[float]]:

        return log_history_table(self.metrics.get("log_history", []))

    def funnel(self) -> list[tuple[str, int, int]]:
        """(step, items in, items removed) per filter step."""
        return [(r["step"], r["in"], r["removed"]) for r in self.stats["funnel"]]

    def examples(self, step: str, k: int = 1) -> list[dict[str, Any]]:
        """Up to k items dropped at ``step`` (or kept, with step='kept'; verified after correction, 'rescued')."""
        if step == "kept":
            rows = list(self.data)
        elif step == "rescued":
            rows = [r for r in self.data if r["attempts"] > 1 and r["source"] != "docstring"]
        else:
            rows = [r for r in self.dropped if r["dropped_by"] == step]
        return rows[:k]


def items_dataset(rows: list[dict[str, Any]]) -> Any:
    import datasets

    features = datasets.Features({
        "id": datasets.Value("string"), "source": datasets.Value("string"), "style": datasets.Value("string"),
        "instruction": datasets.Value("string"), "solution": datasets.Value("string"),
        "tests": datasets.Value("string"), "entry_point": datasets.Value("string"),
        "judge_score": datasets.Value("float64"), "difficulty": datasets.Value("float64"),
        "verified": datasets.Value("bool"), "attempts": datasets.Value("int64"), "split": datasets.Value("string"),
        "seed_id": datasets.Value("string"), "raw_output": datasets.Value("string"),
        "dropped_by": datasets.Value("string"), "drop_reason": datasets.Value("string"),
        "verify_status": datasets.Value("string"), "verify_error": datasets.Value("string"),
        "history": datasets.Sequence(datasets.Value("string")),
    })
    if not rows:
        return datasets.Dataset.from_dict({k: [] for k in features}, features=features)
    return datasets.Dataset.from_list([{k: r.get(k) for k in features} for r in rows], features=features)
