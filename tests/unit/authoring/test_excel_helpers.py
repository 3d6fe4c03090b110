"""The test helper `edited` edits a cached, unpickled copy of a loaded workbook: it must save exactly as
a workbook loaded anew and edited the same way, and never let one edit reach another."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.data.load import book_of
from tests.unit.authoring.excel_helpers import YEAR, copy_data, edited


def _parts(workbook: Path) -> dict[str, bytes]:
    """Every part but docProps/core.xml, which holds the time of saving."""
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_an_edited_copy_saves_as_the_workbook_loaded_anew_and_edits_do_not_leak(tmp_path: Path) -> None:
    exported = export_workbook(
        book_of(YEAR, copy_data(tmp_path / "data" / "kommunstyrelsekontoret")), tmp_path
    )

    def edit(book) -> None:
        book["drift"]["C2"] = 90000
        cell = book["uppdrag"]["G2"]
        cell.value, cell.number_format = 45473, "General"

    fresh = load_workbook(exported)
    edit(fresh)
    fresh.save(tmp_path / "fresh.xlsx")
    first = edited(exported, tmp_path / "first.xlsx", edit)
    assert _parts(first) == _parts(tmp_path / "fresh.xlsx")
    untouched = edited(exported, tmp_path / "untouched.xlsx", lambda book: None)
    assert load_workbook(untouched)["drift"]["C2"].value != 90000
    load_workbook(exported).save(tmp_path / "saved.xlsx")
    assert _parts(untouched) == _parts(tmp_path / "saved.xlsx")
