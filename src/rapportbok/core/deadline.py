"""A wall-clock bound for work that reads authored input (a whole `check`, the filling in of a text).

`time_limit(seconds)` interrupts the work with `TimeLimitExceeded` when it runs too long: by SIGALRM when
it runs in the main thread (the CLI, and a kernel running a cell), and cooperatively everywhere, through
`Deadline.check()` between steps. Limits nest: an inner one (a text within a check) is only
cooperative, and tells its own interruption from an outer one's by `Deadline.expired`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from rapportbok.exceptions import TimeLimitExceeded

# Seconds a cell, a text, a whole check or an import may take unless --timeout says otherwise.
DEFAULT_TIMEOUT = 600

ALARM_SLACK = 0.01  # seconds by which the alarm may come before the monotonic clock says the time is up


@dataclass(frozen=True)
class Deadline:
    """The moment the work must have finished."""

    seconds: float
    ends: float

    @property
    def expired(self) -> bool:
        """The time is up (within the alarm's precision): an interruption is this limit's, not an
        outer one's."""
        return time.monotonic() >= self.ends - ALARM_SLACK

    def check(self) -> None:
        """Raise TimeLimitExceeded once the time is up."""
        if time.monotonic() > self.ends:
            raise TimeLimitExceeded(f"mer än {self.seconds:g} s")


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Bound the enclosed work to `seconds` of wall-clock time."""
    if not seconds > 0:
        raise ValueError("the time limit must be positive")
    deadline = Deadline(seconds, time.monotonic() + seconds)
    use_alarm = (
        threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nobody else is timing this process
    )
    if not use_alarm:
        yield deadline
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"mer än {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
