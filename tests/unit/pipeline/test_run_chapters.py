"""run_chapters on a caller's executor (e.g. a Dask cluster): when the build stops, the chapters still
queued there are cancelled, so none of them starts after the build has ended."""

from __future__ import annotations

from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest

from rapportbok.pipeline.processes.execute import ChapterJob, run_chapters


class QueueingExecutor(Executor):
    """Runs nothing by itself: the first task ends with Ctrl-C, the others stay queued."""

    def __init__(self) -> None:
        self.futures: list[Future[Any]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if not self.futures:
            future.set_exception(KeyboardInterrupt())
        self.futures.append(future)
        return future


def test_chapters_queued_on_the_callers_executor_are_cancelled_when_the_build_stops(tmp_path: Path) -> None:
    jobs = [
        ChapterJob(name, tmp_path / "in.ipynb", tmp_path / name, {}, tmp_path)
        for name in ("forsta", "andra", "tredje")
    ]
    callers = QueueingExecutor()
    with pytest.raises(KeyboardInterrupt):
        run_chapters(jobs, max_workers=1, executor=callers)
    assert [future.cancelled() for future in callers.futures] == [False, True, True]
