"""Loading data/2024 and the errors an analyst gets for bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rapportbok.check import check_year
from rapportbok.errors import DataError
from rapportbok.load import load_year

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drift"


def test_it_loads_the_published_2024_operating_statement(project_root: Path) -> None:
    """It reads the operating totals exactly as printed in the 2024 report."""
    report = load_year(2024, project_root / "data")
    total = report.drift.set_index("post_id").loc["summa"]
    assert (
        total["budget"],
        total["utfall"],
        total["avvikelse"],
        total["utfall_foregaende_ar"],
    ) == (-305285, -282930, 22355, -258055)
    assert list(report.drift_verksamhet["verksamhet"]) == [
        "Kommundirektör",
        "Ekonomiavdelning",
        "HR-avdelning",
        "Näringsliv",
        "Stab och planering",
        "Räddningstjänst",
        "IT",
    ]
    assert report.meta.organisation == "Kommunstyrelsekontoret"
    assert report.investeringar.set_index("projekt_nr").loc["25000", "total_budget"] == -12500


def _problems_with(project: Path, fixture: str) -> list[str]:
    shutil.copy(FIXTURES / fixture, project / "data" / "2024" / "drift.csv")
    result = check_year(2024, project / "data")
    assert not result.ok
    return [str(problem) for problem in result.problems]


def test_a_non_numeric_amount_names_file_row_and_column(project_copy: Path) -> None:
    """It reports 'tre hundra' in row 3, column utfall, and says what is allowed."""
    problems = _problems_with(project_copy, "fail-non-numeric-amount.csv")
    assert problems == [
        'data/2024/drift.csv, rad 3, kolumn "utfall": "tre hundra" är inte giltigt '
        "(ska vara ett heltal utan mellanslag, t.ex. -305285)"
    ]


def test_a_missing_column_is_named(project_copy: Path) -> None:
    """It names the missing column and lists the required ones."""
    problems = _problems_with(project_copy, "fail-missing-column.csv")
    assert len(problems) == 1
    assert problems[0].startswith('data/2024/drift.csv, rad 1, kolumn "utfall": kolumnen saknas')
    assert "post_id, post, budget, utfall, avvikelse, utfall_foregaende_ar" in problems[0]


def test_an_unknown_post_lists_the_allowed_values(project_copy: Path) -> None:
    """It rejects a misspelt key and lists the allowed ones."""
    (problem,) = _problems_with(project_copy, "fail-unknown-post.csv")
    assert problem == (
        'data/2024/drift.csv, rad 4, kolumn "post_id": "kapitalkostnad" är inte ett '
        "tillåtet värde (tillåtna: intakter, kostnader, kapitalkostnader, summa)"
    )


def test_every_problem_is_reported_at_once(project_copy: Path) -> None:
    """It reports a duplicate key and an empty required cell together, not only the first."""
    problems = _problems_with(project_copy, "fail-duplicate-and-empty.csv")
    assert (
        'data/2024/drift.csv, rad 4, kolumn "post_id": "kostnader" förekommer flera gånger '
        "(finns redan på rad 3) (värdet måste vara unikt)" in problems
    )
    assert 'data/2024/drift.csv, rad 5, kolumn "budget": värde saknas (fältet är obligatoriskt)' in problems


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("fail-semicolon-separator.csv", "semikolon som avgränsare"),
        ("fail-windows-1252.csv", "inte sparad som UTF-8"),
    ],
)
def test_files_saved_by_swedish_excel_are_rejected_with_a_reason(
    project_copy: Path, fixture: str, says: str
) -> None:
    """It never misreads an Excel export: it says what is wrong and how to save the file."""
    (problem,) = _problems_with(project_copy, fixture)
    assert problem.startswith("data/2024/drift.csv, rad ")
    assert says in problem
    assert "CSV UTF-8" in problem


def test_load_year_raises_with_all_problems(project_copy: Path) -> None:
    """It stops a notebook with the same located messages."""
    shutil.copy(FIXTURES / "fail-duplicate-and-empty.csv", project_copy / "data/2024/drift.csv")
    with pytest.raises(DataError) as raised:
        load_year(2024, project_copy / "data")
    assert len(raised.value.problems) == 2
    assert "Data innehåller 2 fel" in str(raised.value)
