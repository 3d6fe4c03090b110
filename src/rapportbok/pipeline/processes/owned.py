"""The processes a build starts, and ending exactly those.

Every process the build starts – chapter kernels (wherever the executor runs them), Sphinx, the PDF
process – carries the build's id in its environment (`RAPPORTBOK_BUILD`), and so does everything those
start in turn, e.g. a background process a notebook cell launched. At the end of a build, and when it
fails or is interrupted, exactly the processes with that id end (and their descendants). A caller's
other processes – e.g. the workers of a Dask cluster whose executor ran the chapters – are left alone.
Sphinx and the PDF process also run in their own process group, so Ctrl-C in a terminal reaches the
build only, which then stops them; they end by themselves if the build is killed outright.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BUILD_ID = "RAPPORTBOK_BUILD"
PARENT_PID = "RAPPORTBOK_BUILD_PARENT"
GRACE_SECONDS = 3.0
PR_SET_PDEATHSIG = 1


@dataclass
class BuildProcesses:
    """The processes of one build, recognised by the id in their environment."""

    build_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def environment(self) -> dict[str, str]:
        """What every process the build starts gets added to its environment."""
        return {BUILD_ID: self.build_id}

    def child_environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The full environment of a child the build starts itself (Sphinx, the PDF process)."""
        return {**os.environ, **(extra or {}), **self.environment(), PARENT_PID: str(os.getpid())}

    def running(self) -> list[psutil.Process]:
        """Every live process with this build's id, and their descendants."""
        return marked_processes(self.build_id)

    def stop(self) -> None:
        """End every process of this build: politely first, then by force."""
        stop_processes(self.build_id)

    def record(self, path: Path) -> None:
        """Note the id where the next build of the same year finds it, should this one be killed."""
        path.write_text(json.dumps({"id": self.build_id, "pid": os.getpid()}), encoding="utf-8")


def stop_leftovers(path: Path) -> None:
    """End what a killed build recorded in `path` had started, then forget it."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))["id"]
    except (OSError, ValueError, KeyError, TypeError):
        recorded = None
    if isinstance(recorded, str) and recorded:
        stop_processes(recorded)
    path.unlink(missing_ok=True)


def marked_processes(build_id: str) -> list[psutil.Process]:
    """Live processes whose environment carries `build_id`, and all their descendants."""
    own = {os.getpid(), *(parent.pid for parent in psutil.Process().parents())}
    found: dict[int, psutil.Process] = {}
    for process in psutil.process_iter():
        if process.pid in own:
            continue
        try:
            if process.environ().get(BUILD_ID) != build_id:
                continue
            found[process.pid] = process
            for child in process.children(recursive=True):
                found.setdefault(child.pid, child)
        except (psutil.Error, OSError):
            continue
    return [process for pid, process in found.items() if pid not in own]


def stop_processes(build_id: str) -> None:
    """Terminate the marked processes, wait, kill what is left; repeat while new ones appear."""
    for _ in range(5):
        processes = marked_processes(build_id)
        if not processes:
            return
        for process in processes:
            with suppress(psutil.Error):
                process.terminate()
        _, alive = psutil.wait_procs(processes, timeout=GRACE_SECONDS)
        for process in alive:
            with suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(alive, timeout=GRACE_SECONDS)


def run_child(
    command: Sequence[str], *, cwd: Path, env: dict[str, str], log: Path
) -> subprocess.CompletedProcess[str]:
    """Run a child in its own process group with its output in `log`; end its group if interrupted.

    Whatever stops the waiting build (SIGTERM, Ctrl-C, an exception) stops the child's whole process
    group before it propagates, so the child can never outlive or outvote the build.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait(process)
        except BaseException:
            end_group(process)
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, log.read_text(encoding="utf-8"), "")


def _wait(process: subprocess.Popen) -> None:
    """Wait for the child by polling (`wait` with a timeout polls every few milliseconds): a blocking
    wait cannot be interrupted when a signal reaches another thread of the build."""
    while True:
        try:
            process.wait(timeout=60)
            return
        except subprocess.TimeoutExpired:
            continue


def end_group(process: subprocess.Popen) -> None:
    """Terminate a child's process group, then kill it if it does not end in time."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=GRACE_SECONDS)
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # what the leader left in its group
            return
        except subprocess.TimeoutExpired:
            continue


# The first lines a child of the build runs, before it imports anything slow (so a build killed while
# the child starts still takes it along): default signal actions, so no library in the child can catch
# SIGTERM or SIGINT and carry on; end at once when the build dies (Linux: PR_SET_PDEATHSIG); and end
# now if the build died before that took effect.
DIE_WITH_PARENT = f"""
import ctypes, os, signal, sys
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.SIG_DFL)
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None, use_errno=True).prctl({PR_SET_PDEATHSIG}, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
if os.environ.get("{PARENT_PID}", str(os.getppid())) != str(os.getppid()):
    os._exit(1)
"""


def child_command(code: str, *arguments: str) -> list[str]:
    """A Python child of the build that runs DIE_WITH_PARENT first, then `code` (with `arguments`)."""
    return [sys.executable, "-c", DIE_WITH_PARENT + code, *arguments]


def die_with_parent() -> None:
    """Run DIE_WITH_PARENT in this process (a child started some other way)."""
    exec(DIE_WITH_PARENT, {})
