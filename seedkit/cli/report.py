"""``seedkit report RUN [--out docs/measurements.md]``: a finished run's measurements as one Markdown page.

Every figure comes from the run's manifests and stage 07's ``summary.json`` (see
:mod:`seedkit.measure.report`): pass@1 with its interval and sample size, paired differences to the
parent with their verdicts, held-out losses, timings, and the command that redoes each stage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report`` to the ``seedkit`` command's subparsers."""
    r = subparsers.add_parser(
        "report", help="write a finished run's measurements as Markdown (e.g. docs/measurements.md)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("run", metavar="RUN", help="run name (under --runs-dir) or run directory")
    r.add_argument("--out", default=None, metavar="FILE.md", help="where to write (default <run>/measurements.md)")
    r.add_argument("--runs-dir", default=None, help="where runs live (default $SEEDKIT_RUNS_DIR or <checkout>/runs)")
    r.set_defaults(func=_cmd_report)
    return r


def _cmd_report(args: argparse.Namespace) -> int:
    from seedkit.measure.report import write_report
    from seedkit.runs import MissingInputError

    try:
        path = write_report(args.run, args.out, args.runs_dir)
    except MissingInputError as e:
        print(f"seedkit report: {e}", file=sys.stderr)
        return 2
    print(f"seedkit report: wrote {path}")
    return 0
