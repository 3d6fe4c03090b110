"""The fiscal years in data/: one folder per year, named by its four digits."""

from __future__ import annotations

from pathlib import Path

from rapportbok.core.paths import YEAR_PATTERN
from rapportbok.exceptions import UsageError


def data_years(data_root: Path) -> list[int]:
    """The fiscal years in data/ (folders named by four digits), oldest first."""
    return sorted(int(p.name) for p in data_root.iterdir() if p.is_dir() and YEAR_PATTERN.fullmatch(p.name))


def year_dir(data_root: Path, year: int) -> Path:
    """The folder with one fiscal year's data, data/<year>."""
    return data_root / f"{year:04d}"


def latest_year(data_root: Path) -> int:
    """The latest fiscal year with a folder in data/."""
    years = data_years(data_root)
    if not years:
        raise UsageError(f"Det finns inget år i {data_root} att utgå från.")
    return years[-1]
