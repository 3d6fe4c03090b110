"""Text that looks like a formula (=, +, -, @, also after a tab) is exported as text a spreadsheet never
evaluates and comes back unchanged; a real formula in an imported workbook is read as its saved value
and reported by cell and formula."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from rapportbok.authoring.excel import reading
from rapportbok.authoring.excel.bounds import check_bounds
from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.import_ import import_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.data.csvfile import csv_text, read_csv
from rapportbok.data.load import book_of
from tests.unit.authoring.excel_helpers import YEAR, copy_data, fingerprint, with_cached_formula

FORMULA_LIKE = [
    '=HYPERLINK("http://example.org","klicka")',
    "+46 8 123 45",
    "-2 % jämfört med i fjol",
    "@SUM(A1:A2)",
    "\t=1+1",
    "=cmd|' /C calc'!A0",
]


def with_comments(data: Path, comments: list[str]) -> Path:
    """uppdrag.csv with `comments` as the comments of its first rows."""
    path = data / str(YEAR) / "uppdrag.csv"
    content, _ = read_csv(path, "uppdrag.csv")
    column = content.header.index("kommentar")
    for row, comment in zip(content.rows, comments, strict=False):
        row[column] = comment
    path.write_text(csv_text(content.header, content.rows), encoding="utf-8", newline="")
    return path


def formula_elements(workbook: Path) -> list[str]:
    """The names of the worksheet parts that hold a formula element."""
    with zipfile.ZipFile(workbook) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name))
        ]


def test_formula_like_text_is_exported_as_text_and_imported_back_unchanged(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    path = with_comments(data, FORMULA_LIKE)
    before = path.read_bytes()
    workbook = export_workbook(book_of(YEAR, data), tmp_path / "_build")
    assert formula_elements(workbook) == []
    sheet = load_workbook(workbook)[SHEET["uppdrag"]]
    cells = [sheet.cell(row, 9) for row in range(2, 2 + len(FORMULA_LIKE))]
    assert [cell.value for cell in cells] == FORMULA_LIKE
    assert {cell.data_type for cell in cells} == {"s"}
    assert {cell.number_format for cell in cells} == {"@"}  # typed over in Excel, it stays text
    result = import_workbook(workbook, book_of(YEAR, data))
    assert result.written == []
    assert path.read_bytes() == before


def test_a_wrong_value_that_looks_like_a_formula_is_text_in_the_instructions_list_too(
    tmp_path: Path,
) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    path = data / str(YEAR) / "uppdrag.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Slutförd", "=1+1", 1), encoding="utf-8")
    workbook = export_workbook(book_of(YEAR, data), tmp_path / "_build")
    assert formula_elements(workbook) == []
    book = load_workbook(workbook)
    assert book[SHEET["uppdrag"]]["H2"].value == "=1+1"
    listed = [cell for row in book["Instruktioner"].iter_rows() for cell in row if "=1+1" in str(cell.value)]
    assert listed and {cell.data_type for cell in listed} == {"s"}


def test_a_formula_is_read_as_its_saved_value_and_reported_by_cell_and_formula(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    original = fingerprint(data)
    exported = export_workbook(book_of(YEAR, data), tmp_path / "_build")
    workbook = Path(shutil.copy(exported, tmp_path / "a.xlsx"))
    drift = ["Instruktioner", "malomraden", "inriktningsmal", "indikatorer", "indikator_utfall", "uppdrag"]
    drift += ["uppdrag_nasta_ar", "uppdrag_sammanstallning", "sjukfranvaro", "sjukfranvaro_ar"]
    drift += ["personalomsattning", "drift"]
    with_cached_formula(workbook, len(drift), "E2", "D2-C2", "-1267")
    result = import_workbook(workbook, book_of(YEAR, data))
    assert fingerprint(data) == original  # the saved value is the value in the file
    assert [str(warning) for warning in result.check.warnings if "formeln" in str(warning)] == [
        'Driftredovisning!E2: cellen har formeln =D2-C2; dess sparade värde "-1267" läses in '
        "(rapportbok räknar aldrig om en formel)"
    ]


def test_a_workbook_is_loaded_again_for_its_formulas_only_when_a_sheet_has_one(tmp_path: Path) -> None:
    """Without an `f` element in any sheet both views of `open_workbook` are the same workbook, loaded
    once (every exported workbook: opening it takes half the time); with one, the formulas
    are a workbook of their own in which the cell is a formula."""
    book = Workbook()
    book.active.title = "drift"
    book["drift"]["A1"] = 1
    book["drift"]["A2"] = "text"
    book.save(tmp_path / "plain.xlsx")
    assert check_bounds((tmp_path / "plain.xlsx").read_bytes(), "plain.xlsx") is False
    values, formulas = reading.open_workbook(tmp_path / "plain.xlsx")
    assert formulas is values and values["drift"]["A1"].value == 1

    book["drift"]["A3"] = "=A1+1"
    book.save(tmp_path / "formula.xlsx")
    assert check_bounds((tmp_path / "formula.xlsx").read_bytes(), "formula.xlsx") is True
    values, formulas = reading.open_workbook(tmp_path / "formula.xlsx")
    assert formulas is not values
    assert formulas["drift"]["A3"].data_type == "f" and formulas["drift"]["A3"].value == "=A1+1"
    assert values["drift"]["A3"].value is None  # no saved result: told apart from the formula
