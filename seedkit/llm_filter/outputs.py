"""Stage 02's outputs, written from its step products: ``labels/``, ``scorer/``, ``scored/``,
``filtered/``, ``rules_only/``, ``stats.json`` and the manifest (last), whose metrics carry the
stage's evidence with intervals and n."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from seedkit.llm_filter.label_cache import LabelCache
from seedkit.llm_filter.products import (
    Filtered,
    Labels,
    OracleCheck,
    RulesOnly,
    Scored,
    ScorerReport,
    TokenCounts,
)
from seedkit.llm_filter.result import LLMFilterResult, label_stats
from seedkit.llm_filter.settings import LLMFilterSettings
from seedkit.runs import StageRun


def _metrics(stats: dict[str, Any], check: OracleCheck, sc: ScorerReport, cut: Filtered) -> dict[str, Any]:
    ev = sc.evidence
    metrics: dict[str, Any] = {
        "labelled": stats["labels"]["n"], "unparseable": stats["labels"]["unparseable"], "kept": cut.n_kept,
        "dropped": cut.n_dropped, "threshold": cut.threshold,
        "scorer_heldout_n": ev["n"], "scorer_spearman": ev["spearman"], "scorer_spearman_ci95": ev["spearman_ci"],
        "scorer_mae": ev["mae"], "scorer_mae_ci95": ev["mae_ci"],
        "scorer_mae_predicting_mean": sc.heldout["baseline_mae_predict_mean"],
    }
    if check.readings:
        chosen = check.readings[check.chosen]
        metrics.update({
            "oracle_check_reading": check.chosen, "oracle_good_minus_poor": chosen["difference"],
            "oracle_good_minus_poor_ci95": chosen["difference_ci"],
            "oracle_p_good_above_poor": chosen["p_good_above_poor"],
            "oracle_p_good_above_poor_ci95": chosen["p_good_above_poor_ci"],
            "oracle_n_good": chosen["n_good"], "oracle_n_poor": chosen["n_poor"],
            "oracle_separates_good_from_poor": chosen["separates"]})
    return metrics


def write_outputs(s: LLMFilterSettings, run: StageRun, p: dict[str, Any], ids: list[str], scorer_dir: Path,
                  cache: LabelCache) -> LLMFilterResult:
    """Save the datasets and the scorer, then ``stats.json`` and the manifest."""
    labels: Labels = p["labels"]
    scored: Scored = p["scored"]
    cut: Filtered = p["filtered"]
    rules: RulesOnly = p["rules_only"]
    tokens: TokenCounts = p["tokens"]
    check: OracleCheck = p["oracle_check"]
    sc: ScorerReport = p["scorer"]
    with run.timer("save"):
        run.save_dataset("labels", labels.rows)
        shutil.copytree(scorer_dir, run.path / "scorer", dirs_exist_ok=True)
        run.save_dataset("scored", scored.files)
        run.save_dataset("filtered", cut.kept)
        run.save_dataset("rules_only", rules.files)
    scores = np.asarray(scored.files["quality_score"], float)
    filtered_ids, rules_ids = set(cut.kept["id"]), set(rules.files["id"])
    rows = labels.rows
    stats = {
        "oracle": {"name": rows["oracle"][0] if len(rows) else "",
                   "method": s.oracle_method if not s.oracle_server_url else "generate",
                   "prompt_version": rows["prompt_version"][0] if len(rows) else "",
                   "max_chars": s.oracle_max_chars, "cache": str(cache.path),
                   # this session's oracle calls (labels and check): a reused step calls none
                   "cache_hits": cache.hits, "cache_misses": cache.misses},
        "labels": label_stats(labels.scores),
        "oracle_check": check.as_stats(),
        "scorer": {"backbone": sc.backbone, "train": sc.train, "heldout": sc.heldout, "evidence": sc.evidence,
                   "train_s": sc.train_s, "heldout_predictions": sc.heldout_predictions,
                   "heldout_labels": sc.heldout_labels},
        "scores": {"mean": round(float(scores.mean()), 4), "std": round(float(scores.std()), 4),
                   "min": round(float(scores.min()), 4), "max": round(float(scores.max()), 4)},
        "cut": {"threshold": cut.threshold, "reason": cut.reason, "drop_bottom_fraction": s.drop_bottom_fraction,
                "min_score": s.min_score},
        "counts": {"files": len(ids), "labelled": len(rows), "kept": cut.n_kept, "dropped": cut.n_dropped,
                   "rules_only": len(rules.files),
                   "kept_by_language": dict(Counter(cut.kept["language"]).most_common())},
        "tokens": {"counter": tokens.counter,
                   "filtered": int(sum(c for c, i in zip(tokens.counts, ids, strict=True) if i in filtered_ids)),
                   "rules_only": int(sum(c for c, i in zip(tokens.counts, ids, strict=True) if i in rules_ids)),
                   "all_files": int(sum(tokens.counts))},
    }
    run.save_json("stats.json", stats)
    run.finish(metrics=_metrics(stats, check, sc, cut))
    return LLMFilterResult(run.path, stats)
