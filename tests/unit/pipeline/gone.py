"""Waiting for a process to end, for the tests of processes the build starts."""

from __future__ import annotations

import time

import psutil


def gone(pid: int, within: float = 60) -> bool:
    """Whether process `pid` ended (or is a zombie) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False
