"""The fiscal years of one organisation: data/<org>/<year>/, one folder per year, named by its four digits."""

from __future__ import annotations

from pathlib import Path

from rapportbok.core.paths import YEAR_PATTERN
from rapportbok.exceptions import UsageError


def data_years(org_dir: Path) -> list[int]:
    """The fiscal years of the organisation folder data/<org> (folders named by four digits), oldest first."""
    return sorted(int(p.name) for p in org_dir.iterdir() if p.is_dir() and YEAR_PATTERN.fullmatch(p.name))


def year_dir(org_dir: Path, year: int) -> Path:
    """The folder with one fiscal year's data, data/<org>/<year>."""
    return org_dir / f"{year:04d}"


def real_year_dir(org_dir: Path, year: int) -> Path:
    """data/<org>/<year>, refused (UsageError) when it is a symbolic link, wherever it leads: a build
    never reads a year through a link (`check` names the same link as a problem of the year)."""
    folder = year_dir(org_dir, year)
    if folder.is_symlink():
        shown = year_label(org_dir, year)
        raise UsageError(
            f"{shown} är en symbolisk länk; rapportbok följer inga länkar i data/. Ersätt länken med "
            "årets mapp själv (flytta eller kopiera in den). Inget har lästs.",
            file=shown,
        )
    return folder


def year_label(org_dir: Path, year: int) -> str:
    """The year's folder as messages name it: 'data/kommunstyrelsekontoret/2024'."""
    return f"data/{org_dir.name}/{year:04d}"


def latest_year(org_dir: Path) -> int:
    """The latest fiscal year with a folder in data/<org>."""
    years = data_years(org_dir) if org_dir.is_dir() else []
    if not years:
        raise UsageError(f"Det finns inget år i data/{org_dir.name} att utgå från.")
    return years[-1]
