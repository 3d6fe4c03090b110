"""Cross-checks of the source figures and texts, row by row (warnings with file, row and column).

Each check reports what looks contradictory in the data as entered; none changes a value:

- investment projects: a yearly outcome (or the two years together) larger than the accumulated outcome
  (all years) that contains it;
- investment projects: a project with an accumulated outcome but no outcome for the year;
- investments and operations: budget or prognosis with the opposite sign of the outcome;
- every table: rows that repeat another row (all columns; for tables keyed by one id, all but the id);
- indicators: a unit that contradicts the name ("Antal …" reported in procent, "Andel …" in antal);
- assignments carried over: the reason (uppdrag_nasta_ar.csv) and the assignment's comment
  (uppdrag.csv) naming different future years.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rapportbok.checks.context import CheckContext, Found, warnings
from rapportbok.checks.rows import numbered_rows
from rapportbok.core.formatting import format_tkr, is_missing
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.vocabulary import IndicatorUnit, InvestmentRow
from rapportbok.exceptions import Finding

YEARLY_OUTCOMES = ("utfall", "utfall_foregaende_ar")
PLANNED = ("total_budget", "total_prognos", "budget_ar")
OUTCOMES = ("ack_utfall", "utfall_foregaende_ar", "utfall")
OPERATING_FILES = ("drift", "drift_verksamhet")
COUNT_UNITS_CONTRADICTING = {
    IndicatorUnit.PERCENT,
    IndicatorUnit.KR_PER_INHABITANT,
    IndicatorUnit.INDEX,
    IndicatorUnit.RANK,
}
SHARE_WORDS = re.compile(r"\b(andel|procent)\b|%", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _amount(row: Mapping[str, Any], column: str) -> int | None:
    value = row[column]
    return None if is_missing(value) else int(value)


def _label(row: Mapping[str, Any]) -> str:
    number = row["projekt_nr"]
    return str(row["projekt"]) if is_missing(number) else f"projekt {number} ({row['projekt']})"


def _larger_than_accumulated(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(column, what) for each yearly outcome, or both years together, larger than the accumulated."""
    accumulated = _amount(row, "ack_utfall")
    if accumulated is None:
        return []
    yearly = {column: _amount(row, column) for column in YEARLY_OUTCOMES}
    found = [
        (column, f"{column} {format_tkr(value)}")
        for column, value in yearly.items()
        if value is not None and abs(value) > abs(accumulated)
    ]
    both = [value for value in yearly.values() if value is not None]
    if not found and len(both) == 2 and abs(sum(both)) > abs(accumulated):
        found.append(("ack_utfall", f"utfall föregående år + utfall = {format_tkr(sum(both))}"))
    return [
        (column, f"{what} är större än ack. utfall (alla år) {format_tkr(accumulated)}")
        for column, what in found
    ]


def investment_outcome_warnings(report: Report) -> list[Finding]:
    """A yearly outcome larger than the accumulated one; an accumulated outcome without a yearly one."""
    file = f"{report.shown_folder}/investeringar.csv"
    found = []
    for line, row in numbered_rows(report.investeringar):
        if row["typ"] != InvestmentRow.PROJECT:
            continue  # a total's accumulated outcome leaves out closed projects; the totals are summed apart
        for column, what in _larger_than_accumulated(row):
            found.append(
                Finding(file, f"{_label(row)}: {what}", line, column, code="source.investment.outcome")
            )
        accumulated = _amount(row, "ack_utfall")
        if accumulated and not _amount(row, "utfall"):
            found.append(
                Finding(
                    file,
                    f"{_label(row)} har ack. utfall {format_tkr(accumulated)} men inget utfall för året; "
                    "kontrollera att årets utfall inte hamnat i fel kolumn",
                    line,
                    "utfall",
                    code="source.investment.outcome",
                )
            )
    return found


def _mixed_signs(
    file: str, line: int, what: str, amounts: dict[str, int | None], negative: bool
) -> list[Finding]:
    """A finding when a row's non-zero amounts (budget, prognosis, outcome) do not all have one sign;
    the column named is the first whose sign is not the expected one (`negative` or not)."""
    shown = {column: value for column, value in amounts.items() if value}
    if len({value < 0 for value in shown.values()}) < 2:
        return []
    odd = next(column for column, value in shown.items() if (value < 0) != negative)
    listed = ", ".join(f"{column} {format_tkr(value)}" for column, value in shown.items())
    return [
        Finding(
            file,
            f"{what}: budget, prognos och utfall har olika tecken ({listed})",
            line,
            odd,
            code="source.signs",
        )
    ]


def sign_warnings(report: Report) -> list[Finding]:
    """Budget or prognosis with another sign than the outcome (or each other), in investments and
    operations. Investments are expenditure (negative); an operating row's outcome gives its sign."""
    found = []
    file = f"{report.shown_folder}/investeringar.csv"
    for line, row in numbered_rows(report.investeringar):
        amounts = {column: _amount(row, column) for column in PLANNED + OUTCOMES}
        found += _mixed_signs(file, line, _label(row), amounts, negative=True)
    for name in OPERATING_FILES:
        key = table_schema(name).descriptor["primaryKey"][0]
        for line, row in numbered_rows(report.tables[name]):
            amounts = {column: _amount(row, column) for column in ("utfall", "budget")}
            outcome = amounts["utfall"]
            found += _mixed_signs(
                f"{report.shown_folder}/{name}.csv",
                line,
                str(row[key]),
                amounts,
                negative=bool(outcome and outcome < 0),
            )
    return found


def _cell(value: object) -> str:
    return "" if is_missing(value) else str(value)


def duplicate_row_warnings(report: Report) -> list[Finding]:
    """Rows that repeat an earlier row: in all columns, or (keyed by one id) in all columns but the id."""
    found = []
    for schema in [*(table_schema(name) for name in TABLE_NAMES), *report.declared.values()]:
        name = schema.name
        frame = report.tables.get(name)
        if frame is None or frame.empty:
            continue
        key = schema.descriptor.get("primaryKey", [])
        compared = [column for column in schema.field_names if not (len(key) == 1 and column == key[0])]
        seen: dict[tuple[str, ...], int] = {}
        for line, row in numbered_rows(frame):
            values = tuple(_cell(row[column]) for column in compared)
            if not any(values):
                continue
            if values in seen:
                but = f" (utom {key[0]})" if len(compared) < len(schema.field_names) else ""
                found.append(
                    Finding(
                        f"{report.shown_folder}/{name}.csv",
                        f"raden upprepar rad {seen[values]}{but}",
                        line,
                        code="source.row.duplicate",
                    )
                )
            else:
                seen[values] = line
    return found


def unit_warnings(report: Report) -> list[Finding]:
    """An indicator whose unit contradicts its name: "Antal …" not counted, "Andel …"/"%" not in procent."""
    file = f"{report.shown_folder}/indikatorer.csv"
    found = []
    for line, row in numbered_rows(report.indikatorer):
        if is_missing(row["enhet"]):
            continue
        name, unit = str(row["namn"]), str(row["enhet"])
        if name.lower().startswith("antal") and unit in COUNT_UNITS_CONTRADICTING:
            found.append(
                Finding(
                    file,
                    f'{row["indikator_id"]}: namnet börjar med "Antal" men enheten är {unit}',
                    line,
                    "enhet",
                    code="source.unit",
                )
            )
        elif SHARE_WORDS.search(name) and unit == IndicatorUnit.COUNT:
            found.append(
                Finding(
                    file,
                    f"{row['indikator_id']}: namnet anger en andel men enheten är {unit}",
                    line,
                    "enhet",
                    code="source.unit",
                )
            )
    return found


def _future_years(text: object, year: int) -> set[int]:
    """The years after `year` that a text names (a range such as 2025-2027 names both ends)."""
    return {int(found) for found in YEAR.findall(_cell(text)) if int(found) > year}


def year_warnings(report: Report) -> list[Finding]:
    """A carried-over assignment whose reason and comment name different years after the report year."""
    file = f"{report.shown_folder}/uppdrag_nasta_ar.csv"
    comments = dict(zip(report.uppdrag["uppdrag_id"], report.uppdrag["kommentar"], strict=True))
    found = []
    for line, row in numbered_rows(report.uppdrag_nasta_ar):
        reason = _future_years(row["orsak"], report.year)
        detail = _future_years(comments.get(row["uppdrag_id"]), report.year)
        if reason and detail and reason != detail:
            found.append(
                Finding(
                    file,
                    f"{row['uppdrag_id']}: orsaken nämner {_years(reason)}, kommentaren i uppdrag.csv "
                    f"{_years(detail)}",
                    line,
                    "orsak",
                    code="source.year",
                )
            )
    return found


def _years(years: set[int]) -> str:
    return ", ".join(str(year) for year in sorted(years))


SourceCheck = Callable[[Report], list[Finding]]
# Each row-level check and the tables it reads: it runs when those tables are valid and filled in. The
# duplicate rows (no tables named) are looked for in every table and kept for the tables that are.
SOURCE_CHECKS: tuple[tuple[tuple[str, ...], SourceCheck], ...] = (
    (("investeringar",), investment_outcome_warnings),
    (("investeringar", *OPERATING_FILES), sign_warnings),
    ((), duplicate_row_warnings),
    (("indikatorer",), unit_warnings),
    (("uppdrag", "uppdrag_nasta_ar"), year_warnings),
)


def source_warnings(report: Report) -> list[Finding]:
    """Every row-level cross-check of the year."""
    return [found for _, check in SOURCE_CHECKS for found in check(report)]


def check_sources(context: CheckContext) -> Iterable[Found]:
    """The tables as the source system gives them, each check once the tables it reads are valid and
    filled in (one table's errors do not hide the others' warnings)."""
    folder = context.report.shown_folder
    ready = {f"{folder}/{name}.csv" for name in context.report.tables if context.ready(name)}
    found = []
    for tables, check in SOURCE_CHECKS:
        if tables and not context.ready(*tables):
            continue
        found += [item for item in check(context.report) if tables or item.file in ready]
    return warnings(found)
