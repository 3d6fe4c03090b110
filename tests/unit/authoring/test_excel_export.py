"""`rapportbok excel`: the workbook an analyst fills in — sheets, Swedish headings with comments,
drop-down lists, number formats, frozen headings and an instructions sheet with the to-do list."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.authoring.new_year import start_new_year
from rapportbok.data.load import book_of
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.exceptions import DataError
from tests.unit.authoring.excel_helpers import YEAR, copy_data


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("export")
    return root, export_workbook(
        book_of(YEAR, copy_data(root / "data" / "kommunstyrelsekontoret")), root / "_build"
    )


@pytest.fixture(scope="module")
def book(exported: tuple[Path, Path]) -> Workbook:
    return load_workbook(exported[1])


def instructions_text(book: Workbook) -> str:
    sheet = book["Instruktioner"]
    return "\n".join(
        " | ".join(str(cell.value) for cell in row if cell.value is not None) for row in sheet.iter_rows()
    )


def validation_for(sheet, column: str):
    """The data validation that covers the column's first data cell."""
    return next(rule for rule in sheet.data_validations.dataValidation if f"{column}2" in rule.sqref)


def list_values(book: Workbook, formula: str) -> list[str]:
    """The values a list validation's formula (listor!$A$2:$A$5) points at."""
    sheet_name, _, reference = formula.partition("!")
    sheet = book[sheet_name.strip("'")]
    return [cell.value for (cell,) in sheet[reference.replace("$", "")]]


def test_it_writes_the_workbook_under_the_years_build_folder(exported: tuple[Path, Path]) -> None:
    root, path = exported
    assert (
        path
        == root
        / "_build"
        / "kommunstyrelsekontoret"
        / "2024"
        / "excel"
        / "kommunstyrelsekontoret-underlag-2024.xlsx"
    )
    assert not list(path.parent.glob(".*")), "a partial file was left behind"


def test_it_has_the_instructions_first_one_sheet_per_table_and_the_lists_hidden(book: Workbook) -> None:
    titles = [SHEET[name] for name in TABLE_NAMES]
    assert book.sheetnames == ["Instruktioner", *titles, "listor", "rapportbok"]
    assert "Indikatorer – utfall" in titles  # Swedish titles, not file ids
    assert book["listor"].sheet_state == "hidden"
    assert book["rapportbok"].sheet_state == "hidden"
    assert all(book[name].sheet_state == "visible" for name in ["Instruktioner", *titles])


def test_it_heads_each_column_with_the_swedish_title_and_unit_and_explains_it_in_a_comment(
    book: Workbook,
) -> None:
    drift = book[SHEET["drift"]]
    assert [cell.value for cell in drift[1]] == [
        "Post-id",
        "Post",
        "Budget (tkr)",
        "Utfall (tkr)",
        "Avvikelse (tkr)",
        "Utfall föregående år (tkr)",
    ]
    comment = drift["E1"].comment.text
    assert table_schema("drift").field("avvikelse").description in comment
    assert "Obligatoriskt." in comment
    assert "Kolumn i CSV-filen: avvikelse" in comment


def test_it_freezes_the_heading_row_of_every_table(book: Workbook) -> None:
    assert {book[SHEET[name]].freeze_panes for name in TABLE_NAMES} == {"A2"}


def test_every_field_with_allowed_values_has_a_drop_down_list_of_exactly_them(book: Workbook) -> None:
    checked = 0
    for name in TABLE_NAMES:
        sheet = book[SHEET[name]]
        for position, spec in enumerate(table_schema(name).fields):
            if not spec.enum:
                continue
            column = sheet.cell(1, position + 1).column_letter
            rule = validation_for(sheet, column)
            assert rule.type == "list"
            assert f"{column}1048576" in str(rule.sqref)  # rows the analyst adds are covered too
            assert list_values(book, rule.formula1) == list(spec.enum)
            checked += 1
    assert checked >= 15


def test_it_checks_whole_numbers_decimals_and_dates_while_typing(book: Workbook) -> None:
    assert validation_for(book[SHEET["drift"]], "C").type == "whole"
    assert validation_for(book[SHEET["sjukfranvaro"]], "D").type == "decimal"
    assert validation_for(book[SHEET["uppdrag"]], "G").type == "date"
    assert "ÅÅÅÅ-MM-DD" in validation_for(book[SHEET["uppdrag"]], "G").error


def test_it_fills_in_the_years_data_with_numbers_dates_and_text_in_their_own_formats(book: Workbook) -> None:
    drift, uppdrag, utfall = book[SHEET["drift"]], book[SHEET["uppdrag"]], book[SHEET["indikator_utfall"]]
    assert (drift["C5"].value, drift["C5"].number_format) == (-305285, "#,##0")  # Swedish Excel: -305 285
    assert (utfall["C2"].value, utfall["C2"].number_format) == (6.0, "#,##0.0")  # "6.0": shown as 6,0
    assert (book[SHEET["sjukfranvaro"]]["D2"].value, book[SHEET["sjukfranvaro"]]["D2"].number_format) == (
        8,
        "General",
    )
    assert (uppdrag["G2"].value, uppdrag["G2"].number_format) == (datetime(2024, 5, 6), "yyyy-mm-dd")
    assert (uppdrag["C2"].value, uppdrag["C2"].number_format) == ("1.2", "@")  # an id, never a date
    assert utfall["B2"].number_format == "0"  # a year without a thousands separator
    assert drift.column_dimensions["C"].number_format == "#,##0"  # new rows get the format too


def test_the_instructions_explain_each_sheet_and_what_check_asks_for(book: Workbook) -> None:
    text = instructions_text(book)
    assert "Underlag till verksamhetsberättelse 2024" in text
    assert "rapportbok import <arbetsbok.xlsx> --org kommunstyrelsekontoret --year 2024" in text
    for name in TABLE_NAMES:
        assert f"{SHEET[name]} | {table_schema(name).file_name} | " in text
    assert "Att kontrollera (4)" in text
    assert "Indikatorer – utfall!C57 | Utfall | utfall för 3.1-01 2024 saknas" in text
    assert book[SHEET["indikator_utfall"]]["C57"].fill.fgColor.rgb == "00DDEBF7"  # light blue: to verify
    link = book["Instruktioner"]
    assert any(
        cell.hyperlink and cell.hyperlink.location == "'Indikatorer – utfall'!C57"
        for (cell,) in link["A1:A80"]
    )


def test_for_a_new_year_it_prefills_what_new_year_carried_over_and_lists_the_to_do(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    start_new_year(book_of(2025, data))
    book = load_workbook(export_workbook(book_of(2025, data), tmp_path / "_build"))
    text = instructions_text(book)
    assert "Uppgifter som saknas (krävs)" in text
    assert "Texter att skriva om (i data/kommunstyrelsekontoret/2025/text/, inte i arbetsboken)" in text
    assert "data/kommunstyrelsekontoret/2025/text/ekonomi/driftredovisning.md" in text
    assert "Inriktningsmål!D2 | Bedömning | värde saknas" in text
    assert book[SHEET["inriktningsmal"]]["D2"].fill.fgColor.rgb == "00FFF2CC"  # yellow: required, missing
    assert book[SHEET["inriktningsmal"]]["C2"].fill.fill_type is None
    drift = book[SHEET["drift"]]
    assert drift["C2"].value is None and drift["F2"].value == 88302  # last year's outcome carried over
    assert book.custom_doc_props["rapportbok_ar"].value == "2025"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    path = data / "2024" / "drift.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Intäkter", "=HYPERLINK(1)"), encoding="utf-8")
    book = load_workbook(export_workbook(book_of(YEAR, data), tmp_path / "_build"))
    assert (book[SHEET["drift"]]["B2"].value, book[SHEET["drift"]]["B2"].data_type) == ("=HYPERLINK(1)", "s")


def test_it_refuses_a_value_excel_cannot_hold_naming_file_row_and_column(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    path = data / "2024" / "drift.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Intäkter", "Int\x07äkter"), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=re.escape(
            'data/kommunstyrelsekontoret/2024/drift.csv, rad 2, kolumn "post": texten innehåller'
        ),
    ):
        export_workbook(book_of(YEAR, data), tmp_path / "_build")
    assert not (tmp_path / "_build" / "kommunstyrelsekontoret" / "2024" / "excel").exists()


def test_headings_and_ids_are_protected_without_a_password_and_values_are_open(book: Workbook) -> None:
    uppdrag = book[SHEET["uppdrag"]]  # A: uppdrag_id (the key), H: status
    assert uppdrag.protection.sheet and not uppdrag.protection.password
    assert uppdrag["A1"].protection.locked and uppdrag["H1"].protection.locked  # headings
    assert uppdrag["A2"].protection.locked  # an exported row's id
    assert not uppdrag["H2"].protection.locked and not uppdrag["B2"].protection.locked  # values
    assert not uppdrag.column_dimensions["A"].protection.locked  # a new row below the table
    assert not uppdrag.protection.insertRows and not uppdrag.protection.sort  # still allowed
    utfall = book[SHEET["indikator_utfall"]]  # key: indikator_id and ar; C: utfall
    assert utfall["A2"].protection.locked and utfall["B2"].protection.locked
    assert not utfall["C2"].protection.locked
