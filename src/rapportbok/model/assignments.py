"""Counting assignments (uppdrag) and initiatives (nämndinitiativ) by status and plan."""

from __future__ import annotations

import pandas as pd

from rapportbok.data.report import Report
from rapportbok.data.vocabulary import AssignmentKind, AssignmentStatus, Decision, Forecast, SummaryRow

# The order of the published summary table (not the schema's order).
STATUS_ORDER = (
    AssignmentStatus.REMAINING,
    AssignmentStatus.CLOSED_INTO_NEW,
    AssignmentStatus.COMPLETED,
    AssignmentStatus.STRUCK,
)
# The name of each kind's counts in narrative placeholders: {{ uppdrag.antal }}, {{ namndinitiativ.antal }}.
KIND_NAMES = {AssignmentKind.UPPDRAG: "uppdrag", AssignmentKind.NAMNDINITIATIV: "namndinitiativ"}


def summary(report: Report) -> pd.DataFrame:
    """Kind × status with counts on plan, off plan and in total, plus a total row (as in the report).

    Only combinations that occur are listed, in the report's order of kinds and statuses.
    """
    frame = report.uppdrag
    rows = []
    for kind in AssignmentKind:
        for status in STATUS_ORDER:
            subset = frame[(frame["typ"] == kind) & (frame["status"] == status)]
            if subset.empty:
                continue
            rows.append(_counts(kind, status, subset))
    rows.append(_counts(SummaryRow.TOTAL, "", frame))
    return pd.DataFrame(rows, columns=["typ", "status", "enligt_plan", "avvikelse", "total"])


def _counts(kind: str, status: str, subset: pd.DataFrame) -> dict[str, object]:
    return {
        "typ": kind,
        "status": status,
        "enligt_plan": int((subset["prognos"] == Forecast.ON_PLAN).sum()),
        "avvikelse": int((subset["prognos"] == Forecast.OFF_PLAN).sum()),
        "total": len(subset),
    }


def counts_by_kind(report: Report) -> dict[str, dict[str, int]]:
    """Named counts per kind for narrative: antal, slutford, stangs, kvarstaende, struken, gar_over."""
    frame = report.uppdrag
    carried = set(
        report.uppdrag_nasta_ar.loc[report.uppdrag_nasta_ar["beslut"] == Decision.CARRIES_OVER, "uppdrag_id"]
    )
    result = {}
    for kind, key in KIND_NAMES.items():
        subset = frame[frame["typ"] == kind]
        result[key] = {
            "antal": len(subset),
            "slutford": int((subset["status"] == AssignmentStatus.COMPLETED).sum()),
            "stangs": int((subset["status"] == AssignmentStatus.CLOSED_INTO_NEW).sum()),
            "kvarstaende": int((subset["status"] == AssignmentStatus.REMAINING).sum()),
            "struken": int((subset["status"] == AssignmentStatus.STRUCK).sum()),
            "gar_over": int(subset["uppdrag_id"].isin(carried).sum()),
        }
    return result
