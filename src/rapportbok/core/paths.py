"""Where things are: the project root, a fiscal year's data folder, the build folder.

The project's inputs (`data/`, `notebooks/`, `book/`, `_toc.yml`, `_config.yml`, `tillganglighet.yml`)
are resolved, and each of them – and every folder on the way to it – must stay inside the project
root, whatever is a symbolic link: a link that leads outside is refused before anything is read, so
no file from outside the project can end up in a book. Links that stay inside the project are allowed
for these (they add nothing the project does not already hold); below `data/` no link is followed at
all (see data/organisations.py and data/files.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from rapportbok.exceptions import UsageError

PROJECT_MARKER = "_config.yml"
# What a command reads from the project root; each must resolve inside it.
PROJECT_INPUTS = ("data", "notebooks", "book", "_toc.yml", "_config.yml", "tillganglighet.yml")
# Folders whose every file the build reads (copies into the site, executes): links inside them are
# checked one by one.
PROJECT_FOLDERS_READ_WHOLE = ("notebooks", "book")
YEAR_PATTERN = re.compile(r"[0-9]{4}", re.ASCII)  # ASCII digits only: "٢٠٢٤" and "２０２４" are not years


def find_project_root(start: Path | None = None) -> Path:
    """Return the first folder at or above `start` that holds `_config.yml`, after checking that its
    inputs stay inside it (`require_inside_project`)."""
    root = _locate_root(start)
    require_inside_project(root)
    return root


def require_inside_project(root: Path) -> None:
    """Refuse (UsageError, in Swedish) a project whose inputs lead outside it: `data`, `notebooks`,
    `book`, `_toc.yml`, `_config.yml` or `tillganglighet.yml` (or a folder on the way) resolving
    outside `root`, or a link in `notebooks/` or `book/` to a file or folder outside."""
    for name in PROJECT_INPUTS:
        path = root / name
        if os.path.lexists(path):
            inside_project(path, root)
    for name in PROJECT_FOLDERS_READ_WHOLE:
        folder = root / name
        if folder.is_dir():
            _refuse_links_out(folder, root)


def inside_project(path: Path, root: Path) -> Path:
    """`path` resolved; a UsageError when it, or any folder between `root` and it, resolves outside
    `root` (through a symbolic link anywhere on the way)."""
    project = root.resolve()
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        parts = ()
        _refuse_outside(path, _resolved(path, project), project)
    current = Path(os.path.abspath(root))
    for part in parts:
        current = current / part
        resolved = _resolved(current, project)
        if not resolved.is_relative_to(project):
            _refuse_outside(current, resolved, project)
    return _resolved(path, project)


def _resolved(path: Path, project: Path) -> Path:
    """`path` with every link followed; a UsageError for a link that leads back to itself."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        shown = display_path(path, project)
        raise UsageError(
            f"{shown} är en symbolisk länk som går i en slinga och inte leder till någon fil. "
            "Ersätt länken med mappen eller filen själv.",
            file=shown,
        ) from None


def _refuse_links_out(folder: Path, root: Path) -> None:
    """Every symbolic link below `folder` (and below the folders such links lead to) stays inside."""
    seen: set[Path] = set()
    pending = [folder]
    while pending:
        here = pending.pop()
        if here.resolve() in seen:  # checked: inside the project, no loop
            continue
        seen.add(here.resolve())
        for base, folders, files in os.walk(here, followlinks=False):
            for name in [*folders, *files]:
                entry = Path(base) / name
                if entry.is_symlink():
                    target = inside_project(entry, root)
                    if target.is_dir():
                        pending.append(entry)


def _refuse_outside(path: Path, resolved: Path, project: Path) -> None:
    shown = display_path(path, project)
    raise UsageError(
        f"{shown} leder utanför projektet (till {resolved.as_posix()}) genom en symbolisk länk. "
        f"rapportbok läser bara filer inom projektmappen {project.as_posix()}: flytta eller kopiera "
        f"det länken pekar på in i projektet och ersätt länken med det. Inget har lästs eller skrivits.",
        file=shown,
    )


def _locate_root(start: Path | None = None) -> Path:
    """The first folder at or above `start` that holds `_config.yml` (nothing checked)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    raise UsageError(
        f"Hittar inte projektets rotmapp (en mapp med {PROJECT_MARKER}) från {here}. "
        "Kör kommandot inifrån rapportbok-mappen."
    )


def parse_year(text: str | int) -> int:
    """Accept only a four-digit fiscal year (ÅÅÅÅ)."""
    value = str(text).strip()
    if not YEAR_PATTERN.fullmatch(value):
        raise UsageError(f'Ogiltigt år "{value}": ange räkenskapsåret med fyra siffror (ÅÅÅÅ).')
    return int(value)


def parse_positive(text: str | int, option: str) -> int:
    """A whole number of at least 1 (seconds, jobs), written with ASCII digits; else a UsageError."""
    value = str(text).strip()
    if not re.fullmatch(r"[0-9]{1,9}", value, re.ASCII) or int(value) < 1:
        raise UsageError(f'Ogiltigt värde för {option}: "{value}". Ange ett positivt heltal, t.ex. 600.')
    return int(value)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the analyst sees it: relative to the project root when possible.

    Symbolic links inside the project are kept as written (`_build/2024/html`, not the release it
    points to)."""
    base = root or _guess_root(path)
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside, or a link loop (RuntimeError in 3.11)
        return path.as_posix()


def _guess_root(path: Path) -> Path:
    try:
        return _locate_root(path if path.is_dir() else path.parent)
    except UsageError:
        return Path.cwd()
