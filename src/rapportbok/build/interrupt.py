"""Stopping a build cleanly: SIGTERM becomes an exception, and child processes (kernels, Sphinx) end."""

from __future__ import annotations

import signal
from contextlib import suppress
from types import FrameType

import psutil

from rapportbok.exceptions import BuildInterrupted


def raise_on_sigterm() -> None:
    """Turn SIGTERM into BuildInterrupted in the main thread, so cleanup code runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise BuildInterrupted(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def stop_children() -> None:
    """End every process this one started (kernels, Sphinx), politely first."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        with suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=3)
    for child in alive:
        with suppress(psutil.Error):
            child.kill()
