"""Execute chapter notebooks with papermill: one fresh kernel per chapter, chapters in parallel."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"


@dataclass(frozen=True)
class ChapterJob:
    """One chapter to execute: source notebook, where to write it, and its parameters."""

    name: str
    source: Path
    output: Path
    parameters: dict[str, Any]
    cwd: Path


@dataclass(frozen=True)
class ChapterResult:
    """How a chapter run ended; `error` names the failing cell when it failed."""

    name: str
    output: Path
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def execute_chapter(job: ChapterJob) -> ChapterResult:
    """Run one notebook in a fresh kernel; the executed notebook is written even when a cell fails."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _kernel_uses_this_python()
    started = time.perf_counter()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(job.source),
            str(job.output),
            parameters=job.parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(job.cwd),
            progress_bar=False,
            log_output=False,
            # The kernel's own log (e.g. ipykernel's TCP notice) is noise for analysts; cell errors
            # are still reported through the executed notebook.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except PapermillExecutionError as error:
        message = f"cell {error.exec_count or error.cell_index}: {error.ename}: {error.evalue}"
        return ChapterResult(job.name, job.output, time.perf_counter() - started, message)
    except Exception as error:
        return ChapterResult(
            job.name, job.output, time.perf_counter() - started, f"{type(error).__name__}: {error}"
        )
    return ChapterResult(job.name, job.output, time.perf_counter() - started)


def _kernel_uses_this_python() -> None:
    """Make the 'python3' kernel start with the interpreter that runs rapportbok (the venv's)."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if not path.startswith(bin_dir + os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + path


def run_chapters(
    jobs: list[ChapterJob],
    *,
    max_workers: int,
    executor: Executor | None = None,
    on_done: Callable[[ChapterResult], None] | None = None,
) -> list[ChapterResult]:
    """Execute every job on `executor` (default: a thread pool of `max_workers`); results in job order.

    Any `concurrent.futures.Executor` works, e.g. a process pool or a distributed engine's executor.
    """
    own = executor is None
    pool = executor or ThreadPoolExecutor(max_workers=max(1, max_workers))
    try:
        futures = [pool.submit(execute_chapter, job) for job in jobs]
        results = []
        for future in futures:
            result = future.result()
            if on_done is not None:
                on_done(result)
            results.append(result)
        return results
    finally:
        if own:
            pool.shutdown(wait=True)
