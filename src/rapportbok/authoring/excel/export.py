"""`rapportbok excel --year ÅÅÅÅ`: the year's tables as one workbook to fill in, in
`_build/<year>/excel/<organisation>-underlag-<year>.xlsx`.

The cells are filled from the CSV files as they are written (not from the parsed tables), so that the
number of decimals in a file ("6.0") and values `check` would reject are kept and come back unchanged.
Export works on a year with errors too: the errors are listed on the first sheet, to be fixed in Excel.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rapportbok.authoring.excel.identity import write_identity
from rapportbok.authoring.excel.instructions import write_instructions
from rapportbok.authoring.excel.locate import SheetMap, locate
from rapportbok.authoring.excel.protection import protect_sheet
from rapportbok.authoring.excel.sheets import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    ORGANISATION_PROPERTY,
    YEAR_PROPERTY,
    column_format,
    headings,
    sheet_titles,
)
from rapportbok.authoring.excel.validation import ListColumns, add_validations
from rapportbok.authoring.excel.values import cell_value, unsupported_text
from rapportbok.checks.check import check_year
from rapportbok.core.book import BookId
from rapportbok.core.slug import slug
from rapportbok.data.csvfile import MAX_BYTES, CsvContent, normalise_number, read_csv
from rapportbok.data.files import read_bytes
from rapportbok.data.org_tables import book_schemas
from rapportbok.data.schema import FieldSpec, TableSchema
from rapportbok.exceptions import DataError, Problem

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
COMMENT_AUTHOR = "rapportbok"
TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # yellow: a required value is missing
TO_VERIFY = PatternFill("solid", fgColor="DDEBF7")  # light blue: empty, to be verified


def export_workbook(book: BookId, build_root: Path | None = None) -> Path:
    """Write the book's workbook into `<build_root>/<org>/<year>/excel/` (default build root: the
    project's _build) and return its path."""
    result = check_year(book)
    if result.report is None:  # rapport.yml unreadable: no organisation, no period
        raise DataError(result.problems)
    report, year = result.report, book.year
    folder = book.year_dir
    # The files as exported are read before their rows: a file changed in between is then seen as
    # changed since the export (import compares with these bytes), never as the analyst's change.
    schemas = book_schemas(book.org_dir)  # the package's tables and the organisation's own
    exported = {name: _file_bytes(folder, report.shown_folder, schema) for name, schema in schemas.items()}
    tables = {name: csv_rows(folder, report.shown_folder, schema) for name, schema in schemas.items()}
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    lists = ListColumns(workbook.create_sheet(LISTS_SHEET))
    maps = {}
    titles = sheet_titles(schemas)
    for name, rows in tables.items():
        # Before the hidden lists.
        sheet = workbook.create_sheet(titles[name], index=len(workbook.worksheets) - 1)
        maps[name] = _fill_sheet(sheet, schemas[name], rows, lists, year)
        protect_sheet(sheet, schemas[name], len(rows))
    lists.sheet.sheet_state = "hidden"
    counts = {name: len(rows) for name, rows in tables.items()}
    write_instructions(instructions, report, result, maps, counts, schemas)
    _mark_to_do(workbook, result.todo, TO_FILL, report.shown_folder, maps)
    _mark_to_do(workbook, result.to_verify, TO_VERIFY, report.shown_folder, maps)
    write_identity(workbook, book, exported, schemas)
    _no_formulas(workbook)
    workbook.custom_doc_props.append(StringProperty(name=YEAR_PROPERTY, value=str(year)))
    organisation = StringProperty(name=ORGANISATION_PROPERTY, value=report.meta.organisation)
    workbook.custom_doc_props.append(organisation)
    workbook.properties.title = f"Underlag {report.year}: {report.meta.organisation}"
    target = book.layout(build_root).excel_workbook(slug(report.meta.organisation))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        workbook.save(partial)
        os.replace(partial, target)  # an open or earlier workbook is replaced whole, never half-written
    finally:
        partial.unlink(missing_ok=True)
    return target


def _file_bytes(folder: Path, shown_folder: str, schema: TableSchema) -> bytes | None:
    """The table's CSV file as it is (None: an optional table without a file)."""
    path = folder / schema.file_name
    if schema.optional and not os.path.lexists(path):
        return None
    return read_bytes(path, f"{shown_folder}/{schema.file_name}", MAX_BYTES)


def _no_formulas(book: Workbook) -> None:
    """Every cell the export wrote is a value: text beginning with =, +, - or @ stays text, so that no
    spreadsheet ever evaluates it (openpyxl takes a string beginning with = for a formula)."""
    for sheet in book.worksheets:
        for cell in sheet._cells.values():  # the written cells only; iter_rows would add blank ones
            if cell.data_type == "f":
                cell.data_type = "s"


def csv_rows(folder: Path, shown_folder: str, schema: TableSchema) -> list[list[str]]:
    """The file's rows as text, in the schema's column order (numbers from a Swedish file as 1234.5)."""
    shown_as = f"{shown_folder}/{schema.file_name}"
    path = folder / schema.file_name
    if schema.optional and not path.exists():
        return []
    content = _read_table(path, shown_as, schema)
    positions = [content.header.index(name) for name in schema.field_names]
    fields = schema.fields  # built on each access: once per table, not per row
    rows, problems = [], []
    for number, record in enumerate(content.rows, start=2):
        if len(record) > len(content.header):
            problems.append(
                Problem(
                    shown_as, "raden har fler celler än rubrikraden", number, code="schema.row.extra_cells"
                )
            )
        rows.append(_row(fields, record, positions, content.semicolon))
        problems += _unsupported(fields, rows[-1], shown_as, number)
    if problems:
        raise DataError(problems, heading="Värden som Excel inte kan hålla oförändrade; rätta dem först:")
    return rows


def _read_table(path: Path, shown_as: str, schema: TableSchema) -> CsvContent:
    """The CSV file, read, with exactly the schema's columns (each once); otherwise DataError."""
    content, problems = read_csv(path, shown_as)
    if content is None:
        raise DataError(problems, heading="Filen kan inte läsas; rätta den först (se rapportbok check):")
    missing = [name for name in schema.field_names if name not in content.header]
    unknown = [name for name in content.header if name not in schema.field_names]
    if missing or unknown or len(set(content.header)) != len(content.header):
        raise DataError(
            [
                Problem(
                    shown_as,
                    "kolumnerna stämmer inte med tabellens schema",
                    1,
                    ", ".join(missing + unknown),
                    code="schema.columns",
                )
            ],
            heading="Kolumnerna måste stämma innan tabellen kan exporteras (se rapportbok check):",
        )
    return content


def _row(fields: list[FieldSpec], record: list[str], positions: list[int], semicolon: bool) -> list[str]:
    """One record's cells in the schema's column order, numbers normalised; missing cells empty."""
    cells = [record[i] if i < len(record) else "" for i in positions]
    return [_normalised(spec, cell, semicolon) for spec, cell in zip(fields, cells, strict=True)]


def _unsupported(fields: list[FieldSpec], row: list[str], shown_as: str, number: int) -> list[Problem]:
    """A problem for each cell whose text Excel cannot hold unchanged."""
    return [
        Problem(shown_as, reason, number, spec.name, code="workbook.value.unsupported")
        for spec, cell in zip(fields, row, strict=True)
        if (reason := unsupported_text(cell))
    ]


def _normalised(spec: FieldSpec, cell: str, semicolon: bool) -> str:
    if spec.type in ("integer", "number") and semicolon:
        text, reason = normalise_number(cell, semicolon)
        return cell if reason else text
    return cell


def _fill_sheet(
    sheet: Worksheet, schema: TableSchema, rows: list[list[str]], lists: ListColumns, year: int
) -> SheetMap:
    """Headings with comments, the rows, formats, widths, drop-down lists; frozen heading row."""
    titles = headings(schema)
    fields = schema.fields  # built on each access: once per sheet, not per row
    for position, spec in enumerate(fields, start=1):
        cell = sheet.cell(1, position, titles[spec.name])
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        cell.comment = _comment(spec)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].number_format = column_format(spec)
        longest = max([len(titles[spec.name]), *(len(row[position - 1]) for row in rows)])
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(8, longest + 2))
    for number, row in enumerate(rows, start=2):
        for position, (spec, text) in enumerate(zip(fields, row, strict=True), start=1):
            value, number_format = cell_value(spec, text)
            cell = sheet.cell(number, position, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with = is text, never a formula
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
    add_validations(sheet, schema, lists, year)
    columns = {spec.name: get_column_letter(i) for i, spec in enumerate(fields, start=1)}
    return SheetMap(sheet.title, columns, list(range(2, len(rows) + 2)), titles)


def _mark_to_do(
    book: Workbook, problems: list[Problem], fill: PatternFill, folder: str, maps: dict[str, SheetMap]
) -> None:
    """Colour the cells that the to-do list points at, so that they are easy to find."""
    for problem in problems:
        place = locate(problem, folder, maps).file
        sheet, _, cell = place.partition("!")
        if cell and ":" not in cell and sheet in book.sheetnames:
            book[sheet][cell].fill = fill


def _comment(spec: FieldSpec) -> Comment:
    """The heading's comment: what the column holds, whether it is required, its unit and allowed values."""
    lines = [spec.description or spec.title]
    if spec.unit:
        lines.append(f"Enhet: {spec.unit}.")
    if spec.required:
        lines.append("Obligatoriskt.")
    if spec.enum:
        lines.append("Tillåtna värden: " + ", ".join(spec.enum) + ".")
    if spec.range_text:
        lines.append(f"Tillåtet: {spec.range_text}.")
    lines.append(f"Kolumn i CSV-filen: {spec.name}")
    text = "\n".join(lines)
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width = 320
    comment.height = 40 + 18 * (len(lines) + len(text) // 45)
    return comment
