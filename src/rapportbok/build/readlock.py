"""A build reads an organisation's data with its data lock held shared (data/datalock.py).

Writers (import, new-year, migrate) hold the lock exclusively while they write, so a build never reads a
half-written year, and an import waits for (or refuses while) a build reads. A build that finds a writer
at work says so in one line and waits up to DATA_WAIT_SECONDS for it (an import writes a year in a
second or two) before it refuses with DataBusy; nothing is read or written before the lock is held.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from rapportbok.build.progress import Progress
from rapportbok.core.paths import display_path
from rapportbok.data.datalock import organisation_lock
from rapportbok.exceptions import DataBusy

DATA_WAIT_SECONDS = 10.0


@contextmanager
def reading_data(org_dirs: Sequence[Path], progress: Progress, wait: float | None = None) -> Iterator[None]:
    """Hold the data lock of every organisation folder in `org_dirs` (data/<org>) shared.

    A lock a writer holds is waited for up to `wait` seconds (default DATA_WAIT_SECONDS, read when
    called), with a line saying so; then DataBusy names the organisation and what to do."""
    limit = DATA_WAIT_SECONDS if wait is None else wait
    with ExitStack() as held:
        for org_dir in sorted(set(org_dirs)):
            try:
                held.enter_context(organisation_lock(org_dir, write=False))
            except DataBusy:
                progress.step(
                    f"{display_path(org_dir)} skrivs just nu av ett annat kommando (import, new-year "
                    f"eller migrate); väntar upp till {limit:.0f} s på att det blir klart …"
                )
                held.enter_context(organisation_lock(org_dir, write=False, wait=limit))
        yield
