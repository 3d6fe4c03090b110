"""What the data says about the year before: last year's report when its data is in data/, and the
earlier-year values the year's own tables carry (the operating statement's `utfall_foregaende_ar`, the
sick leave of earlier years). The front page's "Året i korthet" compares with these; nothing here is
typed, every value comes from data/.
"""

from __future__ import annotations

from rapportbok.core.formatting import is_missing
from rapportbok.data.load import previous_year
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import OperatingPost, StaffGroup

MEMO_KEY = "previous_year"


def previous_report(report: Report) -> Report | None:
    """Last year's report (loaded once per report), or None when data/ has no valid year before."""
    if MEMO_KEY not in report.memo:
        report.memo[MEMO_KEY] = previous_year(report)
    return report.memo[MEMO_KEY]


def net_costs(report: Report) -> tuple[float, float] | None:
    """(this year's, last year's) outcome of the operating statement's total row in tkr (a cost is
    negative), from drift.csv's `utfall` and `utfall_foregaende_ar`; None when either is missing."""
    rows = report.drift.loc[report.drift["post_id"] == OperatingPost.TOTAL]
    if rows.empty or "utfall_foregaende_ar" not in rows.columns:
        return None
    now, before = rows["utfall"].iloc[0], rows["utfall_foregaende_ar"].iloc[0]
    return None if is_missing(now) or is_missing(before) else (float(now), float(before))


def earlier_sick_leave(report: Report, group: StaffGroup = StaffGroup.NAMNDEN) -> float | None:
    """The sick leave in percent of the year before, from this year's sjukfranvaro_ar.csv (which may
    carry earlier years) or else from last year's report; None when neither has it."""
    rows = report.sjukfranvaro_ar
    value = rows.loc[(rows["ar"] == report.year - 1) & (rows["grupp"] == group), "procent"]
    if not value.empty and not is_missing(value.iloc[0]):
        return float(value.iloc[0])
    before = previous_report(report)
    if before is None:
        return None
    rows = before.sjukfranvaro_ar
    value = rows.loc[(rows["ar"] == before.year) & (rows["grupp"] == group), "procent"]
    return None if value.empty or is_missing(value.iloc[0]) else float(value.iloc[0])
