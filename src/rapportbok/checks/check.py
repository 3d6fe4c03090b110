"""`rapportbok check`: every error, every value still to be filled in (to-do) and every warning.

`build` validates with the same function (`require_valid`) before any chapter runs, so what `check`
passes the build does not reject for reasons of data: tables, metadata, rules, every text the chapters
show, every placeholder (in the sandbox, bounded in time), links and images, and tillganglighet.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from rapportbok.checks.assessments import assessment_warnings
from rapportbok.checks.claims import (
    assessment_claim_problems,
    not_shown_reason,
    shown_for_goal,
    statement_figure_warnings,
    typed_figure_warnings,
    unknown_text_warnings,
)
from rapportbok.checks.crosschecks import all_warnings
from rapportbok.checks.hostile import link_problems, script_problems
from rapportbok.checks.next_year import next_year_todo
from rapportbok.checks.required_texts import misnamed_folder_problems, missing_text_problems
from rapportbok.checks.rules import rule_problems
from rapportbok.checks.source_checks import source_warnings
from rapportbok.core.formatting import is_value
from rapportbok.data.load import data_root_for, previous_year, read_year_with_notes
from rapportbok.data.report import Report
from rapportbok.data.statement import CONFIG_FILE, read_statement
from rapportbok.data.written_figures import WrittenFigures, read_written_figures
from rapportbok.exceptions import DataError, Finding, NarrativeError, Problem
from rapportbok.narrative.templates import (
    REWRITE_MARKER,
    Disagreement,
    placeholder_problems,
    read_source,
    render_text,
    shown_path,
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


def check_year(year: int, data_dir: str | Path | None = None, *, timeout: float | None = None) -> CheckResult:
    """Validate the year: tables, metadata, rules, texts and their placeholders, to-dos, cross-checks.

    `timeout` bounds the filling in of each text, in seconds (the build passes its --timeout).
    """
    root = data_root_for(data_dir).parent
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
    result.problems += missing_text_problems(report, root) + misnamed_folder_problems(report)
    statement_problems, statement_warnings = _statement_problems(root)
    result.problems += statement_problems
    result.warnings += statement_warnings
    result.to_verify += _empty_outcomes(report)
    previous = previous_year(report)
    result.to_verify += next_year_todo(report, previous)
    allowed, allow_problems = read_written_figures(report.data_dir, report.year)
    result.problems += allow_problems
    keys = text_keys(report)
    for key in keys:
        _check_text(report, key, result, incomplete, timeout, allowed)
    result.warnings += unknown_text_warnings(report, keys, allowed)
    if not incomplete:
        result.warnings += (
            all_warnings(report, previous) + source_warnings(report) + assessment_warnings(report)
        )
    return result


def _statement_problems(root: Path) -> tuple[list[Problem], list[Finding]]:
    """tillganglighet.yml, which the build needs for the accessibility statement (in a project): its
    problems, and a warning for each figure typed in it."""
    if not (root / "_config.yml").is_file():
        return [], []  # a data folder outside a project (tests, tools): no book is built from it
    content, problems = read_statement(root)
    return problems, statement_figure_warnings(content or {}, CONFIG_FILE)


def _check_text(
    report: Report,
    key: str,
    result: CheckResult,
    incomplete: bool,
    timeout: float | None,
    allowed: WrittenFigures,
) -> None:
    """One text: readable, no script, placeholders in the grammar and fillable, links inside the project."""
    shown_as = shown_path(report, key)
    try:
        source = read_source(report, key)
    except NarrativeError as error:
        result.problems.append(error.problem)
        return
    result.problems += script_problems(source, shown_as)
    grammar = placeholder_problems(report, key, source)
    result.problems += grammar
    if REWRITE_MARKER in source and not shown_for_goal(report, key):
        result.to_verify.append(
            Problem(
                shown_as,
                f"texten är kopierad från förra året men visas inte i år ({not_shown_reason(report, key)}) "
                "— den behöver inte skrivas om; ta bort filen om den inte behövs",
            )
        )
    elif REWRITE_MARKER in source:
        result.todo.append(
            Problem(
                shown_as,
                "texten är kopierad från förra året och inte omskriven",
                allowed=f"skriv om texten och ta bort raden med {REWRITE_MARKER}",
                missing=True,
            )
        )
    if REWRITE_MARKER in source or grammar:
        result.problems += link_problems(source, shown_as)  # its values are checked once it is rewritten
        return
    result.todo += assessment_claim_problems(report, key, source, shown_as)
    result.warnings += typed_figure_warnings(report, key, source, shown_as, allowed)
    try:
        rendered = render_text(report, key, timeout=timeout)
    except NarrativeError as error:
        if not (incomplete and error.empty_value):  # an empty value is already a to-do
            result.problems.append(error.problem)
        result.problems += link_problems(source, shown_as)
        return
    result.problems += _pin_problems(report, rendered.disagreements)
    if report.meta.printed_values is not None:
        result.warnings += rendered.disagreements
    result.problems += link_problems(rendered.markdown, shown_as)


def _pin_problems(report: Report, disagreements: list[Disagreement]) -> list[Problem]:
    """A `tryckt(…)` that disagrees with data is an error, unless rapport.yml keeps printed values."""
    if report.meta.printed_values is not None:
        return []
    return [
        Problem(
            found.file,
            f'texten visar det tryckta värdet "{found.printed}" men data ger "{found.computed}"',
            allowed=f'ta bort | tryckt("{found.printed}") så att texten visar data; bara ett år som återger '
            "en tryckt rapport behåller tryckta värden (tryckta_varden i rapport.yml)",
        )
        for found in disagreements
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


def require_valid(
    year: int, data_dir: str | Path | None = None, *, draft: bool = False, timeout: float | None = None
) -> CheckResult:
    """Like check_year, but raise DataError on errors, and on required to-dos unless it is a draft."""
    result = check_year(year, data_dir, timeout=timeout)
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
