"""Bad input: one fixture per class, named by its behaviour; each message names file, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of, load_year
from rapportbok.exceptions import DataError
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"

FAILURES = [
    (
        "drift",
        "fail-non-numeric-amount.csv",
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 3, kolumn "utfall": "tre hundra" är inte giltigt (ska vara ett heltal',
    ),
    (
        "drift",
        "fail-missing-column.csv",
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 1, kolumn "utfall": kolumnen saknas (kolumner som krävs: post_id, post,',
    ),
    (
        "drift",
        "fail-unknown-post.csv",
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 4, kolumn "post_id": "kapitalkostnad" är inte ett tillåtet värde '
        "(tillåtna: intakter, kostnader, kapitalkostnader, summa)",
    ),
    (
        "uppdrag",
        "fail-unknown-status.csv",
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 2, kolumn "status": "Slutford" är inte ett tillåtet värde (tillåtna: '
        "Slutförd, Kvarstående, Stängs och övergår i nytt uppdrag, Struken)",
    ),
    (
        "uppdrag",
        "fail-impossible-date.csv",
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 2, kolumn "slutdatum": "2024-13-06" är inte giltigt (ska vara ett datum',
    ),
    (
        "uppdrag",
        "fail-unknown-goal.csv",
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 2, kolumn "mal_id": "9.9" finns inte i inriktningsmal.csv',
    ),
    (
        "uppdrag",
        "fail-comment-after-period.csv",
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 2, kolumn "kommentar_datum": datumet 2025-02-01 ligger efter periodens '
        "slut (senast 2024-12-31)",
    ),
    (
        "uppdrag",
        "fail-duplicate-id.csv",
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 3, kolumn "uppdrag_id": "U01" förekommer flera gånger '
        "(finns redan på rad 2)",
    ),
    (
        "indikator_utfall",
        "fail-year-out-of-range.csv",
        "data/kommunstyrelsekontoret/"
        '2024/indikator_utfall.csv, rad 2, kolumn "ar": året 2031 ligger utanför rapportens år '
        "(från 2014 till 2024)",
    ),
    (
        "indikator_utfall",
        "fail-unknown-indicator.csv",
        "data/kommunstyrelsekontoret/"
        '2024/indikator_utfall.csv, rad 2, kolumn "indikator_id": "1.1-99" finns inte i indikatorer.csv',
    ),
    (
        "indikator_utfall",
        "fail-duplicate-year.csv",
        "data/kommunstyrelsekontoret/"
        '2024/indikator_utfall.csv, rad 3, kolumn "indikator_id, ar": kombinationen finns redan',
    ),
    (
        "indikator_utfall",
        "fail-decimal-comma-in-comma-file.csv",
        "data/kommunstyrelsekontoret/"
        '2024/indikator_utfall.csv, rad 4, kolumn "utfall": "11,7" är inte giltigt',
    ),
    (
        "inriktningsmal",
        "fail-goal-area-mismatch.csv",
        "data/kommunstyrelsekontoret/"
        '2024/inriktningsmal.csv, rad 8, kolumn "malomrade": målområde 4 stämmer inte med mål-id 3.1 '
        "(ska vara 3)",
    ),
    (
        "inriktningsmal",
        "fail-unknown-assessment.csv",
        "data/kommunstyrelsekontoret/"
        '2024/inriktningsmal.csv, rad 2, kolumn "bedomning": "Uppfylld" är inte ett tillåtet värde',
    ),
    (
        "sjukfranvaro",
        "fail-month-13.csv",
        "data/kommunstyrelsekontoret/"
        '2024/sjukfranvaro.csv, rad 13, kolumn "manad": "13" ligger utanför det tillåtna intervallet '
        "(minst 1 och högst 12)",
    ),
    (
        "sjukfranvaro",
        "fail-wrong-year.csv",
        "data/kommunstyrelsekontoret/"
        '2024/sjukfranvaro.csv, rad 14, kolumn "ar": året 2023 är inte rapportåret (2024)',
    ),
    (
        "sjukfranvaro",
        "fail-dot-decimal-in-semicolon-file.csv",
        "data/kommunstyrelsekontoret/"
        '2024/sjukfranvaro.csv, rad 3, kolumn "procent": "9.2": punkt i ett tal i en '
        "semikolonavgränsad fil",
    ),
    (
        "sjukfranvaro",
        "fail-unknown-encoding.csv",
        "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv, rad 1: filen är varken UTF-8 eller Windows-1252",
    ),
]


def _use(project: Path, table: str, fixture: str) -> None:
    shutil.copy(
        FIXTURES / table / fixture, project / "data" / "kommunstyrelsekontoret" / "2024" / f"{table}.csv"
    )


@pytest.mark.parametrize(("table", "fixture", "message"), FAILURES, ids=[f[1] for f in FAILURES])
def test_bad_input_is_reported_with_file_row_and_column(
    project_copy: Path, table: str, fixture: str, message: str
) -> None:
    """The analyst is told where the problem is and what is allowed; check fails."""
    _use(project_copy, table, fixture)
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert not result.ok
    problems = [str(problem).replace("\u00a0", " ") for problem in result.problems]
    assert any(problem.startswith(message) for problem in problems), problems


def test_every_problem_is_reported_at_once(project_copy: Path) -> None:
    """A duplicate key (an error) and an empty required cell (a to-do) are both reported."""
    _use(project_copy, "drift", "fail-duplicate-and-empty.csv")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert [str(problem) for problem in result.problems] == [
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 4, kolumn "post_id": "kostnader" förekommer flera gånger '
        "(finns redan på rad 3) (värdet måste vara unikt)",
    ]
    assert [str(problem) for problem in result.todo] == [
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 5, kolumn "budget": värde saknas (fältet är obligatoriskt)',
    ]
    assert not result.ok


def test_problems_in_several_files_are_reported_together(project_copy: Path) -> None:
    """Bad files in different tables all appear in one run."""
    _use(project_copy, "uppdrag", "fail-unknown-status.csv")
    _use(project_copy, "sjukfranvaro", "fail-month-13.csv")
    files = {
        problem.file
        for problem in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    }
    assert files == {
        "data/kommunstyrelsekontoret/2024/uppdrag.csv",
        "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv",
    }


@pytest.mark.parametrize(
    ("table", "fixture", "note"),
    [
        ("sjukfranvaro", "ok-swedish-excel-bom.csv", None),
        ("sjukfranvaro", "ok-swedish-excel-windows-1252.csv", "sparad som Windows-1252"),
        ("drift", "ok-swedish-excel-grouped-thousands.csv", None),
    ],
)
def test_files_saved_by_swedish_excel_are_read_correctly(
    project_copy: Path, project_root: Path, table: str, fixture: str, note: str | None
) -> None:
    """Semicolons, decimal commas, grouped thousands, a BOM or Windows-1252 give the same values."""
    _use(project_copy, table, fixture)
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert result.ok, result.problems
    original = load_year(2024, project_root / "data" / "kommunstyrelsekontoret").tables[table]
    assert result.report.tables[table].equals(original)
    notes = [str(w) for w in result.warnings if table in str(w) and "Windows-1252" in str(w)]
    assert bool(notes) == (note is not None)


def test_load_year_raises_with_all_problems(project_copy: Path) -> None:
    """A notebook that loads bad data stops with the same located messages."""
    _use(project_copy, "drift", "fail-duplicate-and-empty.csv")
    with pytest.raises(DataError) as raised:
        load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    assert len(raised.value.problems) == 2
    assert "Data innehåller 2 fel" in str(raised.value)


def test_a_missing_required_text_is_named(project_copy: Path) -> None:
    """Every goal needs its analysis text; the message names the goal's row and the missing file."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/maluppfyllelse/mal-4.3.md").unlink()
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        'data/kommunstyrelsekontoret/2024/inriktningsmal.csv, rad 11, kolumn "mal_id": texten '
        "data/kommunstyrelsekontoret/2024/text/maluppfyllelse/mal-4.3.md saknas (skapa filen med texten)"
    ]


def test_a_missing_file_is_named(project_copy: Path) -> None:
    """A required table that is not there is reported as missing."""
    (project_copy / "data/kommunstyrelsekontoret/2024/personalomsattning.csv").unlink()
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        "data/kommunstyrelsekontoret/"
        "2024/personalomsattning.csv: filen saknas (se data/README.md för filens kolumner)"
    ]
