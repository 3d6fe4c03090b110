"""Every change to `data/` is one transaction: all of its files change, or none does.

A writer (import, new-year, migrate) holds the folder's exclusive lock (`datalock`) and hands a
`Transaction` its changes: write new content to a file, create a whole new folder, make a folder, move a
folder. `commit()` then:

1. writes the *prepare* journal, `<base>/.rapportbok-journal.json` (state "prepared"): the list of temporary
   names it is about to create. Written to `.rapportbok-journal.json.tmp`, fsync'd, renamed into place.
2. writes every new file beside its target under a hidden temporary name (`.<name>.rapportbok-tmp`; a new
   folder is filled as `.<name>.rapportbok-tmp/`), fsync'd.
3. writes the *commit* journal (state "committed", the operations in order) the same way, over the
   prepare journal. This rename is the instant the transaction happens.
4. switches: `os.replace` of each temporary file over its target, `os.rename` of each folder; fsync'd.
5. removes the journal.

`recover(base)` runs before anything reads or writes the folder (`datalock` calls it whenever it holds, or
can briefly take, the lock exclusively). It decides by the journal alone:

- no journal: nothing was switched; a `.rapportbok-journal.json.tmp` is removed.
- a "prepared" journal: the transaction never happened; every temporary name it lists is removed (all old).
- a "committed" journal: every operation is completed, idempotently and in order (all new), then the
  journal is removed.

Decided: the rename of the commit journal is the one instant the change happens. Before it, recovery rolls
back; after it, recovery rolls forward (never back: every new file is already on disk, fsync'd). No
temporary name is made before the prepare journal listing it is on disk, so none can be left unlisted. So a
SIGKILL at any instant leaves, after the next command, either every old file or every new one, and no
temporary file. A failure the writer sees itself (a full disk, Ctrl-C, SIGTERM) is settled at once the same
way, by the journal on disk; only if that fails too is it left to the next command.

Leftovers of older versions (`.<år>.new/`, `.<år>.import-*/` in `data/<org>/`,
`.<fil>.import` in a year's folder) and stray `*.rapportbok-tmp` names are removed too: they are only ever
made by rapportbok, and nothing else can be writing while the exclusive lock is held.

A journal is data like any other file in `data/`: recovery acts only on paths inside the folder, never
through a symbolic link, and only removes names that carry the temporary marker; anything else in it is
refused with a Swedish message (nothing is done).

Test hook (test-only): `RAPPORTBOK_TEST_KILL_AT=N` makes the process SIGKILL itself at the N-th step
(`checkpoint()`) of its transactions, counted from 1 across the process; `RAPPORTBOK_TEST_KILL_AT=<name>`
at the first step of that name (e.g. `switched-2`, after the second file is switched). Tests raise N until
the command finishes, so that every step of every writer is killed once. Unset, it costs one lookup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rapportbok.core.paths import display_path
from rapportbok.exceptions import TransactionError

JOURNAL = ".rapportbok-journal.json"
JOURNAL_TMP = JOURNAL + ".tmp"
MARKER = ".rapportbok-tmp"
MAX_JOURNAL_BYTES = 1_000_000
KILL_VARIABLE = "RAPPORTBOK_TEST_KILL_AT"
PREPARED, COMMITTED = "prepared", "committed"
# Leftovers of earlier versions: the import's copy for checking, new-year's staging folder (data/<org>/),
# the import's files written beside their targets (data/<org>/<år>/).
STALE_IN_BASE = re.compile(r"\.\d{4}\.(new|import-.+)")
STALE_IN_YEAR = re.compile(r"\..+\.import")
YEAR_NAME = re.compile(r"\d{4}")

_steps = 0


def checkpoint(name: str) -> None:
    """One step of a transaction; the test hook kills the process here when its number or name comes."""
    global _steps
    _steps += 1
    wanted = os.environ.get(KILL_VARIABLE)
    if wanted is not None and wanted in (str(_steps), name):
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class _Operation:
    """One change. kind: write (temp → target), folder (temp folder → new target), mkdir, move."""

    kind: str
    target: str
    source: str | None = None  # the temporary name (write, folder) or the folder moved (move)


class Transaction:
    """The changes to one folder (`base`: data/<org>, or data/ for migrate), made all at once by commit()."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._operations: list[_Operation] = []
        self._files: dict[str, bytes] = {}
        self._folders: dict[str, Mapping[str, bytes]] = {}

    def write(self, target: Path, content: bytes) -> None:
        """Replace (or create) the file `target` with `content`."""
        relative = self._relative(target)
        self._add(_Operation("write", relative, _temporary(relative)))
        self._files[relative] = content

    def new_folder(self, target: Path, files: Mapping[str, bytes]) -> None:
        """Create the folder `target`, which must not exist, holding `files` (relative path → content)."""
        relative = self._relative(target)
        for name in files:
            _check_relative(name, f"{relative}/{name}")
        self._add(_Operation("folder", relative, _temporary(relative)))
        self._folders[relative] = dict(files)

    def make_folder(self, target: Path) -> None:
        """Create the (empty) folder `target` if it is not there."""
        self._add(_Operation("mkdir", self._relative(target)))

    def move(self, source: Path, target: Path) -> None:
        """Rename the file or folder `source` to `target`, which must not exist."""
        self._add(_Operation("move", self._relative(target), self._relative(source)))

    def commit(self) -> None:
        """Make every change, or (if the process dies before the commit journal is in place) none."""
        if not self._operations:
            return
        self._refuse_conflicts()
        try:
            self._prepare()
            _write_journal(self.base, _committed(self._operations))
            _switch(self.base, self._operations)
            _finish(self.base)
        except OSError as error:  # a full disk, a permission: what the journal on disk says is done now
            if _settled(self.base) == COMMITTED:
                return
            raise TransactionError(
                f"Kunde inte skriva i {display_path(self.base)} ({error.strerror or error}); "
                "inget har ändrats."
            ) from None
        except BaseException:  # Ctrl-C, SIGTERM: the same, then stop
            with suppress(TransactionError):
                _settled(self.base)
            raise

    def _prepare(self) -> None:
        """Steps 1–2: the prepare journal, then every new file beside its target."""
        temporaries = [op.source for op in self._operations if op.kind in ("write", "folder") and op.source]
        _write_journal(self.base, {"state": PREPARED, "temporaries": temporaries})
        parents = set()
        written = 0
        for op in self._operations:
            if op.kind == "write" and op.source:
                written += 1
                _write_file(self.base / op.source, self._files[op.target], f"temporary-{written}")
                parents.add((self.base / op.source).parent)
            elif op.kind == "folder" and op.source:
                _write_folder(self.base / op.source, self._folders[op.target])
                parents.add((self.base / op.source).parent)
        for parent in parents:
            _sync_folder(parent)
        checkpoint("prepared")

    def _relative(self, path: Path) -> str:
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            relative = ""
        if not _inside(self.base, relative):
            raise TransactionError(
                f"{display_path(path)} ligger inte i {display_path(self.base)} (eller nås genom en symbolisk "
                "länk); inget har skrivits."
            )
        return relative

    def _add(self, operation: _Operation) -> None:
        if any(op.target == operation.target for op in self._operations):
            raise TransactionError(
                f"{operation.target} ändras två gånger i samma skrivning; inget har skrivits."
            )
        self._operations.append(operation)

    def _refuse_conflicts(self) -> None:
        """Before anything is written: a new folder or a move never replaces what is there."""
        for op in self._operations:
            target = self.base / op.target
            if op.kind in ("folder", "move") and os.path.lexists(target):
                raise TransactionError(f"{display_path(target)} finns redan; inget har skrivits.")
            if op.kind == "write" and (target.is_symlink() or target.is_dir()):
                raise TransactionError(
                    f"{display_path(target)} är ingen vanlig fil; inget har skrivits. Ta bort den först."
                )
            if op.kind == "move" and op.source and not os.path.lexists(self.base / op.source):
                raise TransactionError(
                    f"{display_path(self.base / op.source)} finns inte; inget har skrivits."
                )


def recover(base: Path) -> str | None:
    """Complete (committed journal) or undo (prepared journal) an interrupted transaction in `base`, and
    remove every temporary name; say which, in Swedish, if there was one. Call it only while holding
    `base`'s lock exclusively."""
    try:
        return _recover(base)
    except OSError as error:
        raise TransactionError(
            f"En avbruten skrivning i {display_path(base)} kunde inte slutföras ({error.strerror or error}). "
            "Rätta felet och kör kommandot igen; journalen står kvar tills dess."
        ) from None


def _settled(base: Path) -> str | None:
    """After a failure: finish or undo at once, by the journal on disk; COMMITTED if the change was made.
    Should that fail too, the journal stays for the next command."""
    state = None
    with suppress(OSError, TransactionError):
        state = _read_journal(base)["state"] if os.path.lexists(base / JOURNAL) else None
    try:
        _recover(base)
    except (OSError, TransactionError):
        raise TransactionError(
            f"Skrivningen i {display_path(base)} avbröts och kunde inte göras klart. Nästa kommando som "
            "läser eller skriver mappen slutför den eller ångrar den: rätta felet och kör kommandot igen."
        ) from None
    return str(state) if state is not None else None


def _recover(base: Path) -> str | None:
    tmp = base / JOURNAL_TMP
    if os.path.lexists(tmp):
        tmp.unlink()
    journal = base / JOURNAL
    done = None
    if os.path.lexists(journal):
        content = _read_journal(base)
        if content["state"] == COMMITTED:
            _switch(base, _operations(base, content))
            done = "slutfördes (alla dess filer är nu skrivna)"
        else:
            for name in _temporaries(base, content):
                _remove(base / name)
            done = "ångrades (inget av den hann ändras)"
        _finish(base)
    _sweep(base)
    return f"Obs: en avbruten skrivning i {display_path(base)} {done}." if done else None


def needs_recovery(base: Path) -> bool:
    """Whether `base` holds a journal or a leftover temporary name (cheap: two folder listings at most)."""
    if os.path.lexists(base / JOURNAL) or os.path.lexists(base / JOURNAL_TMP):
        return True
    return bool(_stray(base))


def _temporary(relative: str) -> str:
    path = PurePosixPath(relative)
    return str(path.with_name(f".{path.name}{MARKER}"))


def _check_relative(relative: str, shown: str) -> None:
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise TransactionError(f"{shown} är ingen sökväg i mappen; inget har skrivits.")


def _committed(operations: list[_Operation]) -> dict[str, object]:
    return {
        "state": COMMITTED,
        "operations": [{"op": op.kind, "target": op.target, "source": op.source} for op in operations],
    }


def _write_journal(base: Path, content: dict[str, object]) -> None:
    """The journal appears whole, by rename, after its content is on disk."""
    tmp = base / JOURNAL_TMP
    state = content["state"]
    _write_file(
        tmp, json.dumps({"version": 1, **content}, ensure_ascii=False).encode("utf-8"), f"{state}-journal"
    )
    os.replace(tmp, base / JOURNAL)
    _sync_folder(base)
    checkpoint(f"{state}-journal-in-place")


def _write_file(path: Path, content: bytes, step: str | None = None) -> None:
    """Write `path` (a new name: never through a link), fsync'd; with `step`, two steps for the test hook
    (`<step>-half`: half of it written, `<step>-written`: all of it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        half = len(content) // 2
        _write_all(fd, memoryview(content)[:half])
        if step:
            checkpoint(f"{step}-half")
        _write_all(fd, memoryview(content)[half:])
        os.fsync(fd)
    finally:
        os.close(fd)
    if step:
        checkpoint(f"{step}-written")


def _write_all(fd: int, view: memoryview) -> None:
    while view:
        view = view[os.write(fd, view) :]


def _write_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """A new folder holding `files`; steps for the test hook after it is made and at its first, middle
    and last file (the folder is one temporary name, whichever file it is killed at)."""
    folder.mkdir()
    checkpoint("folder-made")
    names = sorted(files)
    for index, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        step = f"folder-file-{index + 1}" if index in (0, len(names) // 2, len(names) - 1) else None
        _write_file(path, files[name], step)
    for sub in sorted({(folder / name).parent for name in files}, key=lambda p: -len(p.parts)):
        _sync_folder(sub)
    _sync_folder(folder)


def _switch(base: Path, operations: list[_Operation]) -> None:
    """Make each change, idempotently (recovery runs this again on what is half done)."""
    touched = set()
    for number, op in enumerate(operations, start=1):
        target = base / op.target
        source = base / op.source if op.source else None
        if op.kind == "mkdir":
            target.mkdir(exist_ok=True)
        elif source is not None and os.path.lexists(source):
            if op.kind == "write":
                os.replace(source, target)
            elif os.path.lexists(target):
                raise TransactionError(
                    f"{display_path(target)} finns redan, så {display_path(source)} kan inte flyttas dit. "
                    f"Flytta undan den ena och kör kommandot igen (journalen {display_path(base / JOURNAL)} "
                    "står kvar tills dess)."
                )
            else:
                os.rename(source, target)
        touched.add(target.parent)
        checkpoint(f"switched-{number}")
    for folder in touched:
        _sync_folder(folder)


def _finish(base: Path) -> None:
    (base / JOURNAL).unlink(missing_ok=True)
    _sync_folder(base)
    checkpoint("finished")


def _read_journal(base: Path) -> dict[str, object]:
    path = base / JOURNAL
    shown = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            raw = os.read(fd, MAX_JOURNAL_BYTES + 1)
        finally:
            os.close(fd)
        content = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_JOURNAL_BYTES else None
    except (OSError, ValueError):
        content = None
    if not isinstance(content, dict) or content.get("state") not in (PREPARED, COMMITTED):
        raise TransactionError(_foreign(shown))
    return content


def _foreign(shown: str) -> str:
    return (
        f"{shown} är ingen journal som rapportbok har skrivit, så den kan inte slutföras. Inget har ändrats; "
        "ta bort filen (och kontrollera mappen) och kör kommandot igen."
    )


def _temporaries(base: Path, content: dict[str, object]) -> list[str]:
    names = content.get("temporaries")
    if not isinstance(names, list) or not all(isinstance(n, str) and _is_temporary(base, n) for n in names):
        raise TransactionError(_foreign(display_path(base / JOURNAL)))
    return names


def _operations(base: Path, content: dict[str, object]) -> list[_Operation]:
    entries = content.get("operations")
    operations = []
    for entry in entries if isinstance(entries, list) else [None]:
        if not isinstance(entry, dict):
            raise TransactionError(_foreign(display_path(base / JOURNAL)))
        kind, target, source = entry.get("op"), entry.get("target"), entry.get("source")
        valid = (
            isinstance(target, str)
            and _inside(base, target)
            and (
                (kind == "mkdir" and source is None)
                or (kind in ("write", "folder") and isinstance(source, str) and source == _temporary(target))
                or (kind == "move" and isinstance(source, str) and _inside(base, source))
            )
        )
        if not valid:
            raise TransactionError(_foreign(display_path(base / JOURNAL)))
        operations.append(_Operation(str(kind), target, source))
    return operations


def _inside(base: Path, relative: str) -> bool:
    """A relative path without `..` whose folders are real folders inside `base` (no link on the way)."""
    try:
        _check_relative(relative, relative)
    except TransactionError:
        return False
    folder = base
    for part in PurePosixPath(relative).parent.parts:
        folder = folder / part
        if folder.is_symlink():
            return False
    return True


def _is_temporary(base: Path, relative: str) -> bool:
    return _inside(base, relative) and PurePosixPath(relative).name.endswith(MARKER)


def _remove(path: Path) -> None:
    """Remove a file, a link or a folder (a link is removed, never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _stray(base: Path) -> list[Path]:
    """Temporary names left in `base` and in its year folders (older versions' leftovers included)."""
    found: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(MARKER) or STALE_IN_BASE.fullmatch(entry.name):
            found.append(Path(entry.path))
        elif YEAR_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            try:
                inner = list(os.scandir(entry.path))
            except OSError:
                continue
            found += [
                Path(item.path)
                for item in inner
                if item.name.endswith(MARKER) or STALE_IN_YEAR.fullmatch(item.name)
            ]
    return found


def _sweep(base: Path) -> None:
    stray = _stray(base)
    for path in stray:
        _remove(path)
    if stray:
        _sync_folder(base)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so that the names made or removed in it survive a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
