"""The zygote of a build: one process that has imported ipykernel and the chapters' modules once, and
forks a kernel per chapter from that state (run as a child of the build, see `zygote.Zygote`).

What a forked kernel sees is what `python -m ipykernel_launcher -f FILE` would: the job's environment
(exactly, plus JPY_PARENT_PID of its real parent), its working folder, the launcher's `sys.argv` and
`sys.path`, its own session and process group, a fresh seed for `random` (Python's own fork hook) and
NumPy's global generator, and stdin from /dev/null; then `IPKernelApp` starts as the launcher starts it.
The zygote itself has no Python thread and no zmq context when it forks (checked: it refuses to
serve otherwise), and a child never returns into the zygote's loop.

Protocol (one JSON object a line): the zygote first writes {"ready": true} (or {"ready": false,
"reason": ...}); then for each request {"arguments": [...], "cwd": ..., "env": {...}} it forks and
writes {"pid": N}. It ends when its request pipe closes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import importlib
import json
import os
import select
import signal
import sys
from pathlib import Path
from typing import Any

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PR_SET_PDEATHSIG = 1
REAP_SECONDS = 0.2


def serve(requests: int, replies: int, notebooks: list[str]) -> None:
    """Import what the notebooks import, then fork a kernel for every request read from `requests`
    until it closes."""
    from rapportbok.pipeline.processes.warm_kernels import imported_modules

    modules = list(dict.fromkeys(name for path in notebooks for name in imported_modules(Path(path))))
    if not os.environ.get("MPLBACKEND"):  # what ipykernel sets before any notebook imports matplotlib
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher removes it
        del sys.path[0]
    reader = os.fdopen(requests, "r", encoding="utf-8")
    writer = os.fdopen(replies, "w", encoding="utf-8")
    reason = _preload(modules)
    _reply(writer, {"ready": reason is None, "reason": reason})
    if reason is not None:
        return
    while True:
        ready, _, _ = select.select([reader], [], [], REAP_SECONDS)
        _reap()
        if not ready:
            continue
        line = reader.readline()
        if not line:
            return
        zygote = os.getpid()
        pid = os.fork()
        if pid == 0:
            _become_kernel(json.loads(line), (requests, replies), zygote)
        _reply(writer, {"pid": pid})


def _preload(modules: list[str]) -> str | None:
    """Import ipykernel and `modules` (a failed import is left to the notebook) and, for rapportbok's
    chapters, draw and type what their first chart and table would (`views.warm_up`); why forking is
    unsafe."""
    importlib.import_module("ipykernel.kernelapp")
    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    if any(name == "rapportbok.views" or name.startswith("rapportbok.views.") for name in modules):
        with contextlib.suppress(Exception):  # the chapters' first chart and table, done once here
            importlib.import_module("rapportbok.views.warm_up").warm_up()
    gc.collect()
    gc.freeze()  # fewer pages copied into each kernel
    import threading

    # Python threads (and a zmq context's) would be lost mid-work in the child. Native pools that
    # register fork handlers are fine: NumPy's OpenBLAS starts one at import and shuts it down around
    # fork() (pthread_atfork), as every multiprocessing program with NumPy relies on.
    threads = threading.active_count()
    if threads != 1 or ("zmq" in sys.modules and _has_zmq_context()):
        return f"{threads} Python threads or a zmq context after the imports"
    return None


def _has_zmq_context() -> bool:
    zmq = sys.modules["zmq"]
    return getattr(zmq.Context, "_instance", None) is not None


def _reap() -> None:
    """Collect the kernels that ended (the build watches them by pid)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _reply(writer: Any, message: dict[str, Any]) -> None:
    writer.write(json.dumps(message) + "\n")
    writer.flush()


def _become_kernel(request: dict[str, Any], pipes: tuple[int, int], zygote: int) -> None:
    """In the forked child: become `python -m ipykernel_launcher ARGUMENTS` in the request's folder."""
    code = 1
    try:
        for fd in pipes:
            os.close(fd)
        for signum in (signal.SIGTERM, signal.SIGCHLD):  # as in a new Python process
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # as jupyter_client starts a kernel: its own group, interrupted as a whole
        _die_with_zygote(zygote)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        _show_as(request.get("command") or [])
        if "numpy" in sys.modules:  # a fresh kernel seeds it from the OS; the zygote's is shared
            sys.modules["numpy"].random.seed()
        code = _run_kernel(list(request["arguments"]))
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _show_as(command: list[str]) -> None:
    """Rewrite this process's command line (/proc/PID/cmdline, `ps`) to the kernel's command, as far as
    the zygote's (longer) one has room: whoever looks for the build's kernels sees ipykernel_launcher."""
    if not command or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start, end = int(fields[45]), int(fields[46])  # arg_start, arg_end (fields 48 and 49)
        text = "\0".join(command).encode("utf-8", "replace")[: end - start - 1]
        ctypes.memmove(start, text.ljust(end - start, b"\0"), end - start)


def _run_kernel(arguments: list[str]) -> int:
    """Start IPKernelApp as ipykernel_launcher does; the exit code, after the exit handlers ran."""
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [str(ipykernel_launcher.__file__), *arguments]
    code = 0
    try:
        IPKernelApp.launch_instance(argv=arguments)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    atexit._run_exitfuncs()
    return code


def _die_with_zygote(zygote: int) -> None:
    """The kernel ends when the zygote ends (which ends with the build)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote:  # it ended before that took effect
        os._exit(1)
