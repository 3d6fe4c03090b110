"""Reading the files of a fiscal year safely: regular files only, no symbolic links, bounded sizes.

Everything the build reads from `data/` goes through here. A symbolic link (to a file or a folder) is
refused, so nothing outside the project is read through `data/`; a named pipe, socket or device is
refused without being opened, so a read can never hang; a file over its size limit is refused before
it is read. Each refusal is a located Problem.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from rapportbok.exceptions import Problem, RefusedFile

KB = 1024
MAX_TEXT_BYTES = 512 * KB  # a narrative section is a few kB; a text this large is not one
MAX_YAML_BYTES = 64 * KB  # rapport.yml and tillganglighet.yml are a dozen lines
NOT_A_LINK = "ersätt länken med en vanlig fil (en kopia); data får inte peka utanför projektet"
NOT_SPECIAL = "ta bort den; data innehåller bara vanliga filer och mappar"


@dataclass(frozen=True)
class YearFiles:
    """The regular files of a year's folder, and a problem for everything else in it."""

    files: list[Path]
    problems: list[Problem]


def _kind(mode: int) -> str | None:
    """Why an entry that is not a regular file or a folder is refused, in words; None if it is fine."""
    if stat.S_ISLNK(mode):
        return "är en symbolisk länk"
    if stat.S_ISFIFO(mode):
        return "är en namngiven pipe (FIFO), inte en fil"
    if stat.S_ISSOCK(mode):
        return "är en socket, inte en fil"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "är en enhet, inte en fil"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "är inte en vanlig fil"


def _problem(shown_as: str, reason: str, mode: int | None = None) -> Problem:
    allowed = NOT_A_LINK if mode is not None and stat.S_ISLNK(mode) else NOT_SPECIAL
    return Problem(shown_as, reason, allowed=allowed)


def year_files(folder: Path, shown_as: str) -> YearFiles:
    """Walk `folder` (data/<year>) without following links: its regular files (sorted), and a located problem
    for each link, pipe, socket or device in it (also when `folder` itself is a link)."""
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return YearFiles([], [Problem(shown_as, "mappen saknas")])
    reason = _kind(mode)
    if reason or not stat.S_ISDIR(mode):
        return YearFiles([], [_problem(shown_as, f"mappen {reason or 'är inte en mapp'}", mode)])
    files, problems = [], []
    for here, folders, names in os.walk(folder, followlinks=False, onerror=None):
        base = Path(here)
        for name in sorted(folders):
            entry = base / name
            mode = os.lstat(entry).st_mode
            if stat.S_ISLNK(mode):  # os.walk lists a link to a folder among the folders; it never enters it
                problems.append(_problem(_shown(entry, folder, shown_as), _kind(mode) or "", mode))
        folders[:] = sorted(name for name in folders if not (base / name).is_symlink())
        for name in sorted(names):
            entry = base / name
            mode = os.lstat(entry).st_mode
            reason = _kind(mode)
            if reason:
                problems.append(_problem(_shown(entry, folder, shown_as), reason, mode))
            else:
                files.append(entry)
    return YearFiles(sorted(files), problems)


def _shown(path: Path, folder: Path, shown_as: str) -> str:
    return f"{shown_as}/{path.relative_to(folder).as_posix()}"


def read_bytes(path: Path, shown_as: str, limit: int, *, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raise RefusedFile otherwise.

    No path component below `within` (default: the file's own folder) may be a symbolic link. A pipe
    or device is refused from its metadata, before it is opened, and again after opening (O_NOFOLLOW,
    O_NONBLOCK), so that swapping the file meanwhile cannot make the read follow a link or hang.
    """
    _refuse_links(path, shown_as, within or path.parent)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise RefusedFile(Problem(shown_as, f"filen kan inte öppnas ({error.strerror})")) from error
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        _refuse_mode(mode, shown_as)
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise RefusedFile(
            Problem(
                shown_as,
                f"filen är för stor (över {limit // KB} kB)",
                allowed=f"högst {limit // KB} kB; dela upp eller korta filen",
            )
        )
    return content


def _refuse_links(path: Path, shown_as: str, within: Path) -> None:
    try:
        parts = path.relative_to(within).parts
    except ValueError:
        parts = (path.name,)
        within = path.parent
    current = within
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError as error:
            raise RefusedFile(Problem(shown_as, "filen saknas", allowed="se data/README.md")) from error
        except OSError as error:
            raise RefusedFile(Problem(shown_as, f"filen kan inte läsas ({error.strerror})")) from error
        if stat.S_ISLNK(mode):
            where = "" if current == path else f" (mappen {current.name} är en symbolisk länk)"
            raise RefusedFile(_problem(shown_as, f"filen nås via en symbolisk länk{where}", mode))
    _refuse_mode(os.lstat(path).st_mode, shown_as)


def _refuse_mode(mode: int, shown_as: str) -> None:
    if stat.S_ISDIR(mode):
        raise RefusedFile(Problem(shown_as, "är en mapp, inte en fil", allowed="byt namn på mappen"))
    reason = _kind(mode)
    if reason:
        raise RefusedFile(_problem(shown_as, reason, mode))


def read_text(path: Path, shown_as: str, limit: int = MAX_TEXT_BYTES, *, within: Path | None = None) -> str:
    """A UTF-8 text file (with or without BOM), read as read_bytes does; a file in another encoding is
    refused with the line of its first undecodable byte."""
    raw = read_bytes(path, shown_as, limit, within=within)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RefusedFile(
            Problem(
                shown_as,
                "filen är inte sparad som UTF-8",
                row=line,
                allowed="spara filen med teckenkodningen UTF-8",
            )
        ) from error


def is_regular_dir(path: Path) -> bool:
    """True for a folder that is not a symbolic link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_regular_file(path: Path) -> bool:
    """True for a regular file that is not a symbolic link (never opens the file)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
