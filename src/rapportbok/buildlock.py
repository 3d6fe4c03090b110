"""One build of a year at a time: a second one is refused with a clear message, never interleaved."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rapportbok.errors import RapportbokError


class BuildLocked(RapportbokError):
    """Another build of the same year is running."""


@contextmanager
def year_lock(folder: Path, year: int) -> Iterator[None]:
    """Hold `_build/<year>/.lock` while building; the lock goes with the process if it dies."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / ".lock").open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "okänd process"
            raise BuildLocked(
                f"Ett annat bygge av {year} pågår redan (process {holder}). Vänta tills det är klart."
            ) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
