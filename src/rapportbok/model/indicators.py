"""Indicators of a goal: outcomes per year against the target, formatted as the report shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rapportbok.core.formatting import format_number, format_signed, is_missing
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import IndicatorUnit

HISTORY_YEARS = 4
UNIT_LABELS = {IndicatorUnit.PERCENT: "%"}  # how a unit is shown in a table, where not as written


@dataclass(frozen=True)
class IndicatorHistory:
    """One indicator's outcomes for the shown years and the report year's target."""

    indicator_id: str
    name: str
    unit: str | None
    decimals: int
    years: list[int]
    outcomes: list[float | None]
    notes: list[str | None]
    target: float | None

    def formatted(self, value: float | None, note: str | None = None) -> str:
        if value is None:
            return note or ""
        return format_number(value, self.decimals)


def shown_years(report: Report) -> list[int]:
    """The report year and the years before it that the indicator tables show (four in all)."""
    return list(range(report.year - HISTORY_YEARS + 1, report.year + 1))


def history_years(report: Report) -> list[int]:
    """Every year up to the report year that has indicator data (the charts show them all)."""
    years = sorted({int(year) for year in report.indikator_utfall["ar"].dropna() if int(year) <= report.year})
    return years or [report.year]


def indicator_histories(
    report: Report, goal_id: str, years: list[int] | None = None
) -> list[IndicatorHistory]:
    """The indicators of goal `goal_id`, in their order, with outcomes for `years` (default: the table's)."""
    years = years or shown_years(report)
    outcomes = report.indikator_utfall.set_index(["indikator_id", "ar"])
    histories = []
    for indicator in report.indikatorer[report.indikatorer["mal_id"] == goal_id].itertuples():
        values, notes = [], []
        for year in years:
            key = (indicator.indikator_id, year)
            row = outcomes.loc[key] if key in outcomes.index else None
            values.append(None if row is None or is_missing(row["utfall"]) else float(row["utfall"]))
            notes.append(
                None if row is None or is_missing(row["utfall_notering"]) else str(row["utfall_notering"])
            )
        target_key = (indicator.indikator_id, report.year)
        target = outcomes.loc[target_key, "mal"] if target_key in outcomes.index else None
        histories.append(
            IndicatorHistory(
                indicator_id=str(indicator.indikator_id),
                name=str(indicator.namn),
                unit=None if is_missing(indicator.enhet) else str(indicator.enhet),
                decimals=0 if is_missing(indicator.decimaler) else int(indicator.decimaler),
                years=years,
                outcomes=values,
                notes=notes,
                target=None if is_missing(target) else float(target),
            )
        )
    return histories


def indicator_frame(report: Report, goal_id: str) -> pd.DataFrame:
    """The goal's indicator table with formatted outcomes per year and target, one row per indicator."""
    assessed = report.indikatorer.set_index("indikator_id")
    rows = []
    for history in indicator_histories(report, goal_id):
        info = assessed.loc[history.indicator_id]
        row = {
            "namn": history.name,
            "niva": info["niva"],
            "ansvarig_avdelning": info["ansvarig_avdelning"],
            "enhet": UNIT_LABELS.get(history.unit or "", history.unit or ""),
            "mal": history.formatted(history.target),
            "bedomning": info["bedomning"],
            "trend": info["trend"],
            "kommentar": info["kommentar"],
            "kommentar_datum": info["kommentar_datum"],
        }
        for year, value, note in zip(history.years, history.outcomes, history.notes, strict=True):
            row[f"utfall_{year}"] = history.formatted(value, note)
        now, before = history.outcomes[-1], history.outcomes[-2] if len(history.outcomes) > 1 else None
        row["forandring"] = (
            "" if now is None or before is None else format_signed(now - before, history.decimals)
        )
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Revision:
    """An earlier year's outcome that differs from what that year's report published."""

    indicator_id: str
    name: str
    year: int
    published: str
    now: str


def revisions(report: Report, previous: Report | None, goal_id: str | None = None) -> list[Revision]:
    """Outcomes of earlier years that this year's data revises, compared with last year's report."""
    if previous is None:
        return []
    before = previous.indikator_utfall.set_index(["indikator_id", "ar"])["utfall"]
    now = report.indikator_utfall.set_index(["indikator_id", "ar"])["utfall"]
    indicators = report.indikatorer.set_index("indikator_id")
    found = []
    for (indicator, year), published in before.items():
        if (indicator, year) not in now.index or indicator not in indicators.index:
            continue
        if goal_id is not None and indicators.loc[indicator, "mal_id"] != goal_id:
            continue
        current = now[(indicator, year)]
        if is_missing(published) and is_missing(current):
            continue
        if is_missing(published) or is_missing(current) or float(published) != float(current):
            decimals = int(indicators.loc[indicator, "decimaler"])
            found.append(
                Revision(
                    indicator,
                    str(indicators.loc[indicator, "namn"]),
                    int(year),
                    format_number(published, decimals, missing="inget värde"),
                    format_number(current, decimals, missing="inget värde"),
                )
            )
    return found
