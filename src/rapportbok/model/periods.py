"""Period labels in Swedish: 'jan–dec ÅÅÅÅ'."""

from __future__ import annotations

from rapportbok.data.report import Report

MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def period_label(report: Report, year: int | None = None) -> str:
    """The reporting period of the year, e.g. 'jan–dec ÅÅÅÅ' (or of an earlier year)."""
    end_month = MONTHS[report.meta.period_end.month - 1]
    return f"jan–{end_month} {year if year is not None else report.year}"


def period_end_label(report: Report) -> str:
    """The last month of the period, e.g. 'dec ÅÅÅÅ'."""
    return f"{MONTHS[report.meta.period_end.month - 1]} {report.year}"
