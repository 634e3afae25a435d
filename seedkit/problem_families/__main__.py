"""``python -m seedkit.problem_families --n 2000 --seed 0 --out data_samples/problems/generated.jsonl``:
generate, verify and decontaminate problems, write them, and print what was kept and dropped and the
mutation score of the tests."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from seedkit.measure.problem_checks import mutation_report, same_body_groups
from seedkit.problem_families.generate import build_problems
from seedkit.problems import write_problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seedkit.problem_families",
                                     description="Generate verified training problems from procedural families, "
                                                 "decontaminated against every evaluation set.")
    parser.add_argument("--n", type=int, default=2000, help="how many problems")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="JSONL file to write (the kit's problem format)")
    parser.add_argument("--no-mutation", action="store_true", help="skip measuring the mutation score")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    generated = build_problems(args.n, args.seed)
    took = time.perf_counter() - start
    for line in generated.summary.lines():
        print(line)
    problems = generated.problems
    print(f"same canonical body groups: {len(same_body_groups(problems))}")
    print(f"generation took {took:.0f} s")
    if not args.no_mutation:
        report = mutation_report(problems)
        print(f"mutation score: {report.killed}/{report.total} = {report.score:.3f} single-point mutants killed; "
              f"{len(report.survivors)} problems let at least one through (some survivors compute the same function)")
        if report.reference_fails:
            print(f"references failing their own tests: {', '.join(report.reference_fails)}")
    if args.out:
        write_problems(args.out, problems)
        print(f"wrote {len(problems)} problems to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
