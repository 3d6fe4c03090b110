"""`rapportbok check`: every error, every value still to be filled in (to-do) and every warning."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from rapportbok.checks.crosschecks import all_warnings
from rapportbok.checks.hostile import script_problems
from rapportbok.checks.rules import rule_problems
from rapportbok.core.formatting import is_value
from rapportbok.data.load import read_year_with_notes
from rapportbok.data.report import Report
from rapportbok.exceptions import DataError, Finding, Problem
from rapportbok.narrative.templates import (
    REWRITE_MARKER,
    Disagreement,
    NarrativeError,
    needs_rewrite,
    render_text,
    text_keys,
)


@dataclass
class CheckResult:
    """Errors stop a build; required to-dos stop publishing (not a draft); warnings never stop anything."""

    problems: list[Problem] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)
    to_verify: list[Problem] = field(default_factory=list)
    warnings: list[Finding | Disagreement] = field(default_factory=list)
    report: Report | None = None

    @property
    def ok(self) -> bool:
        """No errors and nothing required left to fill in: ready to publish."""
        return not self.problems and not self.todo

    def todo_by_file(self) -> dict[str, list[Problem]]:
        """The to-do list (required first, then what to verify) grouped by file."""
        grouped: dict[str, list[Problem]] = {}
        for problem in self.todo + self.to_verify:
            grouped.setdefault(problem.file, []).append(problem)
        return grouped


def check_year(year: int, data_dir: str | Path | None = None) -> CheckResult:
    """Validate the year: tables, metadata, rules, narrative placeholders, to-dos, cross-checks."""
    report, problems, notes = read_year_with_notes(year, data_dir)
    result = CheckResult(
        problems=[p for p in problems if not p.missing],
        todo=[p for p in problems if p.missing],
        warnings=list(notes),
        report=report,
    )
    if report is None or result.problems:
        return result
    incomplete = bool(result.todo)
    result.problems += rule_problems(report)
    result.todo += _texts_to_rewrite(report)
    result.to_verify += _empty_outcomes(report)
    for key in text_keys(report):
        path = report.text_dir / f"{key}.md"
        result.problems += script_problems(path.read_text(encoding="utf-8"), f"data/{year}/text/{key}.md")
        if needs_rewrite(report, key):
            continue  # last year's text: its placeholders are checked once it has been rewritten
        try:
            result.warnings += render_text(report, key).disagreements
        except NarrativeError as error:
            if not (incomplete and error.empty_value):  # an empty value is already a to-do
                result.problems.append(error.problem)
    if not incomplete:
        result.warnings += all_warnings(report)
    return result


def _texts_to_rewrite(report: Report) -> list[Problem]:
    return [
        Problem(
            f"data/{report.year}/text/{key}.md",
            "texten är kopierad från förra året och inte omskriven",
            allowed=f"skriv om texten och ta bort raden med {REWRITE_MARKER}",
            missing=True,
        )
        for key in text_keys(report)
        if needs_rewrite(report, key)
    ]


def _empty_outcomes(report: Report) -> list[Problem]:
    """The year's indicator outcomes and targets that are empty (without a note explaining why)."""
    file = f"data/{report.year}/indikator_utfall.csv"
    found = []
    for offset, row in enumerate(report.indikator_utfall.itertuples()):
        if not is_value(row.ar, report.year):
            continue
        for column, what in (("utfall", "utfall"), ("mal", "målvärde")):
            value = getattr(row, column)
            explained = column == "utfall" and not pd.isna(row.utfall_notering)
            if pd.isna(value) and not explained:
                found.append(
                    Problem(
                        file,
                        f"{what} för {row.indikator_id} {row.ar} saknas",
                        offset + 2,
                        column,
                        "fyll i värdet, eller lämna tomt om det inte finns",
                        missing=True,
                    )
                )
    return found


def require_valid(year: int, data_dir: str | Path | None = None, *, draft: bool = False) -> CheckResult:
    """Like check_year, but raise DataError on errors, and on required to-dos unless it is a draft."""
    result = check_year(year, data_dir)
    if result.problems:
        raise DataError(result.problems)
    if result.todo and not draft:
        raise DataError(
            result.todo,
            heading=f"{len(result.todo)} uppgifter saknas i data/{year}; boken publiceras inte förrän de är "
            f"ifyllda. Bygg ett utkast med --draft:",
        )
    if draft:
        result.report = replace(result.report, draft=True)
    return result
