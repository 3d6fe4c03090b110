"""`rapportbok check`: every problem (errors) and every disagreement (warnings) of a fiscal year."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.crosschecks import all_warnings
from rapportbok.errors import DataError, Finding, Problem
from rapportbok.load import read_year_with_notes
from rapportbok.narrative import Disagreement, NarrativeError, render_text, text_keys
from rapportbok.report import Report
from rapportbok.rules import rule_problems


@dataclass
class CheckResult:
    """Errors stop a build; warnings are published disagreements that are reported, not fixed."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Finding | Disagreement] = field(default_factory=list)
    report: Report | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_year(year: int, data_dir: str | Path | None = None) -> CheckResult:
    """Validate the year: tables, metadata, cross-file rules, narrative placeholders, cross-checks."""
    report, problems, notes = read_year_with_notes(year, data_dir)
    result = CheckResult(problems=list(problems), warnings=list(notes), report=report)
    if report is None or problems:
        return result
    result.problems += rule_problems(report)
    for key in text_keys(report):
        try:
            result.warnings += render_text(report, key).disagreements
        except NarrativeError as error:
            result.problems.append(error.problem)
    result.warnings += all_warnings(report)
    return result


def require_valid(year: int, data_dir: str | Path | None = None) -> CheckResult:
    """Like check_year, but raise DataError when there are errors."""
    result = check_year(year, data_dir)
    if not result.ok:
        raise DataError(result.problems)
    return result
