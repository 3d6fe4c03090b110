"""Many books in one run: every organisation × year given, side by side where the executor allows.

With the default local executor the books are built one after another, each with its chapters in
parallel (as `rapportbok build`). With an executor that spreads work over many processes or machines
(Dask: pipeline/books/executors.py) a bounded number of books are driven at once, each by a thread of this
process that submits its book's chapters (and Sphinx and PDF steps) to the shared executor.

A book that fails (a chapter, its data check, Sphinx, the PDF, publishing) is recorded in its
`BookOutcome` and the others go on; its previously published version stays as it was (build_book's
atomic publishing). Ctrl-C or SIGTERM stops every book: no new task is handed out, the running books
end their processes, and `BuildInterrupted` says which books were finished and what is published.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rapportbok.core.book import BookId, data_root_of
from rapportbok.exceptions import BuildInterrupted
from rapportbok.pipeline.book import BuildResult, build_book
from rapportbok.pipeline.processes.interrupt import as_finished, signals_deferred
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.run import BuildOptions

# Books driven at once on a spreading executor when the caller does not say: each driver thread
# mostly waits for its tasks, so more books than local cores keep a cluster busy.
DEFAULT_BOOKS_AT_ONCE = 8
MAX_BOOKS_AT_ONCE = 64  # driver threads of this process
STOPPED = "Bygget avbröts innan steget hann börja."

# build_book, or a stand-in with its parameters (tests).
BuildFunction = Callable[[BookId, BuildOptions, Progress], BuildResult]


@dataclass
class BookOutcome:
    """How one book's build ended: its result, or the error that stopped it (the others went on)."""

    book: BookId
    result: BuildResult | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None

    @property
    def interrupted(self) -> bool:
        return isinstance(self.error, BuildInterrupted | KeyboardInterrupt)

    def describe(self) -> str:
        """One Swedish paragraph for the analyst: what was built, or what failed and what is published."""
        if self.ok:
            assert self.result is not None
            if self.result.unchanged:
                return f"{self.book}: oförändrad, byggdes inte om"
            return (
                f"{self.book}: byggd ({len(self.result.executed)} kapitel körda, "
                f"{len(self.result.reused)} återanvända)"
            )
        lines = [f"{self.book}: MISSLYCKADES: {self.error}"]
        lines += [str(note) for note in getattr(self.error, "__notes__", [])]
        return "\n".join(lines)


def ready_books(root: Path) -> tuple[list[BookId], list[str]]:
    """Every organisation × year of data/ whose check passes, and a Swedish line for each that does not
    (how many errors and missing items, and the command that lists them)."""
    from rapportbok.checks.check import check_year
    from rapportbok.core.book import BookId
    from rapportbok.data.organisations import organisation_dir, organisations, resolve_organisation
    from rapportbok.data.years import data_years

    data_root = data_root_of(root)
    found = organisations(data_root)
    if not found:  # says why there is none: an empty data/, or the old layout (run migrate)
        resolve_organisation(data_root, None)
    ready: list[BookId] = []
    skipped: list[str] = []
    for organisation in found:
        folder = organisation_dir(data_root, organisation)
        for year in data_years(folder):
            result = check_year(BookId(organisation, year, root))
            if result.ok:
                ready.append(BookId(organisation, year, root))
            else:
                skipped.append(
                    f"{organisation} {year}: hoppas över ({len(result.problems)} fel, "
                    f"{len(result.todo)} uppgifter saknas); kör rapportbok check --org {organisation} "
                    f"--year {year}"
                )
    return ready, skipped


def build_books(
    books: Sequence[BookId],
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    *,
    books_at_once: int | None = None,
    build: BuildFunction = build_book,
) -> list[BookOutcome]:
    """Build every book of `books`; one outcome per book, in the order given.

    `options.executor` None: one book after another, chapters in parallel on `options.jobs` local
    kernels. Otherwise up to `books_at_once` books at once, all their tasks on the executor. A book
    that fails is recorded and the others continue; an interruption stops all of them and raises
    BuildInterrupted. `build` is build_book (tests give a stand-in with the same parameters).
    """
    options = options or BuildOptions()
    progress = progress or Progress()
    books = list(dict.fromkeys(books))  # the same book twice would wait for its own lock
    if not books:
        return []
    if options.executor is None:
        return _one_after_another(books, options, progress, build)
    at_once = max(1, min(len(books), books_at_once or _books_at_once(options.executor)))
    return _side_by_side(books, options, progress, at_once, build)


def _books_at_once(executor: Executor) -> int:
    """One book more than the executor runs tasks at once (a Dask executor says: `slots`), so that
    a book between its steps leaves no slot idle; else DEFAULT_BOOKS_AT_ONCE."""
    slots = getattr(executor, "slots", None)
    return (
        min(MAX_BOOKS_AT_ONCE, slots + 1) if isinstance(slots, int) and slots > 0 else DEFAULT_BOOKS_AT_ONCE
    )


def _one_after_another(
    books: list[BookId], options: BuildOptions, progress: Progress, build: BuildFunction
) -> list[BookOutcome]:
    outcomes: list[BookOutcome] = []
    for book in books:
        progress.step(f"── {book} ──")
        try:
            result = build(book, options, progress)
        except (BuildInterrupted, KeyboardInterrupt) as error:
            outcomes.append(BookOutcome(book, error=error))
            raise BuildInterrupted(_interrupted_message(books, outcomes)) from error
        except Exception as error:  # the book failed: recorded, the next one is built
            outcomes.append(BookOutcome(book, error=error))
        else:
            outcomes.append(BookOutcome(book, result=result))
        progress.step(outcomes[-1].describe())
    return outcomes


def _side_by_side(
    books: list[BookId], options: BuildOptions, progress: Progress, at_once: int, build: BuildFunction
) -> list[BookOutcome]:
    assert options.executor is not None
    shared = StoppableExecutor(options.executor)
    book_options = replace(options, executor=shared)
    progress.step(f"Bygger {len(books)} böcker, {at_once} åt gången …")

    def drive(book: BookId) -> BookOutcome:
        try:
            result = build(book, book_options, BookProgress(progress, book))
        except (Exception, BuildInterrupted, KeyboardInterrupt) as error:
            return BookOutcome(book, error=error)
        return BookOutcome(book, result=result)

    finished: dict[BookId, BookOutcome] = {}
    drivers = ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="rapportbok-bok")
    futures: dict[Future[BookOutcome], BookId] = {}
    try:
        for book in books:  # one by one: an interruption meanwhile still stops the books submitted
            futures[drivers.submit(drive, book)] = book
        for future in as_finished(futures):
            outcome = future.result()
            finished[outcome.book] = outcome
            progress.step(outcome.describe())
    except (BuildInterrupted, KeyboardInterrupt) as error:
        with signals_deferred():  # a second Ctrl-C cannot cut the books' cleanup short
            shared.stop()
            for future in futures:
                future.cancel()  # books not started yet
            wait(futures)  # the running books end their processes and discard what they had not published
        for future, book in futures.items():
            if future.done() and not future.cancelled():
                finished[book] = future.result()
        raise BuildInterrupted(
            _interrupted_message(books, [finished[b] for b in books if b in finished])
        ) from error
    finally:
        drivers.shutdown(wait=False, cancel_futures=True)
    return [finished[book] for book in books]


def _interrupted_message(books: list[BookId], outcomes: list[BookOutcome]) -> str:
    """What an interruption left: the books finished (published or failed), those stopped, the rest."""
    done = {outcome.book: outcome for outcome in outcomes}
    lines = [f"Bygget av {len(books)} böcker avbröts."]
    built = [str(o.book) for o in outcomes if o.ok]
    if built:
        lines.append(f"Klara och publicerade: {', '.join(built)}.")
    lines += [f"Misslyckades: {o.book}: {o.error}" for o in outcomes if not o.ok and not o.interrupted]
    lines += [f"Avbröts: {o.book}: {o.error}" for o in outcomes if o.interrupted]
    untouched = [str(book) for book in books if book not in done]
    if untouched:
        lines.append(f"Påbörjades inte (det publicerade är orört): {', '.join(untouched)}.")
    return "\n".join(lines)


class BookProgress(Progress):
    """A book's progress lines, prefixed with the book, on the shared output of the whole run."""

    def __init__(self, shared: Progress, book: BookId) -> None:
        super().__init__(quiet=shared.quiet, stream=shared.stream)
        self._lock = shared._lock  # lines of books built side by side never interleave mid-line
        self.prefix = f"[{book}] "

    def _print(self, text: str) -> None:
        super()._print(self.prefix + text.lstrip())


class StoppableExecutor(Executor):
    """An executor shared by the books of one run that can be stopped as a whole.

    Tasks go to `inner`; the futures handed out are this class's own, so `stop()` can end every wait at
    once with BuildInterrupted (each book then cleans up as after Ctrl-C) whatever `inner` does with
    its running tasks, and refuses new tasks.
    """

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._stopped = False
        self._running: dict[Future[Any], Future[Any]] = {}  # ours → inner's

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            if self._stopped:
                raise BuildInterrupted(STOPPED)
            inner = self.inner.submit(fn, *args, **kwargs)
            ours: Future[Any] = Future()
            ours.set_running_or_notify_cancel()
            self._running[ours] = inner

        def copy(done: Future[Any]) -> None:
            with self._lock:
                self._running.pop(ours, None)
                if ours.done():
                    return
                if done.cancelled():
                    ours.set_exception(BuildInterrupted(STOPPED))
                elif done.exception() is not None:
                    ours.set_exception(done.exception())
                else:
                    ours.set_result(done.result())

        inner.add_done_callback(copy)  # outside the lock: it runs at once if `inner` is already done
        return ours

    def stop(self) -> None:
        """Refuse new tasks, end every wait for a running one with BuildInterrupted, cancel them."""
        with self._lock:
            self._stopped = True
            running = list(self._running.items())
            self._running.clear()
            for ours, _ in running:
                if not ours.done():
                    ours.set_exception(BuildInterrupted(STOPPED))
        for _, inner in running:
            inner.cancel()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """The inner executor belongs to the caller: it is not shut down here."""
        if cancel_futures:
            self.stop()
