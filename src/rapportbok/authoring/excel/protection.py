"""Sheet protection of an exported table: the headings and the ids of the exported rows are locked (an
empty id stays open), every other cell is open to edit.

The protection has no password: it keeps an analyst from overwriting an id or a heading by mistake, not
from changing them on purpose (Granska → Ta bort bladskydd). Rows can be added below the table, inserted,
deleted, sorted and filtered, and cells formatted; LibreOffice Calc keeps the protection when it saves.
"""

from __future__ import annotations

from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rapportbok.data.schema import TableSchema

LOCKED = Protection(locked=True)
OPEN = Protection(locked=False)
# What the analyst may still do on a protected sheet (in openpyxl, False means allowed).
ALLOWED = (
    "formatCells",
    "formatColumns",
    "formatRows",
    "insertRows",
    "deleteRows",
    "sort",
    "autoFilter",
    "selectLockedCells",
    "selectUnlockedCells",
)


def id_fields(schema: TableSchema) -> list[str]:
    """The columns that name a row: the schema's unique key (none: nothing but the headings is locked)."""
    return list(schema.descriptor.get("primaryKey", []))


def protect_sheet(sheet: Worksheet, schema: TableSchema, rows: int) -> None:
    """Lock row 1 and the filled id cells of the `rows` exported rows; leave the other cells open."""
    keys = set(id_fields(schema))
    for position, spec in enumerate(schema.fields, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].protection = OPEN  # the empty cells below the table
        sheet.cell(1, position).protection = LOCKED
        for row in range(2, rows + 2):
            cell = sheet.cell(row, position)
            filled_id = spec.name in keys and cell.value not in (None, "")
            cell.protection = LOCKED if filled_id else OPEN  # an empty id is to be filled in
    sheet.protection.sheet = True
    for action in ALLOWED:
        setattr(sheet.protection, action, False)
