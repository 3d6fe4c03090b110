"""A workbook carries its identity (organisation, year, format) and its base (the CSV files it was
exported from): `import` refuses one made for another book, and never reverts a change made in data/
since the export. Each workbook is made here."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.identity import IDENTITY_SHEET, read_identity
from rapportbok.authoring.excel.import_ import import_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.authoring.new_year import start_new_year
from rapportbok.data.load import book_of
from tests.unit.authoring.excel_helpers import YEAR, copy_data, edited, fingerprint, refused

ORG = "kommunstyrelsekontoret"
OTHER = "bygg-och-miljonamnden"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    return export_workbook(book_of(YEAR, copy_data(root / "data" / ORG)), root / "_build")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data" / ORG)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csv(data: Path, table: str) -> Path:
    return data / str(YEAR) / f"{table}.csv"


def set_cell(table: str, cell: str, value: object):
    def edit(book) -> None:
        book[SHEET[table]][cell] = value

    return edit


def identity_row(book, key: str):
    """The cell holding the value of `key` on the hidden identity sheet."""
    sheet = book[IDENTITY_SHEET]
    return next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == key)


def test_the_workbook_names_its_organisation_year_format_and_the_hash_of_every_csv_file(
    exported: Path, data: Path
) -> None:
    book = load_workbook(exported)
    assert book[IDENTITY_SHEET].sheet_state == "hidden"
    identity = read_identity(book)
    assert (identity.organisation, identity.year, identity.format) == (ORG, "2024", "2")
    for table, digest in identity.hashes.items():
        assert digest == sha256(csv(data, table)), table
    # Every cell of the sheet is text: nothing for a spreadsheet to evaluate or reformat.
    assert {cell.data_type for row in book[IDENTITY_SHEET].iter_rows() for cell in row} <= {"s", "n"}


def test_an_export_for_one_organisation_is_refused_by_another_and_its_files_are_untouched(
    exported: Path, tmp_path: Path
) -> None:
    """The repro: an export of kommunstyrelsekontoret imported with --org bygg-och-miljonamnden
    overwrote that organisation's sjukfranvaro_ar.csv."""
    other = copy_data(tmp_path / "data" / OTHER)
    workbook = edited(exported, tmp_path / "a.xlsx", set_cell("sjukfranvaro_ar", "C2", 9.9))
    before = fingerprint(other)
    message = refused_in(workbook, other)
    assert (
        f"a.xlsx: arbetsboken är exporterad för organisationen {ORG}, inte för {OTHER} "
        f"(importera den med --org {ORG}, eller exportera ett underlag för {OTHER} med "
        f"rapportbok excel --org {OTHER} --year 2024)"
    ) in message
    assert fingerprint(other) == before


def refused_in(workbook: Path, data: Path, year: int = YEAR) -> str:
    """`refused` for a data folder of any organisation."""
    from rapportbok.exceptions import DataError

    before = fingerprint(data)
    with pytest.raises(DataError) as caught:
        import_workbook(workbook, book_of(year, data))
    assert fingerprint(data) == before
    message = str(caught.value)
    assert message.startswith(f"{workbook.name} har "), message
    assert f"inget har skrivits i data/{data.name}/{year}" in message
    return message


def test_an_export_for_another_year_is_refused(exported: Path, data: Path) -> None:
    start_new_year(book_of(2025, data))
    message = refused(exported, data, year=2025)
    assert "arbetsboken är exporterad för 2024, inte för 2025" in message
    assert "rapportbok excel --org kommunstyrelsekontoret --year 2025" in message


def test_a_workbook_without_its_identity_sheet_is_refused_saying_how_to_get_a_new_one(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book) -> None:
        del book[IDENTITY_SHEET]

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "arbetsboken saknar uppgift om vilken organisation och vilket år den gjordes för" in message
    assert (
        "exportera en ny arbetsbok med rapportbok excel --org kommunstyrelsekontoret --year 2024" in message
    )


@pytest.mark.parametrize(
    ("key", "value", "made_by"),
    [
        ("format", "1", "en äldre version av rapportbok"),
        ("format", "3", "en nyare version av rapportbok"),
        ("tabellscheman", "0123456789abcdef", "en annan version av rapportbok, med andra tabellscheman"),
    ],
)
def test_a_workbook_of_another_format_or_other_schemas_is_refused(
    exported: Path, data: Path, tmp_path: Path, key: str, value: str, made_by: str
) -> None:
    def edit(book) -> None:
        identity_row(book, key).value = value

    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert f"a.xlsx: arbetsboken är gjord av {made_by} (" in message
    assert "rapportbok excel --org kommunstyrelsekontoret --year 2024" in message


def test_a_year_typed_over_as_a_number_still_identifies_the_workbook(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book) -> None:
        identity_row(book, "år").value = 2024  # what a spreadsheet may make of the text "2024"

    result = import_workbook(edited(exported, tmp_path / "a.xlsx", edit), book_of(YEAR, data))
    assert result.written == []


def test_a_table_changed_in_data_since_the_export_and_not_in_the_workbook_is_kept(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    path = csv(data, "sjukfranvaro_ar")
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8", newline="")
    lines = path.read_bytes()
    workbook = edited(exported, tmp_path / "a.xlsx", set_cell("uppdrag", "I2", "Ändrad kommentar"))
    result = import_workbook(workbook, book_of(YEAR, data))
    assert path.read_bytes() == lines  # not reverted to the exported file
    assert result.kept == [path]
    assert csv(data, "uppdrag") in result.written


def test_a_table_changed_both_in_data_and_in_the_workbook_is_refused_naming_it_and_the_cells(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    path = csv(data, "uppdrag")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Slutfört.", "Slutfört i maj.", 1), encoding="utf-8"
    )
    workbook = edited(exported, tmp_path / "a.xlsx", set_cell("uppdrag", "I3", "Min ändring"))
    message = refused(workbook, data)
    assert (
        "data/kommunstyrelsekontoret/2024/uppdrag.csv: filen har ändrats i data/ sedan arbetsboken "
        'exporterades, och arbetsboken ändrar också bladet "Uppdrag och initiativ" (ändrade celler: I3)'
    ) in message
    assert (
        "exportera en ny arbetsbok med rapportbok excel --org kommunstyrelsekontoret --year 2024 och för "
        'in dina ändringar av bladet "Uppdrag och initiativ" i den'
    ) in message


def test_a_file_rewritten_in_another_form_with_the_same_values_takes_the_workbooks_change(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    path = csv(data, "uppdrag")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # the same values, saved as "CSV UTF-8"
    workbook = edited(exported, tmp_path / "a.xlsx", set_cell("uppdrag", "I3", "Min ändring"))
    import_workbook(workbook, book_of(YEAR, data))
    assert "Min ändring" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("order", ["a-then-b", "b-then-a"])
def test_two_workbooks_exported_together_that_change_different_tables_both_land(
    exported: Path, data: Path, tmp_path: Path, order: str
) -> None:
    """Import B used to write its versions of every table over import A's."""
    first = edited(exported, tmp_path / "a.xlsx", set_cell("uppdrag", "I3", "Ändrad av A"))
    second = edited(exported, tmp_path / "b.xlsx", set_cell("personalomsattning", "C2", 7.5))
    for workbook in (first, second) if order == "a-then-b" else (second, first):
        import_workbook(workbook, book_of(YEAR, data))
    assert "Ändrad av A" in csv(data, "uppdrag").read_text(encoding="utf-8")
    assert "Extern,2024,7.5\n" in csv(data, "personalomsattning").read_text(encoding="utf-8")


def test_the_second_of_two_workbooks_changing_the_same_table_is_refused(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    first = edited(exported, tmp_path / "a.xlsx", set_cell("uppdrag", "I3", "Ändrad av A"))
    second = edited(exported, tmp_path / "b.xlsx", set_cell("uppdrag", "I4", "Ändrad av B"))
    import_workbook(first, book_of(YEAR, data))
    message = refused(second, data)
    assert 'arbetsboken ändrar också bladet "Uppdrag och initiativ" (ändrade celler: I4)' in message
    assert "Ändrad av A" in csv(data, "uppdrag").read_text(encoding="utf-8")


def test_a_damaged_base_never_lets_a_changed_table_through(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    def edit(book) -> None:
        book[SHEET["uppdrag"]]["I3"] = "Min ändring"
        for row in book[IDENTITY_SHEET].iter_rows():
            if row[0].value == "bas" and row[1].value == "uppdrag":
                row[2].value = "QUJD" + row[2].value[4:]

    path = csv(data, "uppdrag")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Slutfört.", "Slutfört i maj.", 1), encoding="utf-8"
    )
    message = refused(edited(exported, tmp_path / "a.xlsx", edit), data)
    assert "uppdrag.csv: filen har ändrats i data/ sedan arbetsboken exporterades" in message


def test_the_identity_survives_a_workbook_saved_again_without_the_custom_properties(
    exported: Path, data: Path, tmp_path: Path
) -> None:
    """Google Sheets and some tools drop docProps/custom.xml; the hidden sheet is what counts."""
    target = tmp_path / "a.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                copy.writestr(item, source.read(item.filename))
    assert import_workbook(target, book_of(YEAR, data)).written == []


def test_a_copy_of_the_organisation_folder_under_another_name_is_another_organisation(
    exported: Path, tmp_path: Path
) -> None:
    other = tmp_path / "data" / "annan"
    shutil.copytree(copy_data(tmp_path / "source"), other)
    message = refused_in(exported, other)
    assert "arbetsboken är exporterad för organisationen kommunstyrelsekontoret, inte för annan" in message


@pytest.mark.parametrize(
    ("change", "counts"),
    [
        ({"type": "string"}, True),
        ({"constraints": {"required": True, "minimum": 0, "maximum": 50}}, True),
        ({"description": "En annan förklaring."}, False),
    ],
)
def test_the_schema_hash_follows_what_reading_a_sheet_depends_on(
    monkeypatch: pytest.MonkeyPatch, change: dict, counts: bool
) -> None:
    import copy

    from rapportbok.authoring.excel import identity
    from rapportbok.data.schema import TableSchema, table_schema

    before = identity.schemas_hash()
    original = table_schema("sjukfranvaro_ar")
    descriptor = copy.deepcopy(original.descriptor)
    descriptor["fields"][2].update(change)
    changed = TableSchema(original.name, original.title, original.description, descriptor)
    monkeypatch.setattr(
        identity, "table_schema", lambda name: changed if name == "sjukfranvaro_ar" else table_schema(name)
    )
    assert (identity.schemas_hash() != before) is counts
