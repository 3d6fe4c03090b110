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
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapportbok.authoring.excel.base import reconcile
from rapportbok.authoring.excel.bounds import import_time_limit, remaining, remove_staging
from rapportbok.authoring.excel.identity import identity_problems, read_identity
from rapportbok.authoring.excel.locate import locate
from rapportbok.authoring.excel.reading import WorkbookRead, open_workbook, read_workbook
from rapportbok.checks.check import CheckResult, check_year
from rapportbok.core.book import BookId
from rapportbok.data.csvfile import csv_text
from rapportbok.data.datalock import WRITE_WAIT, organisation_lock
from rapportbok.data.files import year_files
from rapportbok.data.schema import table_schema
from rapportbok.data.transaction import Transaction
from rapportbok.exceptions import DataError, UsageError


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
    year, folder, shown = book.year, book.year_dir, book.label
    if not folder.is_dir():
        raise UsageError(
            f"{shown} finns inte. Skapa året först med rapportbok new-year {year}; "
            "import skriver bara tabellerna, inte rapport.yml och texterna."
        )
    heading = f"{workbook.name} har {{count}} fel; inget har skrivits i {shown}:"
    with import_time_limit(timeout, shown) as deadline:
        refused = year_files(folder, shown).problems  # links, pipes, devices: never copied or read
        if refused:
            raise DataError(refused, heading=f"{shown} innehåller filer som inte läses; inget har skrivits:")
        values, formulas = open_workbook(workbook)  # bounded: see bounds
        identity = read_identity(values)
        foreign = identity_problems(identity, workbook.name, book)
        if foreign or identity is None:
            raise DataError(foreign, heading=heading.format(count=len(foreign)))
        read = read_workbook(values, formulas, year)
        if not read.complete:
            raise DataError(read.problems, heading=heading.format(count=len(read.problems)))
        # Tables changed in data/ since the export are kept, or refused if the workbook changes them too.
        reconciled = reconcile(_csv_files(read, folder), read, identity, book)
        files = reconciled.files
        # In data/<org>/, never beside it: the copy is a book of its own whose root is the staging
        # folder, with the same organisation and year (messages name data/<org>/<year>).
        staging = Path(tempfile.mkdtemp(prefix=f".{year}.import-", dir=book.org_dir))
        try:
            staged = replace(book, root=staging)
            shutil.copytree(folder, staged.year_dir, symlinks=True)  # a link that appeared stays a link
            for name, text in files.items():
                (staged.year_dir / name).write_text(text, encoding="utf-8", newline="")
            result = check_year(staged, timeout=remaining(deadline))
        finally:
            remove_staging(staging)
        if deadline is not None:
            deadline.check()  # a text that ran out of time counts as the import running out of time
    maps = {name: table.sheet_map for name, table in read.tables.items() if name not in reconciled.kept}
    flagged = set().union(*(table.flagged for table in read.tables.values()))
    located = [locate(problem, shown, maps) for problem in result.problems]
    # A cell whose value could not be read already has its problem; check's view of it would repeat it,
    # and a text whose placeholder reads that cell would fail for the same reason: texts and rapport.yml
    # are reported once every cell can be read.
    problems = (
        reconciled.problems
        + read.problems
        + [
            problem
            for problem in located
            if problem.file not in flagged and not (flagged and problem.file.startswith("data/"))
        ]
    )
    if problems:
        raise DataError(problems, heading=heading.format(count=len(problems)))
    written, unchanged = _replace_changed(folder, files)
    result.todo = [locate(problem, shown, maps) for problem in result.todo]
    result.to_verify = [locate(problem, shown, maps) for problem in result.to_verify]
    result.warnings = [
        *(
            finding
            for name, table in read.tables.items()
            if name not in reconciled.kept
            for finding in table.formulas
        ),
        *result.warnings,
    ]
    return ImportResult(
        written, unchanged, result, kept=[folder / table_schema(name).file_name for name in reconciled.kept]
    )


def _csv_files(read: WorkbookRead, folder: Path) -> dict[str, str]:
    """File name → CSV text; an optional table that is absent and has no rows stays absent."""
    files = {}
    for name, table in read.tables.items():
        schema = table_schema(name)
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
