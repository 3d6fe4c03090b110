"""Execute chapter notebooks with papermill: one new kernel per chapter (forked from the build's zygote on
the local pool, see `zygote`; started fresh on Dask), chapters in parallel."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapportbok.pipeline.processes.foreign_errors import ReportedInSwedish, dask_error, kernel_error
from rapportbok.pipeline.processes.interrupt import as_finished

KERNEL_NAME = "python3"
IMPORTING = threading.Lock()  # held while a chapter thread imports papermill (see execute_chapter)
KERNEL_START_ATTEMPTS = 2  # a kernel that never came up is started once more


@dataclass(frozen=True)
class ChapterJob:
    """One chapter to execute: source notebook, where to write it, its parameters and working folder."""

    name: str
    source: Path
    output: Path
    parameters: dict[str, Any]
    cwd: Path
    timeout: int = 600  # seconds a cell may run before the chapter is stopped
    environment: dict[str, str] = field(default_factory=dict)  # added to the kernel's environment
    kernel_manager: Any = None  # a kernel already started in `cwd` (the preview's); None: start one
    zygote: Any = None  # the build's zygote the kernel is forked from (`zygote.Zygote`); None: fresh


@dataclass(frozen=True)
class ChapterResult:
    """How a chapter run ended; `error` says what failed, `cell` which cell (execution count or index)."""

    name: str
    output: Path
    seconds: float
    error: str | None = None
    cell: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def execute_chapter(job: ChapterJob) -> ChapterResult:
    """Run one notebook in a new kernel (forked from `job.zygote` when it has one, else started fresh);
    the executed notebook is written even when a cell fails.

    A kernel that dies before it answers (on a busy machine the port Jupyter chose for it can be taken
    by another process first, jupyter_client#154) is started once more: no cell has run then, so the
    second attempt gives the same notebook."""
    with IMPORTING:  # chapters start in threads, and two threads that import jupyter_client at once
        # can find it half initialised (ImportError: "partially initialized module")
        from papermill.exceptions import PapermillExecutionError

    kernel_uses_this_python()
    started = time.perf_counter()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                _execute_notebook(job)
                break
            except Exception as error:
                retry = job.kernel_manager is None and kernel_did_not_start(error)
                if not retry or attempt == KERNEL_START_ATTEMPTS:
                    raise
    except PapermillExecutionError as error:
        cell = error.exec_count or error.cell_index
        message = f"cell {cell}: {error.ename}: {error.evalue}"
        return ChapterResult(job.name, job.output, time.perf_counter() - started, message, cell)
    except Exception as error:  # a kernel that dies or hangs is reported, not raised
        seconds = time.perf_counter() - started
        if isinstance(error, TimeoutError) or type(error).__name__ == "CellTimeoutError":
            message = f"en cell körde längre än tidsgränsen {job.timeout} s och stoppades"
            return ChapterResult(job.name, job.output, seconds, message)
        return ChapterResult(job.name, job.output, seconds, kernel_error(error))
    return ChapterResult(job.name, job.output, time.perf_counter() - started)


def kernel_did_not_start(error: BaseException) -> bool:
    """Whether papermill failed because the kernel never came up (no cell ran), e.g. a port race."""
    return type(error).__name__ == "ZMQError" or "before replying to kernel_info" in str(error)


def _execute_notebook(job: ChapterJob) -> None:
    """The chapter run by papermill; a kernel given to it (the preview's, started ahead) is ended after
    it, as papermill ends the kernels it starts."""
    from rapportbok.pipeline.processes.kernels import end_kernel

    _quiet_about_reported_failures()
    try:
        _papermill(job)
    finally:
        if job.kernel_manager is not None:  # nbclient ends only the kernels it started itself
            end_kernel(job.kernel_manager)


def _papermill(job: ChapterJob) -> None:
    import papermill
    from traitlets.config import Config

    from rapportbok.pipeline.processes.chapter_engine import ENGINE_NAME
    from rapportbok.pipeline.processes.kernels import BuildKernelManager

    papermill.execute_notebook(
        str(job.source),
        str(job.output),
        parameters=job.parameters,
        kernel_name=KERNEL_NAME,
        engine_name=ENGINE_NAME,  # writes the executed notebook once, not at every cell
        # The kernel's working folder, given to nbclient directly: papermill's own `cwd` option
        # changes the folder of the whole process, which parallel chapters would race on.
        resources={"metadata": {"path": str(job.cwd)}},
        progress_bar=False,
        log_output=False,
        # The kernel's own log (e.g. ipykernel's TCP notice) is noise for analysts; cell errors
        # are still reported through the executed notebook.
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        execution_timeout=job.timeout,
        # All outputs are in once the last cell has run: stop the kernel at once instead of waiting
        # for a graceful exit, which now and then stalls for seconds.
        shutdown_kernel="immediate",
        kernel_manager_class=BuildKernelManager,
        config=Config({"BuildKernelManager": {"marker": dict(job.environment), "zygote": job.zygote}}),
        **({} if job.kernel_manager is None else {"km": job.kernel_manager}),  # passed on to nbclient
    )


def _quiet_about_reported_failures() -> None:
    """nbclient logs "Kernel died while waiting for execute reply." through papermill's logger (to the
    terminal, in English); the chapter's failure says it in Swedish instead."""
    logger = logging.getLogger("papermill")
    if not any(isinstance(known, ReportedInSwedish) for known in logger.filters):
        logger.addFilter(ReportedInSwedish())


def kernel_uses_this_python() -> None:
    """Make the 'python3' kernel start with the interpreter that runs rapportbok (the venv's)."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if not path.startswith(bin_dir + os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + path


def _zygote_for(jobs: list[ChapterJob]) -> Any:
    """A zygote that imports what the jobs' notebooks import, when a job needs a new kernel (else None).

    Every job of one build carries the same marker environment: the zygote gets the first's."""
    from rapportbok.pipeline.processes.zygote import FORK_FROM, Zygote, forking_enabled, take_started

    fresh = [job for job in jobs if job.kernel_manager is None]
    if len(fresh) < FORK_FROM or not forking_enabled():  # one kernel: the zygote would only add a fork
        return None
    ahead = take_started(fresh[0].environment)  # started while the build checked its inputs
    if ahead is not None:
        return ahead
    kernel_uses_this_python()
    try:
        return Zygote(fresh[0].environment, [job.source for job in fresh])
    except OSError:
        return None


def _forked_from(zygote: Any, jobs: list[ChapterJob]) -> list[ChapterJob]:
    """The jobs, those that need a new kernel forking it from `zygote` (when there is one)."""
    if zygote is None:
        return jobs
    return [job if job.kernel_manager is not None else replace(job, zygote=zygote) for job in jobs]


def _close(zygote: Any) -> None:
    if zygote is not None:
        zygote.close()


def _result_or_failure(future: Future[ChapterResult], job: ChapterJob) -> ChapterResult:
    """The chapter's result from another executor (a Dask cluster), or, when the executor itself failed
    (a worker died, the connection to the cluster broke), that failure in Swedish as the chapter's."""
    try:
        return future.result()
    except Exception as error:
        return ChapterResult(job.name, job.output, 0.0, dask_error(error))


def run_chapters(
    jobs: list[ChapterJob],
    *,
    max_workers: int,
    executor: Executor | None = None,
    on_start: Callable[[ChapterJob], None] | None = None,
    on_done: Callable[[ChapterResult], None] | None = None,
) -> list[ChapterResult]:
    """Execute every job on `executor` (default: a thread pool of `max_workers`); results in job order.

    Any `concurrent.futures.Executor` works (a process pool, or a distributed engine's executor such as
    Dask's `Client.get_executor()`): jobs are submitted as `execute_chapter(job)`, which pickles.
    `on_start` is called as a job starts when the default pool is used, and on submission otherwise.
    """
    own = executor is None
    zygote = _zygote_for(jobs) if own else None  # a Dask worker keeps fresh kernels
    jobs = _forked_from(zygote, jobs)
    pool = executor or ThreadPoolExecutor(max_workers=max(1, max_workers))

    def started(job: ChapterJob) -> ChapterResult:
        if on_start is not None:
            on_start(job)
        return execute_chapter(job)

    completed = False
    futures: dict[Future[ChapterResult], int] = {}
    try:
        for position, job in enumerate(jobs):
            if own:
                futures[pool.submit(started, job)] = position
            else:
                if on_start is not None:
                    on_start(job)
                futures[pool.submit(execute_chapter, job)] = position
        results: list[ChapterResult | None] = [None] * len(jobs)
        for future in as_finished(futures):
            result = future.result() if own else _result_or_failure(future, jobs[futures[future]])
            results[futures[future]] = result
            if on_done is not None:
                on_done(result)
        completed = True
        return [result for result in results if result is not None]
    finally:
        if own:  # when interrupted, do not wait for running chapters: the caller stops their kernels
            pool.shutdown(wait=completed, cancel_futures=not completed)
            _close(zygote)
        elif not completed:  # the caller's executor (a Dask cluster) starts none of the queued chapters
            for future in futures:
                future.cancel()
