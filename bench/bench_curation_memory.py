#!/usr/bin/env python3
"""Stage 01 in bounded memory: peak memory and time of the whole curation at 1x, 2x and 4x corpus size.

Corpus: ``*.py`` files of the kit's own virtual environment (site-packages: real code in many
styles, 17,800 files and 286 MB available), one repository per directory, repositories shuffled
with seed 0 and taken whole until ``--base-mb`` (1x), twice and four times that, each a JSONL dump
read through ``dataset_paths`` (so 4x holds 2x holds 1x, and holds more repositories, not larger
ones: one repository's concatenated text is the largest thing the stage holds at once). Each run is ``seedkit.curation.stage.run_curation`` in a fresh process
and a fresh runs folder (smol settings, no stdlib sample, commits or web pages, ``num_proc=1``,
``max_file_bytes`` 1 MB): read, language, basic filters, tree-sitter + CPython syntax check, secrets,
fingerprints, repository / exact / near dedup, decontamination, repository rows, outputs.

Memory is the peak *anonymous* resident memory of the child process and any workers (resident set
minus file-backed pages, psutil's ``rss - shared``), sampled every 20 ms: what the process allocated
and would need in RAM. Its full resident set is given too: it also counts pages of the Arrow files
the steps read through memory maps, which grow with the corpus but are page cache the kernel drops
under pressure without writing anything (clean file pages). Sizes alternate
(1x, 2x, 4x, 4x, 2x, 1x for two rounds) so that load on a shared machine hits each alike; each
figure is the best round.

    .venv/bin/python bench/bench_curation_memory.py [--base-mb 8] [--rounds 2]

Prints one JSON line. Targets: peak(4x) / peak(1x) <= 1.2 (memory flat as the corpus grows);
CPU seconds per MB at 4x within 1.3x of 1x (time linear). What stays in memory: one shard of files
per process (at most 256 files or 4 MB of text), 100-row save batches, a 50,000-token hash cache, the
largest repository's text, and 0.5 KB of fingerprints per file (SHA-256 and a 112-value MinHash).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "curation_memory"


def log(msg: str) -> None:
    sys.stderr.write(f"[bench_curation_memory {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def build_corpora(base_mb: float, scales: list[int]) -> dict[int, dict]:
    """JSONL dumps of whole repositories (a site-packages directory's ``*.py`` files, directories of at
    most 1 MB), shuffled with seed 0, until ``scale * base_mb`` MB: a larger corpus holds more
    repositories of the same sizes, as a larger crawl would, not larger repositories."""
    import sysconfig
    from collections import defaultdict

    site = Path(sysconfig.get_paths()["purelib"])
    dirs: dict[str, list[Path]] = defaultdict(list)
    for p in sorted(site.rglob("*.py")):
        if 0 < p.stat().st_size <= 256_000:
            dirs[str(p.parent.relative_to(site))].append(p)
    repos = [d for d in sorted(dirs) if sum(f.stat().st_size for f in dirs[d]) <= 1_000_000]
    random.Random(0).shuffle(repos)
    OUT.mkdir(parents=True, exist_ok=True)
    out = {}
    for scale in scales:
        path = OUT / f"corpus_{base_mb:g}mb_x{scale}.jsonl"
        meta_path = path.with_suffix(".meta.json")
        if not meta_path.exists():
            budget, n, total, n_repos = scale * base_mb * 1e6, 0, 0, 0
            with open(path, "w", encoding="utf-8") as fh:
                for repo in repos:
                    if total >= budget:
                        break
                    n_repos += 1
                    for f in dirs[repo]:
                        text = f.read_text(encoding="utf-8", errors="replace")
                        fh.write(json.dumps({"repo": repo, "path": f.name, "content": text}) + "\n")
                        n += 1
                        total += len(text.encode("utf-8"))
            meta_path.write_text(json.dumps({"files": n, "repos": n_repos, "MB": round(total / 1e6, 2)}))
        out[scale] = {"path": str(path), **json.loads(meta_path.read_text())}
    return out


def child(corpus: str, runs_dir: str) -> None:
    import psutil

    from seedkit.curation.settings import CurationSettings
    from seedkit.curation.stage import run_curation

    mi = psutil.Process().memory_info()
    baseline, baseline_anon = mi.rss, mi.rss - mi.shared
    s = CurationSettings.from_params("smol", run_name="bench", runs_dir=runs_dir, dataset_paths=[corpus], repo_dirs=[],
                                     stdlib_sample_files=0, commit_repos=[], web_dirs=[], num_proc=1,
                                     max_file_bytes=1_000_000)
    t, c = time.perf_counter(), time.process_time()
    res = run_curation(s, say=lambda m: None)
    print(json.dumps({"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c, "baseline_rss": baseline, "baseline_anon": baseline_anon,
                      "files_in": res.stats["files"]["docs_in"], "files_out": res.stats["files"]["docs_out"]}))


def measure(corpus: str) -> dict:
    import psutil

    with tempfile.TemporaryDirectory(prefix="seedkit-bench-mem-") as runs:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
        proc = subprocess.Popen([sys.executable, __file__, "--child", corpus, "--runs-dir", runs], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        ps = psutil.Process(proc.pid)
        peak = peak_anon = 0
        while proc.poll() is None:
            try:
                infos = [ps.memory_info()] + [c.memory_info() for c in ps.children(recursive=True)]
                peak = max(peak, sum(i.rss for i in infos))
                peak_anon = max(peak_anon, sum(i.rss - i.shared for i in infos))
            except psutil.Error:
                pass
            time.sleep(0.02)
        out, err = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"child failed: {err[-2000:]}")
    res = json.loads(out.strip().splitlines()[-1])
    return {**res, "peak_rss": peak, "peak_anon": peak_anon}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base-mb", type=float, default=8.0, help="corpus size at 1x, MB of source text")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--runs-dir", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(a.child, a.runs_dir)
    scales = [1, 2, 4]
    corpora = build_corpora(a.base_mb, scales)
    order = [s for r in range(a.rounds) for s in (scales if r % 2 == 0 else scales[::-1])]
    runs: dict[int, list[dict]] = {s: [] for s in scales}
    load0 = os.getloadavg()[0]
    for scale in order:
        r = measure(corpora[scale]["path"])
        runs[scale].append(r)
        log(f"x{scale} ({corpora[scale]['MB']} MB, {corpora[scale]['files']} files): {r['wall_s']:.1f}s wall, "
            f"{r['cpu_s']:.1f}s cpu, peak resident {r['peak_rss'] / 2**20:.0f} MiB, of it anonymous "
            f"{r['peak_anon'] / 2**20:.0f} MiB (after imports {r['baseline_anon'] / 2**20:.0f})")
    table = {}
    for scale in scales:
        rs = runs[scale]
        mb = corpora[scale]["MB"]
        table[f"x{scale}"] = {
            "corpus_MB": mb, "files": corpora[scale]["files"], "files_out": rs[0]["files_out"],
            "peak_MiB": round(min(r["peak_anon"] for r in rs) / 2**20, 1),
            "peak_resident_with_mapped_files_MiB": round(min(r["peak_rss"] for r in rs) / 2**20, 1),
            "cpu_s": round(min(r["cpu_s"] for r in rs), 2), "wall_s": round(min(r["wall_s"] for r in rs), 2),
            "cpu_s_per_MB": round(min(r["cpu_s"] for r in rs) / mb, 3),
        }
    x1, x4 = table["x1"], table["x4"]
    result = {"bench": "bench_curation_memory", "rounds": a.rounds, "host_cpus": os.cpu_count(),
              "load_average_1min_start_end": [round(load0, 1), round(os.getloadavg()[0], 1)], "sizes": table,
              "ratios_4x_over_1x": {"peak_memory": round(x4["peak_MiB"] / x1["peak_MiB"], 3),
                                    "peak_resident_with_mapped_files": round(
                                        x4["peak_resident_with_mapped_files_MiB"] / x1["peak_resident_with_mapped_files_MiB"], 3),
                                    "cpu_s_per_MB": round(x4["cpu_s_per_MB"] / x1["cpu_s_per_MB"], 3)},
              "targets": {"peak_memory": "<= 1.2", "cpu_s_per_MB": "<= 1.3 (linear time)"}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
