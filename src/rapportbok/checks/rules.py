"""Rules across rows, tables and files that a single column's schema cannot express (errors)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

import pandas as pd

from rapportbok.checks.context import CheckContext, Found, errors
from rapportbok.checks.rows import numbered_rows
from rapportbok.core.formatting import is_value
from rapportbok.data.report import Report
from rapportbok.data.required_texts import required_keys
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.vocabulary import InvestmentRow
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.exceptions import Problem
from rapportbok.narrative.templates import text_path

YEARS_OF_HISTORY = 10
# Tables whose `ar` column must be the report year.
SAME_YEAR_TABLES = ("sjukfranvaro", "sjukfranvaro_ar", "personalomsattning")
# Tables with comment dates that cannot lie after the end of the period.
COMMENT_DATE_TABLES = ("indikatorer", "uppdrag")


def _file(report: Report, table: str) -> str:
    return f"{report.shown_folder}/{table_schema(table).file_name}"


def foreign_key_problems(report: Report, broken: Collection[str] = ()) -> list[Problem]:
    """Every reference (e.g. an indicator's goal) points at a row that exists.

    References into a `broken` table (one with errors, read in part) are not checked: its key cells
    may be the ones in error.
    """
    problems = []
    for name in TABLE_NAMES:
        for key in table_schema(name).foreign_keys:
            if key.resource in broken:
                continue
            target = report.tables[key.resource]
            known = {tuple(values) for values in target[list(key.reference_fields)].astype(str).to_numpy()}
            for row_number, row in numbered_rows(report.tables[name]):
                if any(pd.isna(row[field]) for field in key.fields):
                    continue  # an empty key is a to-do, reported by the schema
                value = tuple(str(row[field]) for field in key.fields)
                if value not in known:
                    shown = ", ".join(value)
                    problems.append(
                        Problem(
                            _file(report, name),
                            f'"{shown}" finns inte i {table_schema(key.resource).file_name}',
                            row_number,
                            ", ".join(key.fields),
                            f"ange ett {', '.join(key.reference_fields)} som finns där",
                            code="rule.foreign_key",
                        )
                    )
    return problems


def goal_problems(report: Report) -> list[Problem]:
    """A goal's målområde matches its id (3.1 → 3), and its texts exist (data/required_texts.py)."""
    problems = []
    file = _file(report, "inriktningsmal")
    for row_number, row in numbered_rows(report.inriktningsmal):
        if pd.isna(row["mal_id"]) or pd.isna(row["malomrade"]):
            continue  # an empty cell is a to-do, reported by the schema
        prefix = str(row["mal_id"]).split(".")[0]
        if prefix != str(row["malomrade"]):
            problems.append(
                Problem(
                    file,
                    f"målområde {row['malomrade']} stämmer inte med mål-id {row['mal_id']}",
                    row_number,
                    "malomrade",
                    f"ska vara {prefix}",
                    code="rule.goal_area",
                )
            )
        keys = required_keys("inriktningsmal", row, report_vocabulary(report))
        problems += _missing_texts(report, file, row_number, "mal_id", keys)
    return problems


def activity_problems(report: Report) -> list[Problem]:
    """Every activity has its deviation comment (data/required_texts.py)."""
    file = _file(report, "drift_verksamhet")
    problems = []
    for row_number, row in numbered_rows(report.drift_verksamhet):
        keys = required_keys("drift_verksamhet", row)
        problems += _missing_texts(report, file, row_number, "verksamhet_id", keys)
    return problems


def _missing_texts(report: Report, file: str, row: int, column: str, keys: list[str]) -> list[Problem]:
    """The required texts that are missing, except those of a chapter the book leaves out (a text's key
    begins with its chapter's name, the folder of its file in text/)."""
    left_out = report.meta.left_out_chapters
    keys = [key for key in keys if key.split("/", 1)[0] not in left_out]
    return [
        Problem(
            file,
            f"texten {report.shown_folder}/text/{key}.md saknas",
            row,
            column,
            "skapa filen med texten",
            code="rule.text.missing",
        )
        for key in keys
        if not text_path(report, key).is_file()
    ]


def investment_problems(report: Report) -> list[Problem]:
    """Every project row has a project number, and no number is used twice."""
    file = _file(report, "investeringar")
    problems = []
    seen: dict[str, int] = {}
    for row_number, row in numbered_rows(report.investeringar):
        number = row["projekt_nr"]
        if not is_value(row["typ"], InvestmentRow.PROJECT):
            continue
        if pd.isna(number) or not str(number):
            problems.append(
                Problem(
                    file,
                    "projektnummer saknas",
                    row_number,
                    "projekt_nr",
                    "obligatoriskt för rader av typ projekt",
                    code="rule.investment.number.missing",
                )
            )
        elif number in seen:
            problems.append(
                Problem(
                    file,
                    f'"{number}" förekommer flera gånger (finns redan på rad {seen[number]})',
                    row_number,
                    "projekt_nr",
                    "värdet måste vara unikt",
                    code="rule.investment.number.duplicate",
                )
            )
        else:
            seen[number] = row_number
    return problems


@dataclass(frozen=True)
class _ColumnRule:
    """A rule for one column's values: which are bad, what to say about one, what is allowed."""

    column: str
    is_bad: Callable[[object], bool]
    message: Callable[[object], str]
    allowed: str


def _check_rows(report: Report, table: str, rule: _ColumnRule) -> list[Problem]:
    problems = []
    for row_number, row in numbered_rows(report.tables[table]):
        value = row[rule.column]
        if not pd.isna(value) and rule.is_bad(value):
            problems.append(
                Problem(
                    _file(report, table),
                    rule.message(value),
                    row_number,
                    rule.column,
                    rule.allowed,
                    code="rule.value",
                )
            )
    return problems


def year_and_date_problems(report: Report) -> list[Problem]:
    """Years within the report's range; comment dates not after the end of the period."""
    year, end = report.year, report.meta.period_end
    first = year - YEARS_OF_HISTORY
    in_history = _ColumnRule(
        "ar",
        lambda v: not first <= int(v) <= year,
        lambda v: f"året {v} ligger utanför rapportens år",
        f"från {first} till {year}",
    )
    same_year = _ColumnRule(
        "ar", lambda v: int(v) != year, lambda v: f"året {v} är inte rapportåret", str(year)
    )
    in_period = _ColumnRule(
        "kommentar_datum",
        lambda v: v > end,
        lambda v: f"datumet {v} ligger efter periodens slut",
        f"senast {end.isoformat()}",
    )
    problems = _check_rows(report, "indikator_utfall", in_history)
    for table in SAME_YEAR_TABLES:
        problems += _check_rows(report, table, same_year)
    for table in COMMENT_DATE_TABLES:
        problems += _check_rows(report, table, in_period)
    return problems


def rule_problems(report: Report, broken: Collection[str] = ()) -> list[Problem]:
    """All rules across rows, tables and files; `broken` names tables with errors, read in part."""
    return (
        foreign_key_problems(report, broken)
        + goal_problems(report)
        + activity_problems(report)
        + investment_problems(report)
        + year_and_date_problems(report)
    )


def check_rules(context: CheckContext) -> Iterable[Found]:
    """The check of the rules across tables; a cell whose reading already failed is not reported again."""
    return errors(context.new(rule_problems(context.report, context.broken)))
