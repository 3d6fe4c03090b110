"""The year in brief compared with the year before: only where the data has the earlier value (last
year's report in data/, or the earlier-year columns and rows of this year's tables)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from rapportbok.core.formatting import format_mnkr, format_percent
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.model import previous_year as previous_module
from rapportbok.model.year_brief import key_figures
from rapportbok.views.forsida import front_page_body
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


def _fresh(report: Report, **tables: pd.DataFrame) -> Report:
    """A copy with an empty memo (key figures and last year's report computed again)."""
    return Report(report.meta, report.book, {**report.tables, **tables})


def test_2024_compares_only_what_its_data_has(report: Report) -> None:
    """2024 has no 2023 folder: the net cost of both years comes from drift.csv (utfall and
    utfall_foregaende_ar); goals, assignments and sick leave have nothing to compare with."""
    goals, assignments, deviation, sick_leave = key_figures(_fresh(report))
    total = report.drift.set_index("post_id").loc["summa"]
    assert deviation.change == (
        f"nettokostnad {format_mnkr(abs(total['utfall']))}, "
        f"jämfört med 2023: {format_mnkr(abs(total['utfall_foregaende_ar']))}"
    )
    assert goals.change == assignments.change == sick_leave.change == ""


def test_an_earlier_year_in_the_sick_leave_table_is_compared(report: Report) -> None:
    """A row of the year before in sjukfranvaro_ar.csv gives the sick leave's comparison."""
    rows = report.sjukfranvaro_ar
    earlier = rows[rows["grupp"] == "Nämnden"].assign(ar=2023, procent=4.1)
    figure = key_figures(_fresh(report, sjukfranvaro_ar=pd.concat([rows, earlier], ignore_index=True)))[3]
    assert figure.change == f"jämfört med 2023: {format_percent(4.1)}"


def test_last_years_report_gives_every_comparison(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """With last year's report in data/, each key figure says what it was then."""
    goals = report.inriktningsmal.copy()
    goals.loc[goals.index[0], "bedomning"] = "Ej uppfyllt"
    drift = report.drift.copy()
    drift.loc[drift["post_id"] == "summa", "avvikelse"] = -1500
    sick = report.sjukfranvaro_ar.assign(ar=2023, procent=[4.2, 6.0])
    before = Report(
        replace(report.meta, year=2023),
        replace(report.book, year=2023),
        {**report.tables, "inriktningsmal": goals, "drift": drift, "sjukfranvaro_ar": sick},
    )
    monkeypatch.setattr(previous_module, "previous_year", lambda _report: before)
    goals_figure, assignments, deviation, sick_leave = key_figures(_fresh(report))
    fulfilled = int((goals["bedomning"] == "Uppfyllt").sum())
    assert goals_figure.change == f"jämfört med 2023: {fulfilled} av {len(goals)}"
    assert assignments.change == f"jämfört med 2023: {assignments.value}"
    assert deviation.change == f"jämfört med 2023: {format_mnkr(-1500)} i nettoavvikelse"
    assert sick_leave.change == f"jämfört med 2023: {format_percent(4.2)}"


def test_the_front_page_shows_the_comparison_under_its_figure(report: Report) -> None:
    """The comparison is a line of its own in the figure's link, escaped like every other line."""
    html = front_page_body(_fresh(report), [("Ekonomi", "ekonomi")], "chapters")
    change = key_figures(_fresh(report))[2].change
    assert f'<span class="rb-key-note rb-key-change">{change}</span></a>' in html
