"""Read a workbook into the rows the CSV files would hold, with every problem located at its cell.

A workbook with a formula is opened twice: once for the values (a formula's saved result) and once for
the formulas, so that a formula without a saved result is told apart from an empty cell. One without
(every exported workbook, until a formula is typed in) is opened once: both views are the same.
Sheets are matched to tables by name, columns by heading; blank rows (also trailing ones that only
carry formatting) are skipped.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rapportbok.authoring.excel.bounds import check_bounds, read_workbook_bytes
from rapportbok.authoring.excel.cells import CellValue, Converted, convert, typed_text
from rapportbok.authoring.excel.locate import SheetMap
from rapportbok.authoring.excel.sheets import (
    HELPER_SHEETS,
    field_for_heading,
    headings,
    is_percent,
    sheet_titles,
)
from rapportbok.data.csvfile import MAX_ROWS
from rapportbok.data.schema import TABLE_NAMES, FieldSpec, TableSchema, table_schema
from rapportbok.exceptions import Finding, Problem, UsageError

PERCENT_INDICATOR_UNIT = "procent"
INDICATOR_VALUES = ("utfall", "mal")  # in indikator_utfall: percent when the indicator's unit is procent


@dataclass
class SheetTable:
    """One table as read from its sheet: CSV rows in the schema's column order, and where they came from."""

    table: str
    sheet_map: SheetMap
    rows: list[list[str]] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # cells that already have a problem (uppdrag!H4)
    formulas: list[Finding] = field(default_factory=list)  # cells read from a formula's saved value
    # The cells whose CSV text is not what the analyst typed: place → (CSV text, as typed), so that
    # check's messages quote the cell as typed ("88 302,5", not "88302.5").
    typed: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class WorkbookRead:
    """Every table found, and every problem; `complete` is False when a table could not be read whole."""

    tables: dict[str, SheetTable]
    problems: list[Problem]
    complete: bool


def open_workbook(path: Path) -> tuple[Workbook, Workbook]:
    """The workbook's values (saved results of formulas) and its formulas; a usage error if the file is
    no workbook or exceeds a limit of `bounds` (checked before anything is loaded). Without a formula in
    any sheet the two are one workbook, loaded once."""
    content = read_workbook_bytes(path)
    has_formulas = check_bounds(content, path.name)
    try:
        with warnings.catch_warnings():
            # Parts openpyxl does not keep (Excel's extended drop-down lists, slicers …) hold no data.
            warnings.simplefilter("ignore", UserWarning)
            # Opened by content, not by name: a workbook saved as underlag.XLSX or without a suffix is read.
            values = load_workbook(io.BytesIO(content), data_only=True)
            formulas = load_workbook(io.BytesIO(content), data_only=False) if has_formulas else values
            return values, formulas
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UsageError(
            f"{path.name} kan inte läsas som en Excel-arbetsbok (.xlsx). Spara den i Excel som "
            f'"Excel-arbetsbok (*.xlsx)" och försök igen. (Felet: {type(error).__name__})'
        ) from error


def read_workbook(
    values: Workbook, formulas: Workbook, year: int, schemas: dict[str, TableSchema] | None = None
) -> WorkbookRead:
    """Every table of a workbook opened by `open_workbook`, made for fiscal year `year`; `schemas`: the
    book's tables (default: the package's)."""
    schemas = schemas if schemas is not None else {name: table_schema(name) for name in TABLE_NAMES}
    problems: list[Problem] = []
    complete = True
    by_name: dict[str, Worksheet] = {}
    for sheet in values.worksheets:
        key = sheet.title.strip().casefold()
        if key in by_name:
            problems.append(
                Problem(
                    sheet.title,
                    f'bladet har samma namn som bladet "{by_name[key].title}" (bortsett från mellanslag)',
                    allowed="ta bort eller byt namn på det ena bladet",
                    code="workbook.sheet.duplicate",
                )
            )
            complete = False
            continue
        by_name[key] = sheet
    tables: dict[str, SheetTable] = {}
    indicator_units: dict[str, str] = {}
    titles = sheet_titles(schemas)
    for name, schema in schemas.items():
        sheet = _table_sheet(by_name, titles[name], name)
        if sheet is None:
            problems.append(
                Problem(
                    titles[name],
                    "bladet saknas",
                    allowed=f"arbetsboken ska ha ett blad per tabell; bladet för {schema.file_name} saknas",
                    code="workbook.sheet.missing",
                )
            )
            complete = False
            continue
        if sheet.sheet_state != "visible":
            problems.append(
                Problem(
                    sheet.title,
                    "bladet är dolt",
                    allowed="visa bladet (högerklicka på en flik → Ta fram) och kontrollera det, "
                    "eller ta bort uppgifterna",
                    code="workbook.sheet.hidden",
                )
            )
        percent = _percent_rule(schema, indicator_units)
        table, sheet_problems, whole = _read_sheet(sheet, formulas[sheet.title], schema, percent, year)
        problems += sheet_problems
        complete = complete and whole
        tables[name] = table
        if name == "indikatorer":
            indicator_units.update(_indicator_units(table))
    for key, sheet in by_name.items():
        if key in (helper.casefold() for helper in HELPER_SHEETS) or _is_empty(sheet):
            continue
        problems.append(
            Problem(
                sheet.title,
                "okänt blad",
                allowed="bladen ska heta som när arbetsboken skapades (" + ", ".join(titles.values()) + "); "
                "byt namn på bladet eller ta bort det (egna beräkningar hör hemma i en annan arbetsbok)",
                code="workbook.sheet.unknown",
            )
        )
    return WorkbookRead(tables, problems, complete)


def _percent_rule(
    schema: TableSchema, indicator_units: dict[str, str]
) -> Callable[[str, dict[str, str]], bool]:
    """Whether a column's value is a percentage (so that a cell formatted 7,3 % means 7.3)."""
    table = schema.name
    percent_fields = {spec.name for spec in schema.fields if is_percent(spec)}

    def percent_ok(field_name: str, row: dict[str, str]) -> bool:
        if field_name in percent_fields:
            return True
        return (
            table == "indikator_utfall"
            and field_name in INDICATOR_VALUES
            and indicator_units.get(row.get("indikator_id", "")) == PERCENT_INDICATOR_UNIT
        )

    return percent_ok


def _indicator_units(table: SheetTable) -> dict[str, str]:
    fields = table_schema("indikatorer").field_names
    ids, units = fields.index("indikator_id"), fields.index("enhet")
    return {row[ids]: row[units] for row in table.rows}


def _is_empty(sheet: Worksheet) -> bool:
    return all(_blank(cell.value) for row in sheet.iter_rows() for cell in row)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(
    values: Worksheet,
    formulas: Worksheet,
    schema: TableSchema,
    percent_ok: Callable[[str, dict[str, str]], bool],
    year: int,
) -> tuple[SheetTable, list[Problem], bool]:
    """The table on one sheet, its problems, and whether it could be read whole."""
    columns, problems, whole = _columns(values, schema)
    letters = {name: get_column_letter(index) for name, index in columns.items()}
    titles = headings(schema)
    table = SheetTable(schema.name, SheetMap(values.title, letters, [], titles))
    problems += _merged_problems(values, schema, columns, table)
    reading = _RowReading(values, schema, columns, percent_ok, year)
    formula_rows = formulas.iter_rows(min_row=2)
    for number, row in enumerate(values.iter_rows(min_row=2), start=2):
        formula_row = next(formula_rows, ())
        if all(_blank(cell.value) and not _is_formula(formula_row, i) for i, cell in enumerate(row)):
            continue
        if len(table.rows) >= MAX_ROWS:
            problems.append(
                Problem(
                    values.title,
                    f"bladet har fler än {MAX_ROWS} rader",
                    allowed="dela upp eller rensa",
                    code="workbook.sheet.too_many_rows",
                )
            )
            return table, problems, False
        texts = _read_row(
            reading,
            table,
            problems,
            row,
            (number, formula_row),
        )
        table.rows.append([texts.get(name, "") for name in schema.field_names])
        table.sheet_map.excel_rows.append(number)
    return table, problems, whole


@dataclass(frozen=True)
class _RowReading:
    """What reading one row of a sheet needs besides the row: the sheet, its table's schema, where each
    column is, and how a value's type is decided."""

    values: Worksheet
    schema: TableSchema
    columns: dict[str, int]
    percent_ok: Callable[[str, dict[str, str]], bool]
    year: int

    @cached_property
    def specs(self) -> dict[str, FieldSpec]:
        return {spec.name: spec for spec in self.schema.fields}

    @cached_property
    def titles(self) -> dict[str, str]:
        return headings(self.schema)

    @cached_property
    def ordered(self) -> list[str]:
        """Text columns first: whether a value is a percentage may depend on the row's indicator."""
        return sorted(self.columns, key=lambda name: self.specs[name].type in ("integer", "number"))


def _read_row(
    reading: _RowReading, table: SheetTable, problems: list[Problem], row: tuple, at: tuple[int, tuple]
) -> dict[str, str]:
    """One row's values as text, by column; typed cells, formulas and value problems recorded on the way.
    `at` is the row's number on the sheet and the same row read with its formulas."""
    number, formula_row = at
    specs, titles = reading.specs, reading.titles
    texts: dict[str, str] = {}
    for name in reading.ordered:
        position = reading.columns[name] - 1
        cell = row[position] if position < len(row) else None
        view = _cell_value(cell, formula_row, position)
        converted = convert(
            view,
            specs[name],
            percent_ok=reading.percent_ok(name, texts),
            epoch=reading.values.parent.epoch,
            year=reading.year,
        )
        texts[name] = converted.text
        place = f"{reading.values.title}!{get_column_letter(reading.columns[name])}{number}"
        _record_cell(table, place, view, converted)
        if converted.issue and place not in table.flagged:
            problems.append(
                Problem(
                    place,
                    converted.issue,
                    column=titles[name],
                    allowed=converted.allowed,
                    code="workbook.value",
                )
            )
            table.flagged.add(place)
    return texts


def _record_cell(table: SheetTable, place: str, view: CellValue, converted: Converted) -> None:
    """Note a cell typed otherwise than it reads (to quote it as typed) and a formula's stored value."""
    typed = typed_text(view)
    if typed is not None and typed != converted.text and converted.text:
        table.typed[place] = (converted.text, typed)
    if view.formula is not None and not converted.issue:
        table.formulas.append(
            Finding(
                place,
                f"cellen har formeln ={view.formula.removeprefix('=')}; dess sparade värde "
                f'"{converted.text}" läses in (rapportbok räknar aldrig om en formel)',
                code="workbook.formula",
            )
        )


def _is_formula(formula_row: tuple, position: int) -> bool:
    return position < len(formula_row) and formula_row[position].data_type == "f"


def _cell_value(cell: object, formula_row: tuple, position: int) -> CellValue:
    if cell is None:
        return CellValue(None)
    formula = None
    if _is_formula(formula_row, position):
        raw = formula_row[position].value
        formula = str(getattr(raw, "text", raw))  # an array formula keeps its text in .text
    return CellValue(
        cell.value,
        cell.number_format or "General",
        formula,
        is_error=cell.data_type == "e",
    )


def _table_sheet(by_name: dict[str, Worksheet], title: str, name: str) -> Worksheet | None:
    """The table's sheet, taken out of `by_name`: by its Swedish title, or by the table's id (a workbook
    exported before the sheets had titles; ignoring case and spaces at the ends)."""
    for key in (title.casefold(), name.casefold()):
        if key in by_name:
            return by_name.pop(key)
    return None


def _columns(sheet: Worksheet, schema: TableSchema) -> tuple[dict[str, int], list[Problem], bool]:
    """Field → column number, from the heading row; problems for unknown, missing and repeated headings."""
    titles = headings(schema)
    allowed = "rubrikerna på bladet: " + ", ".join(titles.values())
    columns: dict[str, int] = {}
    problems = []
    for cell in next(sheet.iter_rows(max_row=1), ()):
        place = f"{sheet.title}!{cell.coordinate}"
        if _blank(cell.value):
            if _column_has_values(sheet, cell.column):
                problems.append(
                    Problem(
                        place,
                        "kolumnen har värden men ingen rubrik",
                        allowed=allowed,
                        code="workbook.column.no_heading",
                    )
                )
            continue
        text = str(cell.value)
        name = field_for_heading(schema, text, titles)
        if name is None:
            problems.append(
                Problem(
                    place,
                    f'okänd kolumnrubrik "{text.strip()}"',
                    allowed=allowed,
                    code="workbook.column.unknown",
                )
            )
        elif name in columns:
            problems.append(
                Problem(
                    place,
                    "kolumnen finns flera gånger",
                    column=titles[name],
                    allowed="ta bort dubbletten",
                    code="workbook.column.duplicate",
                )
            )
        else:
            columns[name] = cell.column
    missing = [name for name in schema.field_names if name not in columns]
    problems += [
        Problem(
            sheet.title,
            "kolumnen saknas",
            column=titles[name],
            allowed=allowed,
            code="workbook.column.missing",
        )
        for name in missing
    ]
    return columns, problems, not missing


def _column_has_values(sheet: Worksheet, column: int) -> bool:
    return any(
        not _blank(cell.value) for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column)
    )


def _merged_problems(
    sheet: Worksheet, schema: TableSchema, columns: dict[str, int], table: SheetTable
) -> list[Problem]:
    """Merged cells hold one value for several cells: which of them it belongs to cannot be known."""
    by_column = {index: name for name, index in columns.items()}
    titles = headings(schema)
    problems = []
    for merged in sheet.merged_cells.ranges:
        place = f"{sheet.title}!{merged.start_cell.coordinate}"
        name = by_column.get(merged.min_col)
        problems.append(
            Problem(
                place,
                f"cellerna {merged.coord} är sammanfogade",
                column=titles[name] if name else None,
                allowed="dela upp sammanfogningen (Start → Sammanfoga och centrera → Dela upp celler) och "
                "skriv värdet i varje cell",
                code="workbook.cells.merged",
            )
        )
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                table.flagged.add(f"{sheet.title}!{get_column_letter(col)}{row}")
    return problems
