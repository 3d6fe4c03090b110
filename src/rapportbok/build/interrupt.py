"""Stopping a build cleanly: SIGTERM becomes an exception, and a second signal cannot cut the cleanup short.

Which processes end when a build stops is `rapportbok.build.processes`' job: only the build's own.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from rapportbok.exceptions import BuildInterrupted

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def raise_on_sigterm() -> None:
    """Turn SIGTERM into BuildInterrupted in the main thread, so cleanup code runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise BuildInterrupted(f"Avbrutet (signal {signum}).")

    signal.signal(signal.SIGTERM, handler)


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
