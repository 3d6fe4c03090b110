"""Load and validate one fiscal year: `load_year(year)` gives a Report or raises DataError."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from rapportbok.core.lazy import LazyMapping
from rapportbok.core.paths import find_project_root
from rapportbok.data.files import year_files
from rapportbok.data.metadata import read_metadata
from rapportbok.data.organisations import resolve_organisation
from rapportbok.data.read_table import TableRead, empty_frame, read_table
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.tracking import NO_RECORDING, ReadRecorder
from rapportbok.data.years import year_dir, year_label
from rapportbok.exceptions import DataError, Finding, Problem, UsageError

METADATA_FILE = "rapport.yml"


def data_root_for(data_dir: str | Path | None) -> Path:
    """The organisation's folder `data/<org>`: as given, or the only organisation of the project's data/."""
    if data_dir:
        return Path(data_dir)
    data_root = find_project_root() / "data"
    try:
        return data_root / resolve_organisation(data_root, None)
    except UsageError as error:  # a notebook opened in JupyterLab has no --org
        error.add_note(
            'I en notebook: sätt data_dir till organisationens mapp, t.ex. data_dir = "../data/<id>".'
        )
        raise


def load_year(
    year: int,
    data_dir: str | Path | None = None,
    *,
    draft: bool = False,
    lazy: bool = False,
    reads: ReadRecorder = NO_RECORDING,
) -> Report:
    """Read and validate `data/<org>/<year>/` (`data_dir`: the organisation's folder); raise DataError
    listing every problem.

    A draft accepts values that are still to be filled in (empty required cells); wrong values are
    errors in a draft too. `lazy` reads each table when it is first used (the build has already
    validated the year), so that a chapter depends only on the files it reads. `reads` notes every
    file read for this report, now or later (the report keeps it).
    """
    if lazy:
        return _lazy_year(year, data_dir, draft, reads)
    report, problems, _ = read_year_with_notes(year, data_dir, reads)
    blocking = [problem for problem in problems if not (draft and problem.missing)]
    if blocking or report is None:
        raise DataError(blocking or problems)
    return replace(report, draft=draft)


def read_year_with_notes(
    year: int,
    data_dir: str | Path | None = None,
    reads: ReadRecorder = NO_RECORDING,
    *,
    partial: bool = False,
) -> tuple[Report | None, list[Problem], list[Finding]]:
    """Read `data/<org>/<year>/`: the report (None if unreadable), every problem, and notes on how files
    were read (e.g. a Windows-1252 file).

    With `partial`, a table with errors keeps the rows that could be read (a value of the wrong type
    left empty) instead of none, so that `check` can go on to the rules and texts in the same pass.
    """
    folder = _year_folder(year, data_dir, reads)
    prefix = year_label(folder.parent, year)
    refused = year_files(folder, prefix).problems  # links, pipes, devices: never read
    if folder.is_symlink():
        return None, refused, []
    meta, problems = read_metadata(folder / METADATA_FILE, year, f"{prefix}/{METADATA_FILE}")
    tables, notes = {}, []
    for name in TABLE_NAMES:
        read = _read_table_file(folder, year, name, reads)
        tables[name] = read.partial if partial and read.partial is not None else read.frame
        problems.extend(read.problems)
        notes.extend(read.notes)
    named = {problem.file for problem in refused}
    problems = refused + [problem for problem in problems if problem.file not in named]
    if meta is None:
        return None, problems, notes
    return Report(meta=meta, data_dir=folder, tables=tables, reads=reads), problems, notes


def _year_folder(year: int, data_dir: str | Path | None, reads: ReadRecorder) -> Path:
    """data/<org>/<year>/, which must exist (a link to a folder exists, and is refused by the caller); its
    rapport.yml noted as read (a year that appears later is a change too)."""
    folder = year_dir(data_root_for(data_dir), year)
    reads.record(folder / METADATA_FILE)
    if not folder.is_dir():
        shown = year_label(folder.parent, year)
        raise UsageError(f"Det finns ingen data för {year}: mappen {shown} saknas.", file=shown)
    return folder


def _lazy_year(year: int, data_dir: str | Path | None, draft: bool, reads: ReadRecorder) -> Report:
    folder = _year_folder(year, data_dir, reads)
    if folder.is_symlink():
        raise DataError(year_files(folder, year_label(folder.parent, year)).problems)
    shown = year_label(folder.parent, year)
    meta, problems = read_metadata(folder / METADATA_FILE, year, f"{shown}/{METADATA_FILE}")
    if meta is None:
        raise DataError(problems)

    def loader(name: str) -> Callable[[], pd.DataFrame]:
        def load() -> pd.DataFrame:
            return _read_one(folder, year, name, draft, reads)

        return load

    tables = LazyMapping({name: loader(name) for name in TABLE_NAMES})
    return Report(meta=meta, data_dir=folder, tables=tables, draft=draft, reads=reads)


def _read_table_file(folder: Path, year: int, name: str, reads: ReadRecorder) -> TableRead:
    """One table of the year; an optional table that is absent reads as empty."""
    schema = table_schema(name)
    path = folder / schema.file_name
    reads.record(path)
    if schema.optional and not os.path.lexists(path):
        return TableRead(empty_frame(schema))
    shown_as = f"{year_label(folder.parent, year)}/{schema.file_name}"
    return read_table(path, schema, shown_as, within=folder.parent)


def _read_one(folder: Path, year: int, name: str, draft: bool, reads: ReadRecorder) -> pd.DataFrame:
    read = _read_table_file(folder, year, name, reads)
    blocking = [problem for problem in read.problems if not (draft and problem.missing)]
    if blocking:
        raise DataError(blocking)
    return read.frame


def left_out_chapters(data_dir: str | Path | None, year: int) -> tuple[str, ...]:
    """The chapters the year's rapport.yml leaves out (`utelamnade_kapitel`); none when the file cannot
    be read (validation then names its problems)."""
    folder = year_dir(data_root_for(data_dir), year)
    shown = f"{year_label(folder.parent, year)}/{METADATA_FILE}"
    meta, _ = read_metadata(folder / METADATA_FILE, year, shown)
    return meta.left_out_chapters if meta is not None else ()


def previous_year(report: Report) -> Report | None:
    """Last year's published report, if its data is in data/ and valid (used for year-over-year)."""
    try:
        return load_year(
            report.year - 1,
            report.data_dir.parent,
            lazy=isinstance(report.tables, LazyMapping),
            reads=report.reads,
        )
    except (UsageError, DataError):
        return None
