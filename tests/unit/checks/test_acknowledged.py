"""Acknowledged warnings (kanda_avvikelser.yml): found by every check, summarised in one line, listed
with their reasons by `check --alla`; a changed value is a warning again."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.checks.acknowledged import SUMMARY_CODE, UNUSED_CODE
from rapportbok.checks.check import check_year
from rapportbok.cli import main
from rapportbok.data.known_deviations import FILE_NAME, warning_key
from rapportbok.data.load import book_of

ORG = "data/kommunstyrelsekontoret"
YEAR = f"{ORG}/2024"


def test_the_printed_2024_disagreements_are_found_and_summarised_in_one_line(project_root: Path) -> None:
    result = check_year(book_of(2024, project_root / ORG))
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        f"{YEAR}/{FILE_NAME}: 27 kända avvikelser med skäl (visa dem med rapportbok check --alla)"
    ]
    assert len(result.acknowledged) == 27 and all(known.reason for known in result.acknowledged)


def test_a_changed_value_is_a_warning_again_and_its_old_entry_is_named(project_copy: Path) -> None:
    drift = project_copy / YEAR / "drift.csv"
    drift.write_text(drift.read_text(encoding="utf-8").replace(",14811,", ",14810,"), encoding="utf-8")
    result = check_year(book_of(2024, project_copy / ORG))
    shown = [" ".join(str(w).split()) for w in result.warnings]
    assert shown[0].endswith("26 kända avvikelser med skäl (visa dem med rapportbok check --alla)")
    assert any("publicerat 14 810 tkr, beräknat 14 812 tkr" in w for w in shown)
    unused = [w for w in result.warnings if w.code == UNUSED_CODE]
    assert len(unused) == 1 and "14 811 tkr" in str(unused[0]) and "ta bort raden" in str(unused[0])


def test_an_entry_without_a_reason_is_an_error_with_file_and_line(project_copy: Path) -> None:
    path = project_copy / YEAR / FILE_NAME
    path.write_text('drift.csv:\n  "en varning": ""\n', encoding="utf-8")
    problems = [str(p) for p in check_year(book_of(2024, project_copy / ORG)).problems]
    assert problems == [
        f'{YEAR}/{FILE_NAME}, rad 1, kolumn "drift.csv": skäl saknas för "en varning" '
        "(varför avvikelsen behålls, högst 500 tecken)"
    ]


def test_check_alla_lists_each_with_its_reason(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--year", "2024"]) == 0
    plain = capsys.readouterr().out
    assert "Känd avvikelse" not in plain and "27 kända avvikelser" in plain
    assert main(["check", "--year", "2024", "--alla"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Känd avvikelse: ")]
    assert len(listed) == 27
    assert any("kapitalkostnader" in line and " — skäl: Avrundningsdifferens" in line for line in listed)


def test_a_warning_is_keyed_by_its_file_and_text_with_spaces_compared_loosely() -> None:
    printed = f'{YEAR}/investeringar.csv, rad 3, kolumn "utfall": ack.\u00a0utfall  -925\u00a0tkr'
    assert warning_key(printed, YEAR) == ("investeringar.csv", 'rad 3, kolumn "utfall": ack. utfall -925 tkr')
    assert warning_key("tillganglighet.yml: x", YEAR) is None
    assert SUMMARY_CODE != UNUSED_CODE
