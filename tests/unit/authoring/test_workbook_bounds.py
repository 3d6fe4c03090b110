"""A workbook is measured before it is loaded: what the path is, the zip's parts and unpacked size, and
each sheet's declared dimension, rows, columns and merged or linked ranges. A hostile workbook is refused
with the limit it exceeds, and openpyxl never sees it. `--timeout` bounds the whole import.
The hostile workbooks are written here, zip and XML by hand."""

from __future__ import annotations

import os
import socket
import time
import zipfile
from pathlib import Path

import pytest

from rapportbok.authoring.excel import bounds, import_, reading
from rapportbok.authoring.excel.bounds import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, check_bounds
from rapportbok.data.load import book_of
from rapportbok.exceptions import UsageError
from tests.unit.authoring.excel_helpers import YEAR, copy_data, fingerprint

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
LIMIT = "högst 60 000 rader och 200 kolumner per blad"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data" / "kommunstyrelsekontoret")


@pytest.fixture
def never_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl must not be asked to load the workbook."""

    def load_workbook(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was loaded")

    monkeypatch.setattr(reading, "load_workbook", load_workbook)


def sheet_xml(
    dimension: str = "A1",
    rows: str = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
    after: str = "",
) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData>{after}</worksheet>'
    )


def hand_made(path: Path, sheet: str, extra: dict[str, bytes] | None = None) -> Path:
    """A one-sheet workbook (sheet 'uppdrag', part xl/worksheets/sheet1.xml), written part by part."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<sheets><sheet name="uppdrag" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return path


def refused_before_loading(workbook: Path, data: Path, timeout: float | None = None) -> str:
    before = fingerprint(data)
    with pytest.raises(UsageError) as caught:
        import_.import_workbook(workbook, book_of(YEAR, data), timeout=timeout)
    assert fingerprint(data) == before
    return str(caught.value)


def test_a_small_hand_made_workbook_passes_the_bounds(tmp_path: Path) -> None:
    """The control: the refusals below come from their limits, not from the way the files are made."""
    small = hand_made(tmp_path / "liten.xlsx", sheet_xml())
    check_bounds(small.read_bytes(), "liten.xlsx")
    assert reading.open_workbook(small)[0]["uppdrag"]["A1"].value == "x"
    within = f'<row r="{MAX_SHEET_ROWS}"><c r="GR{MAX_SHEET_ROWS}"><v>1</v></c></row>'
    check_bounds(hand_made(tmp_path / "kant.xlsx", sheet_xml(rows=within)).read_bytes(), "kant.xlsx")


@pytest.mark.usefixtures("never_loaded")
def test_a_merged_range_to_the_last_cell_of_the_sheet_is_refused_naming_the_limit(
    data: Path, tmp_path: Path
) -> None:
    """The repro: <mergeCell ref="A40:XFD1048576"/> ran 150 s into a MemoryError (3.5 GB)."""
    workbook = hand_made(
        tmp_path / "sammanfogad.xlsx",
        sheet_xml(after='<mergeCells count="1"><mergeCell ref="A40:XFD1048576"/></mergeCells>'),
    )
    message = refused_before_loading(workbook, data)
    assert message.startswith(
        "Bladet uppdrag har celler sammanfogade eller länkade ända till XFD1048576 "
        f"(A40:XFD1048576); en arbetsbok får ha {LIMIT}, så den läses inte."
    ), message


@pytest.mark.usefixtures("never_loaded")
def test_one_cell_at_the_last_cell_of_the_sheet_is_refused(data: Path, tmp_path: Path) -> None:
    """The repro: one cell at XFD1048576 ran > 150 s."""
    rows = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    message = refused_before_loading(hand_made(tmp_path / "hörn.xlsx", sheet_xml(rows=rows)), data)
    assert message.startswith(f"Bladet uppdrag har rad 1048576; en arbetsbok får ha {LIMIT}")


@pytest.mark.usefixtures("never_loaded")
def test_a_declared_dimension_beyond_the_limit_is_refused(data: Path, tmp_path: Path) -> None:
    workbook = hand_made(tmp_path / "stor.xlsx", sheet_xml(dimension="A1:XFD1048576"))
    message = refused_before_loading(workbook, data)
    assert "Bladet uppdrag anger att det sträcker sig till XFD1048576" in message
    assert LIMIT in message


@pytest.mark.usefixtures("never_loaded")
def test_300000_blank_rows_are_refused(data: Path, tmp_path: Path) -> None:
    """The repro: 300,000 blank rows took 112 s."""
    rows = "".join(f'<row r="{number}"/>' for number in range(1, 300_001))
    message = refused_before_loading(hand_made(tmp_path / "tomma.xlsx", sheet_xml(rows=rows)), data)
    assert f"Bladet uppdrag har rad {MAX_SHEET_ROWS + 1};" in message
    assert "Ta bort tomma rader och kolumner efter tabellen" in message


@pytest.mark.usefixtures("never_loaded")
def test_rows_without_numbers_are_counted(data: Path, tmp_path: Path) -> None:
    rows = "<row/>" * (MAX_SHEET_ROWS + 1)
    message = refused_before_loading(hand_made(tmp_path / "tomma.xlsx", sheet_xml(rows=rows)), data)
    assert f"Bladet uppdrag har rad {MAX_SHEET_ROWS + 1};" in message


@pytest.mark.usefixtures("never_loaded")
def test_a_column_beyond_the_limit_is_refused(data: Path, tmp_path: Path) -> None:
    rows = '<row r="1"><c r="ZZ1"><v>1</v></c></row>'
    message = refused_before_loading(hand_made(tmp_path / "bred.xlsx", sheet_xml(rows=rows)), data)
    assert f"Bladet uppdrag har en cell i ZZ1; en arbetsbok får ha {LIMIT}" in message
    assert MAX_SHEET_COLUMNS < 702


@pytest.mark.usefixtures("never_loaded")
def test_a_linked_range_is_bounded_like_a_merged_one(data: Path, tmp_path: Path) -> None:
    """openpyxl gives every cell of a hyperlink's range its own copy of the link."""
    after = f'<hyperlinks><hyperlink ref="A1:GR{MAX_SHEET_ROWS}" location="uppdrag!A1"/></hyperlinks>'
    message = refused_before_loading(hand_made(tmp_path / "länk.xlsx", sheet_xml(after=after)), data)
    assert "sammanfogade eller länkade celler" in message
    assert "fler än 10 000 celler" in message


@pytest.mark.usefixtures("never_loaded")
def test_a_sheet_part_the_workbook_does_not_name_is_bounded_too(data: Path, tmp_path: Path) -> None:
    hidden = sheet_xml(rows='<row r="1048576"><c r="A1048576"><v>1</v></c></row>').encode()
    workbook = hand_made(tmp_path / "extra.xlsx", sheet_xml(), {"xl/worksheets/sheet9.xml": hidden})
    assert "Bladet xl/worksheets/sheet9.xml har rad 1048576" in refused_before_loading(workbook, data)


@pytest.mark.usefixtures("never_loaded")
def test_a_doctype_in_a_sheet_is_refused(data: Path, tmp_path: Path) -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet/>'
    message = refused_before_loading(hand_made(tmp_path / "dtd.xlsx", laughs), data)
    assert "har en DOCTYPE" in message


@pytest.mark.usefixtures("never_loaded")
def test_a_zip_with_too_many_parts_is_refused(data: Path, tmp_path: Path) -> None:
    extra = {f"xl/media/bild{number}.bin": b"" for number in range(bounds.MAX_ENTRIES)}
    message = refused_before_loading(hand_made(tmp_path / "delar.xlsx", sheet_xml(), extra), data)
    assert f"har {bounds.MAX_ENTRIES + 5} delar; en arbetsbok får ha högst {bounds.MAX_ENTRIES}" in message


@pytest.mark.usefixtures("never_loaded")
def test_a_zip_that_unpacks_beyond_the_limit_is_refused(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_UNCOMPRESSED", 2**20)
    workbook = hand_made(tmp_path / "bomb.xlsx", sheet_xml(), {"xl/media/noll.bin": bytes(2 * 2**20)})
    message = refused_before_loading(workbook, data)
    assert "bomb.xlsx blir 2 MB uppackad; en arbetsbok får bli högst 1 MB" in message


def test_a_folder_is_named_a_folder(data: Path, tmp_path: Path) -> None:
    (tmp_path / "mapp.xlsx").mkdir()
    message = refused_before_loading(tmp_path / "mapp.xlsx", data)
    assert (
        message
        == f"{tmp_path / 'mapp.xlsx'} är en mapp, inte en Excel-arbetsbok; ange sökvägen till en .xlsx-fil."
    )


def test_a_device_is_refused_without_being_read(data: Path) -> None:
    """`import /dev/zero` said "Filen … finns inte"."""
    message = refused_before_loading(Path("/dev/zero"), data)
    assert message.startswith("/dev/zero är en enhet (device), inte en Excel-arbetsbok")


def test_a_fifo_is_refused_without_being_opened(data: Path, tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: it must be refused from its metadata."""
    fifo = tmp_path / "rör.xlsx"
    os.mkfifo(fifo)
    message = refused_before_loading(fifo, data)
    assert message.startswith(f"{fifo} är en namngiven pipe (FIFO), inte en Excel-arbetsbok")


def test_a_socket_is_refused(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "är en socket, inte en Excel-arbetsbok" in refused_before_loading(path, data)


def test_a_link_to_a_workbook_is_followed_and_a_link_to_a_device_is_refused(
    data: Path, tmp_path: Path
) -> None:
    link = tmp_path / "länk.xlsx"
    link.symlink_to("/dev/zero")
    assert "är en enhet (device)" in refused_before_loading(link, data)


def test_a_missing_file_is_named_missing(data: Path, tmp_path: Path) -> None:
    assert (
        refused_before_loading(tmp_path / "saknas.xlsx", data)
        == f"Filen {tmp_path / 'saknas.xlsx'} finns inte."
    )


def test_the_timeout_bounds_the_whole_import_and_nothing_is_written(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever part of the import runs long (here: opening the workbook), --timeout stops it."""

    def slow_open(path: Path) -> None:
        time.sleep(30)

    monkeypatch.setattr(import_, "open_workbook", slow_open)
    message = refused_before_loading(hand_made(tmp_path / "a.xlsx", sheet_xml()), data, timeout=0.5)
    assert message.startswith(
        "Importen tog för lång tid (mer än 0.5 s) och avbröts; inget har skrivits i "
        "data/kommunstyrelsekontoret/2024. Ge den mer tid med --timeout SEKUNDER"
    ), message


@pytest.mark.usefixtures("never_loaded")
def test_cells_without_references_are_counted_across_the_row(data: Path, tmp_path: Path) -> None:
    rows = "<row>" + "<c><v>1</v></c>" * (MAX_SHEET_COLUMNS + 1) + "</row>"
    message = refused_before_loading(hand_made(tmp_path / "bred.xlsx", sheet_xml(rows=rows)), data)
    assert "Bladet uppdrag har en cell i GS1;" in message


@pytest.mark.usefixtures("never_loaded")
def test_more_cells_than_a_workbook_may_have_are_refused(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_CELLS", 100)
    rows = "".join(f'<row r="{row}"><c r="A{row}"><v>1</v></c></row>' for row in range(1, 102))
    message = refused_before_loading(hand_made(tmp_path / "många.xlsx", sheet_xml(rows=rows)), data)
    assert "Arbetsboken har fler än 100 celler (bladet uppdrag)" in message


@pytest.mark.usefixtures("never_loaded")
def test_more_shared_strings_than_a_workbook_may_have_cells_are_refused(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_CELLS", 100)
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * 101 + "</sst>"
    workbook = hand_made(tmp_path / "texter.xlsx", sheet_xml(), {"xl/sharedStrings.xml": strings.encode()})
    assert "Arbetsboken har fler än 100 texter (xl/sharedStrings.xml)" in refused_before_loading(
        workbook, data
    )


@pytest.mark.usefixtures("never_loaded")
def test_a_damaged_part_is_refused_with_a_message(data: Path, tmp_path: Path) -> None:
    workbook = hand_made(tmp_path / "trasig.xlsx", sheet_xml(rows="<row/>" * 5000))
    content = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    content[start + 10 : start + 40] = bytes(30)  # inside the deflated sheet
    workbook.write_bytes(bytes(content))
    message = refused_before_loading(workbook, data)
    assert message.startswith("trasig.xlsx kan inte läsas som en Excel-arbetsbok (.xlsx).")


def test_the_timeout_also_bounds_the_check_of_the_staged_year_and_leaves_no_copy(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapportbok.authoring.excel.export import export_workbook

    workbook = export_workbook(book_of(YEAR, data), tmp_path / "_build")

    def slow_check(*args: object, **kwargs: object) -> None:
        time.sleep(30)

    monkeypatch.setattr(import_, "check_year", slow_check)
    message = refused_before_loading(workbook, data, timeout=3)
    assert message.startswith("Importen tog för lång tid (mer än 3 s) och avbröts; inget har skrivits"), (
        message
    )
    assert not list(data.glob(".*"))
