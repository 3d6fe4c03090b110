"""Problems found in the CSV files, told where they are in the workbook: `uppdrag!H4, kolumn "Status"`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rapportbok.exceptions import Problem

FIRST_CSV_ROW = 2  # row 1 of a CSV file is its header


@dataclass(frozen=True)
class SheetMap:
    """Where a table's CSV rows and columns are on its sheet."""

    sheet: str
    columns: dict[str, str]  # field → column letter
    excel_rows: list[int]  # the sheet row of each CSV data row, in order
    titles: dict[str, str] = field(default_factory=dict, compare=False)  # field → its heading on the sheet

    def excel_row(self, csv_row: int) -> int | None:
        """The sheet row of CSV row `csv_row` (2 = the first data row), if there is one."""
        index = csv_row - FIRST_CSV_ROW
        return self.excel_rows[index] if 0 <= index < len(self.excel_rows) else None

    def place(self, csv_row: int | None, field: str | None) -> str:
        """`uppdrag!H4` (a cell), `uppdrag!4:4` (a row) or `uppdrag` (the sheet)."""
        row = self.excel_row(csv_row) if csv_row is not None else None
        if row is None:
            return self.sheet
        if field in self.columns:
            return f"{self.sheet}!{self.columns[field]}{row}"
        return f"{self.sheet}!{row}:{row}"


def locate(problem: Problem, folder: str, maps: dict[str, SheetMap]) -> Problem:
    """`problem` moved from its CSV file to the sheet (and cell, when it has a row and column)."""
    table = _table_of(problem.file, folder)
    if table is None or table not in maps:
        return problem  # rapport.yml, a text file: not in the workbook
    sheet_map = maps[table]
    titles = sheet_map.titles
    fields = [name.strip() for name in (problem.column or "").split(",") if name.strip()]
    column = " + ".join(titles.get(name, name) for name in fields) or None
    place = sheet_map.place(problem.row, fields[0] if fields else None)
    return replace(problem, file=place, row=None, column=column)


def _table_of(file: str, folder: str) -> str | None:
    prefix = f"{folder}/"
    if not file.startswith(prefix):
        return None
    name = file[len(prefix) :]
    return name.removesuffix(".csv") if name.endswith(".csv") and "/" not in name else None
