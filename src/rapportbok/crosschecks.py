"""Cross-checks that report, never fix, disagreements inside the published figures (warnings)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rapportbok.formatting import format_tkr
from rapportbok.report import Report

AMOUNTS = ("budget", "utfall", "avvikelse", "utfall_foregaende_ar")
INVESTMENT_AMOUNTS = (
    "total_budget",
    "total_prognos",
    "ack_utfall",
    "utfall_foregaende_ar",
    "utfall",
    "budget_ar",
)


@dataclass(frozen=True)
class Finding:
    """A published figure that does not agree with the figures it should follow from."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def _value(frame: pd.DataFrame, key: str, key_value: str, column: str) -> int | None:
    rows = frame.loc[frame[key] == key_value, column]
    return None if rows.empty or pd.isna(rows.iloc[0]) else int(rows.iloc[0])


def _compare(file: str, what: str, published: int | None, computed: int | None) -> list[Finding]:
    if published is None or computed is None or published == computed:
        return []
    return [
        Finding(
            file,
            f"{what}: publicerat {format_tkr(published)}, beräknat {format_tkr(computed)} "
            f"(skillnad {format_tkr(published - computed, signed=True)})",
        )
    ]


def operating_warnings(report: Report) -> list[Finding]:
    """Intäkter + Kostnader = Summa; avvikelse = utfall − budget; activities sum to the total."""
    year = report.year
    drift_file, activity_file = f"data/{year}/drift.csv", f"data/{year}/drift_verksamhet.csv"
    drift, activities = report.drift, report.drift_verksamhet
    warnings = []
    for column in AMOUNTS:
        parts = [_value(drift, "post_id", post, column) for post in ("intakter", "kostnader")]
        computed = None if None in parts else sum(parts)
        warnings += _compare(
            drift_file,
            f'Intäkter + Kostnader, kolumn "{column}"',
            _value(drift, "post_id", "summa", column),
            computed,
        )
        if activities[column].notna().all() and len(activities):
            warnings += _compare(
                activity_file,
                f'summan av verksamheterna, kolumn "{column}"',
                _value(drift, "post_id", "summa", column),
                int(activities[column].sum()),
            )
    for frame, key, file in (
        (drift, "post_id", drift_file),
        (activities, "verksamhet_id", activity_file),
    ):
        for row in frame.itertuples():
            warnings += _compare(
                file,
                f"avvikelse för {getattr(row, key)} (utfall − budget)",
                int(row.avvikelse),
                int(row.utfall) - int(row.budget),
            )
    return warnings


def investment_warnings(report: Report) -> list[Finding]:
    """Each area's published total row against the sum of its other rows."""
    file = f"data/{report.year}/investeringar.csv"
    frame = report.investeringar
    warnings = []
    for area, rows in frame.groupby("omrade", sort=False):
        totals = rows[rows["typ"] == "summa"]
        parts = rows[rows["typ"] != "summa"]
        if totals.empty:
            continue
        for column in INVESTMENT_AMOUNTS:
            published = totals[column].iloc[0]
            if pd.isna(published):
                continue
            warnings += _compare(
                file,
                f'summa för {area}, kolumn "{column}"',
                int(published),
                int(parts[column].fillna(0).sum()),
            )
    return warnings


def all_warnings(report: Report) -> list[Finding]:
    """Every cross-check of the year."""
    return operating_warnings(report) + investment_warnings(report)
