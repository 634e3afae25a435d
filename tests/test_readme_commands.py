"""Every command the README shows works: the cheap ones are run on the tiny profile, the rest are parsed.

The commands are read from the README itself and from the docs pages it sends readers to for more
commands (``DOCUMENTS``: their fenced ``bash`` blocks, plus inline ``seedkit run`` and ``seedkit sweep``
examples), in that order, so this test keeps checking whatever they say.

- ``seedkit ...`` (also after ``torchrun``/``accelerate launch ... -m seedkit``): parsed by the real
  argument parser, then checked as ``seedkit`` would check it before doing anything: the profile,
  the stages and every ``-p`` name and type against the selected stages' settings
  (``$(seedkit configs --path NAME)`` must name a shipped configuration).
- Run for real, in document order, in a temporary runs folder: ``seedkit`` commands on the tiny profile
  that name their stages (``run``, ``train``), and ``doctor``, ``configs``, ``verify``, ``export``,
  ``import``, ``report``. Not run: the GPU and multi-GPU profiles, sweeps (their plan is checked), launches
  under torchrun/accelerate (tests/test_scaleout.py runs every training stage under torchrun), and
  evaluation commands that need a model download or a samples file of one's own.
- ``make TARGET VAR=...``: the target must exist; ``make -n`` shows what it would run, and every
  ``seedkit`` command in that is checked as above. ``make help`` is run.
- Commands of other programs (pip, vllm, jupyter, git, cd, ...) are not the kit's and are skipped;
  an unknown program fails the test so that this file learns about it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from seedkit.cli import build_parser
from seedkit.config import REPO_ROOT

README = REPO_ROOT / "README.md"
DOCUMENTS = (README, REPO_ROOT / "docs" / "commands.md", REPO_ROOT / "docs" / "scaling.md")
SEEDKIT = Path(sys.executable).with_name("seedkit")
EXTERNAL = {"pip", "pip3", "vllm", "jupyter", "git", "cd", "python", "python3", "conda", "mamba", "export",
            "ls", "du", "cp", "scp", "rsync", "tar", "curl", "wget", "nvidia-smi", "sbatch", "srun", "uv"}
RUN_FOR_REAL = {"doctor", "configs", "verify", "export", "import", "report", "run", "train"}


@dataclass
class Command:
    text: str
    line: int
    source: str = "README.md"

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.text}"


def readme_commands(text: str) -> list[Command]:
    """Fenced bash/sh/shell blocks, one command per line (backslash continuations joined, comments
    dropped), then inline `seedkit run ...`/`seedkit sweep ...` examples, in README order."""
    out: list[Command] = []
    for m in re.finditer(r"^```(?:bash|sh|shell|console)[^\n]*\n(.*?)^```", text, re.S | re.M):
        first = text.count("\n", 0, m.start(1)) + 1
        pending, start = "", 0
        for i, raw in enumerate(m.group(1).splitlines()):
            line = raw.rstrip()
            if not pending:
                start = first + i
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            full = (pending + line).strip()
            pending = ""
            words = shlex.split(full, comments=True)
            if words:
                out.append(Command(shlex.join(words) if "$(" not in full else full.split(" #")[0].strip(), start))
    for m in re.finditer(r"`(seedkit (?:run|sweep) [^`]+)`", text):
        out.append(Command(m.group(1), text.count("\n", 0, m.start()) + 1))
    return sorted(out, key=lambda c: c.line)


def documented_commands() -> list[Command]:
    """The commands of every document in ``DOCUMENTS``, the README's first, each in its own order; a
    command an earlier document already showed is checked (and run) once."""
    out: list[Command] = []
    seen: set[str] = set()
    for doc in DOCUMENTS:
        source = doc.relative_to(REPO_ROOT).as_posix()
        for c in readme_commands(doc.read_text(encoding="utf-8")):
            if c.text not in seen:
                seen.add(c.text)
                out.append(Command(c.text, c.line, source))
    return out


def _strip_env(words: list[str]) -> tuple[dict[str, str], list[str]]:
    env = {}
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        k, _, v = words.pop(0).partition("=")
        env[k] = v
    return env, words


def _substitute(text: str) -> str:
    """``$(seedkit configs --path NAME)`` -> the shipped file (checked to exist)."""
    from seedkit.launchers import config_paths

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        paths = config_paths()
        assert name in paths, f"$(seedkit configs --path {name}): no such configuration; have {sorted(paths)}"
        return str(paths[name])

    return re.sub(r"\$\(seedkit configs --path ([\w-]+)\)", sub, text)


def check_seedkit_args(args: list[str]) -> tuple[str, object]:
    """Parse as `seedkit` does and validate what it validates before running; returns (sub-command, namespace)."""
    from seedkit.config import stage_settings_class
    from seedkit.pipeline import parse_overrides, parse_stages, route_overrides

    try:
        ns = build_parser().parse_args(args)
    except SystemExit as e:
        raise AssertionError(f"seedkit {shlex.join(args)}: rejected by the argument parser (exit {e.code})") from None
    cmd = ns.command
    if cmd in ("run", "sweep"):
        stages = parse_stages(ns.stages)
        if cmd == "run":
            route_overrides(stages, ns.profile, parse_overrides(ns.param or []))
        else:
            from seedkit.sweep import parse_grid, plan

            grid, fixed = parse_grid(ns.param or [])
            plan(ns.profile, stages, grid, fixed)
    elif cmd == "train":
        from seedkit.launchers import entry_point

        entry_point(ns.stage)
        stage_settings_class(ns.stage).from_params(ns.profile, run_name=ns.run_name, **parse_overrides(ns.param or []))
    return cmd, ns


def _seedkit_part(words: list[str]) -> list[str] | None:
    """The `seedkit` arguments of a command: `seedkit ...`, `python -m seedkit ...` or a launcher's `-m seedkit ...`."""
    if words[0] == "seedkit":
        return words[1:]
    if "-m" in words:
        i = words.index("-m")
        if i + 1 < len(words) and words[i + 1] == "seedkit":
            return words[i + 2:]
    return None


def _make_dry_run(words: list[str]) -> str:
    r = subprocess.run(["make", "-n", *words[1:]], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"`{shlex.join(words)}`: make -n fails: {r.stderr.strip()[-500:]}"
    return r.stdout


def test_readme_commands_are_found():
    cmds = readme_commands(README.read_text(encoding="utf-8"))
    assert len(cmds) >= 5, cmds
    assert any(c.text.startswith("seedkit run") for c in cmds)
    assert {c.source for c in documented_commands()} == {d.relative_to(REPO_ROOT).as_posix() for d in DOCUMENTS}


def test_the_readme_types_no_measured_numbers():
    """Figures come from runs (docs/measurements.md, `seedkit report`), not from the README's text."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 170
    typed = re.findall(r"[+-]?\d+\.\d+ \[[+-]?\d|\b\d+(?:\.\d+)? ?(?:s|min|minutes|seconds)\b|pass@1 \d", text)
    assert not typed, f"measured numbers typed into the README: {typed}"


def test_the_command_reader_handles_continuations_comments_and_inline_examples():
    text = ("Intro `seedkit run --profile tiny --stages 01` here.\n"
            "```bash\n# a comment\nmake pipeline PROFILE=tiny   # why\nseedkit run --profile tiny \\\n"
            "   --stages 01-02\n\n```\n")
    assert [(c.line, c.text) for c in readme_commands(text)] == [
        (1, "seedkit run --profile tiny --stages 01"),
        (4, "make pipeline PROFILE=tiny"),
        (5, "seedkit run --profile tiny --stages 01-02")]


def test_a_mistyped_readme_command_would_fail_this_test():
    with pytest.raises(Exception, match="near_dup_min_jaccard"):
        check_seedkit_args(shlex.split("run --profile tiny --stages 01-03 -p near_dup_threshold=0.8"))
    with pytest.raises(AssertionError, match="argument parser"):
        check_seedkit_args(["run", "--profile", "huge"])


@pytest.mark.slow
def test_every_readme_command_parses_and_the_cheap_ones_run_on_tiny(tmp_path):
    env = {**os.environ, "SEEDKIT_RUNS_DIR": str(tmp_path / "runs"), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    checked, ran, skipped = [], [], []
    for c in documented_commands():
        if c.text.startswith("d=$(mktemp") or c.text.startswith("cd "):
            skipped.append(c)
            continue
        text = _substitute(c.text)
        try:
            _, words = _strip_env(shlex.split(text))
        except ValueError as e:
            raise AssertionError(f"{c}: not a shell command ({e})") from None
        if not words:
            continue
        args = _seedkit_part(words)
        if args is not None:
            try:
                cmd, ns = check_seedkit_args(args)
            except AssertionError as e:
                raise AssertionError(f"{c}: {e}") from None
            except Exception as e:  # noqa: BLE001 - the kit's own one-line errors
                raise AssertionError(f"{c}: {type(e).__name__}: {e}") from None
            checked.append(c)
            cheap = (words[0] == "seedkit" and cmd in RUN_FOR_REAL
                     and (cmd not in ("run", "train") or (ns.profile == "tiny" and (cmd == "train" or ns.stages))))
            if cheap:
                r = subprocess.run([str(SEEDKIT), *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                                   timeout=3600)
                assert r.returncode == 0, f"{c}: exit {r.returncode}: {(r.stderr or r.stdout).strip()[-1500:]}"
                ran.append(c)
            continue
        if words[0] == "make":
            for line in _make_dry_run(words).splitlines():
                expanded = shlex.split(line) if re.search(r"(^|/)seedkit ", line) else []
                at = [i for i, w in enumerate(expanded) if w == "seedkit" or w.endswith("/seedkit")]
                if at:
                    check_seedkit_args(expanded[at[0] + 1:])
            if words[1:2] == ["help"]:
                r = subprocess.run(words, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
                assert r.returncode == 0 and "make " in r.stdout, f"{c}: {r.stderr}"
                ran.append(c)
            checked.append(c)
            continue
        assert words[0] in EXTERNAL, (f"{c}: unknown program {words[0]!r}; teach tests/test_readme_commands.py how "
                                      "to check it or add it to EXTERNAL")
        skipped.append(c)
    print(f"README commands: {len(checked)} checked, {len(ran)} run, {len(skipped)} other programs")
    assert checked and ran
