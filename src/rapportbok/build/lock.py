"""One build of a year at a time: a second one is refused with a clear message, never interleaved."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.exceptions import BuildLocked


@contextmanager
def year_lock(path: Path, year: int) -> Iterator[None]:
    """Hold the lock file `path` (`_build/<year>/.lock`) while building; it goes with the process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "okänd process"
            raise BuildLocked(
                f"Ett annat bygge av {year} pågår redan (process {holder}). Vänta tills det är klart.",
                file=display_path(path),
            ) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
