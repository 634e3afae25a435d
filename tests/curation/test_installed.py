"""The installed-distributions source: fake distributions (a .dist-info with METADATA and RECORD beside
their files) put on sys.path, read as repositories with their license and version."""

from __future__ import annotations

import json
import os
from email.message import Message
from pathlib import Path

import pytest

from fixtures.curation_docs import GOOD_PY, quiet, run_tiny
from seedkit.config import StageSettings
from seedkit.curation.file_steps import iter_source_records
from seedkit.curation.installed import (
    installed_distributions,
    license_of,
    sample_files,
    sample_key,
    select_installed,
)
from seedkit.curation.settings import CurationSettings
from seedkit.curation.stage import begin

VENDORED = '''"""A small helper library, vendored by others."""


def compare(a, b):
    """-1, 0 or 1."""
    return (a > b) - (a < b)
'''


def make_dist(site: Path, name: str, version: str = "1.0", files: dict[str, str] | None = None,
              meta: dict[str, str | list[str]] | None = None) -> Path:
    """A distribution as pip leaves it: its files under ``site`` and ``<name>-<version>.dist-info`` with
    METADATA and a RECORD naming them (and a script outside the folder, which the source leaves out)."""
    files = files if files is not None else {f"{name}/__init__.py": GOOD_PY}
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}"]
    for key, value in (meta or {"License-Expression": "MIT"}).items():
        lines += [f"{key}: {v}" for v in (value if isinstance(value, list) else [value])]
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    record = []
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
        record.append(f"{rel},sha256=x,{len(text.encode())}")
    record += [f"../../bin/{name}-cli,,", f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    return info


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    return site


def test_a_distribution_is_one_repository_with_its_license_version_and_relative_paths(site):
    make_dist(site, "fake-pkg", "1.2.0", {
        "fake_pkg/__init__.py": GOOD_PY, "fake_pkg/core.py": GOOD_PY + "\n\nX = 1\n",
        "fake_pkg/data.json": "{}", "fake_pkg/README.txt": "words",  # not code: never listed
        "fake_pkg/ext/helper.c": "int main(void) { return 0; }\n"})
    sel = select_installed(100, only=["Fake_Pkg"])  # names compare as pip compares them
    assert sel.distributions == [{"name": "fake-pkg", "version": "1.2.0", "license": "MIT",
                                  "license_field": "License-Expression", "files_available": 3, "files": 3,
                                  "bytes": sel.bytes}]
    assert [(r["repo"], r["path"]) for r in sel.records] == [
        ("installed/fake-pkg", "fake_pkg/__init__.py"), ("installed/fake-pkg", "fake_pkg/core.py"),
        ("installed/fake-pkg", "fake_pkg/ext/helper.c")]
    assert all(Path(r["abs_path"]) == site / r["path"] and r["source"] == "repos" for r in sel.records)
    assert select_installed(0, only=["fake-pkg"]).records == []  # 0 = off


def test_license_comes_from_the_right_metadata_field():
    def meta(**fields: str | list[str]) -> Message:
        m = Message()
        for k, v in fields.items():
            for x in v if isinstance(v, list) else [v]:
                m[k.replace("_", "-")] = x
        return m

    mit = "License :: OSI Approved :: MIT License"
    assert license_of(meta(License_Expression="Apache-2.0", License="BSD", Classifier=mit)) == (
        "Apache-2.0", "License-Expression")
    assert license_of(meta(License="BSD-3-Clause", Classifier=mit)) == ("BSD-3-Clause", "License")
    whole_text = "Copyright (c) 2001 Someone\nAll rights reserved.\n\nRedistribution and use ..."
    assert license_of(meta(License=whole_text, Classifier=["Programming Language :: Python", mit])) == (
        "MIT License", "Classifier")
    assert license_of(meta(License="UNKNOWN", Classifier="License :: OSI Approved :: ISC License (ISCL)")) == (
        "ISC License (ISCL)", "Classifier")
    assert license_of(meta(License=whole_text)) == ("Copyright (c) 2001 Someone", "License (text)")
    assert license_of(meta()) == ("unknown", "")


def _many(site: Path, name: str, n: int) -> None:
    make_dist(site, name, "0.1", {f"{name}/m{i:02d}.py": GOOD_PY + f"\nN = {i}\n" for i in range(n)})


def test_caps_in_all_per_distribution_and_in_bytes(site):
    _many(site, "alpha", 20)
    _many(site, "beta", 20)
    only = ["alpha", "beta"]
    assert len(select_installed(100, only=only).records) == 40
    sel = select_installed(7, only=only)
    assert len(sel.records) == 7 and sel.stopped_by == "max_files"
    sel = select_installed(100, per_dist=3, only=only)
    assert [d["files"] for d in sel.distributions] == [3, 3] and sel.stopped_by == "all"
    one = (site / "alpha/m00.py").stat().st_size
    sel = select_installed(100, max_mb=5.5 * one / 1e6, only=only)
    assert len(sel.records) == 5 and sel.bytes <= 5.5 * one and sel.stopped_by == "max_bytes"


def test_order_is_deterministic_and_a_vendored_copy_is_sampled_with_its_original(site):
    _many(site, "alpha", 30)
    make_dist(site, "helper", "2.0", {"helper/compare.py": VENDORED})
    make_dist(site, "zeta", "1.0", {"zeta/_vendor/helper/compare.py": VENDORED,
                                    **{f"zeta/z{i}.py": GOOD_PY for i in range(30)}})
    only = ["alpha", "helper", "zeta"]
    a, b = select_installed(12, seed=3, only=only), select_installed(12, seed=3, only=only)
    assert a.records == b.records
    assert [(r["repo"], r["path"]) for r in a.records] == sorted((r["repo"], r["path"]) for r in a.records)
    assert select_installed(12, seed=4, only=only).records != a.records
    assert sample_key(0, "helper/compare.py") == sample_key(0, "zeta/_vendor/helper/compare.py")
    for seed in range(6):  # whatever the sample, the copy comes with its original or neither does
        paths = {r["path"] for r in select_installed(20, seed=seed, only=only).records}
        assert ("helper/compare.py" in paths) == ("zeta/_vendor/helper/compare.py" in paths)
    dists = installed_distributions(only)
    assert sample_files(dists, 12, seed=3).picked == sample_files(list(reversed(dists)), 12, seed=3).picked


def test_the_kit_itself_is_never_read(site):
    make_dist(site, "seedkit", "9.9", {"seedkit/x.py": GOOD_PY})
    make_dist(site, "other", "1.0")
    assert [d.name for d in installed_distributions(["seedkit", "other"])] == ["other"]
    assert "seedkit" not in {d.name.lower() for d in installed_distributions()}  # nor the real editable install


def test_the_stage_lists_installed_files_after_the_other_sources_and_an_upgrade_is_a_new_input(site):
    make_dist(site, "fake-pkg", "1.0")
    s = CurationSettings.from_params("tiny", installed_files=5, installed_names=["fake-pkg"], stdlib_sample_files=0)
    recs = list(iter_source_records(s, quiet))
    assert recs[-1]["origin"] == "installed" and recs[-1]["repo"] == "installed/fake-pkg"
    assert [r["order"] for r in recs] == list(range(len(recs)))
    before = s.config_hash()
    off = s.replace(installed_files=0)
    assert off.config_hash() == StageSettings.config_hash(off)  # off: the plain settings hash
    info = next(site.glob("fake_pkg-*.dist-info"))
    (info / "METADATA").write_text((info / "METADATA").read_text().replace("Version: 1.0", "Version: 1.1"))
    os.rename(info, site / "fake_pkg-1.1.dist-info")  # as pip does: the folder changes, the cache sees it
    assert s.config_hash() != before
    assert s.replace(installed_files=0).config_hash() == off.config_hash()  # off: the environment does not count


@pytest.mark.slow  # stage 01 end to end on the tiny profile: ~10 s
def test_stage_reads_installed_distributions_and_its_funnel_shows_what_it_dropped(site, tmp_path, monkeypatch):
    make_dist(site, "helper", "2.0", {"helper/compare.py": VENDORED})
    make_dist(site, "zeta", "1.0", {
        "zeta/__init__.py": GOOD_PY.replace("A small module", "Zeta"),
        "zeta/_vendor/helper/compare.py": VENDORED,  # a vendored copy: exact dedup drops it
        "zeta/_generated.py": "# Auto-generated file. DO NOT EDIT.\n" + GOOD_PY.replace("add", "plus"),
        "zeta/tests/test_tiny.py": "x = 1\n"},  # too short: the basic filters drop it
        meta={"License": "Apache 2.0", "Classifier": "License :: OSI Approved :: Apache Software License"})
    s, res = run_tiny(tmp_path, monkeypatch, "installed", installed_files=50, installed_names=["helper", "zeta"],
                      stdlib_sample_files=0, commit_repos=[], web_dirs=[])
    inst = res.stats["installed"]
    assert [(d["name"], d["version"], d["license"], d["files"]) for d in inst["distributions"]] == [
        ("helper", "2.0", "MIT", 1), ("zeta", "1.0", "Apache 2.0", 4)]
    assert inst["files_in"] == 5 and inst["files_out"] + sum(inst["dropped_by_step"].values()) == 5
    assert res.why("installed/zeta", "zeta/_vendor/helper/compare.py").startswith("exact_dedup/exact_duplicate")
    assert inst["vendored"] == {"in": 1, "dropped": {"exact_dedup/exact_duplicate": 1}}
    assert res.why("installed/zeta", "zeta/tests/test_tiny.py").startswith("basic_filters/")
    assert res.why("installed/helper", "helper/compare.py") == "kept"
    assert res.stats["sources"]["installed"] == 5
    assert res.why("mathlib", "primes.py") == "kept"  # the planted samples are read as before
    m = json.loads((res.path / "manifest.json").read_text())
    assert m["metrics"]["installed_distributions"] == [
        {"name": "helper", "version": "2.0", "license": "MIT", "files": 1, "kept": 1},
        {"name": "zeta", "version": "1.0", "license": "Apache 2.0", "files": 4, "kept": inst["distributions"][1]["kept"]}]
    info = next(site.glob("zeta-*.dist-info"))  # pip upgrades zeta: a different input, so the stage is redone
    (info / "METADATA").write_text((info / "METADATA").read_text().replace("Version: 1.0", "Version: 1.1"))
    os.rename(info, site / "zeta-1.1.dist-info")
    said: list[str] = []
    again = begin(s, say=said.append)
    assert not again.done and any("zeta 1.0 -> 1.1" in line for line in said)
