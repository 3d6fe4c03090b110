"""Reading the files of a fiscal year safely: regular files only, no symbolic links, bounded sizes.

Everything the build reads from `data/` goes through here. A symbolic link (to a file or a folder) is
refused, so nothing outside the project is read through `data/`; a named pipe, socket or device is
refused without being opened, so a read can never hang; a file over its size limit is refused before
it is read; a year with folders nested too deep or too many files is refused before any is read. Each
refusal is a located Problem.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.core.formatting import format_number
from rapportbok.exceptions import DataError, Problem, RefusedFile

KB = 1024
MAX_TEXT_BYTES = 512 * KB  # a narrative section is a few kB; a text this large is not one
MAX_YAML_BYTES = 64 * KB  # rapport.yml and tillganglighet.yml are a dozen lines
MAX_FOLDER_DEPTH = 8  # levels of folders in a year; texts are in text/<chapter>/, two levels down
MAX_YEAR_ENTRIES = 2000  # files and folders in a year; the 2024 report has about 60
NOT_A_LINK = "ersätt länken med en vanlig fil (en kopia); data får inte peka utanför projektet"
NOT_SPECIAL = "ta bort den; data innehåller bara vanliga filer och mappar"

TOO_DEEP = "file.folder.too_deep"


@dataclass(frozen=True)
class YearFiles:
    """The regular files of a year's folder, and a problem for everything else in it."""

    files: list[Path]
    problems: list[Problem]
    folders: list[Path] = field(default_factory=list)  # the folders below it (not links), sorted
    beyond_limits: list[Problem] = field(default_factory=list)  # too deep, too many (also in `problems`)


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
    link = mode is not None and stat.S_ISLNK(mode)
    return Problem(shown_as, reason, allowed=allowed, code="file.link" if link else "file.refused")


def year_files(folder: Path, shown_as: str) -> YearFiles:
    """Walk `folder` (data/<org>/<year>) without following links: its regular files and folders (sorted),
    and a located problem for each link, pipe, socket or device in it (also when `folder` itself is a
    link).

    The walk is bounded: at most MAX_FOLDER_DEPTH levels of folders (a deeper folder is a problem and is
    not entered) and MAX_YEAR_ENTRIES files and folders in all; past that the walk stops and the year has
    no files, only that problem, so nothing of it is read.
    """
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return YearFiles([], [Problem(shown_as, "mappen saknas", code="file.folder.missing")])
    reason = _kind(mode)
    if reason or not stat.S_ISDIR(mode):
        return YearFiles([], [_problem(shown_as, f"mappen {reason or 'är inte en mapp'}", mode)])
    files: list[Path] = []
    folders: list[Path] = []
    problems: list[Problem] = []
    waiting = [(folder, 0)]  # a stack, not recursion: no depth of folders can overflow it
    entries = 0
    while waiting:
        here, depth = waiting.pop()
        listed = _listing(here, MAX_YEAR_ENTRIES - entries)
        if listed is None:
            return YearFiles([], [_too_many(shown_as)], beyond_limits=[_too_many(shown_as)])
        entries += len(listed)
        below = []
        for name, mode in listed:
            entry = here / name
            shown = _shown(entry, folder, shown_as)
            if stat.S_ISDIR(mode) and depth >= MAX_FOLDER_DEPTH:
                problems.append(_too_deep(shown))
            elif stat.S_ISDIR(mode):
                folders.append(entry)
                below.append((entry, depth + 1))
            elif reason := _kind(mode):
                problems.append(_problem(shown, reason, mode))
            else:
                files.append(entry)
        waiting += reversed(below)  # in name order, each folder's own folders before the next one
    too_deep = [problem for problem in problems if problem.code == TOO_DEEP]
    return YearFiles(sorted(files), problems, sorted(folders), too_deep)


def require_within_limits(folder: Path, shown_as: str) -> None:
    """Raise DataError if the year's folder `folder` is beyond the limits of year_files (folders nested
    too deep, too many files): for whatever walks a year before it is checked (the build's hash of it)."""
    beyond = year_files(folder, shown_as).beyond_limits
    if beyond:
        raise DataError(beyond)


def _listing(folder: Path, room: int) -> list[tuple[str, int]] | None:
    """The entries of `folder` (name, mode without following links), links to folders first as os.walk
    lists them, then by name; None when there are more than `room` (they are not all listed)."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if len(found) >= room:
                    return None
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                    to_folder = stat.S_ISLNK(mode) and entry.is_dir()
                except OSError:  # removed while listed: it is not there
                    continue
                found.append((not (stat.S_ISDIR(mode) or to_folder), entry.name, mode))
    except OSError:
        return []  # a folder that cannot be listed (removed meanwhile, no permission) has nothing to read
    return [(name, mode) for _, name, mode in sorted(found)]


def _too_deep(shown_as: str) -> Problem:
    return Problem(
        shown_as,
        f"mappen ligger för djupt (högst {MAX_FOLDER_DEPTH} nivåer av mappar i ett år)",
        allowed="flytta filerna till en mapp högre upp; texter ligger i text/<kapitel>/",
        code=TOO_DEEP,
    )


def _too_many(shown_as: str) -> Problem:
    return Problem(
        shown_as,
        f"mappen har för många filer och mappar (högst {format_number(MAX_YEAR_ENTRIES)} i ett år); "
        "inget i den läses",
        allowed="ta bort filer och mappar som inte hör till året",
        code="file.folder.too_many",
    )


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
        raise RefusedFile(
            Problem(shown_as, f"filen kan inte öppnas ({error.strerror})", code="file.unreadable")
        ) from error
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
                code="file.too_large",
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
            raise RefusedFile(
                Problem(shown_as, "filen saknas", allowed="se data/README.md", code="file.missing")
            ) from error
        except OSError as error:
            raise RefusedFile(
                Problem(shown_as, f"filen kan inte läsas ({error.strerror})", code="file.unreadable")
            ) from error
        if stat.S_ISLNK(mode):
            where = "" if current == path else f" (mappen {current.name} är en symbolisk länk)"
            raise RefusedFile(_problem(shown_as, f"filen nås via en symbolisk länk{where}", mode))
    _refuse_mode(os.lstat(path).st_mode, shown_as)


def _refuse_mode(mode: int, shown_as: str) -> None:
    if stat.S_ISDIR(mode):
        raise RefusedFile(
            Problem(shown_as, "är en mapp, inte en fil", allowed="byt namn på mappen", code="file.is_folder")
        )
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
                code="file.encoding",
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
