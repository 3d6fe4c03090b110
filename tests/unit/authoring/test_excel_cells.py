"""One cell → the CSV text: what Excel did to a value is read as the analyst sees it, or refused."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from rapportbok.authoring.excel.cells import CellValue, convert, format_decimals, number_text
from rapportbok.authoring.excel.values import cell_value, unsupported_text
from rapportbok.data.schema import table_schema

UTFALL = table_schema("indikator_utfall").field("utfall")  # number, percent when the indicator is
SJUK = table_schema("sjukfranvaro").field("procent")  # number, unit %
BUDGET = table_schema("drift").field("budget")  # integer, tkr
SLUTDATUM = table_schema("uppdrag").field("slutdatum")  # date
MAL_ID = table_schema("uppdrag").field("mal_id")  # text
PROJEKT_NR = table_schema("investeringar").field("projekt_nr")  # text of digits


def text_of(value: object, spec=UTFALL, fmt: str = "General", percent_ok: bool = False, **kw) -> str:
    converted = convert(CellValue(value, fmt, **kw), spec, percent_ok=percent_ok, year=2024)
    assert converted.issue is None, converted.issue
    return converted.text


def issue_of(value: object, spec=UTFALL, fmt: str = "General", percent_ok: bool = False, **kw) -> str:
    converted = convert(CellValue(value, fmt, **kw), spec, percent_ok=percent_ok, year=2024)
    assert converted.issue is not None, f"{value!r} was read as {converted.text!r}"
    return converted.issue


@pytest.mark.parametrize(
    ("fmt", "decimals"),
    [("General", 0), ("0", 0), ("0.0", 1), ("#,##0.00", 2), ("0.0%", 1), ('0.0" %"', 1), ("0.0#", 1)],
)
def test_it_counts_the_decimals_a_number_format_always_shows(fmt: str, decimals: int) -> None:
    assert format_decimals(fmt) == decimals


def test_it_writes_numbers_with_a_dot_and_never_rounds_below_what_excel_keeps() -> None:
    assert number_text(7.3) == "7.3"
    assert number_text(6.0, 1) == "6.0"
    assert number_text(8.0) == "8"
    assert number_text(7.35, 1) == "7.35"  # shown as 7,4 in a 0,0 cell, but the value is 7.35
    assert number_text(0.1 + 0.2) == "0.3"  # Excel's 15 significant digits
    assert number_text(-0.0) == "0"
    assert number_text(1e-7) == "0.0000001"


def test_it_keeps_the_decimals_of_the_cell_format() -> None:
    assert text_of(6.0, fmt="#,##0.0") == "6.0"
    assert text_of(6.0) == "6"


def test_it_reads_a_percent_cell_holding_0_073_as_7_3_in_a_percent_column() -> None:
    assert text_of(0.073, spec=SJUK, fmt="0.0%", percent_ok=True) == "7.3"
    assert text_of(0.08, spec=SJUK, fmt="0%", percent_ok=True) == "8"


def test_it_refuses_a_percent_cell_in_a_column_that_is_not_in_percent() -> None:
    assert "formaterad som procent (7,3 %)" in issue_of(0.073, spec=BUDGET, fmt="0.0%")


def test_it_reads_numbers_stored_as_text_the_swedish_way() -> None:
    assert text_of("7,3") == "7.3"
    assert text_of(" 1 234,50 ") == "1234.50"
    assert text_of("\u2212305285", spec=BUDGET) == "-305285"
    assert text_of("7,3 %", spec=SJUK, percent_ok=True) == "7.3"


def test_it_refuses_a_number_stored_as_text_with_a_dot() -> None:
    assert "punkt" in issue_of("1.234")


def test_it_refuses_a_percent_sign_in_a_column_that_is_not_in_percent() -> None:
    assert "procenttecken" in issue_of("7,3 %", spec=BUDGET)


def test_it_reads_a_date_cell_and_a_serial_number_in_a_date_column() -> None:
    assert text_of(datetime(2024, 12, 31), spec=SLUTDATUM, fmt="yyyy-mm-dd") == "2024-12-31"
    assert text_of(45657, spec=SLUTDATUM) == "2024-12-31"
    assert text_of(44195, spec=SLUTDATUM) == "2020-12-30"


def test_it_reads_a_serial_number_by_the_workbooks_own_calendar() -> None:
    converted = convert(CellValue(44195), SLUTDATUM, percent_ok=False, epoch=CALENDAR_MAC_1904, year=2024)
    assert converted.text == "2024-12-31"


def test_it_refuses_a_number_in_a_date_column_that_is_no_plausible_date() -> None:
    assert "är inget datum" in issue_of(12, spec=SLUTDATUM)  # 1900-01-12: far from the fiscal year
    assert "är inget datum" in issue_of(-3, spec=SLUTDATUM)
    assert "är inget datum" in issue_of(45657.5, spec=SLUTDATUM)


def test_it_refuses_a_date_with_a_time_of_day_and_a_bare_time() -> None:
    assert "klockslag" in issue_of(datetime(2024, 12, 31, 13, 5), spec=SLUTDATUM)
    assert "klockslag" in issue_of(time(13, 5), spec=SLUTDATUM)


def test_it_refuses_a_number_that_excel_turned_into_a_date() -> None:
    """ "7.3" typed in Swedish Excel becomes the 7th of March."""
    assert "gjort om värdet till ett datum (2025-03-07)" in issue_of(datetime(2025, 3, 7))
    assert "gjort om värdet till ett datum" in issue_of(date(2025, 1, 1), spec=MAL_ID)


def test_it_reads_a_whole_number_in_a_text_column_as_its_digits() -> None:
    assert text_of(17031, spec=PROJEKT_NR) == "17031"
    assert text_of(17031.0, spec=PROJEKT_NR) == "17031"


def test_it_refuses_a_decimal_number_in_a_text_column() -> None:
    """1,10 typed without the Text format becomes 1.1: the id cannot be known."""
    assert "kolumnen är text" in issue_of(1.1, spec=MAL_ID)


def test_it_refuses_a_formula_without_a_saved_value_and_uses_a_saved_one() -> None:
    assert "formeln =SUM(B2:B3) har inget sparat värde" in issue_of(None, formula="=SUM(B2:B3)")
    assert text_of(22355, spec=BUDGET, formula="=D2-C2") == "22355"


def test_it_refuses_error_values_and_truth_values() -> None:
    assert "#DIV/0!" in issue_of("#DIV/0!", is_error=True)
    assert "SANT" in issue_of(True)


def test_it_refuses_text_with_an_encoded_control_character() -> None:
    assert "kodat kontrolltecken" in issue_of("a_x000D_b", spec=MAL_ID)


def test_it_refuses_a_fraction_in_an_integer_column_quoting_the_cell_unrounded() -> None:
    assert issue_of(1234.5, spec=BUDGET, fmt="#,##0") == '"1234,5" är inte ett heltal'
    assert issue_of("88 302,5", spec=BUDGET) == '"88 302,5" är inte ett heltal'


@pytest.mark.parametrize(
    ("value", "fmt"), [("88 302,0", "@"), (" 88 302,00 ", "@"), (88302.0, "#,##0.0"), (88302, "#,##0")]
)
def test_it_reads_a_whole_number_written_with_zero_decimals_as_the_whole_number(value, fmt: str) -> None:
    assert text_of(value, spec=BUDGET, fmt=fmt) == "88302"


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (UTFALL, "6.0"),
        (UTFALL, "7.19"),
        (UTFALL, "8"),
        (UTFALL, "0.12345678901234567"),  # more digits than Excel keeps: written as text
        (UTFALL, "tre"),
        (BUDGET, "-305285"),
        (BUDGET, "007"),
        (BUDGET, "+5"),
        (SLUTDATUM, "2024-12-31"),
        (SLUTDATUM, "2024-13-06"),
        (MAL_ID, "=1+1"),
        (MAL_ID, "1.10"),
    ],
)
def test_a_value_written_to_a_cell_reads_back_as_the_same_text(spec, text: str) -> None:
    value, fmt = cell_value(spec, text)
    assert convert(CellValue(value, fmt), spec, percent_ok=False).text == text


def test_it_says_which_texts_excel_cannot_hold_unchanged() -> None:
    assert "vagnretur" in unsupported_text("a\r\nb")
    assert "U+0007" in unsupported_text("a\x07b")
    assert "32767" in unsupported_text("x" * 40_000).replace(" ", "")
    assert unsupported_text("rad ett\nrad två\tflik") is None


def test_sheet_titles_are_swedish_unique_short_and_never_another_tables_id() -> None:
    from rapportbok.authoring.excel.sheets import HELPER_SHEETS, MAX_SHEET_TITLE, sheet_titles
    from rapportbok.data.schema import TABLE_NAMES

    schemas = {name: table_schema(name) for name in TABLE_NAMES}
    titles = sheet_titles(schemas)
    assert titles["indikator_utfall"] == "Indikatorer – utfall"
    keys = [title.casefold() for title in titles.values()]
    assert len(set(keys)) == len(keys) and all(len(title) <= MAX_SHEET_TITLE for title in titles.values())
    assert not set(keys) & {helper.casefold() for helper in HELPER_SHEETS}
    taken = {name: schemas["drift"] for name in ("driftredovisning", "drift")}  # a table's id as a title
    assert sheet_titles(taken) == {"driftredovisning": "Driftredovisning", "drift": "drift"}
