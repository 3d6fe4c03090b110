"""`rapportbok import <fil.xlsx> --year ÅÅÅÅ`: the workbook's tables become the year's CSV files, but
only if the whole year passes the same validation as `check`.

The CSV files are first written to a copy of the year's folder (a book of its own,
`data/<org>/.<year>.import-…/data/<org>/<year>/`) and `check_year` runs on that copy, so that schemas,
rules across tables and the placeholders in the texts are checked exactly as `check` does. Only when
nothing is wrong are the files that changed replaced, all in one transaction (every file or none, even
if the process is killed); on an error nothing in data/ is
touched. The organisation's lock is held throughout.

Before anything is loaded the workbook is measured (`bounds`); it must be made for this organisation and
year by this version (`identity`), and a table changed in data/ since the export is never reverted
(`base`). `timeout` bounds all the reading and checking.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapportbok.authoring.excel.base import reconcile
from rapportbok.authoring.excel.bounds import import_time_limit, remaining, remove_staging
from rapportbok.authoring.excel.identity import Identity, identity_problems, read_identity
from rapportbok.authoring.excel.locate import SheetMap, locate
from rapportbok.authoring.excel.reading import WorkbookRead, open_workbook, read_workbook
from rapportbok.checks.check import CheckResult, check_year
from rapportbok.core.book import BookId
from rapportbok.core.deadline import Deadline
from rapportbok.core.formatting import count_text
from rapportbok.data.csvfile import csv_text
from rapportbok.data.datalock import WRITE_WAIT, organisation_lock
from rapportbok.data.files import is_regular_dir, year_files
from rapportbok.data.org_tables import ORG_TABLES_FOLDER, book_schemas
from rapportbok.data.schema import TableSchema
from rapportbok.data.transaction import Transaction
from rapportbok.exceptions import DataError, Problem, UsageError


@dataclass
class ImportResult:
    """What the import wrote, and what `check` says about the year now (located in the workbook)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    check: CheckResult = field(default_factory=CheckResult)
    kept: list[Path] = field(default_factory=list)  # changed in data/ since the export, not in the workbook


def import_workbook(workbook: Path, book: BookId, *, timeout: float | None = None) -> ImportResult:
    """Validate `workbook` as the book's tables; write data/<org>/<year>/*.csv only if nothing is
    wrong. The organisation's lock is held from reading the year to writing it: no build reads it
    meanwhile and no other writer interleaves. `timeout` bounds everything before the files are
    written, in seconds (reading, validating); past it nothing is written."""
    with organisation_lock(book.org_dir, write=True, wait=WRITE_WAIT):
        return _import_locked(workbook, book, timeout)


def _import_locked(workbook: Path, book: BookId, timeout: float | None) -> ImportResult:
    _require_year(book)
    folder, shown = book.year_dir, book.label
    heading = f"{workbook.name} har {{count}}; inget har skrivits i {shown}:"
    with import_time_limit(timeout, shown) as deadline:
        read, identity = _read(workbook, book, heading)
        # Tables changed in data/ since the export are kept, or refused if the workbook changes them too.
        reconciled = reconcile(_csv_files(read, folder, book_schemas(book.org_dir)), read, identity, book)
        result = _check_staged(book, reconciled.files, deadline)
    maps = {name: table.sheet_map for name, table in read.tables.items() if name not in reconciled.kept}
    problems = reconciled.problems + read.problems + _check_problems(read, result, shown, maps)
    if problems:
        # The values still to be filled in are listed too, so that one round of fixes is enough.
        missing = _located(read, result.todo, shown, maps)
        count = f"{len(problems)} fel" + (
            f" och {count_text(len(missing), 'uppgift som saknas', 'uppgifter som saknas')}"
            if missing
            else ""
        )
        raise DataError(problems + missing, heading=heading.format(count=count))
    written, unchanged = _replace_changed(folder, reconciled.files)
    _locate_findings(result, read, reconciled.kept, shown, maps)
    return ImportResult(written, unchanged, result, kept=[folder / f"{name}.csv" for name in reconciled.kept])


def _require_year(book: BookId) -> None:
    """The year's folder must exist: import writes the tables, not rapport.yml and the texts."""
    if not book.year_dir.is_dir():
        raise UsageError(
            f"{book.label} finns inte. Skapa året först med rapportbok new-year {book.year}; "
            "import skriver bara tabellerna, inte rapport.yml och texterna."
        )


def _read(workbook: Path, book: BookId, heading: str) -> tuple[WorkbookRead, Identity]:
    """The workbook's tables and identity, once the year's folder holds only files that are read, the
    workbook is this book's, and every table could be read; otherwise DataError, nothing written."""
    shown = book.label
    refused = year_files(book.year_dir, shown).problems  # links, pipes, devices: never copied or read
    if refused:
        raise DataError(refused, heading=f"{shown} innehåller filer som inte läses; inget har skrivits:")
    values, formulas = open_workbook(workbook)  # bounded: see bounds
    identity = read_identity(values)
    foreign = identity_problems(identity, workbook.name, book)
    if foreign or identity is None:
        raise DataError(foreign, heading=heading.format(count=f"{len(foreign)} fel"))
    read = read_workbook(values, formulas, book.year, book_schemas(book.org_dir))
    if not read.complete:
        raise DataError(read.problems, heading=heading.format(count=f"{len(read.problems)} fel"))
    return read, identity


def _check_staged(book: BookId, files: dict[str, str], deadline: Deadline | None) -> CheckResult:
    """`check_year` on a copy of the year with `files` written into it."""
    # In data/<org>/, never beside it: the copy is a book of its own whose root is the staging
    # folder, with the same organisation and year (messages name data/<org>/<year>).
    staging = Path(tempfile.mkdtemp(prefix=f".{book.year}.import-", dir=book.org_dir))
    try:
        staged = replace(book, root=staging)
        shutil.copytree(book.year_dir, staged.year_dir, symlinks=True)  # a link that appeared stays a link
        declared = (
            book.org_dir / ORG_TABLES_FOLDER
        )  # the organisation's own tables are checked by their schemas
        if is_regular_dir(declared):
            shutil.copytree(declared, staged.org_dir / ORG_TABLES_FOLDER, symlinks=True)
        for name, text in files.items():
            (staged.year_dir / name).write_text(text, encoding="utf-8", newline="")
        result = check_year(staged, timeout=remaining(deadline))
    finally:
        remove_staging(staging)
    if deadline is not None:
        deadline.check()  # a text that ran out of time counts as the import running out of time
    return result


def _check_problems(
    read: WorkbookRead, result: CheckResult, shown: str, maps: dict[str, SheetMap]
) -> list[Problem]:
    """Check's problems, located in the workbook.

    A cell whose value could not be read already has its problem; check's view of it would repeat it,
    and a text whose placeholder reads that cell would fail for the same reason: texts and rapport.yml
    are reported once every cell can be read."""
    return _located(read, result.problems, shown, maps)


def _located(
    read: WorkbookRead, problems: list[Problem], shown: str, maps: dict[str, SheetMap]
) -> list[Problem]:
    """`problems` located in the workbook, less those at a cell that could not be read (see
    _check_problems)."""
    flagged = set().union(*(table.flagged for table in read.tables.values()))
    typed = {place: pair for table in read.tables.values() for place, pair in table.typed.items()}
    located = [_as_typed(locate(problem, shown, maps), typed) for problem in problems]
    return [
        problem
        for problem in located
        if problem.file not in flagged and not (flagged and problem.file.startswith("data/"))
    ]


def _as_typed(problem: Problem, typed: dict[str, tuple[str, str]]) -> Problem:
    """`problem` quoting its cell as the analyst typed it ("88 302,5") rather than as the CSV file
    would hold it ("88302.5")."""
    if problem.file not in typed:
        return problem
    csv, shown = typed[problem.file]
    return replace(problem, message=problem.message.replace(f'"{csv}"', f'"{shown}"', 1))


def _locate_findings(
    result: CheckResult, read: WorkbookRead, kept: Collection[str], shown: str, maps: dict[str, SheetMap]
) -> None:
    """Check's to-dos and values to verify located in the workbook; the workbook's formula findings
    (of the tables written) before check's warnings."""
    result.todo = [locate(problem, shown, maps) for problem in result.todo]
    result.to_verify = [locate(problem, shown, maps) for problem in result.to_verify]
    result.warnings = [
        *(finding for name, table in read.tables.items() if name not in kept for finding in table.formulas),
        *result.warnings,
    ]


def _csv_files(read: WorkbookRead, folder: Path, schemas: dict[str, TableSchema]) -> dict[str, str]:
    """File name → CSV text; an optional table that is absent and has no rows stays absent."""
    files = {}
    for name, table in read.tables.items():
        schema = schemas[name]
        if schema.optional and not table.rows and not (folder / schema.file_name).exists():
            continue
        files[schema.file_name] = csv_text(schema.field_names, table.rows)
    return files


def _replace_changed(folder: Path, files: dict[str, str]) -> tuple[list[Path], list[Path]]:
    """Write the files whose content changed, as one transaction (data/transaction.py): every file or
    none, even if the process is killed while they are switched."""
    changed = {
        folder / name: text.encode("utf-8")
        for name, text in files.items()
        if not (folder / name).is_file() or (folder / name).read_bytes() != text.encode("utf-8")
    }
    unchanged = sorted(folder / name for name in files if folder / name not in changed)
    transaction = Transaction(folder.parent)
    for target, content in changed.items():
        transaction.write(target, content)
    transaction.commit()
    return sorted(changed), unchanged
