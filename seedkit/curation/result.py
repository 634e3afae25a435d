"""A finished stage 01 read back: its stats, its datasets (loaded lazily) and views of them (one
file's fate, the planted-file check, an example of every drop reason)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES
from seedkit.curation.funnel import reason_key
from seedkit.curation.planted import check_planted
from seedkit.curation.records import column
from seedkit.curation.settings import CurationSettings, resolve_path
from seedkit.steps import DatasetStageResult


@dataclass
class CurationResult(DatasetStageResult):
    """What the notebook plots from; datasets load lazily from the stage directory."""

    @property
    def files(self) -> Any:
        return self.dataset("files")

    @property
    def repos(self) -> Any:
        return self.dataset("repos")

    @property
    def commits(self) -> Any:
        return self.dataset("commits")

    @property
    def web(self) -> Any:
        return self.dataset("web")

    @property
    def dropped(self) -> Any:
        return self.dataset("dropped")

    def why(self, repo: str, path: str) -> str:
        """The fate of one file: 'kept', '<step>/<reason> (<detail>)', or 'not in this run's sources'."""
        d = self.dropped
        for i, (r, p) in enumerate(zip(column(d, "repo"), column(d, "path"), strict=True)):
            if r == repo and p == path:
                row = d[i]
                return f"{row['step']}/{row['reason']}" + (f" ({row['detail']})" if row["detail"] else "")
        f = self.files
        if any(r == repo and p == path for r, p in zip(column(f, "repo"), column(f, "path"), strict=True)):
            return "kept"
        return "not in this run's sources"


def uses_kit_samples(s: CurationSettings) -> dict[str, bool]:
    """Which of the kit's own sample folders this run reads: the planted-file checks apply to those only."""
    def has(paths: list[str], sample: Path) -> bool:
        return any(resolve_path(p).resolve() == sample.resolve() for p in paths)

    return {"repos": has(s.repo_dirs, DATA_SAMPLES / "repos"), "web": has(s.web_dirs, DATA_SAMPLES / "web")}


def planted_check(result: CurationResult, settings: CurationSettings) -> list[dict[str, Any]] | None:
    """The planted-file table for a run that read the kit's own samples; None for other sources."""

    kit = uses_kit_samples(settings)
    if not kit["repos"]:
        return None
    dropped = result.dropped
    steps = column(dropped, "step")
    file_drops = dropped.select([i for i, st_ in enumerate(steps) if st_ != "web"]).to_list()
    web = None
    if kit["web"]:
        web = dropped.select([i for i, st_ in enumerate(steps) if st_ == "web"]).to_list() + result.web.to_list()
    return check_planted(file_drops, result.files.to_list(), web)


def dropped_examples(dropped: Any, per_reason: int = 1) -> dict[str, list[dict[str, Any]]]:
    """The first ``per_reason`` dropped rows of every ``step / reason``, for paging through in the notebook."""
    steps_, reasons = column(dropped, "step"), column(dropped, "reason")
    picked: dict[str, list[int]] = defaultdict(list)
    for i, (st_, r) in enumerate(zip(steps_, reasons, strict=True)):
        key = f"{st_} / {reason_key(r)}"
        if len(picked[key]) < per_reason:
            picked[key].append(i)
    return {k: [dropped[i] for i in idx] for k, idx in sorted(picked.items())}
