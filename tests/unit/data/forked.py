"""Run a command in a child process (a fork of the test, so nothing is imported again) that may be
killed by the transaction's test hook, RAPPORTBOK_TEST_KILL_AT (see rapportbok.data.transaction)."""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapportbok.data import transaction

KILLED = -signal.SIGKILL


@dataclass
class Child:
    """A running child: its pid and the file its stdout and stderr go to."""

    pid: int
    output: Path

    def wait(self) -> tuple[int, str]:
        """Its exit code (negative: the signal that ended it) and everything it printed."""
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status), self.output.read_text(encoding="utf-8", errors="replace")

    def printed(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace") if self.output.exists() else ""

    def wait_for_output(self, text: str, seconds: float = 60.0) -> bool:
        """Whether the child printed `text` within `seconds` (polled; not a timing assertion)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if text in self.printed():
                return True
            time.sleep(0.05)
        return False


def start(
    run: Callable[[], int], output: Path, *, cwd: Path | None = None, kill_at: str | None = None
) -> Child:
    """Fork; the child runs `run()` (with the kill hook set to `kill_at`) and exits with its return."""
    output.write_bytes(b"")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            fd = os.open(output, os.O_WRONLY | os.O_APPEND)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            if cwd is not None:
                os.chdir(cwd)
            os.environ.pop(transaction.KILL_VARIABLE, None)
            if kill_at is not None:
                os.environ[transaction.KILL_VARIABLE] = kill_at
            transaction._steps = 0
            code = run()
        except BaseException as error:
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return Child(pid, output)


def run(
    run: Callable[[], int], output: Path, *, cwd: Path | None = None, kill_at: str | None = None
) -> tuple[int, str]:
    return start(run, output, cwd=cwd, kill_at=kill_at).wait()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (hidden ones too): files by SHA-256, folders as 'folder'."""
    return {
        path.relative_to(folder).as_posix(): (
            "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        )
        for path in sorted(folder.rglob("*"))
    }
