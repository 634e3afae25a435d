"""``seedkit curves --stages 05 --budget max_prompts RUN RUN ...``: effect against budget from runs
that one sweep did not make.

``seedkit sweep`` draws its curves itself. Runs made by hand (each seeded with the stages of a
finished run and given its own ``-p``) are drawn the same way: the budget's value and every other
setting that differs between the runs are read from each run's stage manifest (never typed), the
differing settings become separate series, and a parent stage that differs between runs is said on
the page. Writes ``<runs-dir>/<name>/effect_vs_budget.{md,png,json}``
(:mod:`seedkit.sweep_curves`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``curves`` to the ``seedkit`` command's subparsers."""
    c = subparsers.add_parser(
        "curves", help="effect against budget read from finished runs (as a sweep draws it)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("runs", nargs="+", metavar="RUN", help="run names under --runs-dir, two or more")
    c.add_argument("--stages", required=True, help="the stage(s) whose effects to draw, e.g. 05")
    c.add_argument("--budget", required=True, metavar="KEY", help="the setting on the x axis, e.g. max_prompts")
    c.add_argument("--name", default="curves", help="output folder under --runs-dir (default curves)")
    c.add_argument("--runs-dir", default=None, help="where runs live (default $SEEDKIT_RUNS_DIR or <checkout>/runs)")
    c.set_defaults(func=_cmd_curves)
    return c


def _cmd_curves(args: argparse.Namespace) -> int:
    from pathlib import Path

    from seedkit.config import default_runs_dir
    from seedkit.pipeline import parse_stages
    from seedkit.sweep_curves import EFFECT_PATHS, points_from_runs, write_curves

    stages = [s for s in parse_stages(args.stages) if s in EFFECT_PATHS]
    if not stages:
        print(f"seedkit curves: --stages {args.stages}: none of them measures an effect "
              f"(choose from {', '.join(s[:2] for s in EFFECT_PATHS)})", file=sys.stderr)
        return 2
    if len(set(args.runs)) < 2:
        print("seedkit curves: name two or more different runs", file=sys.stderr)
        return 2
    root = Path(args.runs_dir or default_runs_dir()).resolve()
    try:
        points, grid, notes = points_from_runs(root, args.runs, stages, args.budget)
        command = (f"seedkit curves --stages {','.join(s[:2] for s in stages)} --budget {args.budget} "
                   f"--name {args.name} {' '.join(args.runs)}")
        page, lines = write_curves(root, root / args.name, points, grid, stages, command, budget=args.budget,
                                   notes=notes)
    except ValueError as e:
        print(f"seedkit {e}", file=sys.stderr)
        return 2
    for line in [*notes, *lines]:
        print(f"  {line}")
    print(f"seedkit curves: effect against budget in {page} (plot {page.with_suffix('.png').name} beside it)")
    return 0
