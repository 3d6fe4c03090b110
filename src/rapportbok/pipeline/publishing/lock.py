"""One build of an organisation's year at a time, and one `rapportbok site` at a time: a second one is
refused with a clear message, never interleaved. Builds of different books run side by side."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.exceptions import BuildLocked


@contextmanager
def book_lock(path: Path, organisation: str, year: int) -> Iterator[None]:
    """Hold the lock file `path` (`_build/<org>/<year>/.lock`) while building; it goes with the process."""
    with held_lock(
        path,
        f"Ett annat bygge av {organisation} {year} pågår redan (process {{holder}}). "
        "Vänta tills det är klart.",
    ):
        yield


@contextmanager
def site_lock(path: Path) -> Iterator[None]:
    """Hold `_build/.site.lock` while the multi-year site is built and published."""
    with held_lock(path, "En annan rapportbok site pågår redan (process {holder}). Vänta tills den är klar."):
        yield


@contextmanager
def held_lock(path: Path, busy: str) -> Iterator[None]:
    """Hold an exclusive lock on `path`; if another process holds it, BuildLocked with `busy`
    (where `{holder}` is replaced by the holder's process id)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "okänd process"
            raise BuildLocked(busy.format(holder=holder), file=display_path(path)) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
