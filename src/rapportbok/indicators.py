"""Indicators of a goal: outcomes per year against the target, formatted as the report shows them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rapportbok.formatting import format_number, is_missing
from rapportbok.report import Report

HISTORY_YEARS = 4
UNIT_LABELS = {"procent": "%", "kr per invånare": "kr per invånare", "minuter": "minuter"}


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


def indicator_histories(report: Report, goal_id: str) -> list[IndicatorHistory]:
    """The indicators of goal `goal_id`, in their order, with outcomes for the shown years."""
    years = shown_years(report)
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
                decimals=int(indicator.decimaler),
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
        rows.append(row)
    return pd.DataFrame(rows)
