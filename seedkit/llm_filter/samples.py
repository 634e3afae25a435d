"""The kit's quality samples (data_samples/quality): files written good and files written poor.

They check the oracle, not the corpus: with a working rubric and oracle the poor files (the
zero-score cases, duplicated logic, no structure) score lower on average than the good ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seedkit.config import DATA_SAMPLES

QUALITY_SAMPLES = DATA_SAMPLES / "quality"

EXTENSION_LANGUAGE = {
    ".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go", ".java": "java",
    ".rs": "rust", ".c": "c", ".cpp": "cpp", ".h": "c", ".rb": "ruby", ".sh": "shell",
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml", ".md": "markdown",
}


def language_of(path: str | Path) -> str:
    return EXTENSION_LANGUAGE.get(Path(path).suffix.lower(), "text")


LABEL_WORDS = ("good", "poor")


def load_quality_samples(root: str | Path = QUALITY_SAMPLES) -> list[dict[str, Any]]:
    """Records from ``root``/good and ``root``/poor: ``group`` (the label), ``sample`` (where the file is,
    ``good/x.py``, for tables) and what the oracle may see: ``path`` (the bare file name), ``language``
    and ``content``. The label must not reach the oracle: a file name holding it is refused."""
    root = Path(root)
    out = []
    for group in ("good", "poor"):
        folder = root / group
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} does not exist: the quality samples need good/ and poor/ folders")
        for f in sorted(folder.iterdir()):
            if not f.is_file() or f.name.startswith("."):
                continue
            if any(w in f.name.lower() for w in LABEL_WORDS):
                raise ValueError(f"{f}: a file name that says good or poor would tell the oracle the answer; rename it")
            out.append({"group": group, "sample": f"{group}/{f.name}", "path": f.name, "language": language_of(f),
                        "content": f.read_text(encoding="utf-8")})
    return out


def compare_groups(records: Sequence[dict[str, Any]], scores: Sequence[float | None]) -> dict[str, Any]:
    """Mean score per group, the gap (good - poor), how often a good file outranks a poor one
    (the AUC: 1.0 = every good file above every poor file, 0.5 = chance), and the per-file table."""
    table = [{"path": r.get("sample", r["path"]), "group": r["group"], "language": r["language"], "score": s}
             for r, s in zip(records, scores, strict=True)]
    good = [t["score"] for t in table if t["group"] == "good" and t["score"] is not None]
    poor = [t["score"] for t in table if t["group"] == "poor" and t["score"] is not None]
    mean = lambda xs: float(sum(xs) / len(xs)) if xs else None  # noqa: E731
    pairs = [(g, p) for g in good for p in poor]
    auc = (sum(1.0 if g > p else 0.5 if g == p else 0.0 for g, p in pairs) / len(pairs)) if pairs else None
    mg, mp = mean(good), mean(poor)
    return {
        "good_mean": mg, "poor_mean": mp,
        "gap": (mg - mp) if mg is not None and mp is not None else None,
        "good_above_poor_auc": auc,
        "n_good": len(good), "n_poor": len(poor),
        "unparseable": sum(1 for t in table if t["score"] is None),
        "poor_lower_on_average": (mp < mg) if mg is not None and mp is not None else None,
        "files": table,
    }
