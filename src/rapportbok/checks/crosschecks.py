"""Cross-checks that report, never fix, disagreements inside the published figures (warnings)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from rapportbok.checks.context import CheckContext, Found, warnings
from rapportbok.core.formatting import format_number, format_tkr
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import InvestmentRow, OperatingPost
from rapportbok.exceptions import Finding
from rapportbok.model.assignments import summary

AMOUNTS = ("budget", "utfall", "avvikelse", "utfall_foregaende_ar")
INVESTMENT_AMOUNTS = (
    "total_budget",
    "total_prognos",
    "ack_utfall",
    "utfall_foregaende_ar",
    "utfall",
    "budget_ar",
)


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
            code="crosscheck.total",
        )
    ]


def previous_outcomes_repeated(frame: pd.DataFrame, previous: pd.DataFrame | None, key: str) -> bool:
    """Whether `utfall_foregaende_ar` is, row by row, last year's `utfall` as that year's data holds it:
    then its disagreements are last year's own, reported when that year is checked, not every year after."""
    if previous is None or frame.empty:
        return False
    last = previous.set_index(key)["utfall"]
    for row in frame.itertuples():
        value = row.utfall_foregaende_ar
        earlier = last.get(getattr(row, key))
        if pd.isna(value) or earlier is None or pd.isna(earlier) or int(value) != int(earlier):
            return False
    return True


def operating_warnings(report: Report, previous: Report | None = None) -> list[Finding]:
    """Intäkter + Kostnader = Summa; avvikelse = utfall − budget; activities sum to the total.

    The previous year's column is left out where it repeats `previous`'s outcomes (checked in that year).
    """
    folder = report.shown_folder
    drift_file, activity_file = f"{folder}/drift.csv", f"{folder}/drift_verksamhet.csv"
    drift, activities = report.drift, report.drift_verksamhet
    repeated = previous is not None and previous_outcomes_repeated(drift, previous.drift, "post_id")
    repeated_activities = previous is not None and previous_outcomes_repeated(
        activities, previous.drift_verksamhet, "verksamhet_id"
    )
    warnings = []
    for column in AMOUNTS:
        last_years = column == "utfall_foregaende_ar"
        if last_years and repeated and repeated_activities:
            continue  # both comparisons below are last year's
        parts = [
            _value(drift, "post_id", post, column) for post in (OperatingPost.INCOME, OperatingPost.COSTS)
        ]
        computed = None if None in parts or (last_years and repeated) else sum(parts)
        warnings += _compare(
            drift_file,
            f'Intäkter + Kostnader, kolumn "{column}"',
            _value(drift, "post_id", OperatingPost.TOTAL, column),
            computed,
        )
        if activities[column].notna().all() and len(activities):
            warnings += _compare(
                activity_file,
                f'summan av verksamheterna, kolumn "{column}"',
                _value(drift, "post_id", OperatingPost.TOTAL, column),
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
    file = f"{report.shown_folder}/investeringar.csv"
    frame = report.investeringar
    warnings = []
    for area, rows in frame.groupby("omrade", sort=False):
        totals = rows[rows["typ"] == InvestmentRow.TOTAL]
        parts = rows[rows["typ"] != InvestmentRow.TOTAL]
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


def assignment_summary_warnings(report: Report) -> list[Finding]:
    """The published summary table of assignments against the counts computed from uppdrag.csv."""
    published = report.uppdrag_sammanstallning
    if published.empty:
        return []
    file = f"{report.shown_folder}/uppdrag_sammanstallning.csv"
    computed = summary(report).fillna({"status": ""})
    computed_by_key = {(row.typ, row.status): row for row in computed.itertuples()}
    warnings = []
    for row in published.itertuples():
        key = (row.typ, "" if pd.isna(row.status) else row.status)
        counted = computed_by_key.get(key)
        for column in ("enligt_plan", "avvikelse", "total"):
            shown = 0 if pd.isna(getattr(row, column)) else int(getattr(row, column))
            actual = 0 if counted is None else int(getattr(counted, column))
            if shown != actual:
                warnings.append(
                    Finding(
                        file,
                        f"{key[0]} {key[1]}".strip() + f', kolumn "{column}": publicerat '
                        f"{shown}, räknat ur uppdrag.csv {actual}",
                        code="crosscheck.assignments.value",
                    )
                )
    missing = set(computed_by_key) - {
        (r.typ, "" if pd.isna(r.status) else r.status) for r in published.itertuples()
    }
    for key in sorted(missing):
        warnings.append(
            Finding(
                file,
                f"raden {key[0]} {key[1]} saknas i den publicerade tabellen",
                code="crosscheck.assignments.row.missing",
            )
        )
    return warnings


def sick_leave_warnings(report: Report) -> list[Finding]:
    """The published yearly sick leave against the mean of the months (to one decimal)."""
    file = f"{report.shown_folder}/sjukfranvaro_ar.csv"
    monthly = report.sjukfranvaro
    warnings = []
    for row in report.sjukfranvaro_ar.itertuples():
        months = monthly[(monthly["grupp"] == row.grupp) & (monthly["ar"] == row.ar)]["procent"]
        if len(months) != 12:
            warnings.append(
                Finding(
                    file,
                    f"{row.grupp} {row.ar}: {len(months)} månader i sjukfranvaro.csv, "
                    "årsvärdet kan inte jämföras",
                    code="crosscheck.sick_leave.months",
                )
            )
            continue
        mean = format_number(float(months.mean()), 1)
        if mean != format_number(float(row.procent), 1):
            warnings.append(
                Finding(
                    file,
                    f"{row.grupp} {row.ar}: publicerat {format_number(row.procent, 1)} %, "
                    f"medel av månaderna {mean} % (årsvärdet kan vara viktat med arbetstid)",
                    code="crosscheck.sick_leave.total",
                )
            )
    return warnings


# Each cross-check and the tables it compares: it runs when those tables are valid and filled in.
CROSSCHECKS = (
    (("drift", "drift_verksamhet"), operating_warnings),
    (("investeringar",), lambda report, previous: investment_warnings(report)),
    (("uppdrag", "uppdrag_sammanstallning"), lambda report, previous: assignment_summary_warnings(report)),
    (("sjukfranvaro", "sjukfranvaro_ar"), lambda report, previous: sick_leave_warnings(report)),
)


def all_warnings(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every cross-check of the year (`previous`: last year's data, whose own figures are not re-checked)."""
    return [found for _, check in CROSSCHECKS for found in check(report, previous)]


def check_crosschecks(context: CheckContext) -> Iterable[Found]:
    """Published totals against computed ones, for every group of tables that is valid and filled in
    (one table's errors do not hide the others' disagreements)."""
    found = []
    for tables, check in CROSSCHECKS:
        if context.ready(*tables):
            found += check(context.report, context.previous)
    return warnings(found)
