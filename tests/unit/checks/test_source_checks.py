"""Row-level cross-checks: each fires on a contradiction (with file, row and column) and not without one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from rapportbok.checks.source_checks import (
    duplicate_row_warnings,
    investment_outcome_warnings,
    sign_warnings,
    source_warnings,
    unit_warnings,
    year_warnings,
)
from rapportbok.data.load import load_year
from rapportbok.data.report import Report


@pytest.fixture(scope="module")
def report_2024() -> Report:
    return load_year(2024, Path(__file__).resolve().parents[3] / "data" / "kommunstyrelsekontoret")


def _with(report: Report, name: str, frame: pd.DataFrame) -> Report:
    return replace(report, tables={**report.tables, name: frame})


def _set(report: Report, name: str, key: str, key_value: str, column: str, value: object) -> Report:
    frame = report.tables[name].copy()
    frame.loc[frame[key] == key_value, column] = value
    return _with(report, name, frame)


def _texts(findings: list) -> list[str]:
    return [str(finding).replace("\u00a0", " ").replace("\u2212", "-") for finding in findings]


def test_a_yearly_investment_outcome_larger_than_the_accumulated_is_reported(report_2024: Report) -> None:
    """Nytt lön- HR system: utfall -906 tkr, ack. utfall 0 tkr (row 6 of investeringar.csv)."""
    found = _texts(investment_outcome_warnings(report_2024))
    assert (
        "data/kommunstyrelsekontoret/"
        '2024/investeringar.csv, rad 6, kolumn "utfall": projekt 24016 (Nytt lön- HR system): '
        "utfall -906 tkr är större än ack. utfall (alla år) 0 tkr"
    ) in found


def test_yearly_outcomes_within_the_accumulated_are_not_reported(report_2024: Report) -> None:
    fixed = _set(report_2024, "investeringar", "projekt_nr", "24016", "ack_utfall", -906)
    assert not [f for f in _texts(investment_outcome_warnings(fixed)) if "24016" in f]


def test_two_years_together_larger_than_the_accumulated_are_reported(report_2024: Report) -> None:
    changed = _set(report_2024, "investeringar", "projekt_nr", "23000", "ack_utfall", -3500)
    found = [f for f in _texts(investment_outcome_warnings(changed)) if "23000" in f]
    assert found == [
        "data/kommunstyrelsekontoret/"
        '2024/investeringar.csv, rad 11, kolumn "ack_utfall": projekt 23000 (Tankbil 2023): utfall '
        "föregående år + utfall = -4 214 tkr är större än ack. utfall (alla år) -3 500 tkr"
    ]


def test_an_accumulated_outcome_without_a_yearly_one_is_reported(report_2024: Report) -> None:
    found = [f for f in _texts(investment_outcome_warnings(report_2024)) if "25000" in f]
    assert found == [
        "data/kommunstyrelsekontoret/"
        '2024/investeringar.csv, rad 17, kolumn "utfall": projekt 25000 (Höjdfordon 2025) har ack. '
        "utfall -67 tkr men inget utfall för året; kontrollera att årets utfall inte hamnat i fel kolumn"
    ]
    with_outcome = _set(report_2024, "investeringar", "projekt_nr", "25000", "utfall", -67)
    assert not [f for f in _texts(investment_outcome_warnings(with_outcome)) if "25000" in f]


def test_budget_and_prognosis_with_another_sign_than_the_outcome_are_reported(report_2024: Report) -> None:
    """Investments are negative (expenditure): a positive budget is suspect; so is a flipped drift row."""
    found = _texts(sign_warnings(report_2024))
    assert any(
        f.startswith(
            'data/kommunstyrelsekontoret/2024/investeringar.csv, rad 4, kolumn "total_budget": projekt 20008'
        )
        for f in found
    )
    flipped = _set(report_2024, "drift_verksamhet", "verksamhet_id", "hr", "utfall", 29406)
    assert any(
        f.startswith('data/kommunstyrelsekontoret/2024/drift_verksamhet.csv, rad 4, kolumn "')
        and "hr: budget, prognos och utfall" in f
        for f in _texts(sign_warnings(flipped))
    )


def test_amounts_of_one_sign_are_not_reported(report_2024: Report) -> None:
    fixed = report_2024
    for column, value in (("total_budget", -1800), ("total_prognos", -1500)):
        fixed = _set(fixed, "investeringar", "projekt_nr", "20008", column, value)
    assert not [f for f in _texts(sign_warnings(fixed)) if "20008" in f]
    assert not [f for f in _texts(sign_warnings(report_2024)) if "drift" in f]


def test_a_duplicated_row_is_reported(report_2024: Report) -> None:
    """investeringar.csv has no key: a row entered twice is caught only here."""
    frame = report_2024.investeringar
    doubled = pd.concat([frame, frame.iloc[[1]]], ignore_index=True)
    found = _texts(duplicate_row_warnings(_with(report_2024, "investeringar", doubled)))
    assert found == [
        f"data/kommunstyrelsekontoret/2024/investeringar.csv, rad {len(frame) + 2}: raden upprepar rad 3"
    ]


def test_a_row_repeated_under_another_id_is_reported(report_2024: Report) -> None:
    frame = report_2024.uppdrag
    copy = frame.iloc[[0]].assign(uppdrag_id="U99")
    found = _texts(
        duplicate_row_warnings(_with(report_2024, "uppdrag", pd.concat([frame, copy], ignore_index=True)))
    )
    assert found == [
        "data/kommunstyrelsekontoret/"
        f"2024/uppdrag.csv, rad {len(frame) + 2}: raden upprepar rad 2 (utom uppdrag_id)"
    ]


def test_the_2024_data_has_no_duplicated_rows(report_2024: Report) -> None:
    assert duplicate_row_warnings(report_2024) == []


def test_a_count_reported_in_percent_is_reported(report_2024: Report) -> None:
    assert _texts(unit_warnings(report_2024)) == [
        "data/kommunstyrelsekontoret/"
        '2024/indikatorer.csv, rad 22, kolumn "enhet": 3.3-04: namnet börjar med "Antal" men enheten '
        "är procent"
    ]
    fixed = _set(report_2024, "indikatorer", "indikator_id", "3.3-04", "enhet", "antal")
    assert unit_warnings(fixed) == []


def test_a_share_reported_as_a_count_is_reported(report_2024: Report) -> None:
    changed = _set(report_2024, "indikatorer", "indikator_id", "6.2-01", "enhet", "antal")
    assert any(
        "6.2-01: namnet anger en andel men enheten är antal" in f for f in _texts(unit_warnings(changed))
    )


def test_a_reason_and_a_comment_naming_different_years_are_reported(report_2024: Report) -> None:
    """N03: the reason names the plan for 2025, the comment the plan for 2025-2027."""
    assert _texts(year_warnings(report_2024)) == [
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag_nasta_ar.csv, rad 3, kolumn "orsak": N03: orsaken nämner 2025, kommentaren i '
        "uppdrag.csv 2025, 2027"
    ]
    frame = report_2024.uppdrag_nasta_ar.copy()
    frame.loc[frame["uppdrag_id"] == "N03", "orsak"] = "Redovisas i verksamhetsplanen 2025-2027."
    assert year_warnings(_with(report_2024, "uppdrag_nasta_ar", frame)) == []


def test_findings_name_file_row_and_column(report_2024: Report) -> None:
    for finding in source_warnings(report_2024):
        assert (
            finding.file.startswith("data/kommunstyrelsekontoret/2024/")
            and finding.row is not None
            and finding.row >= 2
        )
