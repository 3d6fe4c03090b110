"""`rapportbok excel` and `rapportbok import`: exit codes and Swedish messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.cli import main

WORKBOOK = Path("_build/kommunstyrelsekontoret/2024/excel/kommunstyrelsekontoret-underlag-2024.xlsx")


def test_excel_then_import_writes_nothing_new_and_lists_what_to_verify(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["excel", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert f"Skrev {WORKBOOK.as_posix()}" in out
    assert f"rapportbok import {WORKBOOK.as_posix()} --org kommunstyrelsekontoret --year 2024" in out
    assert main(["import", str(WORKBOOK), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "0 filer ändrade, 13 oförändrade." in out
    assert '[kontrollera] Indikatorer – utfall!C57, kolumn "Utfall": utfall för 3.1-01 2024 saknas' in out


def test_import_of_a_bad_workbook_exits_1_naming_the_cell_without_a_traceback(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["excel", "--year", "2024"]) == 0
    book = load_workbook(WORKBOOK)
    book[SHEET["uppdrag"]]["H2"] = "Klar"
    book.save("ifylld.xlsx")
    before = (in_project / "data" / "kommunstyrelsekontoret" / "2024" / "uppdrag.csv").read_bytes()
    capsys.readouterr()
    assert main(["import", "ifylld.xlsx", "--year", "2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ifylld.xlsx har 1 fel; inget har skrivits i data/kommunstyrelsekontoret/2024:")
    assert 'Uppdrag och initiativ!H2, kolumn "Status": "Klar" är inte ett tillåtet värde' in err
    assert "Traceback" not in err
    assert (in_project / "data" / "kommunstyrelsekontoret" / "2024" / "uppdrag.csv").read_bytes() == before
    book[SHEET["uppdrag"]]["H2"] = "Kvarstående"  # one table changed: singular
    book.save("ifylld.xlsx")
    assert main(["import", "ifylld.xlsx", "--year", "2024"]) == 0
    assert "1 fil ändrad, 12 oförändrade." in capsys.readouterr().out


def test_import_of_a_missing_file_exits_1_with_a_message(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", "finns-inte.xlsx", "--year", "2024"]) == 1
    assert "Filen finns-inte.xlsx finns inte." in capsys.readouterr().err


def test_an_export_imported_with_another_org_exits_1_and_leaves_that_organisation_untouched(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """The repro: `import <export of kommunstyrelsekontoret> --org bygg-och-miljonamnden` overwrote
    that organisation's sjukfranvaro_ar.csv and exited 0."""
    import shutil

    data = in_project / "data"
    shutil.copytree(data / "kommunstyrelsekontoret", data / "bygg-och-miljonamnden")
    target = data / "bygg-och-miljonamnden" / "2024" / "sjukfranvaro_ar.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("3.8", "4.1"), encoding="utf-8")
    before = target.read_bytes()
    assert main(["excel", "--org", "kommunstyrelsekontoret", "--year", "2024"]) == 0
    capsys.readouterr()
    assert main(["import", str(WORKBOOK), "--org", "bygg-och-miljonamnden", "--year", "2024"]) == 1
    err = capsys.readouterr().err
    assert (
        "arbetsboken är exporterad för organisationen kommunstyrelsekontoret, inte för bygg-och-miljonamnden"
        in err
    )
    assert "Traceback" not in err
    assert target.read_bytes() == before


@pytest.mark.parametrize(("path", "kind"), [("/dev/zero", "en enhet (device)"), ("data", "en mapp")])
def test_import_of_a_device_or_folder_says_what_it_is(
    in_project: Path, capsys: pytest.CaptureFixture, path: str, kind: str
) -> None:
    assert main(["import", path, "--year", "2024"]) == 1
    assert f"{path} är {kind}, inte en Excel-arbetsbok" in capsys.readouterr().err


def test_import_refuses_a_timeout_that_is_no_positive_number(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["import", str(WORKBOOK), "--year", "2024", "--timeout", "0"]) == 1
    assert "--timeout" in capsys.readouterr().err
