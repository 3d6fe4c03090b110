"""Never revert a change made in data/ since the export: the workbook's tables against their base.

For each table whose CSV file in data/ is no longer the file the workbook was exported from (its SHA-256
differs from the one in the workbook's identity sheet):
- the analyst did not change the sheet (it reads as the exported file): the file in data/ is kept as it is;
- the file's values are unchanged and only its form changed (a semicolon file rewritten by an earlier
  import): the sheet is written as usual;
- otherwise both changed the table, and the import is refused, naming the table and the cells the
  analyst changed, so that they can be entered again in a new export.
So two workbooks exported at the same time that change different tables are both imported, in any order.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.authoring.excel.export import csv_rows
from rapportbok.authoring.excel.identity import Identity, base_content, file_hash
from rapportbok.authoring.excel.reading import SheetTable, WorkbookRead
from rapportbok.core.book import BookId
from rapportbok.data.csvfile import MAX_BYTES
from rapportbok.data.files import read_bytes
from rapportbok.data.org_tables import book_schemas
from rapportbok.data.schema import TableSchema
from rapportbok.exceptions import DataError, Problem

SHOWN_CELLS = 8  # changed cells named in a refusal


@dataclass
class Reconciled:
    """The files to write; the tables kept as they are in data/; why tables cannot be written."""

    files: dict[str, str]
    kept: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def reconcile(files: dict[str, str], read: WorkbookRead, identity: Identity, book: BookId) -> Reconciled:
    """`files` (file name → CSV text from the workbook) without the tables changed only in the book's
    year folder, and a problem for each table changed both there and in the workbook."""
    result = Reconciled(dict(files))
    folder, shown = book.year_dir, book.label
    for name, schema in book_schemas(book.org_dir).items():
        path = folder / schema.file_name
        current = read_bytes(path, f"{shown}/{schema.file_name}", MAX_BYTES) if path.exists() else None
        if file_hash(current) == identity.hashes.get(name):
            continue
        table = read.tables[name]
        base = _rows(base_content(identity, name), shown, schema)
        if base is not None and table.rows == base:
            result.files.pop(schema.file_name, None)
            result.kept.append(name)
        elif base is None or _rows(current, shown, schema) != base:
            result.problems.append(_conflict(schema, table, base, book))  # the sheet's own schema
    return result


def _rows(content: bytes | None, shown: str, schema: TableSchema) -> list[list[str]] | None:
    """The rows of a CSV file as export writes them into the sheet, or None if it cannot be read."""
    if content is None:
        return [] if schema.optional else None
    with tempfile.TemporaryDirectory(prefix="rapportbok-base-") as folder:
        (Path(folder) / schema.file_name).write_bytes(content)
        try:
            return csv_rows(Path(folder), shown, schema)
        except DataError:
            return None


def _conflict(
    schema: TableSchema,
    table: SheetTable,
    base: list[list[str]] | None,
    book: BookId,
) -> Problem:
    changed = _changed_cells(table, base, schema)
    organisation, year, sheet = book.organisation, book.year, table.sheet_map.sheet
    return Problem(
        f"{book.label}/{schema.file_name}",
        f"filen har ändrats i data/ sedan arbetsboken exporterades, och arbetsboken ändrar också bladet "
        f'"{sheet}"{f" ({changed})" if changed else ""}; att läsa in bladet skulle skriva över '
        "ändringen i data/",
        allowed=f"exportera en ny arbetsbok med rapportbok excel --org {organisation} --year {year} och "
        f'för in dina ändringar av bladet "{sheet}" i den',
        code="workbook.conflict",
    )


def _changed_cells(table: SheetTable, base: list[list[str]] | None, schema: TableSchema) -> str:
    """The analyst's changes in words: 'ändrade celler: H4, H7' or that rows were added or removed."""
    if base is None:
        return ""
    if len(base) != len(table.rows):
        return f"{len(base)} rader vid exporten, {len(table.rows)} nu"
    fields = schema.field_names
    cells = [
        f"{table.sheet_map.columns.get(fields[column], '?')}{table.sheet_map.excel_rows[number]}"
        for number, (old, new) in enumerate(zip(base, table.rows, strict=True))
        for column in range(len(fields))
        if old[column] != new[column]
    ]
    more = f" och {len(cells) - SHOWN_CELLS} till" if len(cells) > SHOWN_CELLS else ""
    return "ändrade celler: " + ", ".join(cells[:SHOWN_CELLS]) + more
