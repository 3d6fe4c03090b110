"""`rapportbok import`: workbooks changed the way Excel and analysts change them are read correctly or
refused with sheet, cell and heading, and nothing is written on an error. Each workbook is made here."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.import_ import import_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.authoring.new_year import start_new_year
from rapportbok.data.load import book_of
from rapportbok.exceptions import DataError, UsageError
from tests.unit.authoring.excel_helpers import (
    YEAR,
    copy_data,
    edited,
    fingerprint,
    imported,
    refused,
    rewrite_part,
    with_cached_formula,
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2024 workbook, exported once from a copy of data/."""
    root = tmp_path_factory.mktemp("export")
    return export_workbook(
        book_of(YEAR, copy_data(root / "data" / "kommunstyrelsekontoret")), root / "_build"
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A fresh copy of data/ to import into."""
    return copy_data(tmp_path / "data" / "kommunstyrelsekontoret")


@pytest.fixture
def original(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "original")


def csv_line(data: Path, table: str, row: int) -> str:
    """Line `row` of a CSV file, as numbered in messages (1 = the header)."""
    return (data / str(YEAR) / f"{table}.csv").read_text(encoding="utf-8").splitlines()[row - 1]


def test_the_exported_2024_workbook_imports_to_byte_identical_csv_files(
    exported: Path, data: Path, original: Path
) -> None:
    result = imported(exported, data)
    assert fingerprint(data) == fingerprint(original)
    assert result.written == []
    assert len(result.unchanged) == 13


def test_a_changed_value_is_written_and_only_its_file_changes(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    def edit(book):
        book[SHEET["drift"]]["C2"] = 90000

    result = imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert [path.name for path in result.written] == ["drift.csv"]
    assert csv_line(data, "drift", 2) == "intakter,Intäkter,90000,88302,-1267,78276"
    changed = {k for k, v in fingerprint(data).items() if fingerprint(original).get(k) != v}
    assert changed == {"2024/drift.csv"}
    assert not list(data.glob(".*")), "the staging folder was left behind"


def test_it_reads_dates_that_lost_their_format_as_serial_numbers(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        cell = book[SHEET["uppdrag"]]["G2"]
        cell.value, cell.number_format = 45473, "General"  # 2024-06-30

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert ",2024-06-30," in csv_line(data, "uppdrag", 2)


def test_it_reads_serial_numbers_by_the_1904_calendar_when_the_workbook_uses_it(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        book.epoch = CALENDAR_MAC_1904
        cell = book[SHEET["uppdrag"]]["G2"]
        cell.value, cell.number_format = 45473 - 1462, "General"  # 2024-06-30 counted from 1904

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert ",2024-06-30," in csv_line(data, "uppdrag", 2)
    assert ",2024-07-31" in csv_line(data, "uppdrag", 2)  # real date cells are unchanged


def test_it_reads_numbers_stored_as_text(exported: Path, data: Path, original: Path, tmp_path: Path) -> None:
    def edit(book):
        sheet = book[SHEET["drift"]]
        sheet["C2"].value, sheet["C2"].number_format = "89 569", "@"
        sheet["C3"] = "\u2212394\u00a0854"  # minus sign and no-break space, as copied from a report
        book[SHEET["sjukfranvaro"]]["D3"] = "9,2"

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_refuses_a_number_stored_as_text_with_a_dot(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["sjukfranvaro"]]["D3"] = "9.2"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert (
        'Sjukfrånvaro – månader!D3, kolumn "Sjukfrånvaro (%)": talet "9.2" är sparat som text med punkt'
        in message
    )


def test_it_reads_a_percent_cell_as_the_percentage_it_shows(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        cell = book[SHEET["sjukfranvaro"]]["D3"]
        cell.value, cell.number_format = 0.092, "0.0%"  # shown as 9,2 %
        indicator = book[SHEET["indikator_utfall"]]["C5"]  # 1.1-01 2024, an indicator in procent
        indicator.value, indicator.number_format = 0.073, "0.0%"

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert csv_line(data, "sjukfranvaro", 3) == "Kommunen,2024,2,9.2"
    assert csv_line(data, "indikator_utfall", 5) == "1.1-01,2024,7.3,,0.0"


def test_it_refuses_a_percent_cell_where_the_column_is_not_in_percent(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        cell = book[SHEET["drift"]]["C2"]
        cell.value, cell.number_format = 0.5, "0%"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Driftredovisning!C2, kolumn "Budget (tkr)": cellen är formaterad som procent (50 %)' in message


def test_it_refuses_a_number_that_excel_turned_into_a_date(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        cell = book[SHEET["sjukfranvaro"]]["D3"]
        cell.value, cell.number_format = datetime(2024, 3, 9), "d-mmm"  # "9.3" typed in Swedish Excel

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "Sjukfrånvaro – månader!D3" in message
    assert "Excel har gjort om värdet till ett datum (2024-03-09)" in message


def test_it_refuses_a_formula_without_a_saved_value(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["drift"]]["E2"] = "=D2-C2"  # openpyxl, like many tools, saves formulas without results

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Driftredovisning!E2, kolumn "Avvikelse (tkr)": formeln =D2-C2 har inget sparat värde' in message
    assert message.count("Driftredovisning!E2") == 1  # not once more as an empty required value
    assert "platshållaren" not in message  # nor as a text that reads the value
    assert message.startswith("a.xlsx har 1 fel;")


def test_it_reads_the_saved_result_of_a_formula(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    workbook = shutil.copy(exported, tmp_path / "a.xlsx")
    sheet_number = ["Instruktioner", "malomraden", "inriktningsmal", "indikatorer", "indikator_utfall"]
    sheet_number += ["uppdrag", "uppdrag_nasta_ar", "uppdrag_sammanstallning", "sjukfranvaro"]
    sheet_number += ["sjukfranvaro_ar", "personalomsattning", "drift"]
    with_cached_formula(Path(workbook), len(sheet_number), "E2", "D2-C2", "-1267")
    imported(Path(workbook), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_reads_a_workbook_with_excels_extended_drop_down_lists_silently_and_by_content(
    exported: Path, data: Path, original: Path, tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    """Excel stores lists that point at another sheet as an extension openpyxl drops with a warning;
    the workbook may also have lost its .xlsx suffix on the way."""
    workbook = Path(shutil.copy(exported, tmp_path / "underlag"))
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>listor!$A$2:$A$5</xm:f>'
        "</x14:formula1><xm:sqref>H2:H100</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
        "</extLst></worksheet>"
    )
    rewrite_part(workbook, "xl/worksheets/sheet6.xml", lambda xml: xml.replace("</worksheet>", extension))
    imported(workbook, data)
    assert fingerprint(data) == fingerprint(original)
    assert [str(warning.message) for warning in recwarn] == []


def test_it_refuses_error_values(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["drift"]]["E2"] = "#DIV/0!"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Driftredovisning!E2, kolumn "Avvikelse (tkr)": cellen innehåller felvärdet #DIV/0!' in message


def test_it_refuses_merged_cells(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["uppdrag"]].merge_cells("H2:I2")

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Uppdrag och initiativ!H2, kolumn "Status": cellerna H2:I2 är sammanfogade' in message
    assert "Uppdrag och initiativ!I2" not in message  # the merged-away comment is not reported again


def test_it_ignores_trailing_blank_rows_with_formatting_or_spaces(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    def edit(book):
        sheet = book[SHEET["uppdrag"]]
        for row in range(sheet.max_row + 1, sheet.max_row + 40):
            sheet.cell(row, 1).number_format = "0.00"
        sheet.cell(sheet.max_row + 5, 4, "   ")

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_skips_a_blank_row_inside_a_table_and_still_names_the_right_cells(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        sheet = book[SHEET["uppdrag"]]
        sheet.insert_rows(3)
        sheet["H5"] = "Klar"  # the third assignment, now on row 5

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert (
        'Uppdrag och initiativ!H5, kolumn "Status": "Klar" är inte ett tillåtet värde (tillåtna: Slutförd,'
        in message
    )


def test_it_refuses_a_hidden_table_sheet(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["uppdrag_nasta_ar"]].sheet_state = "hidden"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "Uppdrag – nästa år: bladet är dolt" in message


def test_it_refuses_an_extra_sheet_with_content_and_ignores_an_empty_one(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    def empty(book):
        book.create_sheet("Blad1")

    imported(edited(exported, tmp_path / "a.xlsx", empty), data)
    assert fingerprint(data) == fingerprint(original)

    def hidden_scratch(book):
        book.create_sheet("Beräkningar")["A1"] = 42
        book["Beräkningar"].sheet_state = "hidden"

    message = refused(edited(exported, tmp_path / "b.xlsx", hidden_scratch), data)
    assert "Beräkningar: okänt blad" in message


def test_it_refuses_a_renamed_sheet_naming_both_sheets(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["uppdrag"]].title = "Uppdrag 2024"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "Uppdrag och initiativ: bladet saknas" in message
    assert "Uppdrag 2024: okänt blad" in message


def test_it_refuses_two_sheets_whose_names_differ_only_by_spaces(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        book.copy_worksheet(book[SHEET["uppdrag"]]).title = "uppdrag och initiativ "

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'uppdrag och initiativ : bladet har samma namn som bladet "Uppdrag och initiativ"' in message


def test_it_accepts_a_sheet_name_in_other_case(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    def edit(book):
        book[SHEET["uppdrag"]].title = "tillfälligt"  # openpyxl compares titles ignoring case, like Excel
        book["tillfälligt"].title = "UPPDRAG OCH INITIATIV"

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_reads_a_workbook_whose_sheets_are_named_by_table_id(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    """A workbook exported before the sheets had Swedish titles (sheets named uppdrag, drift …)."""

    def edit(book):
        for name, title in SHEET.items():
            if title.casefold() != name:  # Indikatorer is indikatorer already
                book[title].title = name

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_refuses_a_renamed_column_heading(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["uppdrag"]]["H1"] = "Status 2024"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert (
        'Uppdrag och initiativ!H1: okänd kolumnrubrik "Status 2024" (rubrikerna på bladet: Id, Typ,'
        in message
    )
    assert 'Uppdrag och initiativ, kolumn "Status": kolumnen saknas' in message


def test_it_refuses_an_extra_column_and_values_without_a_heading(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        book[SHEET["drift"]]["G1"] = "Anteckning"
        book[SHEET["drift"]]["I4"] = "ett värde utan rubrik"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Driftredovisning!G1: okänd kolumnrubrik "Anteckning"' in message
    assert "Driftredovisning!I1: kolumnen har värden men ingen rubrik" in message


def test_it_reads_columns_in_another_order_and_by_their_csv_names(
    exported: Path, data: Path, original: Path, tmp_path: Path
) -> None:
    def edit(book):
        sheet = book[SHEET["drift"]]
        for row in range(1, sheet.max_row + 1):
            first, second = sheet.cell(row, 3), sheet.cell(row, 4)
            first.value, second.value = second.value, first.value
        sheet["C1"] = "utfall"  # the CSV column name is a heading too

    imported(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert fingerprint(data) == fingerprint(original)


def test_it_names_sheet_cell_and_heading_for_schema_and_rule_errors(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        book[SHEET["uppdrag"]]["H2"] = "Klar"
        book[SHEET["uppdrag"]]["C3"] = "9.9"
        book[SHEET["drift"]]["D3"] = "tre hundra"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Uppdrag och initiativ!H2, kolumn "Status": "Klar" är inte ett tillåtet värde' in message
    assert (
        'Driftredovisning!D3, kolumn "Utfall (tkr)": "tre hundra" är inte giltigt (ska vara ett heltal'
        in message
    )


def test_an_emptied_required_cell_is_listed_with_the_errors(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    """One round of fixes: the value still to be filled in is not held back until the errors are fixed."""

    def edit(book):
        book[SHEET["uppdrag"]]["H2"] = "Klar"
        book[SHEET["uppdrag"]]["E3"] = None
        book[SHEET["drift"]]["D3"] = "88 302,5"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert message.startswith("a.xlsx har 2 fel och 1 uppgift som saknas; inget har skrivits"), message
    assert 'Uppdrag och initiativ!H2, kolumn "Status": "Klar" är inte ett tillåtet värde' in message
    assert 'Driftredovisning!D3, kolumn "Utfall (tkr)": "88 302,5" är inte ett heltal' in message
    assert 'Uppdrag och initiativ!E3, kolumn "Ansvarig avdelning": värde saknas' in message


def test_a_schema_error_quotes_the_cell_as_typed(exported: Path, data: Path, tmp_path: Path) -> None:
    """Check reads the CSV text (150.5); the message shows what the analyst typed in the cell."""

    def edit(book):
        book[SHEET["sjukfranvaro"]]["D3"] = "150,5"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert 'Sjukfrånvaro – månader!D3, kolumn "Sjukfrånvaro (%)": "150,5"' in message, message
    assert "150.5" not in message


def test_it_names_the_cell_of_an_error_that_spans_tables(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        book[SHEET["uppdrag"]]["C3"] = "9.9"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert (
        'Uppdrag och initiativ!C3, kolumn "Inriktningsmål": "9.9" finns inte i inriktningsmal.csv' in message
    )


def test_it_refuses_a_decimal_number_in_a_text_column(exported: Path, data: Path, tmp_path: Path) -> None:
    def edit(book):
        cell = book[SHEET["uppdrag"]]["C3"]
        cell.value, cell.number_format = 1.2, "General"  # "1,2" typed in a cell that lost its Text format

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert (
        'Uppdrag och initiativ!C3, kolumn "Inriktningsmål": cellen innehåller talet 1,2 men kolumnen är text'
        in message
    )


def test_it_refuses_a_workbook_exported_for_another_year(exported: Path, data: Path) -> None:
    start_new_year(book_of(2025, data))
    message = refused(exported, data, year=2025)
    assert "arbetsboken är exporterad för 2024, inte för 2025 (importera den med --year 2024" in message


def test_it_refuses_a_year_that_has_no_folder(exported: Path, data: Path) -> None:
    with pytest.raises(
        UsageError,
        match=re.escape(
            "data/kommunstyrelsekontoret/2031 finns inte. Skapa året först med rapportbok new-year 2031"
        ),
    ):
        imported(exported, data, 2031)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"post_id,post\nintakter,x\n", "är ingen Excel-arbetsbok"),
        (b"PK\x03\x04 not really a zip", "är ingen Excel-arbetsbok"),
    ],
)
def test_it_refuses_a_file_that_is_no_workbook(
    data: Path, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "underlag.xlsx"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=expected):
        imported(path, data)


def test_it_refuses_a_foreign_workbook_as_one_without_identity(data: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "Något helt annat"
    book.save(tmp_path / "annat.xlsx")
    message = refused(tmp_path / "annat.xlsx", data)
    assert "annat.xlsx: arbetsboken saknar uppgift om vilken organisation och vilket år" in message
    assert "rapportbok excel --org kommunstyrelsekontoret --year 2024" in message


def test_it_lists_every_missing_sheet_and_every_unknown_one(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book):
        del book[SHEET["malomraden"]]
        del book[SHEET["investeringar"]]
        book.create_sheet("Sheet")["A1"] = "Något helt annat"

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "Målområden: bladet saknas" in message
    assert "Investeringar: bladet saknas" in message
    assert "Sheet: okänt blad" in message


@pytest.mark.parametrize("kind", ["link-to-device", "fifo", "link-to-secret"])
def test_it_refuses_a_year_holding_links_or_pipes_without_copying_them(
    exported: Path, data: Path, tmp_path: Path, kind: str
) -> None:
    """The staging copy never follows a link (a link to /dev/zero would fill the disk) nor opens a pipe."""
    import os

    target = data / str(YEAR) / "text/extra.md"
    if kind == "link-to-device":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "secret.md").write_text("HEMLIGT\n", encoding="utf-8")
        target.symlink_to(tmp_path / "secret.md")
    with pytest.raises(DataError) as caught:
        import_workbook(exported, book_of(YEAR, data))
    message = str(caught.value)
    assert message.startswith(
        f"data/kommunstyrelsekontoret/{YEAR} innehåller filer som inte läses; inget har skrivits:"
    ), message
    assert f"data/kommunstyrelsekontoret/{YEAR}/text/extra.md: är " in message and "HEMLIGT" not in message
    assert not list(data.glob(f".{YEAR}.import-*"))


def _parts(workbook: Path) -> dict[str, bytes]:
    """Every part but docProps/core.xml, which holds the time of saving."""
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_the_helper_edited_saves_as_a_workbook_loaded_anew_and_one_edit_never_reaches_another(
    exported: Path, tmp_path: Path
) -> None:
    """The tests' `edited` edits an unpickled copy of a workbook loaded once: what it saves must be
    what openpyxl saves from the workbook loaded anew and edited the same way."""

    def edit(book) -> None:
        book[SHEET["drift"]]["C2"] = 90000
        cell = book[SHEET["uppdrag"]]["G2"]
        cell.value, cell.number_format = 45473, "General"

    fresh = load_workbook(exported)
    edit(fresh)
    fresh.save(tmp_path / "fresh.xlsx")
    assert _parts(edited(exported, tmp_path / "first.xlsx", edit)) == _parts(tmp_path / "fresh.xlsx")
    untouched = edited(exported, tmp_path / "untouched.xlsx", lambda book: None)
    assert load_workbook(untouched)[SHEET["drift"]]["C2"].value != 90000
    load_workbook(exported).save(tmp_path / "saved.xlsx")
    assert _parts(untouched) == _parts(tmp_path / "saved.xlsx")
