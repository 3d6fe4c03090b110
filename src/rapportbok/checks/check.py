"""`rapportbok check`: every error, every value still to be filled in (to-do) and every warning.

`check_year` reads the book's year and runs `CHECKS`, one list of checks with one signature
(`checks.context.Check`), in order. `build` validates with the same function (`require_valid`) before
any chapter runs, so what `check` passes the build does not reject for reasons of data: tables,
metadata, rules, every text the chapters show, every placeholder (in the sandbox, bounded in time),
links and images, and tillganglighet.yml.
"""

from __future__ import annotations

from dataclasses import replace

from rapportbok.checks.acknowledged import acknowledge
from rapportbok.checks.assessments import check_assessments
from rapportbok.checks.claims import check_unknown_texts, check_written_figures
from rapportbok.checks.comments import check_empty_comments
from rapportbok.checks.context import Check, CheckContext, CheckResult, Found, Kind
from rapportbok.checks.crosschecks import check_crosschecks
from rapportbok.checks.formulas import check_formulas
from rapportbok.checks.next_year import check_next_year
from rapportbok.checks.outcomes import check_empty_outcomes
from rapportbok.checks.required_texts import check_required_texts
from rapportbok.checks.rules import check_rules
from rapportbok.checks.source_checks import check_sources
from rapportbok.checks.statement import check_statement
from rapportbok.checks.structure import check_structure
from rapportbok.checks.texts import check_texts
from rapportbok.core.book import BookId
from rapportbok.core.deadline import TimeLimitExceeded, time_limit
from rapportbok.data.load import read_book
from rapportbok.exceptions import DataError, Problem, UsageError

__all__ = ["CHECKS", "Check", "CheckContext", "CheckResult", "check_year", "require_valid"]

CHECK_SECONDS = 600  # the whole check, when no --timeout is given; a year takes a few seconds
TIMEOUT_CODE = "check.timeout"

# Every check of a year, in the order their problems are listed.
CHECKS: tuple[Check, ...] = (
    check_rules,  # rules across tables (foreign keys, goals, investments, years and dates)
    check_required_texts,  # every text a chapter shows exists; no folder named like a text
    check_statement,  # tillganglighet.yml
    check_structure,  # the book's table of contents: every chapter has its notebook, every page exists
    check_empty_outcomes,  # the year's outcomes and targets that are empty
    check_empty_comments,  # comments of only "." or spaces, not shown
    check_next_year,  # what next year needs from this year's tables
    check_written_figures,  # skrivna_siffror.yml
    check_texts,  # every text: script, grammar, placeholders, claims, links
    check_unknown_texts,  # skrivna_siffror.yml names texts that exist
    check_formulas,  # cells that look like spreadsheet formulas
    check_crosschecks,  # published totals against computed ones
    check_sources,  # outcomes, signs, duplicates, units, years in the tables
    check_assessments,  # assessments and trends against those computed from outcomes
)


def check_year(
    book: BookId, *, timeout: float | None = None, text_timeout: float | None = None
) -> CheckResult:
    """Validate the book's year in one pass: read it, then run every check of `CHECKS`.

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
    result = CheckResult()
    context: CheckContext | None = None
    try:
        with time_limit(seconds) as deadline:
            per_text = seconds if text_timeout is None else min(seconds, text_timeout)
            context = _read(book, result, per_text)
            if context is not None:
                context.deadline = deadline
                _run(CHECKS, context, result)
                acknowledge(result, book)  # an unreadable year has nothing to acknowledge
            return result
    except TimeLimitExceeded:
        checking = context.checking if context is not None else None
        result.problems.append(
            Problem(
                checking or book.label,
                f"kontrollen avbröts: den tog mer än {seconds:g} s (--timeout {seconds:g})",
                allowed="ge kontrollen mer tid med --timeout, eller korta eller dela upp filen",
                code=TIMEOUT_CODE,
            )
        )
        return result


def _read(book: BookId, result: CheckResult, text_timeout: float) -> CheckContext | None:
    """Read the year into `result` (its problems first); the context of the checks, None if unreadable."""
    report, problems, notes = read_book(book, partial=True)
    for problem in problems:
        result.add(Found(Kind.TODO if problem.missing else Kind.ERROR, problem))
    result.warnings += list(notes)
    result.report = report
    if report is None:
        return None
    return CheckContext(book, report, problems, text_timeout)


def _run(checks: tuple[Check, ...], context: CheckContext, result: CheckResult) -> None:
    """Run `checks` in order, recording each item as it is found."""
    for check in checks:
        context.at(None)
        for found in check(context):
            result.add(found)
    context.at(None)


def require_valid(book: BookId, *, draft: bool = False, text_timeout: float | None = None) -> CheckResult:
    """Like check_year (the whole check bounded by CHECK_SECONDS, each text by `text_timeout`), but
    raise DataError on errors, and on required to-dos unless it is a draft."""
    result = check_year(book, text_timeout=text_timeout)
    if result.problems:
        raise DataError(result.problems, checked=result)
    if result.todo and not draft:
        raise DataError(
            result.todo,
            heading=f"{len(result.todo)} uppgifter saknas i {book.label}; boken "
            "publiceras inte förrän de är ifyllda. Bygg ett utkast med --draft:",
            checked=result,
        )
    if draft:
        result.report = replace(result.report, draft=True)
    return result
