"""The figures that compare organisations side by side: one row of the municipality overview.

The same counts as a book's front page ("Året i korthet"), so that a reader who follows a row of the
overview to its book finds the same figures there.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapportbok.core.formatting import is_missing
from rapportbok.data.org_vocabulary import DEFAULT_NAMES
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import AssignmentStatus, OperatingPost, StaffGroup
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.model.goals import goal_counts


@dataclass(frozen=True)
class OverviewFigures:
    """One organisation's year: goals fulfilled of all, assignments (uppdrag and nämndinitiativ)
    completed of all, the operating statement's net deviation in tkr (positive is a surplus) and the
    nämnd's sick leave in percent; None where the year's data do not give the value."""

    goals_fulfilled: int
    goals_total: int
    assignments_completed: int
    assignments_total: int
    net_deviation: float | None
    sick_leave: float | None
    goals_name: str = DEFAULT_NAMES["mal"].plural  # what the organisation calls its goals (vokabular.yml)


def assignments_completed(report: Report) -> tuple[int, int]:
    """(completed, all) over every row of uppdrag.csv: uppdrag and nämndinitiativ together."""
    status = report.uppdrag["status"]
    return int((status == AssignmentStatus.COMPLETED).sum()), len(status)


def net_deviation(report: Report) -> float | None:
    """The net deviation of the operating statement (its 'summa' row), in tkr."""
    total = report.drift.loc[report.drift["post_id"] == OperatingPost.TOTAL, "avvikelse"]
    return None if total.empty or is_missing(total.iloc[0]) else float(total.iloc[0])


def sick_leave(report: Report, group: StaffGroup = StaffGroup.NAMNDEN) -> float | None:
    """The year's sick leave in percent of the nämnd (or of the whole municipality)."""
    rows = report.sjukfranvaro_ar
    value = rows.loc[(rows["ar"] == report.year) & (rows["grupp"] == group), "procent"]
    return None if value.empty or is_missing(value.iloc[0]) else float(value.iloc[0])


def overview_figures(report: Report) -> OverviewFigures:
    """The overview's figures for one organisation's year."""
    goals = goal_counts(report)
    completed, assignments = assignments_completed(report)
    return OverviewFigures(
        goals_fulfilled=goals["uppfyllt"],
        goals_total=goals["antal"],
        assignments_completed=completed,
        assignments_total=assignments,
        net_deviation=net_deviation(report),
        sick_leave=sick_leave(report),
        goals_name=report_vocabulary(report).name("mal").plural,
    )
