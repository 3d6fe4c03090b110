"""Jupyter's and Dask's own failures reach the analyst in Swedish: a chapter whose kernel died, a Dask
cluster that went away during the build, a scheduler that cannot be reached."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import papermill
import pytest
from nbclient.exceptions import DeadKernelError

from rapportbok.pipeline.processes import execute
from rapportbok.pipeline.processes.execute import ChapterJob, execute_chapter, run_chapters
from rapportbok.pipeline.processes.foreign_errors import ReportedInSwedish, dask_error, kernel_error

ENGLISH = ("Kernel died", "Timed out", "trying to connect", "waiting for", "closed")


def test_a_kernel_that_died_is_said_in_swedish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dies(*args: Any, **kwargs: Any) -> None:
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dies)
    monkeypatch.setattr(execute, "kernel_uses_this_python", lambda: None)
    result = execute_chapter(
        ChapterJob("ekonomi", tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, tmp_path)
    )
    assert result.error == (
        "kärnan (Python-processen som kör kapitlet) dog medan en cell kördes – oftast för att minnet "
        "tog slut eller för att processen stoppades utifrån [DeadKernelError]"
    )


@pytest.mark.parametrize(
    ("error", "swedish"),
    [
        (RuntimeError("Kernel didn't respond in 60 seconds"), "startade inte inom 60 s [RuntimeError]"),
        (RuntimeError("Kernel didn't respond to heartbeats in 5 seconds and timed out"), "slutade svara"),
        (
            OSError("Timed out trying to connect to tcp://10.0.0.1:8786 after 10 s"),
            "ingen anslutning till Dask-klustret inom 10 s",
        ),
        (ConnectionRefusedError(111, "Connection refused"), "ingen lyssnar på den porten"),
    ],
)
def test_known_library_messages_are_translated(error: BaseException, swedish: str) -> None:
    said = kernel_error(error)
    assert swedish in said
    assert not any(english in said for english in ENGLISH), said


def test_dask_connection_errors_are_translated_by_type() -> None:
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    assert dask_error(CommClosedError("in <TCP (closed)>: Stream is closed")) == (
        "förbindelsen med Dask-klustret bröts [CommClosedError]"
    )
    worker = type("WorkerState", (), {"address": "tcp://10.0.0.2:4000"})()
    said = dask_error(KilledWorker("execute_chapter-1", worker, 3))
    assert said.startswith("Dask-arbetaren som körde uppgiften dog") and "Attempted" not in said


def test_an_unknown_error_keeps_its_type_and_text() -> None:
    assert kernel_error(ValueError("x är fel")) == "ValueError: x är fel"


def test_a_chapter_whose_dask_task_failed_is_a_failed_chapter_in_swedish(tmp_path: Path) -> None:
    """A worker that died or a broken connection fails the chapter with a Swedish reason; the build
    reports it like any failed chapter instead of a traceback (or a misleading "could not write")."""
    from concurrent.futures import Executor, Future

    from distributed.comm.core import CommClosedError

    class BrokenCluster(Executor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            future: Future[Any] = Future()
            future.set_exception(CommClosedError("in <TCP (closed)>: Stream is closed"))
            return future

    jobs = [
        ChapterJob(name, tmp_path / f"{name}.ipynb", tmp_path / f"ut/{name}.ipynb", {}, tmp_path)
        for name in ("ekonomi", "arbetsgivare")
    ]
    results = run_chapters(jobs, max_workers=1, executor=BrokenCluster())
    assert [(r.name, r.error) for r in results] == [
        ("ekonomi", "förbindelsen med Dask-klustret bröts [CommClosedError]"),
        ("arbetsgivare", "förbindelsen med Dask-klustret bröts [CommClosedError]"),
    ]


def test_jupyters_log_line_about_a_dead_kernel_does_not_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def dies(*args: Any, **kwargs: Any) -> None:
        logging.getLogger("papermill").error("Kernel died while waiting for execute reply.")
        logging.getLogger("papermill").warning("Input notebook does not contain a cell with tag 'parameters'")
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dies)
    monkeypatch.setattr(execute, "kernel_uses_this_python", lambda: None)
    monkeypatch.setattr(logging.getLogger("papermill"), "filters", [])
    execute._quiet_about_reported_failures()
    execute._quiet_about_reported_failures()  # once is enough
    assert sum(isinstance(f, ReportedInSwedish) for f in logging.getLogger("papermill").filters) == 1
    result = execute_chapter(
        ChapterJob("ekonomi", tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, tmp_path)
    )
    assert "dog medan en cell kördes" in (result.error or "")
    logged = [record.getMessage() for record in caplog.records]
    assert not any("Kernel died" in line for line in logged)
    assert any("parameters" in line for line in logged)  # other warnings for the notebook's author still show
