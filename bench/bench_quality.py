"""Stage 02 benchmark: oracle labelling throughput, scorer throughput per backbone, scorer fidelity.

On the kit's sample files (data_samples/repos + data_samples/quality), with the profile's oracle
(in-process, likelihood reading, no label cache so the time is real), it measures:
- oracle files/s (likelihood; and generate with --generate),
- for each scorer backbone: files/s scoring on CPU, training time, and MAE / Spearman against the
  oracle on a held-out quarter of the labelled files (never trained on), with 95% bootstrap intervals,
- the ratio the distillation buys: scorer files/s over oracle files/s.
Prints one JSON line.

    .venv/bin/python bench/bench_quality.py                    # smol: SmolLM2-135M oracle
    .venv/bin/python bench/bench_quality.py --profile tiny     # seconds: the scratch oracle
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def sample_files(limit: int) -> list[dict]:
    """The kit's sample repositories' files and the quality samples, the latter under their bare file
    names (their folder is their label: the oracle must not read it)."""
    from seedkit.config import DATA_SAMPLES
    from seedkit.llm_filter.samples import language_of, load_quality_samples

    out = []
    for f in sorted((DATA_SAMPLES / "repos").rglob("*")):
        if f.is_file():
            out.append({"path": str(f.relative_to(DATA_SAMPLES / "repos")), "language": language_of(f),
                        "content": f.read_text(encoding="utf-8", errors="replace")})
    out += [{k: r[k] for k in ("path", "language", "content")} for r in load_quality_samples()]
    return out[:limit]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="smol")
    ap.add_argument("--files", type=int, default=48, help="files to label and score")
    ap.add_argument("--backbones", default="minilm,minilm-finetune,lm")
    ap.add_argument("--generate", action="store_true", help="also time the generate reading (slow)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: see torch_threads in settings)")
    args = ap.parse_args()

    import numpy as np
    import torch

    from seedkit.llm_filter.evidence import agreement_intervals
    from seedkit.llm_filter.oracle import Oracle
    from seedkit.llm_filter.scorer import LMBackbone, MiniLMBackbone, scorer_text, split_heldout, train_scorer
    from seedkit.llm_filter.settings import LLMFilterSettings

    torch.set_num_threads(args.threads)
    settings = LLMFilterSettings.from_params(args.profile)
    files = sample_files(args.files)
    oracle = Oracle.from_settings(settings, corpus_texts=[f["content"] for f in files], cache=None)

    t0 = time.perf_counter()
    labels = oracle.label(files, progress=False)
    oracle_s = time.perf_counter() - t0
    result: dict = {
        "bench": "quality", "profile": args.profile, "oracle": oracle.name, "method": oracle.method,
        "files": len(files), "oracle_max_chars": settings.oracle_max_chars, "torch_threads": args.threads,
        "oracle_files_per_s": round(len(files) / oracle_s, 3),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, load avg {os.getloadavg()[0]:.1f}",
    }
    if args.generate:
        oracle.method = "generate"
        n = min(8, len(files))
        t0 = time.perf_counter()
        gen_labels = oracle.label(files[:n], progress=False)
        result["oracle_generate_files_per_s"] = round(n / (time.perf_counter() - t0), 3)
        result["generate_unparseable"] = f"{sum(lab.score is None for lab in gen_labels)}/{n}"
        oracle.method = "likelihood"

    texts = [scorer_text(f) for f in files]
    scores = np.asarray([lab.score for lab in labels], float)
    _, held = split_heldout(len(files), settings.heldout_fraction, seed=0)
    per_backbone = {}
    for kind in [b for b in args.backbones.split(",") if b]:
        if kind == "lm" and oracle.model is None:
            continue
        t0 = time.perf_counter()
        backbone = (LMBackbone(oracle.model, oracle.tokenizer, settings.scorer_max_length, spec=settings.oracle_model)
                    if kind == "lm" else MiniLMBackbone(settings.scorer_max_length) if kind == "minilm" else None)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        scorer, report = train_scorer(texts, list(scores), backbone_kind=kind, backbone=backbone,
                                      heldout_fraction=settings.heldout_fraction, epochs=settings.scorer_epochs,
                                      learning_rate=settings.scorer_learning_rate,
                                      max_length=settings.scorer_max_length, progress=False)
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        scorer.predict(texts, batch_size=settings.scorer_batch_size)
        score_s = time.perf_counter() - t0
        ev = agreement_intervals(report.heldout_labels, report.heldout_predictions)
        per_backbone[kind] = {
            "files_per_s": round(len(files) / score_s, 2), "train_s": round(train_s, 2), "load_s": round(load_s, 2),
            "heldout_n": report.heldout["n"], "heldout_mae": report.heldout["mae"], "heldout_mae_ci95": ev["mae_ci"],
            "heldout_spearman": None if report.heldout["spearman"] is None else round(report.heldout["spearman"], 4),
            "heldout_spearman_ci95": ev["spearman_ci"],
            "heldout_mae_predicting_mean": report.heldout["baseline_mae_predict_mean"],
            "speedup_vs_oracle": round((len(files) / score_s) / result["oracle_files_per_s"], 1),
        }
    result["label_mean"] = round(float(scores.mean()), 4)
    result["label_std"] = round(float(scores.std()), 4)
    result["heldout_files"] = int(len(held))
    result["scorers"] = per_backbone
    print(json.dumps(result))


if __name__ == "__main__":
    main()
