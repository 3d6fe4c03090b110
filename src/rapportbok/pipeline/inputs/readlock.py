"""A build reads an organisation's data with its data lock held shared (data/datalock.py).

Writers (import, new-year, migrate) hold the lock exclusively while they write, so a build never reads a
half-written year, and an import waits for (or refuses while) a build reads. A build that finds a writer
at work says so in one line and waits up to DATA_WAIT_SECONDS for it (an import writes a year in a
second or two) before it refuses with DataBusy; nothing is read or written before the lock is held.

Within one process the lock is taken once per organisation: `rapportbok site` holds every
organisation's lock while it builds the books, and each book's build (on a thread of its own) uses
that hold instead of locking again. The lock is let go when the last reader in the process is done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.data.datalock import organisation_lock
from rapportbok.pipeline.progress import Progress

DATA_WAIT_SECONDS = 10.0

_GUARD = threading.Lock()
_HELD: dict[Path, tuple[int, ExitStack]] = {}  # organisation folder -> (readers, the lock held)


@contextmanager
def reading_data(org_dirs: Sequence[Path], progress: Progress, wait: float | None = None) -> Iterator[None]:
    """Hold the data lock of every organisation folder in `org_dirs` (data/<org>) shared.

    A lock a writer holds is waited for up to `wait` seconds (default DATA_WAIT_SECONDS, read when
    called), with a line saying so; then DataBusy names the organisation and what to do."""
    limit = DATA_WAIT_SECONDS if wait is None else wait
    keys = sorted({Path(os.path.abspath(org_dir)) for org_dir in org_dirs})
    taken: list[Path] = []
    try:
        for key in keys:
            _take(key, progress, limit)
            taken.append(key)
        yield
    finally:
        for key in reversed(taken):
            _let_go(key)


def _take(key: Path, progress: Progress, limit: float) -> None:
    with _GUARD:
        readers, held = _HELD.get(key, (0, None))
        if held is not None:
            _HELD[key] = (readers + 1, held)
            return
        held = ExitStack()

        def say_waiting() -> None:
            progress.step(
                f"{display_path(key)} skrivs just nu av ett annat kommando (import, new-year eller "
                f"migrate); väntar upp till {limit:.0f} s på att det blir klart …"
            )

        held.enter_context(organisation_lock(key, write=False, wait=limit, on_wait=say_waiting))
        _HELD[key] = (1, held)


def _let_go(key: Path) -> None:
    with _GUARD:
        readers, held = _HELD[key]
        if readers > 1:
            _HELD[key] = (readers - 1, held)
            return
        del _HELD[key]
        held.close()
