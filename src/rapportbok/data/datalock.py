"""One organisation's data has one lock, `data/<org>/.rapportbok.lock`.

Every command that writes under `data/<org>/` (import, new-year, migrate) holds it exclusively; every
command that reads a year to publish it (build, preview's rebuilds, site) holds it shared. So a build
never reads a half-written year, two writers never interleave, and readers of the same organisation run
side by side. The lock lives with the data (same file system, whatever `--output` is) and goes with the
process: a killed command leaves no lock behind, only the empty lock file (ignored by git).
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.exceptions import DataBusy

LOCK_FILE = ".rapportbok.lock"
POLL_SECONDS = 0.1


def lock_file(org_dir: Path) -> Path:
    """The lock file of the organisation whose folder is `org_dir` (data/<org>)."""
    return org_dir / LOCK_FILE


@contextmanager
def organisation_lock(org_dir: Path, *, write: bool, wait: float = 0.0) -> Iterator[None]:
    """Hold the organisation's data lock: exclusive when `write`, else shared.

    Waits up to `wait` seconds for another holder to finish, then raises DataBusy naming what holds it.
    A read-only data folder (no lock file can be made) is read without a lock: nothing can write it."""
    path = lock_file(org_dir)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if write or error.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise
        yield
        return
    try:
        mode = fcntl.LOCK_EX if write else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DataBusy(_busy_message(org_dir, write), file=display_path(path)) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)


def _busy_message(org_dir: Path, write: bool) -> str:
    shown = display_path(org_dir)
    if write:
        return (
            f"{shown} används av ett annat kommando just nu (ett bygge, en import eller ett nytt år). "
            "Inget har skrivits; vänta tills det är klart och kör kommandot igen."
        )
    return (
        f"{shown} skrivs av ett annat kommando just nu (import, new-year eller migrate). "
        "Vänta tills det är klart och bygg sedan igen."
    )
