"""``python -m seedkit.pretrain --profile tiny --run-name demo -p max_steps_stage1=100``

Runs stage 03 from a shell. The same command works under ``torchrun --nproc_per_node N -m
seedkit.pretrain ...`` or ``accelerate launch -m seedkit.pretrain ...``: the Trainer picks the
processes up from the environment and the global batch stays the same.
"""

from __future__ import annotations

import argparse
import ast
from typing import Any

from seedkit.pretrain.settings import PretrainSettings
from seedkit.pretrain.stage import run_pretraining


def _value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seedkit.pretrain", description="stage 03: pretraining")
    ap.add_argument("--profile", default="smol")
    ap.add_argument("--run-name", default="default")
    ap.add_argument("--runs-dir", default="")
    ap.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                    help="a PretrainSettings field (repeatable), e.g. -p corpus=rules_only")
    a = ap.parse_args(argv)
    overrides: dict[str, Any] = {}
    for item in a.param:
        name, sep, value = item.partition("=")
        if not sep:
            ap.error(f"-p {item!r}: write it as NAME=VALUE")
        overrides[name] = _value(value)
    settings = PretrainSettings.from_params(a.profile, run_name=a.run_name, runs_dir=a.runs_dir, **overrides)
    result = run_pretraining(settings)
    print(f"[03_pretraining] result in {result.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
