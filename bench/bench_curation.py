#!/usr/bin/env python3
"""Stage 01 near deduplication: the kit against datasketch and datatrove on the same corpus.

Corpus (built once into bench/out/minhash_corpus by bench/peers/minhash_peers.py, seed 0): every
stdlib ``*.py`` file plus 300 injected near duplicates and 100 exact copies, about 2,200 files and
37 MB. Each tool reads ``corpus.jsonl`` and returns the ids it removes; time is from reading the
file to the answer, in a fresh process (imports excluded), one core:

* ``kit``: ``seedkit.curation.dedup.near_duplicates`` (word 5-grams of Unicode letter/digit runs,
  112-permutation MinHash via rensa, 14 x 8 LSH, candidates merged at signature Jaccard >= 0.5);
* ``kit-ascii``: the same with the ASCII-only tokens the kit used before (non-ASCII characters
  dropped), to show what the Unicode tokens cost;
* ``datasketch``: MinHash(112) + MinHashLSH(14, 8), one process;
* ``datatrove``: its four MinHash stages on LocalPipelineExecutor, one worker.

Rounds alternate the tools (kit, kit-ascii, datasketch, datatrove, kit, ...) so load from other
processes on a shared machine hits all alike; each figure is the best round. Wall time and CPU time
(of the child process) are both given: on a busy machine CPU time moves far less. Ratios are kit
files/s over each peer's; recall is on the injected pairs (a pair is caught when either file goes).

    .venv/bin/python bench/bench_curation.py [--rounds 2] [--tools kit,kit-ascii,datasketch,datatrove]

Prints one JSON line on stdout (a summary on stderr). Peers' requirements: bench/peers/requirements.txt
(the kit's own pins). Target: kit files per CPU-second >= the faster peer's, recall at the peers' level.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "peers"))
OUT = HERE / "out"
TOOLS = ("kit", "kit-ascii", "datasketch", "datatrove")


def log(msg: str) -> None:
    sys.stderr.write(f"[bench_curation {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def child(tool: str, corpus: Path) -> None:
    """One measurement in this (fresh) process: prints {"wall_s", "cpu_s", "removed"}."""
    import minhash_peers as peers

    if tool.startswith("kit"):
        import re

        from seedkit.curation import dedup

        if tool == "kit-ascii":
            ascii_re = re.compile(rb"[a-z0-9]+")
            dedup.tokens_of = lambda text: ascii_re.findall(text.encode("utf-8", errors="replace").lower())
        t, c = time.perf_counter(), time.process_time()
        ids, texts = peers.read_corpus(corpus)
        res = dedup.near_duplicates(texts, ngram=5, bands=14, rows=8, min_jaccard=0.5, seed=1)
        removed = {ids[i] for i, j in enumerate(res) if j is not None}
    elif tool == "datasketch":
        import datasketch  # noqa: F401  (import outside the timing, as for the others)

        t, c = time.perf_counter(), time.process_time()
        removed = peers.datasketch_removed(corpus)
    elif tool == "datatrove":
        import datatrove.pipeline.dedup.minhash  # noqa: F401

        t, c = time.perf_counter(), time.process_time()
        removed = peers.datatrove_removed(corpus, OUT / "datatrove_work")
    else:
        raise SystemExit(f"unknown tool {tool!r}; choose from {', '.join(TOOLS)}")
    print(json.dumps({"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c, "removed": sorted(removed)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--corpus-dir", default=str(OUT / "minhash_corpus"))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    corpus = Path(a.corpus_dir)
    if a.child:
        return child(a.child, corpus)

    import minhash_peers as peers

    if not (corpus / "corpus_meta.json").exists():
        t = time.perf_counter()
        peers.build_corpus(corpus)
        log(f"built the corpus in {time.perf_counter() - t:.1f}s")
    meta = json.loads((corpus / "corpus_meta.json").read_text())
    gt = json.loads((corpus / "ground_truth.json").read_text())
    tools = [t for t in a.tools.split(",") if t]
    runs: dict[str, list[dict]] = {t: [] for t in tools}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}
    for r in range(a.rounds):
        for tool in tools:
            proc = subprocess.run([sys.executable, __file__, "--child", tool, "--corpus-dir", str(corpus)],
                                  capture_output=True, text=True, env=env)
            if proc.returncode != 0:
                sys.exit(f"{tool} failed: {proc.stderr[-2000:]}")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            runs[tool].append(res)
            log(f"round {r} {tool}: {res['wall_s']:.2f}s wall, {res['cpu_s']:.2f}s cpu, {len(res['removed'])} removed")
    n = meta["n_files"]
    result: dict = {"bench": "bench_curation", "corpus": meta, "rounds": a.rounds, "host_cpus": os.cpu_count(),
                    "load_average_1min_start_end": None, "tools": {}}
    for tool, rs in runs.items():
        wall, cpu = min(x["wall_s"] for x in rs), min(x["cpu_s"] for x in rs)
        result["tools"][tool] = {"wall_s_best": round(wall, 2), "cpu_s_best": round(cpu, 2),
                                 "files_per_s": round(n / wall, 1), "files_per_cpu_s": round(n / cpu, 1),
                                 **peers.score(set(rs[-1]["removed"]), gt)}
    T = result["tools"]
    if "kit" in T:
        result["ratios_kit_over"] = {p: {"files_per_s": round(T["kit"]["files_per_s"] / T[p]["files_per_s"], 2),
                                         "files_per_cpu_s": round(T["kit"]["files_per_cpu_s"] / T[p]["files_per_cpu_s"], 2)}
                                     for p in T if p != "kit"}
    result["load_average_1min_at_end"] = round(os.getloadavg()[0], 1)
    for tool, f in T.items():
        log(f"{tool:>10}: {f['files_per_cpu_s']:7.1f} files/cpu-s {f['files_per_s']:7.1f} files/s  "
            f"near recall {f['near_recall']:.3f} exact {f['exact_recall']:.3f} other removed {f['removed_outside_injected_pairs']}")
    for p, rr in result.get("ratios_kit_over", {}).items():
        log(f"kit / {p}: {rr['files_per_cpu_s']:.2f}x per CPU-second, {rr['files_per_s']:.2f}x wall")
    result.pop("load_average_1min_start_end")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
