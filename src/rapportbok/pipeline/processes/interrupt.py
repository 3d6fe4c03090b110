"""Stopping a build cleanly: SIGTERM becomes an exception, and a second signal cannot cut the cleanup short;
and a signal after the command's work is done still ends the process with 130, never −15.

Which processes end when a build stops is `rapportbok.pipeline.processes.owned`' job: only the build's own.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TypeVar

from rapportbok.exceptions import BuildInterrupted

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
INTERRUPTED = 130  # the exit code of a command stopped by SIGTERM or Ctrl-C
# A waiting main thread wakes this often: the kernel may deliver Ctrl-C to any thread of the process,
# and Python runs the handler in the main thread only when that thread wakes.
WAKE_SECONDS = 0.2

T = TypeVar("T")


class _Process:
    """The command that owns this process (`run_as_process`): whether its work is done, and its code."""

    done = False
    code: int | None = None


def as_finished(futures: Iterable[Future[T]]) -> Iterator[Future[T]]:
    """The futures as they finish, as `concurrent.futures.as_completed` gives them, but waiting in slices
    of WAKE_SECONDS: a Ctrl-C that landed on another thread stops the wait at once instead of when the
    next future ends (a book or a chapter may take minutes)."""
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=WAKE_SECONDS, return_when=FIRST_COMPLETED)
        yield from done


def raise_on_sigterm() -> None:
    """Turn SIGTERM into BuildInterrupted in the main thread, so cleanup code runs."""
    signal.signal(signal.SIGTERM, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _Process.done:  # the command's work is done: the process ends now, as it was told to
        with suppress(Exception):  # e.g. the signal came in the middle of another write to stderr
            print(f"Avbrutet (signal {signum}) efter att kommandot var klart.", file=sys.stderr)
        _exit_now(INTERRUPTED)
    if signum == signal.SIGINT:
        signal.default_int_handler(signum, frame)  # KeyboardInterrupt, as Python's own Ctrl-C
    raise BuildInterrupted(f"Avbrutet (signal {signum}).")


def run_as_process(command: Callable[[], int]) -> int:
    """Run the command that owns this process and return its exit code; SIGTERM or Ctrl-C at any
    instant until the process has ended gives 130.

    While the command runs, SIGTERM raises BuildInterrupted (Ctrl-C KeyboardInterrupt) as usual.
    After it, a signal ends the process at once with 130. Python itself puts the signals' default
    actions back before it tears its modules down, so a signal then would kill the process (−15);
    the process therefore ends after the exit functions (Dask's, logging's) have run, without that
    teardown (`_end`). Only for the `rapportbok` command's own process: it ends the interpreter."""
    atexit.register(_end)  # before any library's (imported later): it runs after theirs
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_signal)
    try:
        try:
            code = command()
        finally:
            _Process.done = True  # from here a signal ends the process with 130
    except SystemExit as exit_:  # e.g. argparse's usage error (2) or --help (0)
        code = _exit_code(exit_.code)
    except (BuildInterrupted, KeyboardInterrupt):  # a signal just as the command returned
        print("Avbrutet.", file=sys.stderr)
        code = INTERRUPTED
    except BaseException:
        _Process.code = 1  # Python prints the traceback, as for any uncaught error
        raise
    _Process.code = code
    return code


def _exit_code(code: object) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


def _end() -> None:
    """The last exit function: end the process with the command's code before Python's teardown."""
    if _Process.code is None:
        return
    logging.shutdown()
    _save_coverage()
    _exit_now(_Process.code)


def _save_coverage() -> None:
    """A process measured by coverage (COVERAGE_PROCESS_START) registered its exit function before
    `_end`, which would skip it: save its data here."""
    coverage = sys.modules.get("coverage")
    if coverage is not None:
        with suppress(Exception):
            current = coverage.Coverage.current()
            if current is not None:
                current.stop()
                current.save()


def _exit_now(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):  # a closed pipe, or a write the signal interrupted
            stream.flush()
    os._exit(code)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGTERM and SIGINT while the block runs (cleanup after a failure); deliver them after it.

    Only the main thread can change signal handlers: elsewhere the block runs unprotected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    previous = {signum: handler for signum, handler in previous.items() if handler is not None}
    for signum in previous:
        signal.signal(signum, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])
