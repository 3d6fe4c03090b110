"""Run a command in a child process (a fork of the test, so nothing is imported again) that may be
killed by the transaction's test hook, RAPPORTBOK_TEST_KILL_AT (see rapportbok.data.transaction).

`paused_before_commit` runs a writer once up to its transaction's commit and then commits (and is
killed) as often as asked, each time in a fork of that paused writer: every step a writer can be
killed at is inside `Transaction.commit`, so what comes before it (reading a workbook, checking the
year on a copy) need not be done again for each step."""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

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


@dataclass
class PausedWriter:
    """A writer paused where its transaction would commit (see `paused_before_commit`)."""

    child: Child
    requests: int  # write end: "<kill_at>\t<output>\n" per commit
    replies: TextIO  # read end (a text file): the exit code of each commit's run, or "ready"

    def commit(self, output: Path, *, kill_at: str | None = None) -> tuple[int, str]:
        """Commit in a fork of the paused writer, killed by the hook at `kill_at` (None: not killed); that
        fork then ends as the writer would have (printing to `output`). Its exit code and what it printed."""
        output.write_bytes(b"")
        os.write(self.requests, f"{kill_at or ''}\t{output}\n".encode())
        reply = self.replies.readline()
        if not reply:
            raise AssertionError(f"the paused writer ended: {self.child.printed()}")
        return int(reply), output.read_text(encoding="utf-8", errors="replace")


@contextmanager
def paused_before_commit(run: Callable[[], int], output: Path, *, cwd: Path) -> Iterator[PausedWriter]:
    """Run `run()` (a writer, in `cwd`) in a child until it calls `Transaction.commit`, then keep it there.

    Each `commit()` forks the paused child; the fork commits with the kill hook set and carries on as
    the writer does. The files the writer read before its commit must be the same for each commit
    (the caller puts a fresh copy of the project at `cwd` before each): the paused state refers to them
    by path. Every checkpoint of the hook is in `commit`, so step N here is step N of the whole writer."""
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    original = transaction.Transaction.commit

    def serve(paused: transaction.Transaction) -> None:
        os.close(request_write)
        os.close(reply_read)
        replies = open(reply_write, "w", encoding="utf-8")  # noqa: SIM115
        replies.write("ready\n")
        replies.flush()
        for line in open(request_read, encoding="utf-8"):  # noqa: SIM115
            kill_at, printed_to = line.rstrip("\n").split("\t", 1)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the fork commits and returns into the writer, which ends as it would have
                fd = os.open(printed_to, os.O_WRONLY | os.O_APPEND)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.close(fd)
                transaction.Transaction.commit = original
                os.environ.pop(transaction.KILL_VARIABLE, None)
                if kill_at:
                    os.environ[transaction.KILL_VARIABLE] = kill_at
                transaction._steps = 0
                original(paused)
                return
            _, status = os.waitpid(pid, 0)
            replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
            replies.flush()
        os._exit(0)

    def paused_run() -> int:
        transaction.Transaction.commit = serve
        return run()

    child = start(paused_run, output, cwd=cwd)
    os.close(request_read)
    os.close(reply_write)
    replies = open(reply_read, encoding="utf-8")  # noqa: SIM115
    try:
        if replies.readline() != "ready\n":
            raise AssertionError(f"the writer ended before its commit: {child.printed()}")
        yield PausedWriter(child, request_write, replies)
    finally:
        os.close(request_write)
        replies.close()
        child.wait()
