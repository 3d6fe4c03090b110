"""What a chapter notebook calls first: load the year and set the house style."""

from __future__ import annotations

from pathlib import Path

from rapportbok.load import load_year
from rapportbok.report import Report
from rapportbok.style import apply_house_style


def start_chapter(year: int, data_dir: str | Path | None = None) -> Report:
    """Load and validate the year's data for a chapter (data_dir None: the project's data/)."""
    apply_house_style()
    return load_year(int(year), data_dir)
