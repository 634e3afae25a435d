"""Run untrusted programs with their tests: seedkit's security boundary. (Guarantees: see below.)"""

from .jobs import LANGUAGES, STATUSES, Job, Limits, Result, SandboxUnavailable
from .pool import default_workers, isolation_report, run_jobs, run_one, shutdown

__all__ = ["Job", "Limits", "Result", "SandboxUnavailable", "run_jobs", "run_one", "isolation_report",
           "shutdown", "default_workers", "STATUSES", "LANGUAGES"]
