"""The texts check: every text the chapters show is readable, has no script, keeps to the placeholder
grammar, can be filled in (in the sandbox, bounded in time) and links only inside the project."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

import pandas as pd

from rapportbok.checks.claims import (
    assessment_claim_problems,
    not_shown_reason,
    shown_for_goal,
    typed_figure_warnings,
)
from rapportbok.checks.context import CheckContext, Found, errors, to_verify, todos, warnings
from rapportbok.checks.hostile import link_problems, script_problems
from rapportbok.data.report import Report
from rapportbok.exceptions import NarrativeError, Problem
from rapportbok.model.figures import key_figures
from rapportbok.narrative.markdown_bounds import markdown_bound_problem
from rapportbok.narrative.templates import (
    FILL_CODES,
    PLACEHOLDER_UNKNOWN_NAME,
    REWRITE_MARKER,
    Disagreement,
    placeholder_problems,
    read_source,
    render_text,
    shown_path,
    without_refused,
)

NOT_REWRITTEN_CODE = "text.copied.not_rewritten"
ROOT_NAME = re.compile(r"\{\{\s*+[-+]?\s*+([A-Za-z_][A-Za-z0-9_]*+)")  # possessive: linear in the line


def check_texts(context: CheckContext) -> Iterable[Found]:
    """Every text the chapters show, one after the other (the context names the text being checked)."""
    for key in context.keys:
        context.at(shown_path(context.report, key))
        yield from _check_text(context, key)


def _check_text(context: CheckContext, key: str) -> Iterator[Found]:
    """One text: readable, no script, placeholders in the grammar and fillable, links inside the project."""
    report = context.report
    shown_as = shown_path(report, key)
    try:
        source = read_source(report, key)
    except NarrativeError as error:
        yield from errors([error.problem])
        return
    yield from errors(script_problems(source, shown_as))
    if too_much := markdown_bound_problem(source, shown_as):
        yield from errors([too_much])  # refused before the Markdown parser sees it
        return
    grammar = placeholder_problems(report, key, source)
    yield from errors(grammar)
    if REWRITE_MARKER in source and not shown_for_goal(report, key):
        yield from to_verify([_not_shown(report, key, shown_as)])
    elif REWRITE_MARKER in source:
        yield from todos([_not_rewritten(shown_as)])
        # its values are checked once it is rewritten
        yield from errors(link_problems(source, shown_as, report))
        return
    if "inriktningsmal" not in context.broken:  # a goal's assessment, once its table is valid
        yield from todos(assessment_claim_problems(report, key, source, shown_as))
    yield from warnings(typed_figure_warnings(report, key, source, shown_as, context.written[0]))
    try:
        rendered = render_text(
            report,
            key,
            timeout=context.text_timeout,
            source=without_refused(report, source) if grammar else source,
        )
    except NarrativeError as error:
        yield from errors(_fill_problems(context, error.problems, source, bool(grammar)))
        yield from errors(link_problems(source, shown_as, report))
        return
    yield from errors(_pin_problems(report, rendered.disagreements))
    if report.meta.printed_values is not None:
        yield from warnings(rendered.disagreements)
    yield from errors(link_problems(rendered.markdown, shown_as, report))


def _not_shown(report: Report, key: str, shown_as: str) -> Problem:
    return Problem(
        shown_as,
        f"texten är kopierad från förra året men visas inte i år ({not_shown_reason(report, key)}) "
        "— den behöver inte skrivas om; ta bort filen om den inte behövs",
        code="text.copied.not_shown",
    )


def _not_rewritten(shown_as: str) -> Problem:
    return Problem(
        shown_as,
        "texten är kopierad från förra året och inte omskriven",
        allowed=f"skriv om texten och ta bort raden med {REWRITE_MARKER}",
        missing=True,
        code=NOT_REWRITTEN_CODE,
    )


def _fill_problems(
    context: CheckContext, problems: Iterable[Problem], source: str, refused: bool
) -> Iterator[Problem]:
    """What filling in a text found, less what is already reported: what is left of a refused
    placeholder, an empty value already a to-do, a name in a table that could not be read."""
    lines = source.splitlines()
    for problem in problems:
        if refused and problem.code not in FILL_CODES:
            continue  # what is left of a refused placeholder: already reported
        if context.incomplete and problem.missing:
            continue  # an empty value is already a to-do, or comes from a table with errors
        behind = _tables_behind(context.report, _names_on_line(lines, problem.row)) & set(context.broken)
        if behind & set(context.unread):
            continue  # the name is in a table that could not be read at all: its error is reported
        if behind and problem.code == PLACEHOLDER_UNKNOWN_NAME:
            files = ", ".join(f"{name}.csv" for name in sorted(behind))
            problem = replace(problem, allowed=f"{problem.allowed}; kan också bero på felen i {files}")
        yield problem


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
            code="text.printed.differs",
        )
        for found in disagreements
    ]


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
