"""Jupyter's and Dask's own errors in Swedish: what the build says when a library's failure reaches the
analyst. The library's text is not shown (it is English); its error type is, in brackets, for whoever
helps with the fault. An error that is not recognised keeps its type and text.
"""

from __future__ import annotations

import logging
import re

# (error type name or None for any, pattern on the text, the Swedish text; {0} is the pattern's group)
_KERNEL = (
    (
        "DeadKernelError",
        None,
        "kärnan (Python-processen som kör kapitlet) dog medan en cell kördes – "
        "oftast för att minnet tog slut eller för att processen stoppades utifrån",
    ),
    (
        None,
        re.compile(r"Kernel died before replying to kernel_info"),
        "kärnan (Python-processen som kör kapitlet) dog innan den hann svara när den startade",
    ),
    (
        None,
        re.compile(r"Kernel didn't respond to heartbeats"),
        "kärnan (Python-processen som kör kapitlet) slutade svara",
    ),
    (
        None,
        re.compile(r"Kernel didn't respond in (\d+) seconds"),
        "kärnan (Python-processen som kör kapitlet) startade inte inom {0} s",
    ),
    ("ZMQError", None, "kärnan kunde inte öppna sina portar på den här datorn (en annan process tog dem)"),
    ("NoSuchKernel", None, "Python-kärnan python3 finns inte i den här Python-miljön"),
)
_DASK = (
    (
        "KilledWorker",
        None,
        "Dask-arbetaren som körde uppgiften dog (flera gånger) – oftast för att minnet "
        "tog slut; se _build/dask-workers.log för ett lokalt kluster",
    ),
    (
        None,
        re.compile(r"Timed out trying to connect to \S+ after ([\d.]+) s"),
        "ingen anslutning till Dask-klustret inom {0} s",
    ),
    ("CommClosedError", None, "förbindelsen med Dask-klustret bröts"),
    ("StreamClosedError", None, "förbindelsen med Dask-klustret bröts"),
    ("FutureCancelledError", None, "Dask-klustret avbröt uppgiften (schedulern eller arbetaren stoppades)"),
    ("CancelledError", None, "Dask-klustret avbröt uppgiften (schedulern eller arbetaren stoppades)"),
    ("ConnectionRefusedError", None, "anslutningen nekades: ingen lyssnar på den porten"),
    ("gaierror", None, "datorns namn hittas inte (DNS)"),
)
# Library log lines whose failure the build reports itself, in Swedish (they would reach the terminal).
_REPORTED_LOG_LINES = re.compile(r"Kernel died while waiting for execute reply|Kernel died before replying")


def kernel_error(error: BaseException) -> str:
    """A Jupyter (kernel) failure as a Swedish phrase, e.g. for "Kapitlet ekonomi misslyckades: …"."""
    return _translated(error, _KERNEL + _DASK)


def dask_error(error: BaseException) -> str:
    """A Dask failure (connection, worker, task) as a Swedish phrase."""
    return _translated(error, _DASK)


def _translated(
    error: BaseException, table: tuple[tuple[str | None, re.Pattern[str] | None, str], ...]
) -> str:
    names = {kind.__name__ for kind in type(error).__mro__}
    text = str(error)
    for name, pattern, swedish in table:
        if name is not None and name not in names:
            continue
        if pattern is None:
            return f"{swedish} [{type(error).__name__}]"
        found = pattern.search(text)
        if found is not None:
            return f"{swedish.format(*found.groups())} [{type(error).__name__}]"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class ReportedInSwedish(logging.Filter):
    """Drops a library's English log line about a failure the build reports itself in Swedish."""

    def filter(self, record: logging.LogRecord) -> bool:
        return _REPORTED_LOG_LINES.search(record.getMessage()) is None
