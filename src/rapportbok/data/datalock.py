"""One organisation's data has one lock, `data/<org>/.rapportbok.lock`.

Every command that writes under `data/<org>/` (import, new-year) holds it exclusively; every command that
reads a year to publish or check it (build, check, preview's rebuilds, site) holds it shared. So a build
never reads a half-written year, two writers never interleave, and readers of the same organisation run
side by side. `migrate`, which moves year folders from data/ into data/<org>/, holds `data/.rapportbok.lock`
(and the organisation's lock when its folder exists).

Whoever holds a lock exclusively (or can take it for a moment) first completes or undoes an interrupted
write (`transaction.recover`): a reader never sees a half-made change, and a killed writer's journal and
temporary files are gone before the next command looks at the data.

A writer waits up to WRITE_WAIT seconds for another command to finish, saying so in one line, then
refuses with DataBusy (nothing written). The lock goes with the process (flock): a killed command leaves
no lock behind. The lock file itself is removed by the last holder that can take it exclusively, so no
stray file stays in data/ (every holder checks, after locking, that it holds the file the name points to).
The lock belongs to the open file, which a fork() shares and an exec() does not (O_CLOEXEC): a process
forked while the lock is held holds it until it exits too.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.data.transaction import JOURNAL, JOURNAL_TMP, needs_recovery, recover
from rapportbok.exceptions import DataBusy, TransactionError

LOCK_FILE = ".rapportbok.lock"
POLL_SECONDS = 0.1
WRITE_WAIT = 10.0  # seconds a writer waits for a build or another writer before it refuses
_HELD: dict[tuple[int, int, str], bool] = {}  # (process, thread, folder) → held exclusively


def lock_file(org_dir: Path) -> Path:
    """The lock file of the organisation whose folder is `org_dir` (data/<org>)."""
    return org_dir / LOCK_FILE


@contextmanager
def organisation_lock(
    org_dir: Path, *, write: bool, wait: float = 0.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the organisation's data lock: exclusive when `write`, else shared.

    Waits up to `wait` seconds for another holder to finish, then raises DataBusy naming what holds it;
    the one line said while waiting is `on_wait`'s when given (a build says it through its progress).
    An interrupted write (of the organisation, or of migrate in data/) is completed or undone first.
    A read-only data folder (no lock file can be made) is read without a lock: nothing can write it."""
    deadline = time.monotonic() + wait
    if needs_recovery_here(org_dir.parent):  # a migrate was interrupted: finish it first
        with _folder_lock(org_dir.parent, write=True, deadline=deadline, busy=_busy_message(org_dir, write)):
            pass
    busy = _busy_message(org_dir, write)
    with _folder_lock(org_dir, write=write, deadline=deadline, busy=busy, on_wait=on_wait):
        yield


def settle(data_root: Path, *, wait: float = 0.0) -> None:
    """Finish an interrupted `migrate` (a journal in data/ itself, or only its lock file left) before
    anything looks for organisations; nothing to do, and nothing locked, when there is none."""
    if needs_recovery_here(data_root) or os.path.lexists(lock_file(data_root)):
        with data_lock(data_root, wait=wait):
            pass


def needs_recovery_here(folder: Path) -> bool:
    """Whether `folder` holds a journal (one or two stat calls)."""
    return os.path.lexists(folder / JOURNAL) or os.path.lexists(folder / JOURNAL_TMP)


@contextmanager
def data_lock(data_root: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold data/'s own lock exclusively (migrate, which moves year folders between organisations)."""
    busy = "data/ används av ett annat kommando just nu (migrate). Inget har flyttats; försök igen sedan."
    with _folder_lock(data_root, write=True, deadline=time.monotonic() + wait, busy=busy):
        yield


@contextmanager
def _folder_lock(
    folder: Path, *, write: bool, deadline: float, busy: str, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """The lock of `folder` (its .rapportbok.lock), exclusive or shared, recovered first. Re-entrant in
    one thread: a reader inside a writer (new-year loads the year it copies) uses the lock already held."""
    key = (os.getpid(), threading.get_ident(), os.path.realpath(folder))
    if key in _HELD:
        if write and not _HELD[key]:
            raise DataBusy(busy, file=display_path(lock_file(folder)))
        yield
        return
    with _flock(folder, write=write, deadline=deadline, busy=busy, on_wait=on_wait):
        _HELD[key] = write
        try:
            yield
        finally:
            del _HELD[key]


@contextmanager
def _flock(
    folder: Path, *, write: bool, deadline: float, busy: str, on_wait: Callable[[], None] | None
) -> Iterator[None]:
    path = lock_file(folder)
    waiting = _Notice(folder, deadline, on_wait)
    while True:
        fd = _open(path, write)
        if fd is None:  # read-only: nothing can write it, so nothing to wait for or recover
            yield
            return
        try:
            held = _held(fd, folder, write, deadline, waiting)
        except BaseException:
            _release(fd, path, write)
            raise
        if held is None:
            _close(fd)
            raise DataBusy(busy, file=display_path(path))
        if held:
            break
        _close(fd)  # the lock file changed or was recovered meanwhile: lock again
    try:
        yield
    finally:
        _release(fd, path, write)


def _held(fd: int, folder: Path, write: bool, deadline: float, waiting: _Notice) -> bool | None:
    """Lock `fd` (opened on `folder`'s lock file): True when held on a clean folder, False to try
    again, None when busy past `deadline`."""
    path = lock_file(folder)
    if not _lock(fd, fcntl.LOCK_EX if write else fcntl.LOCK_SH, deadline, waiting):
        return None
    if not _same_file(fd, path):  # its last holder removed it meanwhile
        return False
    if write:
        _say(recover(folder))
        return True
    if not needs_recovery(folder):
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)  # a reader finishes an interrupted write alone, then reads
    if _lock(fd, fcntl.LOCK_EX, deadline, waiting, until_clean=folder):
        if _same_file(fd, path) and needs_recovery(folder):
            _say(recover(folder))
        return False
    return False if not needs_recovery(folder) else None


def _say(note: str | None) -> None:
    """What recovery did, for the analyst (an interrupted import finished, or undone)."""
    if note:
        print(note, file=sys.stderr, flush=True)


def _open(path: Path, write: bool) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise TransactionError(
                f"{display_path(path)} är en symbolisk länk; ta bort den och kör kommandot igen."
            ) from None
        if write or error.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise TransactionError(
                f"Kan inte låsa {display_path(path.parent)} ({error.strerror or error}); inget har skrivits."
            ) from None
        return None


def _lock(fd: int, mode: int, deadline: float, waiting: _Notice, until_clean: Path | None = None) -> bool:
    """Take the lock by `deadline`; False if it could not be had (or, with `until_clean`, once that
    folder no longer needs recovery: another holder did it)."""
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if until_clean is not None and not needs_recovery(until_clean):
                return False
            if time.monotonic() >= deadline:
                return False
            waiting.show()
            time.sleep(POLL_SECONDS)


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _release(fd: int, path: Path, write: bool) -> None:
    """Remove the lock file when no one else holds it (we hold it exclusively), then let go."""
    try:
        if not write:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a failure leaves it to the other holders
        path.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        _close(fd)


def _close(fd: int) -> None:
    with suppress(OSError):
        os.close(fd)


class _Notice:
    """The one line a waiting command prints, once (`on_wait`'s line when given)."""

    def __init__(self, folder: Path, deadline: float, on_wait: Callable[[], None] | None = None) -> None:
        self.folder = folder
        self.deadline = deadline
        self.on_wait = on_wait
        self.shown = False

    def show(self) -> None:
        if self.shown:
            return
        self.shown = True
        if self.on_wait is not None:
            self.on_wait()
            return
        seconds = max(1, round(self.deadline - time.monotonic()))
        print(
            f"Väntar på att ett annat kommando ska bli klart med {display_path(self.folder)} "
            f"(högst {seconds} s) …",
            file=sys.stderr,
            flush=True,
        )


def _busy_message(org_dir: Path, write: bool) -> str:
    shown = display_path(org_dir)
    if write:
        return (
            f"{shown} används av ett annat kommando just nu (ett bygge, en kontroll, en import eller "
            "ett nytt år). Inget har skrivits; vänta tills det är klart och kör kommandot igen."
        )
    return (
        f"{shown} skrivs av ett annat kommando just nu (import, new-year eller migrate). "
        "Vänta tills det är klart och bygg sedan igen."
    )
