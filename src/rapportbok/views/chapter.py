"""What a chapter notebook calls first: load the year and set the house style."""

from __future__ import annotations

from pathlib import Path

from rapportbok.data.load import data_root_for, load_year
from rapportbok.data.report import Report
from rapportbok.data.tracking import READS_FILE
from rapportbok.data.years import latest_year
from rapportbok.views.style import apply_house_style


def start_chapter(year: int | None = None, data_dir: str | Path | None = None, draft: bool = False) -> Report:
    """Load and validate the year's data for a chapter.

    `year` None: the latest year in data/; `data_dir` None: the project's data/; `draft`: values still
    to be filled in are allowed and shown as missing.
    """
    apply_house_style()
    root = data_root_for(data_dir)
    in_build = (Path.cwd() / READS_FILE).is_file()  # the build validated the year: read tables on use
    return load_year(int(year) if year is not None else latest_year(root), root, draft=draft, lazy=in_build)
