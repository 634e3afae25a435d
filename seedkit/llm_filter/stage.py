"""Stage 02 entry point: label a sample with the oracle, distil a scorer, score all, cut the bottom.

``run_llm_filter(settings)`` reads stage 01's ``files/`` and writes (see docs/contracts.md)
``labels/``, ``scorer/``, ``scored/``, ``filtered/``, ``rules_only/`` and ``stats.json`` into
``runs/<run>/02_llm_filter/``, manifest last. It returns an :class:`LLMFilterResult` the notebook
plots from, loaded from disk when the stage was already done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seedkit.llm_filter.settings import LLMFilterSettings

STAGE = "02_llm_filter"


def _say(msg: str) -> None:
    print(f"[{STAGE}] {msg}")


@dataclass
class LLMFilterResult:
    """What the notebook shows: stats plus the scored corpus (loaded lazily from the run)."""

    path: Path
    stats: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path) -> LLMFilterResult:
        import json

        path = Path(path)
        return cls(path, json.loads((path / "stats.json").read_text()))

    def dataset(self, name: str = "scored") -> Any:
        from seedkit.runs import load_dataset_dir

        return load_dataset_dir(self.path / name)

    @property
    def scores(self) -> np.ndarray:
        return np.asarray(self.dataset("scored")["quality_score"], float)

    @property
    def threshold(self) -> float:
        return float(self.stats["cut"]["threshold"])

    def extremes(self, n: int = 3, worst: bool = False) -> list[dict[str, Any]]:
        """The n best (or worst) scored files: path, language, score, content."""
        ds = self.dataset("scored")
        order = np.argsort(np.asarray(ds["quality_score"], float))
        idx = order[:n] if worst else order[::-1][:n]
        return [{k: ds[int(i)][k] for k in ("path", "language", "quality_score", "content")} for i in idx]

    def preview_cut(self, threshold: float, show: int = 5) -> str:
        """What a cut at ``threshold`` would drop: counts and the highest-scored files that would go
        (the slider in the notebook calls this; it changes nothing on disk)."""
        ds = self.dataset("scored")
        s = np.asarray(ds["quality_score"], float)
        drop = np.flatnonzero(s < threshold)
        lines = [f"cut at {threshold:.2f}: drop {len(drop)} of {len(s)} files ({len(drop) / max(1, len(s)):.0%})"]
        for i in drop[np.argsort(-s[drop])][:show]:
            row = ds[int(i)]
            lines.append(f"  would drop {row['quality_score']:5.2f}  {row['path']} ({row['language']})")
        return "\n".join(lines)

    def scorer(self) -> Any:
        from seedkit.llm_filter.scorer import load_scorer

        return load_scorer(self.path / "scorer")


def _label_stats(scores: list[float | None]) -> dict[str, Any]:
    ok = np.asarray([s for s in scores if s is not None], float)
    hist = {str(k): int(((np.rint(ok) == k)).sum()) for k in range(11)}
    return {"n": len(scores), "parsed": int(len(ok)), "unparseable": int(len(scores) - len(ok)),
            "mean": round(float(ok.mean()), 4) if len(ok) else None,
            "std": round(float(ok.std()), 4) if len(ok) else None,
            "min": round(float(ok.min()), 4) if len(ok) else None,
            "max": round(float(ok.max()), 4) if len(ok) else None,
            "histogram_rounded": hist}


def run_llm_filter(settings: LLMFilterSettings) -> LLMFilterResult:
    """Run stage 02 (or load its result when done); see the module docstring."""
    from seedkit.training import torch_threads

    with torch_threads(settings.torch_threads, "02_llm_filter"):
        return _run(settings)


def _run(settings: LLMFilterSettings) -> LLMFilterResult:
    from datasets import Dataset

    from seedkit.llm_filter.label_cache import LabelCache
    from seedkit.llm_filter.oracle import Oracle, default_cache_path
    from seedkit.llm_filter.samples import compare_groups, load_quality_samples
    from seedkit.llm_filter.scorer import LMBackbone, MiniLMBackbone, scorer_text, train_scorer
    from seedkit.llm_filter.threshold import choose_cut, sample_to_tokens, token_counter
    from seedkit.runs import MissingInputError, StageRun, load_dataset_dir

    run = StageRun(settings)
    stage01 = run.input("01_curation", settings.files_input or None)
    inputs = {"01_curation": stage01}
    if run.is_done(inputs):
        return LLMFilterResult.load(run.path)
    run.start(inputs)

    files = load_dataset_dir(stage01 / "files")
    missing = {"id", "path", "language", "content"} - set(files.column_names)
    if missing:
        raise MissingInputError(f"{stage01 / 'files'} lacks columns {sorted(missing)} (docs/contracts.md, 01_curation)")
    if len(files) == 0:
        raise MissingInputError(f"{stage01 / 'files'} is empty: stage 01 kept no files")
    records = files.select_columns(["id", "path", "language", "content"]).to_list()

    rng = np.random.default_rng(settings.seed)
    n_label = min(settings.label_sample_size, len(records))
    sample_idx = np.sort(rng.choice(len(records), size=n_label, replace=False))
    _say(f"labelling {n_label} of {len(records)} files with the oracle (label_sample_size={settings.label_sample_size})")
    sample = [records[i] for i in sample_idx]

    cache = LabelCache(default_cache_path(settings.label_cache_dir))
    with run.timer("load_oracle"):
        oracle = Oracle.from_settings(settings, corpus_texts=[r["content"] for r in records[:2000]], cache=cache)
    _say(f"oracle {oracle.name}, reading {oracle.method}, prompt {oracle.rubric.version}; label cache {cache.path}")
    t0 = time.perf_counter()
    with run.timer("labelling"):
        labels = oracle.label(sample)
    label_s = time.perf_counter() - t0
    fresh = cache.misses
    _say(f"labels: {cache.hits} from the cache, {fresh} new ({label_s:.1f} s)")
    label_rows = [{"id": r["id"], "path": r["path"], "language": r["language"], "score": lab.score,
                   "raw_answer": lab.raw_answer, "method": lab.method, "prompt_version": lab.prompt_version,
                   "oracle": lab.oracle, "score_probs": lab.score_probs, "valid_mass": lab.valid_mass}
                  for r, lab in zip(sample, labels, strict=True)]
    run.save_dataset("labels", Dataset.from_list(label_rows))
    scores = [lab.score for lab in labels]
    label_stats = _label_stats(scores)
    if label_stats["unparseable"]:
        _say(f"{label_stats['unparseable']} of {n_label} oracle answers were unparseable: left out of "
             "scorer training (never counted as 0)")

    comparison = None
    by_method: dict[str, Any] = {}
    if settings.compare_samples:
        qs = load_quality_samples()
        methods = [oracle.method] + [m for m in ("verdict", "likelihood") if m != oracle.method and oracle.model is not None]
        chosen = oracle.method
        with run.timer("compare_samples"):
            for m in methods:
                oracle.method = m
                q_labels = oracle.label(qs, progress=False)
                by_method[m] = compare_groups(qs, [lab.score for lab in q_labels])
                _say(f"quality samples, {m} reading: good mean {by_method[m]['good_mean']:.3f}, poor mean "
                     f"{by_method[m]['poor_mean']:.3f}, P(good > poor) {by_method[m]['good_above_poor_auc']:.2f}")
        oracle.method = chosen
        comparison = by_method[chosen]

    corpus_texts = [scorer_text(r) for r in records]
    usable_idx = [int(i) for i, s in zip(sample_idx, scores, strict=True) if s is not None]
    backbone: Any = None
    if settings.scorer_backbone == "lm":
        if oracle.model is None:
            raise MissingInputError("scorer_backbone='lm' reuses the in-process oracle model; "
                                    "with a server oracle choose minilm")
        backbone = LMBackbone(oracle.model, oracle.tokenizer, settings.scorer_max_length, spec=settings.oracle_model)
    elif settings.scorer_backbone == "minilm":
        backbone = MiniLMBackbone(settings.scorer_max_length)
    corpus_emb = None
    t0 = time.perf_counter()
    if backbone is not None:  # frozen: embed the corpus once, train on the sample's rows, score from the same
        with run.timer("embed_corpus"):
            corpus_emb = backbone.embed(corpus_texts, batch_size=settings.scorer_batch_size, progress=True)
    embed_s = time.perf_counter() - t0
    with run.timer("train_scorer"):
        scorer, report = train_scorer([corpus_texts[i] for i in usable_idx],
                                      [scores[int(np.searchsorted(sample_idx, i))] for i in usable_idx],
                                      embeddings=corpus_emb[usable_idx] if corpus_emb is not None else None,
                                      backbone_kind=settings.scorer_backbone, backbone=backbone,
                                      heldout_fraction=settings.heldout_fraction, epochs=settings.scorer_epochs,
                                      learning_rate=settings.scorer_learning_rate,
                                      max_length=settings.scorer_max_length,
                                      batch_size=settings.scorer_batch_size, seed=settings.seed)
    scorer.meta.update(oracle=oracle.name, prompt_version=oracle.rubric.version)
    scorer.save(run.path / "scorer")
    ho = report.heldout
    _say(f"scorer ({settings.scorer_backbone}): held-out MAE {ho['mae']} (predicting the mean: "
         f"{ho['baseline_mae_predict_mean']}), Spearman {ho['spearman']} on {ho['n']} files")

    t0 = time.perf_counter()
    with run.timer("score_corpus"):
        if corpus_emb is not None:
            corpus_scores = scorer.predict_embeddings(corpus_emb)
        else:
            corpus_scores = scorer.predict(corpus_texts, batch_size=settings.scorer_batch_size, progress=True)
    score_s = time.perf_counter() - t0 + embed_s
    scored = files.add_column("quality_score", [round(float(v), 4) for v in corpus_scores])
    run.save_dataset("scored", scored)

    cut = choose_cut(corpus_scores, settings.drop_bottom_fraction, settings.min_score)
    _say(f"cut: {cut.reason}; keeping {cut.n_kept}, dropping {cut.n_dropped}")
    keep = cut.keep_mask(corpus_scores)
    filtered = scored.select(np.flatnonzero(keep).tolist())
    run.save_dataset("filtered", filtered)

    count, counter_desc = token_counter(settings.token_counter, settings.runs_dir)
    with run.timer("rules_only"):
        tokens = [count(r["content"]) for r in records]
        target = int(sum(t for t, k in zip(tokens, keep, strict=True) if k))
        chosen = sample_to_tokens(tokens, target, seed=settings.seed)
    rules_only = files.select(chosen)
    run.save_dataset("rules_only", rules_only)
    rules_tokens = int(sum(tokens[i] for i in chosen))
    _say(f"rules_only: {len(chosen)} files, {rules_tokens} tokens vs filtered {target} tokens ({counter_desc})")

    stats = {
        "oracle": {"name": oracle.name, "method": oracle.method, "prompt_version": oracle.rubric.version,
                   "rubric_path": oracle.rubric.path, "max_chars": settings.oracle_max_chars,
                   "cache": str(cache.path), "cache_hits": cache.hits, "cache_misses": fresh,
                   "labelling_s": round(label_s, 3),
                   "files_per_s_new": round(fresh / label_s, 4) if fresh and label_s > 0 else None},
        "labels": label_stats,
        "scorer": {"backbone": settings.scorer_backbone, "train": report.train, "heldout": report.heldout,
                   "train_s": report.train_s, "heldout_predictions": report.heldout_predictions,
                   "heldout_labels": report.heldout_labels,
                   "corpus_files_per_s": round(len(records) / score_s, 2) if score_s > 0 else None},
        "scores": {"mean": round(float(np.mean(corpus_scores)), 4), "std": round(float(np.std(corpus_scores)), 4),
                   "min": round(float(np.min(corpus_scores)), 4), "max": round(float(np.max(corpus_scores)), 4)},
        "cut": {"threshold": cut.threshold, "reason": cut.reason, "drop_bottom_fraction": settings.drop_bottom_fraction,
                "min_score": settings.min_score},
        "counts": {"files": len(records), "labelled": n_label, "kept": cut.n_kept, "dropped": cut.n_dropped,
                   "rules_only": len(chosen)},
        "tokens": {"counter": counter_desc, "filtered": target, "rules_only": rules_tokens,
                   "all_files": int(sum(tokens))},
        "quality_samples": comparison,
        "quality_samples_by_method": {m: {k: v for k, v in c.items() if k != "files"} | {"files": c["files"]}
                                      for m, c in by_method.items()},
    }
    run.save_json("stats.json", stats)
    metrics = {"heldout_mae": ho["mae"], "heldout_spearman": ho["spearman"], "kept": cut.n_kept,
               "dropped": cut.n_dropped, "threshold": cut.threshold, "unparseable": label_stats["unparseable"],
               "good_mean": comparison["good_mean"] if comparison else None,
               "poor_mean": comparison["poor_mean"] if comparison else None}
    run.finish(metrics=metrics)
    return LLMFilterResult(run.path, stats)
