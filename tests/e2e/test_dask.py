"""Books on a Dask cluster (`--executor dask`): the same bytes as the default executor, a failing book
named down to its cell while the other books are published, and workers that cannot run rapportbok
refused with a clear message. Every test starts a small LocalCluster of its own."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from rapportbok.core.book import BookId
from rapportbok.core.layout import BUILD_FOLDER, book_layout
from rapportbok.exceptions import ChapterError, UsageError
from rapportbok.pipeline.books.executors import open_executor
from rapportbok.pipeline.books.many import build_books
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import publish
from rapportbok.pipeline.run import BuildOptions
from tests.e2e.test_processes import CHAPTER, _small_project

pytestmark = pytest.mark.e2e
pytest.importorskip("distributed")
ORGANISATION = "kommunstyrelsekontoret"
BROKEN = "trasig"  # a second organisation: a copy of the first whose chapter fails
QUIET = Progress(quiet=True)


def published(project: Path, organisation: str = ORGANISATION, year: int = 2024) -> dict[str, str]:
    """SHA-256 of every published file of one book, by its path under the book's folder."""
    layout = book_layout(project / BUILD_FOLDER, organisation, year)
    return {
        f"{part}/{path.relative_to(folder).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for part, folder in (("html", layout.html), ("pdf", layout.pdf))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_book_built_on_dask_has_the_bytes_of_the_default_build(
    built: Path, built_elsewhere_on_dask: Path
) -> None:
    """`rapportbok build --executor dask` (a LocalCluster of two workers: chapters, Sphinx and the PDF
    as tasks) in an empty build folder publishes every file, HTML and PDF, byte for byte as the
    default executor did for `built` (the Dask build is the session's `built_elsewhere_on_dask`,
    which also says "Kör …" and "PDF klar" as it goes)."""
    local = published(built)
    assert "html/index.html" in local and any(name.startswith("pdf/") for name in local)
    on_dask = published(built_elsewhere_on_dask)
    assert sorted(on_dask) == sorted(local)
    assert [name for name in local if local[name] != on_dask[name]] == []


def _failing_cell(project: Path) -> None:
    """The chapter fails for the organisation BROKEN only (the notebook is shared by all)."""
    notebook = project / "notebooks" / f"{CHAPTER}.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    source = (
        "from pathlib import Path\n"
        f"if Path(data_dir).name == {BROKEN!r}:\n"
        "    raise ValueError('en trasig cell')"
    )
    content["cells"].append(
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
    )
    notebook.write_text(json.dumps(content), encoding="utf-8")


def test_a_failing_book_on_dask_is_named_and_the_other_book_is_published(tmp_path: Path) -> None:
    """Two organisations built side by side on Dask; then one's chapter fails: its error names the
    organisation, year, chapter and cell, its published book is untouched, the other is published."""
    project = _small_project(tmp_path / "project")
    shutil.copytree(project / "data" / ORGANISATION, project / "data" / BROKEN)
    good, broken = BookId(ORGANISATION, 2024, project), BookId(BROKEN, 2024, project)
    with open_executor("dask", None, 2, project=project) as executor:
        first = build_books([good, broken], BuildOptions(executor=executor, pdf=False), QUIET)
        assert [outcome.ok for outcome in first] == [True, True], [o.describe() for o in first]
        broken_before = published(project, BROKEN)
        broken_release = publish.current_release(book_layout(project / BUILD_FOLDER, BROKEN, 2024).releases)
        good_before = publish.current_release(
            book_layout(project / BUILD_FOLDER, ORGANISATION, 2024).releases
        )

        _failing_cell(project)
        second = build_books([good, broken], BuildOptions(executor=executor, pdf=False), QUIET)

    assert second[0].ok, second[0].describe()
    good_now = publish.current_release(book_layout(project / BUILD_FOLDER, ORGANISATION, 2024).releases)
    assert good_now is not None and good_before is not None and good_now.resolve() != good_before.resolve()
    assert second[0].result is not None and second[0].result.chapters_run() == [CHAPTER]

    error = second[1].error
    assert isinstance(error, ChapterError), second[1].describe()
    assert (error.organisation, error.year, error.chapter) == (BROKEN, 2024, CHAPTER)
    assert error.cell is not None
    message = second[1].describe()
    assert (
        f"Kapitlet {CHAPTER} i {BROKEN} 2024 misslyckades: cell {error.cell}: ValueError: en trasig cell"
        in (message)
    )
    assert "Den senast publicerade versionen" in message and "är orörd" in message
    layout = book_layout(project / BUILD_FOLDER, BROKEN, 2024)
    assert publish.current_release(layout.releases) == broken_release
    assert published(project, BROKEN) == broken_before


WORKER_WITHOUT_RAPPORTBOK = """
import sys

class Hidden:
    def find_spec(self, name, path=None, target=None):
        if name == "rapportbok" or name.startswith("rapportbok."):
            raise ModuleNotFoundError(f"No module named {name!r}")

sys.meta_path.insert(0, Hidden())
from distributed.cli.dask_worker import main
sys.argv = ["dask worker", sys.argv[1], "--nthreads", "1", "--no-nanny", "--no-dashboard"]
main()
"""


def test_workers_that_cannot_import_rapportbok_are_refused_before_anything_runs(tmp_path: Path) -> None:
    """A cluster whose worker lacks rapportbok (not on a shared path): a Swedish message, not a traceback."""
    import distributed

    with distributed.LocalCluster(n_workers=0, dashboard_address=None, silence_logs=50) as cluster:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER_WITHOUT_RAPPORTBOK, cluster.scheduler_address],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with distributed.Client(cluster) as client:
                client.wait_for_workers(1, timeout=120)
            with pytest.raises(UsageError) as raised, open_executor(None, cluster.scheduler_address):
                pass
        finally:
            worker.kill()
            worker.wait()
    message = str(raised.value)
    assert f"Arbetarna i klustret på {cluster.scheduler_address} kan inte läsa in rapportbok" in message
    assert "No module named 'rapportbok'" in message
    assert "samma sökväg (en delad filyta)" in message


def test_ctrl_c_in_a_terminal_stops_a_dask_build_with_one_message(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal's process group, the LocalCluster's workers too:
    the build says it was stopped and what is published – no worker traceback – and leaves nothing."""
    project = _small_project(tmp_path / "project")
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        build = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rapportbok.cli",
                "build",
                "--executor",
                "dask",
                "--jobs",
                "2",
                "--no-pdf",
            ],
            cwd=project,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group, as in a terminal
        )
        try:
            deadline = time.monotonic() + 300
            while "körs" not in out.read_text(encoding="utf-8") and time.monotonic() < deadline:
                time.sleep(0.2)
            assert "körs" in out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
            os.killpg(build.pid, signal.SIGINT)
            assert build.wait(timeout=300) == 130
        finally:
            if build.poll() is None:
                os.killpg(build.pid, signal.SIGKILL)
    assert err.read_text(encoding="utf-8").strip().splitlines() == [
        f"Bygget av {ORGANISATION} 2024 avbröts. Ingen version av {ORGANISATION} 2024 är publicerad."
    ]
    deadline = time.monotonic() + 60  # a process that is ending may take a moment to go
    while (
        left := [p for p in psutil.process_iter() if _in_group(p, build.pid)]
    ) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert left == [], left


def _in_group(process: psutil.Process, group: int) -> bool:
    try:
        return os.getpgid(process.pid) == group and process.status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, ProcessLookupError):
        return False
