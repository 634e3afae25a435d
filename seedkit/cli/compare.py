"""``seedkit compare RUN [RUN ...]``: every stage's metrics across runs, with intervals and a plot.

It says first what sets the runs apart (the settings and the inputs that differ, stage by stage) and
which stages are stale. Runs whose settings differ only by ``seed`` (a sweep over seeds) are grouped,
and each group gets the mean across its runs, with a 95% interval from three runs on ("too few runs"
below). A run that is missing or has no finished stage is an error (exit 2, one line). See
:mod:`seedkit.measure.compare`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``compare`` to the ``seedkit`` command's subparsers."""
    c = subparsers.add_parser(
        "compare", help="compare runs: every stage's metrics with intervals, mean across seeds, a plot",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("runs", nargs="+", metavar="RUN", help="run names (under --runs-dir) or run directories")
    c.add_argument("--runs-dir", default=None, help="where runs live (default $SEEDKIT_RUNS_DIR or <checkout>/runs)")
    c.add_argument("--stages", default=None, help="stages to read, e.g. 03,07 or 03-06 (default: all)")
    c.add_argument("--metrics", default=None, metavar="TEXT[,TEXT]",
                   help="only metrics whose path contains one of these, e.g. effect,pass@1")
    c.add_argument("--out", default=None, metavar="PLOT.png",
                   help="write the plot there (default: seedkit-compare/<run>-vs-<run>.png in the current folder)")
    c.add_argument("--no-plot", action="store_true", help="print the table only")
    c.add_argument("--all", action="store_true",
                   help="also list metrics equal in every run (hidden by default when comparing several runs)")
    c.set_defaults(func=_cmd_compare)
    return c


def _cmd_compare(args: argparse.Namespace) -> int:
    from seedkit.measure.compare import compare_runs, default_plot_path
    from seedkit.pipeline import parse_stages
    from seedkit.runs import MissingInputError

    stages = parse_stages(args.stages) if args.stages else None
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()] if args.metrics else None
    try:
        out = None
        if not args.no_plot:
            out = args.out or default_plot_path(args.runs)
        result = compare_runs(args.runs, runs_dir=args.runs_dir, stages=stages, metrics=metrics, out=out,
                              every_metric=args.all)
    except (MissingInputError, ValueError) as e:
        print(f"seedkit compare: {e}", file=sys.stderr)
        return 2
    if not result.rows:
        print("seedkit compare: no metric matched" + (f" {args.metrics!r}" if metrics else ""), file=sys.stderr)
        return 1
    return 0
