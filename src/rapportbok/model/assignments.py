"""Counting assignments (uppdrag) and initiatives (nämndinitiativ) by status and plan."""

from __future__ import annotations

import pandas as pd

from rapportbok.data.report import Report

KINDS = ("Uppdrag", "Nämndinitiativ")
STATUSES = ("Kvarstående", "Stängs och övergår i nytt uppdrag", "Slutförd", "Struken")
ON_PLAN, OFF_PLAN = "Enligt plan", "Avvikelse från plan"
CARRIES_OVER = "Går över till nästa år"
TOTAL_LABEL = "Total Summa"


def summary(report: Report) -> pd.DataFrame:
    """Kind × status with counts on plan, off plan and in total, plus a total row (as in the report).

    Only combinations that occur are listed, in the report's order of kinds and statuses.
    """
    frame = report.uppdrag
    rows = []
    for kind in KINDS:
        for status in STATUSES:
            subset = frame[(frame["typ"] == kind) & (frame["status"] == status)]
            if subset.empty:
                continue
            rows.append(_counts(kind, status, subset))
    rows.append(_counts(TOTAL_LABEL, "", frame))
    return pd.DataFrame(rows, columns=["typ", "status", "enligt_plan", "avvikelse", "total"])


def _counts(kind: str, status: str, subset: pd.DataFrame) -> dict[str, object]:
    return {
        "typ": kind,
        "status": status,
        "enligt_plan": int((subset["prognos"] == ON_PLAN).sum()),
        "avvikelse": int((subset["prognos"] == OFF_PLAN).sum()),
        "total": len(subset),
    }


def counts_by_kind(report: Report) -> dict[str, dict[str, int]]:
    """Named counts per kind for narrative: antal, slutford, stangs, kvarstaende, struken, gar_over."""
    frame = report.uppdrag
    carried = set(
        report.uppdrag_nasta_ar.loc[report.uppdrag_nasta_ar["beslut"] == CARRIES_OVER, "uppdrag_id"]
    )
    result = {}
    for kind, key in (("Uppdrag", "uppdrag"), ("Nämndinitiativ", "namndinitiativ")):
        subset = frame[frame["typ"] == kind]
        result[key] = {
            "antal": len(subset),
            "slutford": int((subset["status"] == "Slutförd").sum()),
            "stangs": int((subset["status"] == "Stängs och övergår i nytt uppdrag").sum()),
            "kvarstaende": int((subset["status"] == "Kvarstående").sum()),
            "struken": int((subset["status"] == "Struken").sum()),
            "gar_over": int(subset["uppdrag_id"].isin(carried).sum()),
        }
    return result
