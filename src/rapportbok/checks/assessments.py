"""Warnings where an indicator's stated assessment or trend differs from the one computed from its data.

The published values are kept as printed; the warning gives both values and the rule (see
model/computed_assessment.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapportbok.checks.context import CheckContext, Found, warnings
from rapportbok.data.report import Report
from rapportbok.exceptions import Finding
from rapportbok.model.computed_assessment import differing_assessments


def assessment_warnings(report: Report) -> list[Finding]:
    """One warning per stated assessment or trend that differs from the computed one."""
    file = f"{report.shown_folder}/indikatorer.csv"
    found = []
    for item in differing_assessments(report):
        if item.assessment_differs:
            found.append(
                Finding(
                    file,
                    f"{item.indicator_id}: bedömningen är {item.stated_assessment}, beräknad ur utfall "
                    f"och mål {item.assessment.value} ({item.assessment.rule})",
                    item.row,
                    "bedomning",
                    code="assessment.differs",
                )
            )
        if item.trend_differs:
            found.append(
                Finding(
                    file,
                    f"{item.indicator_id}: trenden är {item.stated_trend}, beräknad ur utfallen "
                    f"{item.trend.value} ({item.trend.rule})",
                    item.row,
                    "trend",
                    code="assessment.trend.differs",
                )
            )
    return found


def check_assessments(context: CheckContext) -> Iterable[Found]:
    """Assessments and trends against those computed from outcomes, once the indicators' tables are
    valid and filled in."""
    if not context.ready("indikatorer", "indikator_utfall"):
        return ()
    return warnings(assessment_warnings(context.report))
