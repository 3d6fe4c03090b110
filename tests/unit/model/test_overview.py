"""The municipality overview's figures, counted from the year's tables (read here with the csv module,
independently of the pandas path the model takes)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.model.overview import OverviewFigures, overview_figures
from tests.conftest import ROOT

YEAR_DIR = ROOT / "data" / "kommunstyrelsekontoret" / "2024"


def _rows(name: str) -> list[dict[str, str]]:
    with (YEAR_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, YEAR_DIR.parent)


def test_the_2024_overview_row_is_counted_from_the_published_tables(report: Report) -> None:
    """Goals fulfilled of all, uppdrag and nämndinitiativ completed of all, the operating statement's
    summa row's deviation in tkr and the nämnd's sick leave: the values as printed in
    data/kommunstyrelsekontoret/2024."""
    goals = [row["bedomning"] for row in _rows("inriktningsmal.csv")]
    tasks = [row["status"] for row in _rows("uppdrag.csv")]
    total = next(row for row in _rows("drift.csv") if row["post_id"] == "summa")
    sick = next(
        row for row in _rows("sjukfranvaro_ar.csv") if row["grupp"] == "Nämnden" and row["ar"] == "2024"
    )
    assert overview_figures(report) == OverviewFigures(
        goals_fulfilled=goals.count("Uppfyllt"),
        goals_total=len(goals),
        assignments_completed=tasks.count("Slutförd"),
        assignments_total=len(tasks),
        net_deviation=float(total["avvikelse"]),
        sick_leave=float(sick["procent"]),
    )
    figures = overview_figures(report)
    assert 0 < figures.goals_fulfilled < figures.goals_total  # 2024 has goals both ways
    assert 0 < figures.assignments_completed < figures.assignments_total
    assert figures.net_deviation > 0  # a surplus in 2024


def test_a_missing_summa_or_sick_leave_is_none_not_zero(report: Report, tmp_path: Path) -> None:
    """A year without the summa row's deviation or the nämnd's sick leave gives None (shown as
    'uppgift saknas'), never 0."""
    drift = report.drift.copy()
    drift.loc[drift["post_id"] == "summa", "avvikelse"] = None
    sick = report.sjukfranvaro_ar[report.sjukfranvaro_ar["grupp"] != "Nämnden"]
    changed = Report(report.meta, report.book, {**report.tables, "drift": drift, "sjukfranvaro_ar": sick})
    figures = overview_figures(changed)
    assert figures.net_deviation is None and figures.sick_leave is None
