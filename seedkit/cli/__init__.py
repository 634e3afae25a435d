"""The `seedkit` console command (also `python -m seedkit`).

- `seedkit run --profile P --run-name N [--stages 01-03] [-p key=value ...]`: the notebooks, in order.
- `seedkit doctor`: environment check, non-zero exit on any failure.
- `seedkit eval ...`: evaluation (see `seedkit eval --help`).
- `seedkit train STAGE --run-name N [--profile P] [-p ...]`: one training stage, for accelerate launch / torchrun.
- `seedkit configs [--path NAME]`: the shipped accelerate configurations.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from seedkit.config import PROFILES, SettingsError


def _cmd_run(args: argparse.Namespace) -> int:
    from seedkit.pipeline import StageFailed, parse_overrides, parse_stages, run_notebooks

    stages = parse_stages(args.stages)
    overrides = parse_overrides(args.param or [])
    try:
        run_notebooks(args.profile, args.run_name, stages, overrides, runs_dir=args.runs_dir,
                      kernel_name=args.kernel)
    except StageFailed as e:
        print(f"seedkit run: {e}", file=sys.stderr)
        return 1
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from seedkit.doctor import check

    return 1 if check() else 0


def _cmd_train(args: argparse.Namespace) -> int:
    from seedkit.launchers import train_stage
    from seedkit.pipeline import parse_overrides

    train_stage(args.stage, args.profile, args.run_name, parse_overrides(args.param or []), args.runs_dir)
    return 0


def _cmd_configs(args: argparse.Namespace) -> int:
    from seedkit.launchers import config_paths

    paths = config_paths()
    if args.path:
        if args.path not in paths:
            print(f"seedkit: configs: no configuration named {args.path!r}; have {', '.join(sorted(paths))}",
                  file=sys.stderr)
            return 2
        print(paths[args.path])
        return 0
    for name, path in sorted(paths.items()):
        first = path.read_text().splitlines()[0].lstrip("# ")
        print(f"{name:18s} {path}\n{'':18s} {first}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="seedkit", description="Seed-Coder's model-first code-LLM recipe at small scale.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run the stage notebooks in order with papermill")
    r.add_argument("--profile", default="smol", choices=list(PROFILES), help="scale (default smol)")
    r.add_argument("--run-name", default=None, help="runs/<run-name>/ holds the run (default: the profile name)")
    r.add_argument("--stages", default=None, help="e.g. 01-03 or 01,04,07 (default: all)")
    r.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="override a stage setting")
    r.add_argument("--runs-dir", default=None, help="where runs live (default $SEEDKIT_RUNS_DIR or <checkout>/runs)")
    r.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebooks' own)")
    r.set_defaults(func=_cmd_run)

    d = sub.add_parser("doctor", help="check packages, device, packaged model and sandbox")
    d.set_defaults(func=_cmd_doctor)

    t = sub.add_parser("train", help="run one training stage in this process (use under accelerate launch / torchrun)")
    t.add_argument("stage", help="pretraining | sft | dpo | longcot_rl (or 03..06)")
    t.add_argument("--profile", default="smol", choices=list(PROFILES))
    t.add_argument("--run-name", required=True)
    t.add_argument("--runs-dir", default=None)
    t.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="override a stage setting")
    t.set_defaults(func=_cmd_train)

    c = sub.add_parser("configs", help="list the shipped accelerate configurations")
    c.add_argument("--path", default=None, metavar="NAME", help="print the path of one configuration")
    c.set_defaults(func=_cmd_configs)

    from seedkit.cli.eval import register as register_eval

    register_eval(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command", None) == "run" and args.run_name is None:
        args.run_name = args.profile
    try:
        return int(args.func(args) or 0)
    except SettingsError as e:
        print(f"seedkit: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a one-line cause for errors the kit raises on purpose
        from seedkit.models import ModelLoadError
        from seedkit.runs import MissingInputError

        if isinstance(e, MissingInputError | ModelLoadError):
            print(f"seedkit: {e}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
