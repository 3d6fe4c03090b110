"""`rapportbok check`: every error, every value still to be filled in (to-do) and every warning.

`build` validates with the same function (`require_valid`) before any chapter runs, so what `check`
passes the build does not reject for reasons of data: tables, metadata, rules, every text the chapters
show, every placeholder (in the sandbox, bounded in time), links and images, and tillganglighet.yml.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
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
from rapportbok.checks.formulas import formula_warnings
from rapportbok.checks.hostile import link_problems, script_problems
from rapportbok.checks.next_year import next_year_todo
from rapportbok.checks.required_texts import misnamed_folder_problems, missing_text_problems
from rapportbok.checks.rules import rule_problems
from rapportbok.checks.source_checks import source_warnings
from rapportbok.core.deadline import Deadline, TimeLimitExceeded, time_limit
from rapportbok.core.formatting import is_value
from rapportbok.data.load import data_root_for, previous_year, read_year_with_notes
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.statement import CONFIG_FILE, read_statement
from rapportbok.data.written_figures import WrittenFigures, read_written_figures
from rapportbok.data.years import year_label
from rapportbok.exceptions import DataError, Finding, NarrativeError, Problem, UsageError
from rapportbok.model.figures import key_figures
from rapportbok.narrative.markdown_bounds import markdown_bound_problem
from rapportbok.narrative.templates import (
    REWRITE_MARKER,
    Disagreement,
    placeholder_problems,
    read_source,
    render_text,
    shown_path,
    text_keys,
    without_refused,
)

CHECK_SECONDS = 600  # the whole check, when no --timeout is given; a year takes a few seconds


@dataclass
class CheckResult:
    """Errors stop a build; required to-dos stop publishing (not a draft); warnings never stop anything."""

    problems: list[Problem] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)
    to_verify: list[Problem] = field(default_factory=list)
    warnings: list[Finding | Disagreement] = field(default_factory=list)
    # The year as read; a table with errors is read in part (see check_year), so only a result
    # without problems (require_valid) gives a report to build from.
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


@dataclass
class _Progress:
    """How far a check has come: what it has found so far and the file it is checking, for the message
    when it runs out of time."""

    folder: str
    result: CheckResult = field(default_factory=CheckResult)
    checking: str | None = None
    deadline: Deadline | None = None

    def at(self, file: str | None) -> None:
        """The check moves on to `file` (None: the year as a whole); stop here if the time is up."""
        self.checking = file
        if self.deadline is not None:
            self.deadline.check()  # where no alarm can interrupt the work (a thread other than the main)


def check_year(
    year: int,
    data_dir: str | Path | None = None,
    *,
    timeout: float | None = None,
    text_timeout: float | None = None,
) -> CheckResult:
    """Validate the year in one pass: tables, metadata, rules, texts and their placeholders, to-dos,
    cross-checks.

    A table with errors is read in part (its rows, a value of the wrong type left empty) so that the
    rules and every text are still checked and every problem is listed at once. What could only be a
    consequence of a table's errors is left out: references into it, empty values in it, and
    placeholders whose value is empty. `timeout` bounds the whole check, in seconds (default
    CHECK_SECONDS): past it, the check stops with what it has found and an error that names the limit
    and the file it was checking. `text_timeout` bounds filling in each text (default: the whole
    check's); the build passes its --timeout, a cell's or a text's time, here.
    """
    seconds = CHECK_SECONDS if timeout is None else timeout
    if not seconds > 0:
        raise UsageError(f"Tidsgränsen ska vara ett positivt antal sekunder, inte {seconds}.")
    progress = _Progress(year_label(data_root_for(data_dir), year))
    try:
        with time_limit(seconds) as progress.deadline:
            per_text = seconds if text_timeout is None else min(seconds, text_timeout)
            return _check_year(year, data_dir, timeout=per_text, progress=progress)
    except TimeLimitExceeded:
        result = progress.result
        result.problems.append(
            Problem(
                progress.checking or progress.folder,
                f"kontrollen avbröts: den tog mer än {seconds:g} s (--timeout {seconds:g})",
                allowed="ge kontrollen mer tid med --timeout, eller korta eller dela upp filen",
            )
        )
        return result


def _check_year(
    year: int, data_dir: str | Path | None, *, timeout: float, progress: _Progress
) -> CheckResult:
    """check_year's work, noting its progress in `progress`."""
    root = data_root_for(data_dir).parent.parent  # data/<org> → the project
    report, problems, notes = read_year_with_notes(year, data_dir, partial=True)
    result = progress.result
    result.problems += [p for p in problems if not p.missing]
    result.todo += [p for p in problems if p.missing]
    result.warnings += list(notes)
    result.report = report
    progress.at(None)
    if report is None:
        return result
    broken = _broken_tables(report.shown_folder, result.problems)
    incomplete = bool(result.todo) or bool(broken)
    seen = {(problem.file, problem.row, problem.column) for problem in problems}
    result.problems += _new(rule_problems(report, broken), seen)
    result.problems += missing_text_problems(report, root) + misnamed_folder_problems(report)
    statement_problems, statement_warnings = _statement_problems(root)
    result.problems += statement_problems
    result.warnings += statement_warnings
    result.to_verify += _new(_empty_outcomes(report), seen)
    previous = previous_year(report)
    if not broken:  # what next year needs is read from this year's tables, once they are valid
        result.to_verify += next_year_todo(report, previous)
    allowed, allow_problems = read_written_figures(report.data_dir, report.year)
    result.problems += allow_problems
    unread = [name for name in broken if report.tables[name].empty]
    keys = text_keys(report)
    for key in keys:
        progress.at(shown_path(report, key))
        _check_text(
            report,
            key,
            result,
            incomplete=incomplete,
            timeout=timeout,
            allowed=allowed,
            broken=broken,
            unread=unread,
        )
    progress.at(None)
    result.warnings += unknown_text_warnings(report, keys, allowed)
    result.warnings += formula_warnings(report)
    if not incomplete:
        result.warnings += (
            all_warnings(report, previous) + source_warnings(report) + assessment_warnings(report)
        )
    return result


def _broken_tables(folder: str, problems: list[Problem]) -> list[str]:
    """The tables with errors (read in part), by name; `folder` is the year's as messages name it."""
    files = {problem.file for problem in problems}
    return [name for name in TABLE_NAMES if f"{folder}/{table_schema(name).file_name}" in files]


def _new(found: list[Problem], seen: set[tuple[str, int | None, str | None]]) -> list[Problem]:
    """The problems at a cell not already reported (an error in a cell read as empty is not also a
    missing value)."""
    return [problem for problem in found if (problem.file, problem.row, problem.column) not in seen]


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
    *,
    incomplete: bool,
    timeout: float | None,
    allowed: WrittenFigures,
    broken: list[str],
    unread: list[str],
) -> None:
    """One text: readable, no script, placeholders in the grammar and fillable, links inside the project."""
    shown_as = shown_path(report, key)
    try:
        source = read_source(report, key)
    except NarrativeError as error:
        result.problems.append(error.problem)
        return
    result.problems += script_problems(source, shown_as)
    if too_much := markdown_bound_problem(source, shown_as):
        result.problems.append(too_much)  # refused before the Markdown parser sees it
        return
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
        # its values are checked once it is rewritten
        result.problems += link_problems(source, shown_as, report)
        return
    if not broken:  # what a text claims is compared with the tables once they are valid
        result.todo += assessment_claim_problems(report, key, source, shown_as)
        result.warnings += typed_figure_warnings(report, key, source, shown_as, allowed)
    try:
        rendered = render_text(
            report, key, timeout=timeout, source=without_refused(report, source) if grammar else source
        )
    except NarrativeError as error:
        lines = source.splitlines()
        for problem in error.problems:
            if grammar and "kan inte fyllas i" not in problem.message:
                continue  # what is left of a refused placeholder: already reported
            if incomplete and problem.missing:
                continue  # an empty value is already a to-do, or comes from a table with errors
            behind = _tables_behind(report, _names_on_line(lines, problem.row)) & set(broken)
            if behind & set(unread):
                continue  # the name is in a table that could not be read at all: its error is reported
            if behind and "namnet finns inte" in problem.message:
                files = ", ".join(f"{table_schema(name).file_name}" for name in sorted(behind))
                problem = replace(problem, allowed=f"{problem.allowed}; kan också bero på felen i {files}")
            result.problems.append(problem)
        result.problems += link_problems(source, shown_as, report)
        return
    result.problems += _pin_problems(report, rendered.disagreements)
    if report.meta.printed_values is not None:
        result.warnings += rendered.disagreements
    result.problems += link_problems(rendered.markdown, shown_as, report)


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


ROOT_NAME = re.compile(r"\{\{\s*+[-+]?\s*+([A-Za-z_][A-Za-z0-9_]*+)")  # possessive: linear in the line


def _names_on_line(lines: list[str], row: int | None) -> set[str]:
    """The first names of the placeholders on a line of a text ('sjukfranvaro' of sjukfranvaro.x)."""
    if row is None or not 0 < row <= len(lines):
        return set()
    return set(ROOT_NAME.findall(lines[row - 1]))


class _RecordingTables(Mapping[str, pd.DataFrame]):
    """The tables of a report, noting which ones are read."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> pd.DataFrame:
        self.read.add(name)
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def _tables_behind(report: Report, names: set[str]) -> set[str]:
    """The tables that the placeholder names (key figures) are computed from."""
    tables = _RecordingTables(report.tables)
    figures = key_figures(replace(report, tables=tables))
    for name in names:
        with contextlib.suppress(Exception):  # a table read in part may not give every figure
            figures[name]
    return tables.read


def _empty_outcomes(report: Report) -> list[Problem]:
    """The year's indicator outcomes and targets that are empty (without a note explaining why)."""
    file = f"{report.shown_folder}/indikator_utfall.csv"
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
    year: int, data_dir: str | Path | None = None, *, draft: bool = False, text_timeout: float | None = None
) -> CheckResult:
    """Like check_year (the whole check bounded by CHECK_SECONDS, each text by `text_timeout`), but
    raise DataError on errors, and on required to-dos unless it is a draft."""
    result = check_year(year, data_dir, text_timeout=text_timeout)
    if result.problems:
        raise DataError(result.problems)
    if result.todo and not draft:
        folder = year_label(data_root_for(data_dir), year)
        raise DataError(
            result.todo,
            heading=f"{len(result.todo)} uppgifter saknas i {folder}; boken "
            "publiceras inte förrän de är ifyllda. Bygg ett utkast med --draft:",
        )
    if draft:
        result.report = replace(result.report, draft=True)
    return result
