"""What a chapter notebook calls first: load the year and set the house style."""

from __future__ import annotations

from pathlib import Path

from rapportbok.core.book import notebook_book
from rapportbok.data.load import book_of, load_book, org_dir_for
from rapportbok.data.report import Report
from rapportbok.data.tracking import ReadRecorder
from rapportbok.data.years import latest_year
from rapportbok.views.notebook_errors import show_errors_without_traceback
from rapportbok.views.style import apply_house_style


def start_chapter(
    year: int | None = None,
    data_dir: str | Path | None = None,
    draft: bool = False,
    reads_log: str | Path | None = None,
    lazy: bool = False,
) -> Report:
    """Load and validate the year's data for a chapter, from the notebook's parameters.

    `year` None: the organisation's latest year; `data_dir` (the organisation's folder, data/<org>) None:
    the only organisation in the project's data/ (a notebook opened in JupyterLab); `draft`: values still
    to be filled in are allowed and shown as missing. The build also passes `reads_log`, the file where
    the chapter notes every data file it reads, and `lazy=True`: the year is already validated, so each
    table is read when it is first used and the chapter depends only on what it uses.
    """
    show_errors_without_traceback()  # in JupyterLab: rapportbok's errors as their Swedish message only
    apply_house_style()
    org_dir = org_dir_for(data_dir)  # the papermill parameter keeps its name: notebooks set it by hand
    if year is None:  # a notebook opened by hand: make lab YEAR=<år>, else the latest year
        year = notebook_book(org_dir.parent.parent).year
    chosen = int(year) if year is not None else latest_year(org_dir)
    return load_book(book_of(chosen, org_dir), draft=draft, lazy=lazy, reads=ReadRecorder(reads_log))
