"""Many books in one run (pipeline/books/many.py), with a stand-in for build_book: a failing book is recorded
and the others are built; on an executor that spreads work the books run side by side; an
interruption stops every book and says what was finished."""

from __future__ import annotations

import io
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from rapportbok.core.book import BookId
from rapportbok.exceptions import BuildInterrupted, ChapterError, ChapterFailure, DataError, Problem
from rapportbok.pipeline.book import BuildResult
from rapportbok.pipeline.books.many import BookOutcome, BookProgress, StoppableExecutor, build_books
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.run import BuildOptions
from tests.conftest import ROOT

QUIET = Progress(quiet=True)
PROJECT = Path("projekt")  # the stand-in builds nothing: no project is read
A, B, C = (
    BookId("barn-och-utbildning", 2024, PROJECT),
    BookId("kommunstyrelsekontoret", 2024, PROJECT),
    BookId("vard", 2023, PROJECT),
)
PATIENCE = 60  # seconds a test waits for something that happens at once on an idle machine


class FakeBuild:
    """Records each call of build_book; fails or interrupts the books it is told to."""

    def __init__(self, failing: dict[BookId, BaseException] | None = None) -> None:
        self.failing = failing or {}
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, book: BookId, options: BuildOptions, progress: Progress) -> BuildResult:
        with self._lock:
            self.calls.append({"book": book, **vars(options)})
        if book in self.failing:
            raise self.failing[book]
        executor = options.executor
        if executor is not None:  # a chapter as a task on the shared executor
            assert executor.submit(pow, 2, 10).result(timeout=PATIENCE) == 1024
        return BuildResult(book.organisation, book.year, book.layout().html)


def test_it_builds_every_book_one_after_another_with_the_local_executor(tmp_path: Path) -> None:
    build = FakeBuild()
    outcomes = build_books([A, B, C], BuildOptions(jobs=3, pdf=False), QUIET, build=build)
    assert [outcome.book for outcome in outcomes] == [A, B, C]
    assert all(outcome.ok for outcome in outcomes)
    assert [call["book"] for call in build.calls] == [A, B, C]
    assert all(
        call["executor"] is None and call["jobs"] == 3 and call["pdf"] is False for call in build.calls
    )


def test_a_failing_book_is_recorded_and_the_others_are_built(tmp_path: Path) -> None:
    failure = ChapterError([ChapterFailure("ekonomi", "cell 4: ZeroDivisionError: division by zero", cell=4)])
    build = FakeBuild({B: failure})
    outcomes = build_books([A, B, C], BuildOptions(), QUIET, build=build)
    assert [outcome.ok for outcome in outcomes] == [True, False, True]
    assert outcomes[1].error is failure
    assert "kommunstyrelsekontoret 2024: MISSLYCKADES" in outcomes[1].describe()
    assert "ZeroDivisionError" in outcomes[1].describe()


@pytest.mark.parametrize(
    "error",
    [
        DataError([Problem("data/vard/2023/rapport.yml", "fältet organisation saknas")]),
        RuntimeError("en arbetare försvann"),
    ],
)
def test_a_failing_book_on_a_shared_executor_does_not_stop_the_others(
    tmp_path: Path, error: Exception
) -> None:
    build = FakeBuild({C: error})
    with ThreadPoolExecutor(4) as executor:
        outcomes = build_books([A, B, C], BuildOptions(executor=executor), QUIET, build=build)
    assert [outcome.ok for outcome in outcomes] == [True, True, False]
    assert outcomes[2].error is error


def test_books_run_side_by_side_on_an_executor_that_spreads_work(tmp_path: Path) -> None:
    """Each stand-in book waits until the other has started too: only concurrent books both finish."""
    both_started = threading.Barrier(2, timeout=PATIENCE)

    def build(book: BookId, options: BuildOptions, progress: Progress) -> BuildResult:
        both_started.wait()
        return FakeBuild()(book, options, progress)

    with ThreadPoolExecutor(2) as executor:
        outcomes = build_books([A, B], BuildOptions(executor=executor), QUIET, build=build)
    assert [outcome.ok for outcome in outcomes] == [True, True]


def test_no_more_books_than_asked_run_at_once(tmp_path: Path) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def build(book: BookId, options: BuildOptions, progress: Progress) -> BuildResult:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return FakeBuild()(book, options, progress)

    books = [BookId(f"org-{n}", 2024, PROJECT) for n in range(6)]
    with ThreadPoolExecutor(4) as executor:
        outcomes = build_books(books, BuildOptions(executor=executor), QUIET, books_at_once=2, build=build)
    assert all(outcome.ok for outcome in outcomes) and most <= 2


def test_the_same_book_given_twice_is_built_once(tmp_path: Path) -> None:
    build = FakeBuild()
    outcomes = build_books([A, A, B], BuildOptions(), QUIET, build=build)
    assert [outcome.book for outcome in outcomes] == [A, B]
    assert len(build.calls) == 2


def test_an_interruption_stops_the_books_one_after_another_and_says_what_was_finished(tmp_path: Path) -> None:
    build = FakeBuild({B: KeyboardInterrupt()})
    with pytest.raises(BuildInterrupted) as raised:
        build_books([A, B, C], BuildOptions(), QUIET, build=build)
    message = str(raised.value)
    assert "Klara och publicerade: barn-och-utbildning 2024." in message
    assert "Avbröts: kommunstyrelsekontoret 2024" in message
    assert "Påbörjades inte (det publicerade är orört): vard 2023." in message
    assert [call["book"] for call in build.calls] == [A, B]


def test_ctrl_c_stops_every_book_running_side_by_side(tmp_path: Path) -> None:
    """Two books wait for tasks that never finish; Ctrl-C lands on another thread than the waiting main
    thread: both books get BuildInterrupted from their waits, the third book never starts, no new task
    is handed out."""
    if threading.current_thread() is not threading.main_thread():
        pytest.fail("Ctrl-C reaches only the main thread: this test must run there")
    never = threading.Event()
    waiting = threading.Semaphore(0)
    seen: list[BaseException] = []

    def build(book: BookId, options: BuildOptions, progress: Progress) -> BuildResult:
        executor = options.executor
        assert executor is not None
        future = executor.submit(never.wait, PATIENCE)
        waiting.release()
        try:
            future.result()
        except BuildInterrupted as error:
            seen.append(error)
            with pytest.raises(BuildInterrupted):
                executor.submit(pow, 2, 2)
            raise
        return FakeBuild()(book, options, progress)

    def interrupt_when_both_wait() -> None:
        for _ in range(2):
            waiting.acquire(timeout=PATIENCE)
        # Ctrl-C, delivered to this thread rather than the main one (the kernel may pick any thread of
        # the process): the main thread must still wake and stop the books.
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    watcher = threading.Thread(target=interrupt_when_both_wait)
    watcher.start()
    with ThreadPoolExecutor(4) as executor:
        try:
            with pytest.raises(BuildInterrupted) as raised:
                build_books([A, B, C], BuildOptions(executor=executor), QUIET, books_at_once=2, build=build)
        finally:
            never.set()  # the tasks end, as a Dask worker's would when the build stops their kernels
            watcher.join()
    assert len(seen) == 2, (seen, str(raised.value))
    message = str(raised.value)
    assert (
        "Avbröts: barn-och-utbildning 2024" in message and "Avbröts: kommunstyrelsekontoret 2024" in message
    )
    assert "Påbörjades inte (det publicerade är orört): vard 2023." in message


def test_the_stoppable_executor_passes_results_and_errors_through() -> None:
    with ThreadPoolExecutor(2) as inner:
        shared = StoppableExecutor(inner)
        assert shared.submit(pow, 3, 2).result(timeout=PATIENCE) == 9
        with pytest.raises(ZeroDivisionError):
            shared.submit(divmod, 1, 0).result(timeout=PATIENCE)


def test_a_stopped_executor_ends_waits_and_refuses_new_tasks() -> None:
    release = threading.Event()
    with ThreadPoolExecutor(1) as inner:
        shared = StoppableExecutor(inner)
        running = shared.submit(release.wait, PATIENCE)
        queued = shared.submit(pow, 2, 2)
        shared.stop()
        with pytest.raises(BuildInterrupted):
            running.result(timeout=PATIENCE)
        with pytest.raises(BuildInterrupted):
            queued.result(timeout=PATIENCE)
        with pytest.raises(BuildInterrupted):
            shared.submit(pow, 2, 2)
        release.set()


def test_each_books_progress_lines_name_the_book() -> None:
    stream = io.StringIO()
    progress = BookProgress(Progress(stream=stream), B)
    progress.chapter("ekonomi", "running")
    progress.step("Skriver PDF …")
    assert stream.getvalue().splitlines() == [
        "[kommunstyrelsekontoret 2024] ekonomi: körs",
        "[kommunstyrelsekontoret 2024] Skriver PDF …",
    ]


def test_a_finished_book_describes_what_ran() -> None:
    result = BuildResult(
        A.organisation, A.year, Path("html"), reused=["ekonomi", "arbetsgivare"], unchanged=True
    )
    assert BookOutcome(A, result).describe() == "barn-och-utbildning 2024: oförändrad, byggdes inte om"


def test_ready_books_are_the_books_whose_check_passes(project_copy: Path) -> None:
    """A second organisation whose 2024 data has an error is skipped, with the command that lists it."""
    from rapportbok.pipeline.books.many import ready_books

    broken = project_copy / "data" / "trasig"
    shutil.copytree(project_copy / "data" / "kommunstyrelsekontoret", broken)
    shutil.copy(ROOT / "tests/fixtures/drift/fail-duplicate-and-empty.csv", broken / "2024/drift.csv")
    ready, skipped = ready_books(project_copy)
    assert ready == [BookId("kommunstyrelsekontoret", 2024, project_copy)]
    assert len(skipped) == 1
    assert skipped[0].startswith("trasig 2024: hoppas över (1 fel, 1 uppgift")
    assert skipped[0].endswith("kör rapportbok check --org trasig --year 2024")
