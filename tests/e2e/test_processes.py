"""A build ends every process it started – kernels and what their cells started – and only those: a
caller's own processes, e.g. the workers of a Dask cluster that ran the chapters, survive a failed and
an interrupted build. Each build also sees the repository as it is when it starts."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest

from rapportbok.exceptions import BuildInterrupted, ChapterError
from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.processes.owned import BUILD_ID
from rapportbok.pipeline.progress import Progress
from tests.conftest import copy_project
from tests.e2e.conftest import small_book

pytestmark = pytest.mark.e2e
QUIET = Progress(quiet=True)
CHAPTER = "tjanstegarantier"


def _small_project(target: Path) -> Path:
    """The project with one chapter (and the generated pages), so a build takes seconds."""
    return small_book(copy_project(target), (CHAPTER,))


def _append_cell(project: Path, source: str) -> None:
    notebook = project / "notebooks" / f"{CHAPTER}.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"].append(
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
    )
    notebook.write_text(json.dumps(content), encoding="utf-8")


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _sleeping(seconds: int) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if process.info["cmdline"] == ["sleep", str(seconds)] and _alive(process):
            found.append(process)
    return found


def test_a_failing_notebooks_background_processes_end_with_the_build(tmp_path: Path) -> None:
    """A cell starts two background processes (one in a session of its own) and then the chapter
    fails: neither outlives the build, while a process the caller started keeps running."""
    project = _small_project(tmp_path / "project")
    plain, detached = 100_000 + os.getpid() % 1000, 200_000 + os.getpid() % 1000
    _append_cell(
        project,
        "import subprocess\n"
        f"subprocess.Popen(['sleep', '{plain}'])\n"
        f"subprocess.Popen(['sleep', '{detached}'], start_new_session=True)\n"
        "1 / 0",
    )
    callers = subprocess.Popen(["sleep", "600"])
    try:
        with pytest.raises(ChapterError, match="ZeroDivisionError") as raised:
            build_year(project, 2024, pdf=False, progress=QUIET)
        assert _sleeping(plain) == [] and _sleeping(detached) == []
        assert callers.poll() is None
        assert "Ingen version av kommunstyrelsekontoret 2024 är publicerad." in raised.value.__notes__
    finally:
        callers.kill()
        callers.wait()


def _wait_for_kernel(parents: list[int], stop: threading.Event) -> bool:
    """True once a kernel carrying a build id runs under one of `parents` (the Dask workers)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not stop.is_set():
        for pid in parents:
            try:
                children = psutil.Process(pid).children(recursive=True)
            except psutil.Error:
                continue
            for child in children:
                try:
                    if BUILD_ID in child.environ() and "ipykernel" in " ".join(child.cmdline()):
                        return True
                except psutil.Error:
                    continue
        time.sleep(0.2)
    return False


def test_dask_workers_survive_a_failed_and_an_interrupted_build(tmp_path: Path) -> None:
    """Chapters run on a real Dask LocalCluster (worker processes). A failing chapter and a Ctrl-C
    while a chapter runs end the build's kernels, not the cluster: the same workers still compute."""
    distributed = pytest.importorskip("distributed")
    project = _small_project(tmp_path / "project")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        workers = sorted(client.run(os.getpid).values())
        _append_cell(project, "1 / 0")
        with pytest.raises(ChapterError, match="ZeroDivisionError"):
            build_year(project, 2024, pdf=False, executor=client.get_executor(), progress=QUIET)
        assert sorted(client.run(os.getpid).values()) == workers

        _append_cell(project, "import time\ntime.sleep(600)")  # replaces nothing: the last cell hangs
        notebook = project / "notebooks" / f"{CHAPTER}.ipynb"
        content = json.loads(notebook.read_text(encoding="utf-8"))
        content["cells"] = [c for c in content["cells"] if c["source"] != "1 / 0"]
        notebook.write_text(json.dumps(content), encoding="utf-8")
        stop = threading.Event()

        def interrupt_when_the_kernel_runs() -> None:
            if _wait_for_kernel(workers, stop):
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C

        watcher = threading.Thread(target=interrupt_when_the_kernel_runs)
        watcher.start()
        try:
            with pytest.raises(BuildInterrupted, match="Bygget av kommunstyrelsekontoret 2024 avbröts"):
                build_year(project, 2024, pdf=False, executor=client.get_executor(), progress=QUIET)
        finally:
            stop.set()
            watcher.join()
        assert sorted(client.run(os.getpid).values()) == workers
        assert all(_alive(psutil.Process(pid)) for pid in workers)
        assert client.submit(sum, [1, 2, 3]).result(timeout=60) == 6
        ours = [psutil.Process(), *(psutil.Process(pid) for pid in workers)]
        marked = [p for parent in ours for p in parent.children(recursive=True) if _has_build_id(p)]
        assert marked == [], marked


def _has_build_id(process: psutil.Process) -> bool:
    try:
        return BUILD_ID in process.environ() and _alive(process)
    except psutil.Error:
        return False


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_two_builds_in_one_session_see_a_new_commit_and_new_dependencies(tmp_path: Path) -> None:
    """build_year twice in one Python process, with a commit that changes requirements.lock in
    between: the second build re-executes the chapter (the code key changed) and the file Om rapporten
    links names the new commit – nothing of the repository's state is remembered from the first build."""
    project = _small_project(tmp_path / "project")
    (project / "requirements.lock").write_text("pandas==3.1.1\n", encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "första")
    first = _git(project, "rev-parse", "--short=12", "HEAD")
    build_year(project, 2024, pdf=False, progress=QUIET)
    html_dir = project / "_build/kommunstyrelsekontoret/2024/html"

    def provenance() -> str:  # the file Om rapporten links
        return next(html_dir.glob("_downloads/*/om-rapporten-teknik.json")).read_text(encoding="utf-8")

    assert f"Byggd från commit {first};" in provenance()

    (project / "requirements.lock").write_text(f"pandas==3.1.1\n# {uuid.uuid4()}\n", encoding="utf-8")
    _git(project, "commit", "-q", "-am", "nya beroenden")
    second = _git(project, "rev-parse", "--short=12", "HEAD")
    result = build_year(project, 2024, pdf=False, progress=QUIET)
    assert result.chapters_run() == [CHAPTER]
    html = provenance()
    assert f"Byggd från commit {second};" in html and not re.search(f"commit {first}", html)
