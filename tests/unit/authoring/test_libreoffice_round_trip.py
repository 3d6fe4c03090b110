"""The exported workbook saved by LibreOffice Calc (`soffice --convert-to xlsx`, as a user's save):
the Swedish sheet titles and the sheet protection survive, and the import writes data/ byte for byte
as it was. `make test` installs LibreOffice (apt: libreoffice-calc-nogui); without it the test fails
with that instruction rather than being skipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.data.load import book_of
from tests.unit.authoring.excel_helpers import YEAR, copy_data, fingerprint, imported

SOFFICE = shutil.which("soffice")
SAVE_SECONDS = 240


def test_a_workbook_saved_by_libreoffice_keeps_titles_and_protection_and_imports_unchanged(
    tmp_path: Path,
) -> None:
    assert SOFFICE is not None, (
        "LibreOffice saknas: sudo apt-get install libreoffice-calc-nogui (make test gör det som root)"
    )
    data = copy_data(tmp_path / "data" / "kommunstyrelsekontoret")
    before = fingerprint(data)
    workbook = export_workbook(book_of(YEAR, data), tmp_path / "_build")
    saved = tmp_path / "saved"
    subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=SAVE_SECONDS,
    )
    result = saved / workbook.name
    book = load_workbook(result)
    uppdrag = book[SHEET["uppdrag"]]
    assert uppdrag.protection.sheet and not uppdrag.protection.password
    assert uppdrag["A2"].protection.locked and not uppdrag["H2"].protection.locked
    imported(result, data)
    assert fingerprint(data) == before
