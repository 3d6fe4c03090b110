"""Progress of a build for the analyst: one line per chapter and step, quiet on request."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

STATES = {
    "queued": "i kö",
    "running": "körs",
    "reused": "återanvänds (oförändrat)",
    "failed": "MISSLYCKADES",
}


class Progress:
    """Prints plain lines (CI logs); on a terminal the chapter names are bold. `quiet`: errors only."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.terminal = self.stream.isatty()
        self._lock = threading.Lock()

    def _print(self, text: str) -> None:
        if not self.quiet:
            with self._lock:
                print(text, file=self.stream, flush=True)

    def chapter(self, name: str, state: str, seconds: float | None = None) -> None:
        shown = f"\033[1m{name}\033[0m" if self.terminal else name
        text = f"klar på {seconds:.1f} s" if state == "done" and seconds is not None else STATES[state]
        self._print(f"  {shown}: {text}")

    def step(self, text: str) -> None:
        self._print(text)

    def warning(self, text: str) -> None:
        self._print(f"Varning: {text}")
