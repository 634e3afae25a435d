"""The sandbox's fork server: stdlib only, never imports seedkit.

The kit starts one server per worker as ``python -I <this directory>`` (``__main__.py``), which
loads this directory as the private package ``_seedkit_sandbox_server`` (so that none of its
modules can shadow a module a job imports) and runs :func:`main.main`. The server speaks
length-prefixed JSON on stdin/stdout (:mod:`wire`) and forks one isolated process tree per job.

Process tree per job (namespace mode: Linux, running as root)::

    server (root, warm, own mount namespace in which every mount is read-only, /dev is a
    │       minimal tmpfs with a private devpts, directories the job's uid cannot enter are
    │       covered; it is the job's monitor: wall-clock deadline, output capture with a cap)
    └── init (cloned straight into new PID, network, mount, IPC and UTS namespaces; pid 1
        │     there; root; mounts a fresh tmpfs on /tmp and /dev/shm and a fresh /proc;
        │     reaps orphans; when the program exits, init exits and the kernel kills every
        │     process left in the namespace; SIGKILLed by the server at the deadline)
        └── program (a uid of the worker's own, no groups, no_new_privs, rlimits,
            │        seccomp, scrubbed environment, cwd /tmp/job): the *judge*. Python: it
            │        forks the candidate (judged.py); C/C++: it loads the compiled tests and
            │        their stubs (native_apart.py); JavaScript: it supervises a node judge
            │        (javascript_apart.py). With judge="in_process": the older harnesses.
            └── candidate (JavaScript, C/C++: the enclosure, enclosure.py: no report or
                           nonce pipe, empty /proc, its own /tmp; execs node or the
                           compiled program with its dispatcher)

Modules: :mod:`wire` (framing), :mod:`libc` (ctypes system calls), :mod:`seccomp` (the filter),
:mod:`mounts` (the server's and each job's mounts), :mod:`cgroups` (per-job cgroup v1 limits),
:mod:`process` (one job: spawn, limits, drop, capture), :mod:`judged` (with :mod:`judged_data`), :mod:`javascript_apart`,
:mod:`native_apart` with :mod:`native_wire` and :mod:`enclosure` (judged apart), :mod:`python_harness`,
:mod:`javascript` and :mod:`native` (judged in-process), :mod:`main` (mode choice and the loop).
"""
