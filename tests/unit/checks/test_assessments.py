"""check lists each indicator whose stated assessment or trend differs from the computed one."""

from __future__ import annotations

from pathlib import Path

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of


def test_check_lists_the_2024_differences_with_both_values_and_the_rule(project_root: Path) -> None:
    result = check_year(book_of(2024, project_root / "data" / "kommunstyrelsekontoret"))
    assert result.ok, result.problems
    shown = [str(w).replace("\u00a0", " ") for w in result.all_warnings if "indikatorer.csv" in str(w)]
    assert (
        "data/kommunstyrelsekontoret/"
        '2024/indikatorer.csv, rad 33, kolumn "trend": 7.3-01: trenden är Oförändrad, beräknad ur '
        "utfallen Negativ (högre är bättre: positiv när utfallet har ökat; 2023 49, 2024 36)"
    ) in shown
    assert (
        "data/kommunstyrelsekontoret/"
        '2024/indikatorer.csv, rad 29, kolumn "bedomning": 6.2-01: bedömningen är Uppfyllt, beräknad '
        "ur utfall och mål Inget värde angivet (årets utfall saknas)"
    ) in shown
    differing = sorted(line.split(": ")[1] for line in shown if "beräknad" in line)
    assert differing == ["1.1-03", "1.1-03", "6.1-04", "6.2-01", "6.2-01", "6.3-02", "7.3-01"]


def test_a_changed_outcome_changes_the_warnings(project_copy: Path) -> None:
    """7.3-01 with 49 visits in 2024 as in 2023: the stated trend Oförändrad then agrees with the data."""
    outcomes = project_copy / "data" / "kommunstyrelsekontoret" / "2024" / "indikator_utfall.csv"
    text = outcomes.read_text(encoding="utf-8")
    outcomes.write_text(text.replace("7.3-01,2024,36,,30", "7.3-01,2024,49,,30"), encoding="utf-8")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert not [w for w in result.all_warnings if "7.3-01" in str(w)]
