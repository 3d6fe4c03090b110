"""The worked example (exempel/, an invented Kultur- och fritidsnämnd) with the commands that need no
build: `check`, `new-year` and `excel`, each for the example's own table and words. Its book and the
site are built once in tests/e2e/test_example_organisation.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rapportbok.cli import main
from tests.exempel import EXAMPLE, NO_VALUE, SCALE, add_example


@pytest.fixture
def example(in_project: Path) -> Path:
    """The project copy (the current folder) with the example copied in; the example's data folder."""
    return add_example(in_project)


def test_the_example_checks_without_errors_or_warnings(example: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--org", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert f"data/{EXAMPLE}/2024 är giltig (0 varningar)." in out


def test_the_example_is_not_part_of_the_real_data(example: Path) -> None:
    """The invented organisation lives in exempel/, never in the project's data/ or notebooks/."""
    from tests.conftest import ROOT

    assert not (ROOT / "data" / EXAMPLE).exists()
    assert not (ROOT / "notebooks" / EXAMPLE).exists()


def test_new_year_starts_the_declared_table_with_its_header_and_keeps_the_examples_words(
    example: Path, capsys: pytest.CaptureFixture
) -> None:
    """2025 gets besok.csv with the header of 2024 and no rows; the vocabulary (one file for every
    year) still decides which assessments `check` accepts in 2025."""
    assert main(["new-year", "2025", "--org", EXAMPLE]) == 0
    header = (example / "2024" / "besok.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (example / "2025" / "besok.csv").read_text(encoding="utf-8").splitlines() == [header]
    goals = example / "2025" / "inriktningsmal.csv"
    rows = list(csv.reader(goals.open(encoding="utf-8")))
    rows[1][3] = "Uppfyllt"  # Norrtälje's word, not the example's
    with goals.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    capsys.readouterr()
    assert main(["check", "--org", EXAMPLE, "--year", "2025"]) == 1
    err = capsys.readouterr().err
    where = '2025/inriktningsmal.csv, rad 2, kolumn "bedomning"'
    assert f'{where}: "Uppfyllt" är inte ett tillåtet värde (tillåtna: {", ".join(SCALE)})' in err


def test_the_excel_workbook_has_the_declared_table_and_the_examples_scale(
    example: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["excel", "--org", EXAMPLE, "--year", "2024"]) == 0
    workbook = next((example.parent.parent / "_build" / EXAMPLE / "2024" / "excel").glob("*.xlsx"))
    book = load_workbook(workbook)
    assert "Besök per anläggning" in book.sheetnames  # an organisation's own table: its schema's title
    sheet = book["Besök per anläggning"]
    assert [cell.value for cell in sheet[1]][:2] == ["År", "Huvudbiblioteket (besök)"]
    expected_rows = len((example / "2024" / "besok.csv").read_text(encoding="utf-8").splitlines())
    assert sheet.max_row == expected_rows
    lists = book["listor"]
    columns = {column[0].value: [cell.value for cell in column[1:] if cell.value] for column in lists.columns}
    assert columns["inriktningsmal.bedomning"] == list(SCALE)
    assert columns["indikatorer.bedomning"] == [*SCALE, NO_VALUE]
