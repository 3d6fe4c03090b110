"""Chapter kernels forked from a warm parent (a "zygote") instead of started cold.

A fresh kernel spends most of its start importing ipykernel, pandas, matplotlib and the package. A build
that runs its chapters on the local pool starts one zygote (`fork_server`) that imports these once
(and draws a chart and types a table once, `views.warm_up`, the first of each being the dearest);
each chapter's kernel is then forked from it by `kernels.ForkedProvisioner`, a jupyter_client kernel
provisioner that `kernels.BuildKernelManager` uses when it is given a zygote. The executed notebooks are the
same bytes as with fresh kernels (tested); a notebook's changes to module globals (rcParams, pandas
options) stay in its own kernel, which is a copy of the zygote, not the zygote.

Ending: the zygote carries the build's marker (`owned`), runs in its own session, dies with the build
(PR_SET_PDEATHSIG) and ends when the build closes its request pipe; each kernel dies with the zygote.
When the zygote cannot start or serve, the chapter gets a fresh kernel as before. Set
RAPPORTBOK_KERNELS=fresh to start every kernel fresh (benchmarks compare the two).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from rapportbok.pipeline.processes.owned import PARENT_PID, child_command

KERNELS_SETTING = "RAPPORTBOK_KERNELS"
FORK_FROM = 2  # chapters needing a new kernel from which they are forked (one: a fresh kernel is cheaper)
READY_SECONDS = 120.0
FORK_SECONDS = 30.0
LAUNCHER = "ipykernel_launcher"
SERVE = (
    "import json, sys\n"
    "from rapportbok.pipeline.processes.fork_server import serve\n"
    "serve(int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]))\n"
)


_STARTED_AHEAD: dict[str, Zygote] = {}  # by the build's marker: started before its chapters are known
_AHEAD_LOCK = threading.Lock()


@contextmanager
def started_ahead(environment: dict[str, str], notebooks: list[Path]) -> Iterator[None]:
    """Start the build's zygote now, while the build checks its inputs, for the chapters about to run
    (`notebooks`, the stale ones); `run_chapters` takes it. Ended here if no chapter run took it."""
    key = json.dumps(environment, sort_keys=True)
    if len(notebooks) >= FORK_FROM and forking_enabled() and key not in _STARTED_AHEAD:
        with suppress(OSError), _AHEAD_LOCK:
            _STARTED_AHEAD[key] = Zygote(environment, notebooks)
    try:
        yield
    finally:
        with _AHEAD_LOCK:
            left = _STARTED_AHEAD.pop(key, None)
        if left is not None:
            left.close()


def take_started(environment: dict[str, str]) -> Zygote | None:
    """The zygote started ahead for the build with this marker, now owned by the caller (or None)."""
    with _AHEAD_LOCK:
        return _STARTED_AHEAD.pop(json.dumps(environment, sort_keys=True), None)


def forking_enabled() -> bool:
    """Whether chapters may use a zygote (RAPPORTBOK_KERNELS=fresh turns it off)."""
    return os.environ.get(KERNELS_SETTING, "").strip().lower() != "fresh"


class Zygote:
    """The build's side of one zygote: start it, ask it for kernels, end it."""

    def __init__(self, environment: dict[str, str], notebooks: list[Path]) -> None:
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                child_command(
                    SERVE,
                    str(requests_read),
                    str(replies_write),
                    json.dumps([str(path) for path in notebooks]),
                ),
                env={**os.environ, **environment, PARENT_PID: str(os.getpid())},
                pass_fds=(requests_read, replies_write),
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches the build, which ends the zygote
            )
        finally:
            os.close(requests_read)
            os.close(replies_write)
        self._lock = threading.Lock()
        self._ready: bool | None = None
        self._buffer = b""

    def __deepcopy__(self, memo: dict[int, Any]) -> Zygote:
        return self  # passed through traitlets' config, which copies its values

    def fork(self, command: list[str], cwd: str, env: dict[str, str]) -> int | None:
        """A kernel forked for the launcher's `command`, in `cwd` with `env`: its pid, or None."""
        arguments = _launcher_arguments(command)
        if arguments is None or not _this_python(command[0]):
            return None
        with self._lock:
            if self._ready is None:
                ready = self._read(READY_SECONDS)
                self._ready = ready is not None and bool(ready.get("ready"))
            if not self._ready:
                return None
            request = {"arguments": arguments, "command": command, "cwd": cwd, "env": env}
            try:
                os.write(self._requests, (json.dumps(request) + "\n").encode())
            except OSError:
                self._ready = False
                return None
            reply = self._read(FORK_SECONDS)
            pid = None if reply is None else reply.get("pid")
            if not isinstance(pid, int):
                self._ready = False  # a zygote that does not answer serves no one after this
                return None
            return pid

    def _read(self, seconds: float) -> dict[str, Any] | None:
        """The zygote's next message, or None when it ended or did not answer in `seconds`."""
        deadline = time.monotonic() + seconds
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            try:
                chunk = os.read(self._replies, 65536) if left > 0 and _readable(self._replies, left) else b""
            except OSError:
                chunk = b""
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            return None
        return message if isinstance(message, dict) else None

    def close(self) -> None:
        """End the zygote (kernels still running end with it)."""
        with suppress(OSError):
            os.close(self._requests)
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with suppress(OSError):
            os.close(self._replies)


def _readable(fd: int, seconds: float) -> bool:
    return bool(select.select([fd], [], [], seconds)[0])


def _this_python(program: str) -> bool:
    """Whether the kernel command's interpreter is the one the zygote runs (else: a fresh kernel)."""
    found = shutil.which(program)
    return found is not None and os.path.realpath(found) == os.path.realpath(sys.executable)


def _launcher_arguments(cmd: list[str]) -> list[str] | None:
    """The arguments after `-m ipykernel_launcher` in the kernel command, or None for another kernel."""
    for position in range(len(cmd) - 1):
        if cmd[position] == "-m" and cmd[position + 1] == LAUNCHER:
            return list(cmd[position + 2 :])
    return None
