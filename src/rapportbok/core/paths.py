"""Where things are: the project root, a fiscal year's data folder, the build folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

from rapportbok.exceptions import UsageError

PROJECT_MARKER = "_config.yml"
YEAR_PATTERN = re.compile(r"[0-9]{4}", re.ASCII)  # ASCII digits only: "٢٠٢٤" and "２０２４" are not years


def find_project_root(start: Path | None = None) -> Path:
    """Return the first folder at or above `start` that holds `_config.yml`."""
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
    for shown, start in (
        (Path(os.path.abspath(path)), Path(os.path.abspath(base))),
        (path.resolve(), base.resolve()),
    ):
        try:
            return shown.relative_to(start).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _guess_root(path: Path) -> Path:
    try:
        return find_project_root(path if path.is_dir() else path.parent)
    except UsageError:
        return Path.cwd()
