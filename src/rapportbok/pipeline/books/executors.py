"""Where a build's tasks run: the local pool (default), or a Dask cluster (`--executor dask`).

With Dask the chapters (and each book's Sphinx and PDF steps) are tasks on `dask.distributed`: a
LocalCluster of worker processes on this machine, or an existing cluster given by its scheduler's
address. A task only carries paths: every worker must see the project at the same path and run the
same Python environment (the project on a shared file system). That is checked before anything runs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from rapportbok.core.layout import BUILD_FOLDER
from rapportbok.exceptions import UsageError
from rapportbok.pipeline.processes.foreign_errors import dask_error

LOCAL = "lokal"
DASK = "dask"
EXECUTORS = (LOCAL, DASK)
CONNECT_SECONDS = 10  # how long to try to reach a given scheduler
HANDSHAKE_SECONDS = 5  # how long a reached scheduler may take to answer Dask's handshake
START_SECONDS = 120  # how long a LocalCluster's workers may take to start (a loaded machine)
QUIET = logging.ERROR  # Dask's own info and warnings are not for analysts
WORKER_LOG = "RAPPORTBOK_WORKER_LOG"  # tells a LocalCluster's worker where to write what it prints
WORKER_LOG_FILE = "dask-workers.log"  # in the project's build folder


@contextmanager
def open_executor(
    kind: str | None = LOCAL,
    scheduler: str | None = None,
    workers: int | None = None,
    *,
    project: Path | None = None,
) -> Iterator[Executor | None]:
    """The executor for `kind`: None for "lokal" (the default local pool), or a Dask executor.

    "dask" starts a LocalCluster of `workers` single-threaded worker processes (default: one per
    core) unless `scheduler` (e.g. tcp://host:8786) names a running cluster; `scheduler` alone means
    "dask". The workers are checked first: they must import this rapportbok from the same place, with
    the same Python, and see `project` at the same path. The cluster (if started here) stops at the end.
    """
    kind = DASK if kind is None and scheduler is not None else (kind or LOCAL)
    if kind not in EXECUTORS:
        raise UsageError(f"--executor ska vara {' eller '.join(EXECUTORS)}, inte {kind!r}.")
    if kind == LOCAL:
        if scheduler is not None:
            raise UsageError("--scheduler gäller bara --executor dask: ta bort --scheduler eller välj dask.")
        yield None
        return
    if scheduler is not None and workers is not None:
        raise UsageError(
            "Antalet arbetare bestäms av klustret när --scheduler anges; "
            "ta bort antalet (--jobs) eller --scheduler."
        )
    distributed = _import_distributed()
    log = None if project is None else project.resolve() / BUILD_FOLDER / WORKER_LOG_FILE
    with _dask_logs_quiet(), _client(distributed, scheduler, workers, log) as client:
        check_workers(client, project, scheduler)
        yield DaskExecutor(client, pure=False)  # pure=False: every task runs, its files are written


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise UsageError(
            "--executor dask kräver Dask (paketet distributed), som inte är installerat i den här "
            f"Python-miljön ({sys.prefix}). Installera det med: pip install 'dask[distributed]' "
            "– eller bygg utan --executor dask."
        ) from error
    return distributed


@contextmanager
def _client(distributed: Any, scheduler: str | None, workers: int | None, log: Path | None) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a new LocalCluster (closed afterwards) whose
    workers write what they print to `log`."""
    if scheduler is None:
        with (
            distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # one task (a chapter's kernel, Sphinx, the PDF) per process
                processes=True,
                dashboard_address=None,
                silence_logs=QUIET,
                preload=[__name__],  # dask_setup below, in every worker
                env={} if log is None else {WORKER_LOG: str(log)},
            ) as cluster,
            distributed.Client(cluster, timeout=START_SECONDS) as client,
        ):
            yield client
        return
    _handshake(scheduler)
    import dask.config

    with dask.config.set({"distributed.comm.timeouts.connect": CONNECT_SECONDS}):  # every connection
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as error:
            raise UsageError(_unreachable(scheduler, dask_error(error))) from error
        with client:
            if not client.scheduler_info().get("workers"):
                with suppress(TimeoutError, OSError):
                    client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            yield client


def _handshake(scheduler: str) -> None:
    """Reach `scheduler` within CONNECT_SECONDS and have it answer Dask's handshake within
    HANDSHAKE_SECONDS: else UsageError naming the address. Dask's own client bounds the connection but
    not the handshake, so an address that accepts TCP but never speaks Dask (or a web server) hung it."""
    from distributed.comm import connect, parse_address, parse_host_port

    try:
        scheme, location = parse_address(scheduler)  # "värd:8786" means tcp://värd:8786, as for Dask
        host, port = parse_host_port(location, 8786) if scheme in ("tcp", "tls") else (None, None)
    except ValueError as error:  # e.g. an unknown protocol, a port that is not a number
        raise UsageError(_no_address(scheduler)) from error
    if host is not None:
        try:
            socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
        except TimeoutError as error:
            raise UsageError(_unreachable(scheduler, f"ingen anslutning inom {CONNECT_SECONDS} s")) from error
        except OSError as error:
            raise UsageError(_unreachable(scheduler, dask_error(error))) from error
        except (ValueError, OverflowError) as error:  # e.g. a host name too long to look up
            raise UsageError(_no_address(scheduler)) from error

    async def exchange() -> None:
        comm = await asyncio.wait_for(connect(scheduler, timeout=CONNECT_SECONDS), HANDSHAKE_SECONDS)
        await comm.close()

    try:
        with ThreadPoolExecutor(1, thread_name_prefix="rapportbok-dask-handslag") as pool:
            pool.submit(asyncio.run, exchange()).result()
    except ValueError as error:
        raise UsageError(_no_address(scheduler)) from error
    except TimeoutError as error:  # reached, but no handshake
        raise UsageError(
            _not_dask(scheduler, f"svarar inte på Dasks handslag inom {HANDSHAKE_SECONDS} s")
        ) from error
    except OSError as error:
        if type(error).__name__ not in ("CommClosedError", "StreamClosedError"):
            raise UsageError(_unreachable(scheduler, dask_error(error))) from error
        raise UsageError(_not_dask(scheduler, "stängde förbindelsen under Dasks handslag")) from error
    except Exception as error:  # an answer that is not Dask's (e.g. a web server's) cannot be decoded
        raise UsageError(_not_dask(scheduler, "svarade något som inte är Dasks handslag")) from error


def _shown(scheduler: str) -> str:
    """The address as a message shows it (a very long one cut)."""
    return scheduler if len(scheduler) <= 80 else scheduler[:77] + "…"


def _no_address(scheduler: str) -> str:
    return (
        f"--scheduler {_shown(scheduler)!r} är ingen adress till en Dask-scheduler; "
        "ange t.ex. tcp://värd:8786."
    )


def _unreachable(scheduler: str, why: str) -> str:
    return (
        f"Dask-schedulern på {_shown(scheduler)} svarar inte ({why}). "
        "Kontrollera att adressen och porten stämmer (t.ex. tcp://värd:8786), att schedulern "
        "är startad (dask scheduler) och att ingen brandvägg stoppar anslutningen."
    )


def _not_dask(scheduler: str, what: str) -> str:
    return (
        f"{_shown(scheduler)} {what}: där finns ingen Dask-scheduler. Kontrollera att adressen och "
        "porten går till en Dask-scheduler (dask scheduler, vanligen port 8786) och inte till något annat, "
        "t.ex. en webbserver eller Dasks instrumentpanel (port 8787)."
    )


def dask_setup(worker: Any) -> None:
    """Run by each worker of the LocalCluster as it starts (Dask's preload hook).

    Ctrl-C in a terminal reaches every process of the terminal's process group, the cluster's worker
    processes too. The build handles it (it stops its own processes and closes the cluster); a worker
    that took it as its own would die with a traceback instead. So the workers ignore SIGINT; the
    kernels they start inherit that. SIGTERM still ends them. What the workers and the kernels they
    start print (e.g. a kernel that was starting as the build stopped) goes to `_build/dask-workers.log`
    when the project is known."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    log = os.environ.get(WORKER_LOG)
    if log:  # what the worker and its kernels print goes to the log, not into the analyst's terminal
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        for stream in (1, 2):
            os.dup2(handle, stream)
        os.close(handle)


def worker_environment(project: str | None) -> dict[str, Any]:
    """Where a worker finds rapportbok and Python, and whether it sees the project (run on a worker)."""
    import rapportbok

    return {
        "rapportbok": os.path.realpath(os.path.dirname(rapportbok.__file__)),
        "python": os.path.realpath(sys.prefix),
        "project": None if project is None else os.path.isdir(project),
    }


def check_workers(client: Any, project: Path | None, scheduler: str | None) -> None:
    """Every worker imports this rapportbok, with this Python, and sees the project: else UsageError."""
    where = f"klustret på {scheduler}" if scheduler is not None else "det lokala Dask-klustret"
    if not client.scheduler_info().get("workers"):
        raise UsageError(
            f"{where[0].upper()}{where[1:]} har inga arbetare (workers). Starta minst en på en dator "
            f"som ser projektet: dask worker {scheduler or 'ADRESS'}"
        )
    shown = None if project is None else str(project.resolve())
    try:
        found = client.run(worker_environment, shown)
    except Exception as error:  # Dask passes the worker's error on as a plain Exception with its text
        raise UsageError(
            f"Arbetarna i {where} kan inte läsa in rapportbok ({dask_error(error)}). "
            "Varje arbetare måste köra samma Python-miljö som bygget och se projektet på samma "
            "sökväg (en delad filyta)."
        ) from error
    ours = worker_environment(shown)
    for address, theirs in sorted(found.items()):
        wrong = []
        if theirs["rapportbok"] != ours["rapportbok"]:
            wrong.append(f"rapportbok från {theirs['rapportbok']} i stället för {ours['rapportbok']}")
        if theirs["python"] != ours["python"]:
            wrong.append(f"Python-miljön {theirs['python']} i stället för {ours['python']}")
        if theirs["project"] is False:
            wrong.append(f"projektmappen {shown} finns inte där")
        if wrong:
            raise UsageError(
                f"Arbetaren {address} i {where} kan inte bygga: {'; '.join(wrong)}. Varje arbetare "
                "måste se projektet på samma sökväg (en delad filyta) och köra samma Python-miljö."
            )


@contextmanager
def _dask_logs_quiet() -> Iterator[None]:
    """Dask's loggers say only errors while the executor is open."""
    loggers = [logging.getLogger(name) for name in ("distributed", "bokeh", "tornado")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(QUIET)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _client_executor() -> type:
    from distributed.cfexecutor import ClientExecutor

    return ClientExecutor


class DaskExecutor(Executor):
    """Dask's concurrent.futures executor for `client`, which also says how many tasks run at once."""

    def __init__(self, client: Any, **options: Any) -> None:
        self.client = client
        self._inner = _client_executor()(client, **options)

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait)

    @property
    def slots(self) -> int:
        """The threads of all workers: how many tasks the cluster runs at once now."""
        return sum(self.client.nthreads().values()) or 1
