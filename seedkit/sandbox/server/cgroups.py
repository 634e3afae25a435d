"""Per-job cgroup v1 limits: one memory + pids (+ cpu where mounted) group per server.

A server runs one job at a time, so its group is the job's: the memory limit bounds a whole job
(RLIMIT_AS is per process), the pids limit its process count, and the cpu group gives each
server's job an equal share of the CPUs however many processes it starts. The server lives in
the group itself (jobs are born there: moving a process between cgroups waits for an RCU grace
period, ~5 ms a job); its jobs are the OOM killer's first choice (oom_score_adj 1000).
"""

from __future__ import annotations

import os

from .libc import IS_LINUX

REQUIRED, OPTIONAL = ("memory", "pids"), ("cpu",)
PREFIX = "seedkit-sandbox-"


def sweep_dead(parent: str) -> None:
    """Remove job cgroups left by servers that were killed before they could remove their own
    (named seedkit-sandbox-<server pid>; a cgroup still holding processes refuses rmdir)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        pid = name.rsplit("-", 1)[-1]
        if name.startswith(PREFIX) and pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            try:
                os.rmdir(os.path.join(parent, name))
            except OSError:
                pass


def own_cgroups() -> dict[str, str]:
    """controller -> this process's cgroup path (v1 hierarchies)."""
    own: dict[str, str] = {}
    with open("/proc/self/cgroup") as fh:
        for line in fh:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(","):
                own[controller] = path
    return own


class JobCgroup:
    def __init__(self, dirs: dict[str, str]) -> None:
        self.dirs = dirs
        self.current: tuple[str, str] | None = None  # the limits last written

    @classmethod
    def create(cls, is_root: bool) -> tuple[JobCgroup | None, str | None]:
        """(the group, None), or (None, why there is none)."""
        if not IS_LINUX or not is_root:
            return None, "cgroups need Linux and root"
        try:
            own = own_cgroups()
        except OSError as exc:
            return None, f"no /proc/self/cgroup ({exc.strerror})"
        dirs: dict[str, str] = {}
        for controller in REQUIRED + OPTIONAL:
            root = f"/sys/fs/cgroup/{controller}"
            if controller not in own or not os.path.isfile(os.path.join(root, "cgroup.procs")):
                if controller in OPTIONAL:
                    continue
                cls(dirs).remove()
                return None, "no cgroup v1 memory and pids hierarchies (cgroup v2 is not used)"
            parent = root + own[controller]
            sweep_dead(parent)
            path = os.path.join(parent, f"{PREFIX}{os.getpid()}")
            try:
                os.mkdir(path, 0o755)
            except OSError as exc:
                cls(dirs).remove()
                return None, f"cannot create {path} ({exc.strerror})"
            dirs[controller] = path
        group = cls(dirs)
        try:
            group.enter()
        except OSError as exc:
            group.remove()
            return None, f"cannot enter {dirs['memory']} ({exc.strerror})"
        return group, None

    def describe(self) -> str:
        return "cgroup " + ", ".join(c for c in ("memory", "pids", "cpu") if c in self.dirs) + " limits per job"

    def _write(self, controller: str, name: str, value: str) -> None:
        with open(os.path.join(self.dirs[controller], name), "w") as fh:
            fh.write(value)

    def oom_kills(self) -> int:
        try:
            with open(os.path.join(self.dirs["memory"], "memory.oom_control")) as fh:
                for line in fh:
                    if line.startswith("oom_kill "):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def prepare(self, limits: dict) -> int:
        """Set this job's limits; returns the OOM-kill count to compare with afterwards."""
        # the address-space limit already stops a single process; this bounds them together
        # (plus the job's tmpfs pages), with room for the interpreter's own pages
        memory = str((int(limits["memory_mb"]) + 256) * 1024 * 1024)
        pids = str(int(limits["max_procs"]) + 2)  # + the server and init
        if self.current == (memory, pids):
            return self.oom_kills()
        self.current = None
        names = ["memory.limit_in_bytes"]
        if os.path.exists(os.path.join(self.dirs["memory"], "memory.memsw.limit_in_bytes")):
            names.append("memory.memsw.limit_in_bytes")  # memory + swap, never below memory
        try:
            for name in names:
                self._write("memory", name, memory)
        except OSError:  # raising the limit: memory+swap has to go up first
            for name in reversed(names):
                self._write("memory", name, memory)
        self._write("pids", "pids.max", pids)
        self.current = (memory, pids)
        return self.oom_kills()

    def enter(self) -> None:
        """Move the calling process (the server, at start) in."""
        for controller in self.dirs:
            self._write(controller, "cgroup.procs", "0")

    def remove(self) -> None:
        """Leave (back to the parent cgroup) and remove the directories."""
        for path in self.dirs.values():
            try:
                with open(os.path.join(os.path.dirname(path), "cgroup.procs"), "w") as fh:
                    fh.write("0")
                os.rmdir(path)
            except OSError:
                pass
