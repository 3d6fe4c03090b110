"""Load and validate one book's year: `load_book(book)` (the notebooks: `load_year(year)`) gives a Report or
raises DataError."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from rapportbok.core.book import DATA_FOLDER, BookId, data_root_of, notebook_book
from rapportbok.core.lazy import LazyMapping
from rapportbok.core.paths import find_project_root
from rapportbok.data.files import year_files
from rapportbok.data.metadata import METADATA_FILE, read_metadata
from rapportbok.data.org_tables import org_tables
from rapportbok.data.org_vocabulary import OrgVocabulary
from rapportbok.data.organisations import resolve_organisation
from rapportbok.data.read_table import TableRead, empty_frame, read_table
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, TableSchema, table_schema
from rapportbok.data.tracking import NO_RECORDING, ReadRecorder
from rapportbok.data.vocabulary_file import org_vocabulary, vocabulary_schema
from rapportbok.exceptions import DataError, Finding, Problem, UsageError


def org_dir_for(org_dir: str | Path | None) -> Path:
    """The organisation's folder `data/<org>`: as given, or the only organisation of the project's data/."""
    if org_dir:
        return Path(org_dir)
    root = find_project_root()
    data_root = data_root_of(root)
    try:  # a notebook opened in JupyterLab has no --org: make lab ORG=<id> sets it in the environment
        return data_root / resolve_organisation(data_root, notebook_book(root).organisation)
    except UsageError as error:
        error.add_note(
            "I JupyterLab: starta med make lab ORG=<id> (och YEAR=<år> för ett annat år än det senaste), "
            "eller sätt data_dir till organisationens mapp i parametercellen, "
            't.ex. data_dir = "../data/<id>".'
        )
        raise


def book_of(year: int, org_dir: str | Path | None = None) -> BookId:
    """The book of `year` in the organisation folder `org_dir` (data/<org>; None: the only organisation)."""
    folder = org_dir_for(org_dir)
    if folder.parent.name != DATA_FOLDER:
        folder = Path(os.path.abspath(folder))  # e.g. "kommunstyrelsekontoret", from inside data/
    if folder.parent.name != DATA_FOLDER:
        raise UsageError(f"{folder} är ingen organisations mapp: den ska ligga i {DATA_FOLDER}/.")
    return BookId(folder.name, year, folder.parent.parent)


def load_year(
    year: int,
    data_dir: str | Path | None = None,
    *,
    draft: bool = False,
    lazy: bool = False,
    reads: ReadRecorder = NO_RECORDING,
) -> Report:
    """Read and validate `data/<org>/<year>/`; raise DataError listing every problem.

    The notebooks' entry: `data_dir` is the organisation's folder, data/<org> (the chapters' papermill
    parameter; None: the only organisation). Inside the package, `load_book` takes the BookId.
    """
    return load_book(book_of(year, data_dir), draft=draft, lazy=lazy, reads=reads)


def load_book(
    book: BookId, *, draft: bool = False, lazy: bool = False, reads: ReadRecorder = NO_RECORDING
) -> Report:
    """Read and validate the book's year folder; raise DataError listing every problem.

    A draft accepts values that are still to be filled in (empty required cells); wrong values are
    errors in a draft too. `lazy` reads each table when it is first used (the build has already
    validated the year), so that a chapter depends only on the files it reads. `reads` notes every
    file read for this report, now or later (the report keeps it).
    """
    if lazy:
        return _lazy_year(book, draft, reads)
    report, problems, _ = read_book(book, reads)
    blocking = [problem for problem in problems if not (draft and problem.missing)]
    if blocking or report is None:
        raise DataError(blocking or problems)
    return replace(report, draft=draft)


def read_book(
    book: BookId, reads: ReadRecorder = NO_RECORDING, *, partial: bool = False
) -> tuple[Report | None, list[Problem], list[Finding]]:
    """Read the book's year folder: the report (None if unreadable), every problem, and notes on how
    files were read (e.g. a Windows-1252 file).

    With `partial`, a table with errors keeps the rows that could be read (a value of the wrong type
    left empty) instead of none, so that `check` can go on to the rules and texts in the same pass.
    """
    folder = _year_folder(book, reads)
    refused = year_files(folder, book.label).problems  # links, pipes, devices: never read
    if folder.is_symlink():
        return None, refused, []
    meta, problems = read_metadata(book)
    tables, notes = {}, []
    declared = org_tables(book.org_dir)
    vocabulary = org_vocabulary(book.org_dir)
    problems.extend(declared.problems + vocabulary.problems)
    for schema in _schemas(declared.schemas, vocabulary):
        read = _read_table_file(book, schema, reads, declared.files.get(schema.name))
        tables[schema.name] = read.partial if partial and read.partial is not None else read.frame
        problems.extend(read.problems)
        notes.extend(read.notes)
    named = {problem.file for problem in refused}
    problems = refused + [problem for problem in problems if problem.file not in named]
    if meta is None:
        return None, problems, notes
    return (
        Report(meta=meta, book=book, tables=tables, reads=reads, declared=declared.schemas),
        problems,
        notes,
    )


def _year_folder(book: BookId, reads: ReadRecorder) -> Path:
    """data/<org>/<year>/, which must exist (a link to a folder exists, and is refused by the caller); its
    rapport.yml noted as read (a year that appears later is a change too)."""
    folder = book.year_dir
    reads.record(folder / METADATA_FILE)
    if not folder.is_dir():
        raise UsageError(
            f"Det finns ingen data för {book.year}: mappen {book.label} saknas.", file=book.label
        )
    return folder


def _lazy_year(book: BookId, draft: bool, reads: ReadRecorder) -> Report:
    folder = _year_folder(book, reads)
    if folder.is_symlink():
        raise DataError(year_files(folder, book.label).problems)
    meta, problems = read_metadata(book)
    if meta is None:
        raise DataError(problems)

    declared = org_tables(book.org_dir)
    vocabulary = org_vocabulary(book.org_dir)
    if declared.problems or vocabulary.problems:
        raise DataError(declared.problems + vocabulary.problems)

    def loader(schema: TableSchema) -> Callable[[], pd.DataFrame]:
        def load() -> pd.DataFrame:
            return _read_one(book, schema, draft, reads, declared.files.get(schema.name))

        return load

    tables = LazyMapping({schema.name: loader(schema) for schema in _schemas(declared.schemas, vocabulary)})
    return Report(meta=meta, book=book, tables=tables, draft=draft, reads=reads, declared=declared.schemas)


def _schemas(declared: dict[str, TableSchema], vocabulary: OrgVocabulary) -> list[TableSchema]:
    """The year's tables: the package's, in their order (assessments and trends in the organisation's
    words), then the organisation's own, by name."""
    return [*(vocabulary_schema(table_schema(name), vocabulary) for name in TABLE_NAMES), *declared.values()]


def _read_table_file(
    book: BookId, schema: TableSchema, reads: ReadRecorder, schema_file: Path | None = None
) -> TableRead:
    """One table of the year; an optional table that is absent reads as empty. A table the organisation
    declares also notes its schema file as read (a changed schema re-runs the chapters that read it)."""
    if schema_file is not None:
        reads.record(schema_file)
    path = book.year_dir / schema.file_name
    reads.record(path)
    if schema.optional and not os.path.lexists(path):
        return TableRead(empty_frame(schema))
    return read_table(path, schema, f"{book.label}/{schema.file_name}", within=book.org_dir)


def _read_one(
    book: BookId, schema: TableSchema, draft: bool, reads: ReadRecorder, schema_file: Path | None
) -> pd.DataFrame:
    read = _read_table_file(book, schema, reads, schema_file)
    blocking = [problem for problem in read.problems if not (draft and problem.missing)]
    if blocking:
        raise DataError(blocking)
    return read.frame


def previous_year(report: Report) -> Report | None:
    """Last year's published report, if its data is in data/ and valid (used for year-over-year)."""
    try:
        return load_book(
            replace(report.book, year=report.year - 1),
            lazy=isinstance(report.tables, LazyMapping),
            reads=report.reads,
        )
    except (UsageError, DataError):
        return None
