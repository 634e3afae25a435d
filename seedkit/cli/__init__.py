"""The `seedkit` console command (also `python -m seedkit`).

- `seedkit run --profile P --run-name N [--stages 01-03] [-p key=value ...]`: the notebooks, in order.
- `seedkit sweep --profile P --stages 03 -p seed=0,1,2 [-p key=a,b]`: a grid of runs sharing the stages they agree on.
- `seedkit curves --stages 05 --budget KEY RUN RUN ...`: effect against budget from runs made by hand.
- `seedkit verify RUN`: hash every file of a run against its manifests.
- `seedkit export RUN` / `seedkit import ARCHIVE`: hand a run to other machines.
- `seedkit handout RUN`: make a finished run a read-only hand-out; `seedkit use RUN [--as NAME]`: point every
  notebook at a run (a hand-out through a run of one's own that reuses its stages).
- `seedkit doctor`: environment check, non-zero exit on any failure.
- `seedkit eval ...`: evaluation (see `seedkit eval --help`).
- `seedkit train STAGE --run-name N [--profile P] [-p ...]`: one training stage, for accelerate launch / torchrun.
- `seedkit configs [--path NAME]`: the shipped accelerate configurations.
- `seedkit report RUN [--out FILE.md]`: a finished run's measurements as Markdown.
- `seedkit plan --profile gpu [--memory-gib 80]`: the stages' memory plan (micro-batch, checkpointing) for a card.

A sub-command defined in its own module is listed in ``COMMAND_MODULES``: the module's
``register(subparsers)`` adds its parser and sets ``func``.

Exit codes: 0 done, 1 a stage failed or a check found problems, 2 bad input (one line on stderr
naming what to fix), 130 interrupted (one line saying how to resume).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from seedkit.config import PROFILES, SettingsError

# Modules that add their own sub-commands: each has register(subparsers).
COMMAND_MODULES: tuple[str, ...] = (
    "seedkit.cli.eval",
    "seedkit.cli.compare",
    "seedkit.cli.report",
    "seedkit.cli.plan",
    "seedkit.cli.curves",
)


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


def _cmd_sweep(args: argparse.Namespace) -> int:
    from seedkit.pipeline import parse_stages
    from seedkit.sweep import parse_grid, run_sweep

    grid, fixed = parse_grid(args.param or [])
    res = run_sweep(args.profile, parse_stages(args.stages), grid, fixed, name=args.name, runs_dir=args.runs_dir,
                    kernel_name=args.kernel)
    return 0 if res.ok else 1


def _cmd_verify(args: argparse.Namespace) -> int:
    from seedkit.config import STAGES, default_runs_dir
    from seedkit.runs import read_manifest, rerun_command, run_dir, stale_inputs, verify_stage

    root = run_dir(args.run, args.runs_dir or default_runs_dir())
    if not root.is_dir():
        raise SettingsError(f"verify: no run {args.run!r} in {root.parent}")
    bad: list[str] = []
    stale: list[str] = []
    profiles: set[str] = set()
    n = 0
    for stage in STAGES:
        state, problems = verify_stage(root / stage, full=True)
        if state == "missing":
            continue
        n += 1
        profiles.add(str((read_manifest(root / stage) or {}).get("profile") or ""))
        if state == "done" and not problems:
            old = stale_inputs(root / stage)
            if old:
                stale.append(stage)
                print(f"[STALE] {stage}: intact, but {old[0]}" + (f" (+{len(old) - 1} more)" if len(old) > 1 else ""))
            else:
                print(f"[OK]    {stage}")
            continue
        bad.append(stage)
        print(f"[FAIL]  {stage}: {problems[0]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""))
        for p in problems[1:6]:
            print(f"        {p}")
    if n == 0:
        raise SettingsError(f"verify: run {args.run} in {root.parent} has no stage directories")
    profile = next(iter(sorted(profiles - {""})), "PROFILE")
    redo = sorted(set(bad) | set(stale))
    tail = (f"; `{rerun_command(profile, args.run, redo, args.runs_dir or '')}` redoes "
            f"{'them' if len(redo) > 1 else 'it'} (the others are skipped)") if redo else ""
    print(f"seedkit verify: {n - len(bad)} of {n} stage(s) intact" + (f", {len(stale)} stale" if stale else "") + tail)
    return 1 if bad else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from seedkit.transfer import export_run

    export_run(args.run, args.runs_dir or "", args.output)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from seedkit.transfer import import_run

    import_run(args.archive, args.runs_dir or "", name=args.name, force=args.force)
    return 0


def _cmd_handout(args: argparse.Namespace) -> int:
    from seedkit.transfer import make_handout

    make_handout(args.run, args.runs_dir or "")
    return 0


def _cmd_use(args: argparse.Namespace) -> int:
    from seedkit.transfer import use_run

    use_run(args.run, name=args.as_name, runs_dir=args.runs_dir or "", switch_dir=args.notebooks)
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
    runs_help = "where runs live (default $SEEDKIT_RUNS_DIR or <checkout>/runs)"

    r = sub.add_parser("run", help="run the stage notebooks in order with papermill")
    r.add_argument("--profile", default="smol", choices=list(PROFILES), help="scale (default smol)")
    r.add_argument("--run-name", default=None, help="runs/<run-name>/ holds the run (default: the profile name)")
    r.add_argument("--stages", default=None, help="e.g. 01-03 or 01,04,07 (default: all)")
    r.add_argument("-p", "--param", action="append", metavar="KEY=VALUE", help="override a stage setting")
    r.add_argument("--runs-dir", default=None, help=runs_help)
    r.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebooks' own)")
    r.set_defaults(func=_cmd_run)

    s = sub.add_parser("sweep", help="a grid of runs (-p key=a,b,c) sharing the upstream stages they agree on")
    s.add_argument("--profile", default="smol", choices=list(PROFILES), help="scale (default smol)")
    s.add_argument("--stages", required=True, help="the stages the grid applies to, e.g. 03 or 03-05; the stages "
                   "they need run once with their defaults and are shared")
    s.add_argument("-p", "--param", action="append", metavar="KEY=A,B,...",
                   help="values of a setting (the grid is the product); one value = the same for every run")
    s.add_argument("--name", default="sweep", help="prefix of the runs' names (default sweep: sweep-seed0, ...)")
    s.add_argument("--runs-dir", default=None, help=runs_help)
    s.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebooks' own)")
    s.set_defaults(func=_cmd_sweep)

    v = sub.add_parser("verify", help="hash every file of a run against its manifests; exit 1 on any problem")
    v.add_argument("run", help="run name")
    v.add_argument("--runs-dir", default=None, help=runs_help)
    v.set_defaults(func=_cmd_verify)

    e = sub.add_parser("export", help="pack a run's finished stages into one archive to hand out")
    e.add_argument("run", help="run name")
    e.add_argument("-o", "--output", default=None, help="archive path (default ./<run>.seedkit.tar.gz)")
    e.add_argument("--runs-dir", default=None, help=runs_help)
    e.set_defaults(func=_cmd_export)

    i = sub.add_parser("import", help="unpack an exported run into the runs folder, every file checked")
    i.add_argument("archive", help="a file made by seedkit export")
    i.add_argument("--name", default=None, help="import under another run name")
    i.add_argument("--force", action="store_true", help="replace a run of the same name")
    i.add_argument("--runs-dir", default=None, help=runs_help)
    i.set_defaults(func=_cmd_import)

    h = sub.add_parser("handout", help="make a finished run a read-only hand-out (participants: seedkit use RUN)")
    h.add_argument("run", help="run name (under --runs-dir) or the path to a run")
    h.add_argument("--runs-dir", default=None, help=runs_help)
    h.set_defaults(func=_cmd_handout)

    u = sub.add_parser("use", help="point every notebook at a run (a hand-out: through a run of your own)")
    u.add_argument("run", help="run name (under --runs-dir) or the path to a run")
    u.add_argument("--as", dest="as_name", default=None, metavar="NAME",
                   help="your own run's name when RUN is a hand-out (default <run>-<user>)")
    u.add_argument("--runs-dir", default=None, help=runs_help)
    u.add_argument("--notebooks", default=None, metavar="DIR",
                   help="the folder whose notebooks it points (default the checkout's notebooks/)")
    u.set_defaults(func=_cmd_use)

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

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
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
    except KeyboardInterrupt as e:  # pipeline.StageInterrupted says which stage and how to resume
        text = str(e) or "interrupted; run the same command again to resume (finished stages are skipped)"
        print(f"\nseedkit {args.command}: {text}", file=sys.stderr)
        return 130
    except Exception as e:  # a one-line cause for errors the kit raises on purpose
        from seedkit.models import ModelLoadError
        from seedkit.runs import MissingInputError, RankWaitError

        if isinstance(e, MissingInputError | ModelLoadError | RankWaitError):
            print(f"seedkit: {e}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
