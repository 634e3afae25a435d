from __future__ import annotations

from importlib import metadata

from seedkit import doctor


def test_doctor_checks_every_pin_and_passes_here():
    lines: list[str] = []
    fails = doctor.check(lines.append)
    pins = dict(doctor.pinned_requirements())
    assert pins["torch"] == "2.13.0" and pins["transformers"] == "5.24.0" and "datatrove" in pins
    assert fails == 0, [line for line in lines if line.startswith("[FAIL]")]
    assert any(line.startswith("[OK] torch 2.13.0") for line in lines)
    assert any("sandbox" in line for line in lines) and lines[-1] == "all checks passed"


def test_doctor_reports_a_version_mismatch(monkeypatch):
    real = metadata.version
    monkeypatch.setattr(doctor.metadata, "version", lambda name: "0.0.1" if name == "peft" else real(name))
    lines: list[str] = []
    assert doctor.check(lines.append) == 1
    assert "[FAIL] peft 0.0.1 (want 0.21.2)" in lines


def test_doctor_checks_the_notebooks_kernel(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    lines: list[str] = []
    doctor.check(lines.append)
    assert any(line.startswith("[OK] Jupyter kernel 'seedkit'") for line in lines)
    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/x"})
    lines = []
    assert doctor.check(lines.append) == 1
    assert any(line.startswith("[FAIL] Jupyter kernel 'seedkit'") and "make install" in line for line in lines)


def test_doctor_fails_when_the_sandbox_cannot_isolate(monkeypatch):
    import seedkit.sandbox as sandbox

    def unavailable():
        raise sandbox.SandboxUnavailable("namespace setup failed: mount /tmp/stage1: No such file or directory")

    monkeypatch.setattr(doctor, "isolation_report", unavailable)
    lines: list[str] = []
    assert doctor.check(lines.append) == 1
    assert any(line.startswith("[FAIL] sandbox: namespace setup failed") for line in lines), lines
