"""The CPU time of a whole process tree, including processes that outlive their parents.

`resource.getrusage(RUSAGE_CHILDREN)` counts a descendant only when it was waited for by its parent and
every parent up to this process. A process whose parent ended first (e.g. a kernel forked by the zygote,
which may end before the zygote reaps it) is reparented to init and its CPU time is lost. Marking this
process a child subreaper (Linux `PR_SET_CHILD_SUBREAPER`) makes such orphans this process's children
instead; `reap_orphans` then waits for them, so their time is in RUSAGE_CHILDREN too.

`TreeCpu` is an independent check: it samples the CPU time of every live member of the tree and keeps
the largest value seen per process (it misses a process's last sampling interval and processes shorter
than one), so it should never exceed the rusage figure by more than that.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import time

import psutil

PR_SET_CHILD_SUBREAPER = 36
ORPHAN_SECONDS = 30.0  # how long to wait for orphans still running after the measured command ended


def adopt_orphans() -> bool:
    """Make this process the subreaper of its descendants; whether the kernel agreed (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(seconds: float = ORPHAN_SECONDS) -> int:
    """Wait for every child left (orphans adopted by `adopt_orphans`), at most `seconds`; how many."""
    reaped, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid == 0:
            time.sleep(0.05)
            continue
        reaped += 1
    return reaped


def children_cpu() -> float:
    """User + system seconds of every descendant waited for so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


class TreeCpu:
    """The largest CPU time seen for each process of a tree, sampled (a cross-check of rusage)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, float], float] = {}  # (pid, start time) -> user + system seconds

    def sample(self, tree: list[psutil.Process]) -> None:
        for member in tree:
            with contextlib.suppress(psutil.Error):  # ended between listing and reading
                times = member.cpu_times()
                key = (member.pid, member.create_time())
                self.seen[key] = max(self.seen.get(key, 0.0), times.user + times.system)

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())

    @property
    def processes(self) -> int:
        return len(self.seen)
