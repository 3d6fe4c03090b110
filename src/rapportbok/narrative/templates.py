"""Narrative Markdown from data/<year>/text/, with named placeholders filled from the data.

A placeholder is `{{ drift.summa.avvikelse | mnkr }}`. Where the published text states a value that
differs from what the data gives, `{{ … | tryckt("22,3 mnkr") }}` keeps the published wording and the
disagreement is reported by `rapportbok check`, never hidden.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from rapportbok.core.deadline import Deadline, TimeLimitExceeded, time_limit
from rapportbok.core.markup import markdown_literal
from rapportbok.data.files import RefusedFile, is_regular_dir, read_text, year_files
from rapportbok.data.report import Report
from rapportbok.exceptions import NarrativeError, Problem, UsageError, visible
from rapportbok.model.figures import key_figures
from rapportbok.narrative.markdown_bounds import markdown_bound_problem
from rapportbok.narrative.placeholders import PLACEHOLDER
from rapportbok.narrative.sandbox import (
    EMPTY_VALUE,
    FORMAT_NAMES,
    MAX_PLACEHOLDERS,
    STATEMENTS,
    NarrativeEnvironment,
    OutputTooLong,
    PlaceholderRefused,
    parse,
    render,
)
from rapportbok.narrative.suggest import did_you_mean, name_suggestions

PLACEHOLDER_HELP = "se platshållarna i data/README.md"

# The codes of the problems a placeholder can have (Problem.code).
PLACEHOLDER_SYNTAX = "text.placeholder.syntax"  # not a placeholder the parser can read
PLACEHOLDER_REFUSED = "text.placeholder.refused"  # outside the grammar (a format, a name, a construct)
PLACEHOLDER_UNKNOWN_NAME = "text.placeholder.unknown"  # the name is not in data
PLACEHOLDER_EMPTY = "text.placeholder.empty"  # the name's value is still to be filled in
PLACEHOLDER_UNFILLABLE = "text.placeholder.unfillable"  # any other reason it cannot be filled in
FILL_CODES = frozenset({PLACEHOLDER_UNKNOWN_NAME, PLACEHOLDER_EMPTY, PLACEHOLDER_UNFILLABLE})


@dataclass(frozen=True)
class Disagreement:
    """The published text says one thing, the data another."""

    file: str
    printed: str
    computed: str

    @property
    def code(self) -> str:
        """As Problem.code: a printed value kept although data gives another."""
        return "text.printed.kept"

    def __str__(self) -> str:
        return visible(
            f'{self.file}: texten säger "{self.printed}" men data ger "{self.computed}" '
            "(publicerat värde behålls)"
        )


@dataclass
class RenderedText:
    """Narrative Markdown with its placeholders filled in."""

    markdown: str
    disagreements: list[Disagreement] = field(default_factory=list)


REWRITE_MARKER = "[SKRIV OM]"
DRAFT_MARK = "⟦saknas: {expression}⟧"
RENDER_SECONDS = 600  # the build's --timeout replaces it; a text takes milliseconds


def text_path(report: Report, key: str) -> Path:
    """The Markdown file of a narrative section, e.g. key 'ekonomi/driftredovisning'."""
    return report.text_dir / f"{key}.md"


def shown_path(report: Report, key: str) -> str:
    """The text's file as messages name it: data/<year>/text/<key>.md."""
    return f"{report.shown_folder}/text/{key}.md"


def read_source(report: Report, key: str) -> str:
    """The Markdown source of a text: a regular UTF-8 file in data/<year>/text/, not a link, not too large."""
    path = text_path(report, key)
    report.reads.record(path)
    if not os.path.lexists(path):
        raise NarrativeError(
            Problem(
                shown_path(report, key),
                "texten saknas",
                allowed="skapa filen med avsnittets text",
                code="text.missing",
            )
        )
    try:
        return read_text(path, shown_path(report, key), within=report.org_dir)
    except RefusedFile as refused:
        raise NarrativeError(refused.problem) from refused


def _environment(shown_as: str, disagreements: list[Disagreement]) -> NarrativeEnvironment:
    return NarrativeEnvironment(
        lambda printed, computed: disagreements.append(Disagreement(shown_as, printed, computed))
    )


def placeholder_problems(report: Report, key: str, source: str) -> list[Problem]:
    """Every placeholder outside the grammar (see narrative.sandbox), without filling any in.

    When the text as a whole is refused, each placeholder is parsed on its own, so that every
    wrong placeholder of the text is named at once, not only the first.
    """
    shown_as = shown_path(report, key)
    env = _environment(shown_as, [])
    names = key_figures(report).keys()
    try:
        parse(env, source, names)
    except jinja2.TemplateSyntaxError as error:
        first = _syntax_problem(shown_as, error)
    except PlaceholderRefused as refused:
        first = _refused_problem(shown_as, refused, _refused_row(refused, env, source, report))
    else:
        return []
    found = []
    for number, match in _placeholders_by_line(source):
        try:
            parse(env, match.group(0), names)
        except jinja2.TemplateSyntaxError as error:
            found.append(replace(_syntax_problem(shown_as, error), row=number))
        except PlaceholderRefused as refused:
            found.append(_refused_problem(shown_as, refused, number))
    if first.row not in {problem.row for problem in found}:
        found.append(first)  # e.g. a {% … %} statement, or a placeholder over several lines
    return sorted(found, key=lambda problem: problem.row or 0)


def without_refused(report: Report, source: str) -> str:
    """`source` with every placeholder that is outside the grammar on its own taken out (lines kept),
    so that `check` can still fill in the others and name every problem of the text in one pass."""
    env = _environment("", [])
    names = key_figures(report).keys()

    parts, end = [], 0
    for count, match in enumerate(PLACEHOLDER.finditer(source), start=1):
        parts.append(_no_openings(source[end : match.start()]))
        try:
            if count <= MAX_PLACEHOLDERS:  # the text is refused beyond that; the rest are left out
                parse(env, match.group(0), names)
                parts.append(match.group(0))
        except (jinja2.TemplateSyntaxError, PlaceholderRefused):
            pass
        end = match.end()
    parts.append(_no_openings(source[end:]))
    return "".join(parts)


def _placeholders_by_line(source: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(line, placeholder) for each placeholder on one line of `source`, at most MAX_PLACEHOLDERS + 1 of
    them (a text with more is refused as a whole), so that the work stays bounded."""
    found = (
        (number, match)
        for number, line in enumerate(source.splitlines(), start=1)
        for match in PLACEHOLDER.finditer(line)
    )
    return itertools.islice(found, MAX_PLACEHOLDERS + 1)


def _no_openings(text: str) -> str:
    """Text between placeholders without what would open one: a statement, a comment, a stray {{."""
    return re.sub(r"\{[{%#]", "", text)


# Jinja's syntax messages (English) as Swedish text for the analyst.
SYNTAX_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"unexpected end of template"), "platshållaren avslutas inte (}} saknas)"),
    (re.compile(r"unexpected char '(.+?)'"), "tecknet {0} kan inte stå i en platshållare"),
    (
        re.compile(r"expected token 'end of print statement', got '(.+?)'"),
        "oväntat {0} (platshållaren ska sluta med }}}})",
    ),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "{0} väntades men här står {1}"),
    (re.compile(r"unexpected '(.+?)'"), "oväntat {0}"),
    (re.compile(r"expected name or number"), "ett namn eller tal väntades"),
    (
        re.compile(r"No filter named '(.+?)'"),
        'formatet "{0}" finns inte (tillåtna format: ' + ", ".join(FORMAT_NAMES) + ")",
    ),
    (re.compile(r"No test named '(.+?)'"), "tester (is …) är inte tillåtna i en platshållare"),
)


def swedish_syntax_message(detail: str) -> str:
    """Jinja's syntax error message in Swedish; never Jinja's English text."""
    for pattern, text in SYNTAX_MESSAGES:
        if found := pattern.search(detail):
            return "felaktig platshållare: " + text.format(*(f'"{group}"' for group in found.groups()))
    return "felaktig platshållare: den kan inte tolkas"


def _syntax_problem(shown_as: str, error: jinja2.TemplateSyntaxError) -> Problem:
    detail = error.message or ""
    is_statement = "unknown tag" in detail or "tag name expected" in detail
    message = STATEMENTS if is_statement else swedish_syntax_message(detail)
    return Problem(shown_as, message, row=error.lineno, allowed=PLACEHOLDER_HELP, code=PLACEHOLDER_SYNTAX)


def _refused_row(
    refused: PlaceholderRefused, env: NarrativeEnvironment, source: str, report: Report
) -> int | None:
    """The line of the refused placeholder in `source`."""
    if refused.lineno is not None:
        return refused.lineno
    # e.g. nesting too deep for the parser: find the placeholder line by line
    return _first_failing_line(env, source, key_figures(report))


def _refused_problem(shown_as: str, refused: PlaceholderRefused, row: int | None) -> Problem:
    return Problem(
        shown_as,
        f"platshållaren är inte tillåten: {refused.message}",
        row=row,
        allowed=PLACEHOLDER_HELP,
        code=PLACEHOLDER_REFUSED,
    )


# report.memo's entry of the texts filled in so far, by (text, its source): a text is filled in once per
# report (a year read once), however many steps show it. Only a text that could be filled in is kept.
RENDERED_MEMO = "rendered_texts"


def render_text(
    report: Report, key: str, *, timeout: float | None = None, source: str | None = None
) -> RenderedText:
    """Fill in the placeholders of one narrative file; raise NarrativeError with its location.

    The text is checked against the placeholder grammar before anything runs, filled in inside the
    sandbox, and bounded to `timeout` seconds (default RENDER_SECONDS). `source` replaces the file's
    text (check fills in what is left of a text once its refused placeholders are taken out).
    """
    shown_as = shown_path(report, key)
    source = read_source(report, key) if source is None else source
    rendered = report.memo.setdefault(RENDERED_MEMO, {})
    if (key, source) in rendered:  # the same text of the same year: check, the pages and the PDF share it
        return rendered[key, source]
    disagreements: list[Disagreement] = []
    env = _environment(shown_as, disagreements)
    seconds = RENDER_SECONDS if timeout is None else timeout
    if not seconds > 0:
        raise UsageError(f"Tidsgränsen ska vara ett positivt antal sekunder, inte {seconds}.")
    deadline = None
    try:
        with time_limit(seconds) as deadline:
            markdown = _fill(report, env, source, shown_as, deadline)
    except TimeLimitExceeded:
        if deadline is None or not deadline.expired:
            raise  # an outer limit's (the whole check's), not this text's
        raise NarrativeError(
            Problem(
                shown_as,
                f"texten tog för lång tid att fylla i (mer än {seconds:g} s)",
                allowed="förenkla platshållarna",
                code="text.timeout",
            )
        ) from None
    if too_much := markdown_bound_problem(markdown, shown_as):
        raise NarrativeError(too_much)  # refused before the Markdown parser sees it
    rendered[key, source] = RenderedText(markdown=markdown.strip() + "\n", disagreements=disagreements)
    return rendered[key, source]


def render_heading(report: Report, source: str, *, timeout: float | None = None) -> str:
    """A notebook heading with placeholders, e.g. '## {{ kommun }} som arbetsgivare', filled in the
    same sandbox as the texts (values as Markdown text); raise NarrativeError naming the notebook."""
    shown_as = "en rubrik i en notebook"
    env = _environment(shown_as, [])
    with time_limit(RENDER_SECONDS if timeout is None else timeout) as deadline:
        return _fill(report, env, source, shown_as, deadline).strip()


def _fill(report: Report, env: NarrativeEnvironment, source: str, shown_as: str, deadline: Deadline) -> str:
    values = key_figures(report)
    try:
        return render(env, source, values, deadline)
    except jinja2.TemplateSyntaxError as error:
        raise NarrativeError(_syntax_problem(shown_as, error)) from error
    except PlaceholderRefused as refused:
        raise NarrativeError(
            _refused_problem(shown_as, refused, _refused_row(refused, env, source, report))
        ) from None
    except OutputTooLong as error:
        raise NarrativeError(
            Problem(
                shown_as,
                str(error),
                allowed="korta texten eller använd färre platshållare",
                code="text.too_long",
            )
        ) from None
    except (jinja2.UndefinedError, SecurityError, ValueError, TypeError, ArithmeticError) as error:
        if report.draft:
            return _render_marking_failures(env, source, values, deadline)
        problems = _failures(env, source, values, deadline, shown_as) or [_whole_failure(shown_as, error)]
        raise NarrativeError(
            problems[0],
            empty_value=all(problem.missing for problem in problems),
            more=problems[1:],
        ) from error


def _render_marking_failures(
    env: NarrativeEnvironment, source: str, values: Mapping[str, Any], deadline: Deadline
) -> str:
    """For drafts: every placeholder that cannot be filled in is shown as a visible mark."""

    def fill(match: re.Match[str]) -> str:
        try:
            return render(env, match.group(0), values, deadline)
        except Exception:
            return DRAFT_MARK.format(expression=markdown_literal(match.group(0)[2:-2].strip()))

    return PLACEHOLDER.sub(fill, source)


def _failures(
    env: NarrativeEnvironment,
    source: str,
    values: Mapping[str, Any],
    deadline: Deadline,
    shown_as: str,
) -> list[Problem]:
    """Render placeholders one by one: every one that fails, with its line and what to write instead.

    A placeholder whose value is empty in data is marked `missing` (a to-do rather than a mistake).
    """
    problems = []
    for number, line in enumerate(source.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            try:
                render(env, match.group(0), values, deadline)
            except Exception as single:
                reason = _reason(single)
                if isinstance(single, jinja2.UndefinedError):
                    hint = did_you_mean(name_suggestions(parse(env, match.group(0), values.keys()), values))
                    reason = f"{reason}; {hint}" if hint else reason
                problems.append(
                    Problem(
                        shown_as,
                        f"platshållaren {match.group(0)} kan inte fyllas i ({reason})",
                        row=number,
                        allowed=PLACEHOLDER_HELP,
                        missing=reason == EMPTY_VALUE,
                        code=_fill_code(single, reason),
                    )
                )
    return problems


def _whole_failure(shown_as: str, error: Exception) -> Problem:
    """The text fails although no placeholder fails on its own: `error`, without a line."""
    reason = _reason(error)
    return Problem(
        shown_as,
        f"platshållaren ? kan inte fyllas i ({reason})",
        allowed=PLACEHOLDER_HELP,
        missing=reason == EMPTY_VALUE,
        code=_fill_code(error, reason),
    )


def _first_failing_line(env: NarrativeEnvironment, source: str, values: Mapping[str, Any]) -> int | None:
    for number, match in _placeholders_by_line(source):
        try:
            parse(env, match.group(0), values.keys())
        except Exception:
            return number
    return None


def _fill_code(error: Exception, reason: str) -> str:
    """The code of a placeholder that cannot be filled in: an unknown name, an empty value, or else."""
    if isinstance(error, jinja2.UndefinedError):
        return PLACEHOLDER_UNKNOWN_NAME
    return PLACEHOLDER_EMPTY if reason == EMPTY_VALUE else PLACEHOLDER_UNFILLABLE


def _reason(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return "namnet finns inte i data"
    if isinstance(error, PlaceholderRefused):
        return error.message
    if isinstance(error, ArithmeticError):
        return "talet kan inte formateras"
    if isinstance(error, ValueError | SecurityError | OutputTooLong):
        return str(error)  # our own messages, in Swedish
    return "värdet har fel typ för platshållaren"  # e.g. a TypeError, whose text is Python's English


def text_keys(report: Report) -> list[str]:
    """Every narrative file of the year (regular files named *.md), as keys like 'ekonomi/driftredovisning'.

    Links, pipes and folders named *.md are not texts; `check` reports them (data.files.year_files).
    """
    if not is_regular_dir(report.text_dir):
        return []
    found = year_files(report.year_dir, report.shown_folder).files  # the year's limits: depth, count
    return sorted(
        path.relative_to(report.text_dir).with_suffix("").as_posix()
        for path in found
        if path.suffix == ".md" and path.is_relative_to(report.text_dir)
    )
