"""A build publishes one version of the data, or nothing.

Seed: "An import during `build --force` publishes a mixed book: front page 3,8 % sick leave, the
Arbetsgivare chapter 4,7 %, in one release." An import takes the data lock (the build waits for it:
tests/unit/pipeline/test_snapshot.py); here an editor saves the table without a lock while the chapters
run, and the build must notice it before publishing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from rapportbok.data.datalock import organisation_lock
from rapportbok.exceptions import DataChanged
from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.processes.execute import ChapterJob
from rapportbok.pipeline.progress import Progress
from tests.e2e.conftest import visible_text

pytestmark = pytest.mark.e2e
QUIET = Progress(quiet=True)
ORG = "kommunstyrelsekontoret"
SICK_LEAVE = f"data/{ORG}/2024/sjukfranvaro_ar.csv"
BOOK = Path(f"_build/{ORG}/2024")


class SavingExecutor(Executor):
    """Runs the chapters on threads; when the first chapter has finished, saves `table` with `new`
    in place of `old`, as an analyst's editor would while the build runs (no lock)."""

    def __init__(self, table: Path, old: str, new: str) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.table, self.old, self.new = table, old, new
        self.saved = threading.Event()
        self.chapters: list[str] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        def run():
            result = fn(*args, **kwargs)
            if isinstance(args[0], ChapterJob) and not self.saved.is_set():
                self.table.write_text(
                    self.table.read_text(encoding="utf-8").replace(self.old, self.new), encoding="utf-8"
                )
                self.saved.set()
            return result

        if isinstance(args[0], ChapterJob):
            self.chapters.append(args[0].name)
        return self.pool.submit(run)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _published(project: Path) -> dict[str, str]:
    """Every file of the published release, by the fixed paths users open, with its hash."""
    found = {}
    for part in ("html", "pdf"):
        folder = project / BOOK / part
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[f"{part}/{path.relative_to(folder).as_posix()}"] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return found


def _pages(project: Path) -> str:
    """The front page (made from the year read when the build starts) and Kommunen som arbetsgivare
    (which reads the table while its chapter runs), as a reader sees them."""
    html = project / BOOK / "html"
    return " ".join(
        visible_text((html / page).read_text(encoding="utf-8"))
        for page in ("index.html", "chapters/arbetsgivare.html")
    )


def _front_page(project: Path) -> str:
    return visible_text((project / BOOK / "html/index.html").read_text(encoding="utf-8"))


def _arbetsgivare(project: Path) -> str:
    return visible_text((project / BOOK / "html/chapters/arbetsgivare.html").read_text(encoding="utf-8"))


def test_a_table_saved_during_the_build_publishes_nothing_and_the_next_build_is_whole(
    built_copy: Path,
) -> None:
    """The sick-leave table changes (3,8 → 6,1 %), then is saved again (9,3 %) while its chapters run:
    a located Swedish error, the published release unchanged by hash, and the next build runs the
    chapter that read the table again (no cache entry keeps the version read mid-build), so the front
    page and Arbetsgivare agree."""
    project = built_copy
    table = project / SICK_LEAVE
    assert "3,8" in _front_page(project) and "3,8" in _arbetsgivare(project)
    assert "9,3" not in _pages(project)
    table.write_text(
        table.read_text(encoding="utf-8").replace("Nämnden,2024,3.8", "Nämnden,2024,6.1"), encoding="utf-8"
    )
    before = _published(project)
    release = (project / BOOK / ".current").resolve()

    executor = SavingExecutor(table, "Nämnden,2024,6.1", "Nämnden,2024,9.3")
    try:
        with pytest.raises(DataChanged) as raised:
            build_year(project, 2024, executor=executor, pdf=False, progress=QUIET)
    finally:
        executor.shutdown()
    assert executor.saved.is_set() and "arbetsgivare" in executor.chapters
    assert str(raised.value) == f"{SICK_LEAVE} ändrades medan boken byggdes; inget publicerades – bygg igen."
    assert raised.value.__notes__ == [
        f"Den senast publicerade versionen ({BOOK}/html och {BOOK}/pdf) är orörd."
    ]
    assert _published(project) == before
    assert (project / BOOK / ".current").resolve() == release

    result = build_year(project, 2024, pdf=False, progress=QUIET)
    assert "arbetsgivare" in result.chapters_run()
    assert "9,3" in _front_page(project) and "9,3" in _arbetsgivare(project)
    assert "6,1" not in _pages(project)


def test_a_build_waits_for_an_import_to_finish_and_then_reads(built_copy: Path) -> None:
    """An import-like writer holds the organisation's lock for a second: the build says it waits,
    then goes on (nothing changed, so nothing runs)."""
    org_dir = built_copy / "data" / ORG
    holding = threading.Event()

    def write() -> None:
        with organisation_lock(org_dir, write=True):
            holding.set()
            time.sleep(1)

    writer = threading.Thread(target=write)
    writer.start()
    assert holding.wait(5)
    lines: list[str] = []

    class Lines(Progress):
        def step(self, text: str) -> None:
            lines.append(text)

    result = build_year(built_copy, 2024, progress=Lines())
    writer.join()
    assert result.unchanged
    assert lines[0] == (
        f"data/{ORG} skrivs just nu av ett annat kommando (import, new-year eller migrate); väntar upp "
        "till 10 s på att det blir klart …"
    )
