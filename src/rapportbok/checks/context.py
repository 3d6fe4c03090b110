"""What every check is given (`CheckContext`) and what it gives back (`Found`): one signature, `Check`.

A check is `Callable[[CheckContext], Iterable[Found]]`: it reads the book and the year as read from the
context and yields what it finds, each item marked as an error, a to-do, something to verify or a
warning. `checks.check.CHECKS` runs them in order; an item is recorded as soon as it is yielded, so a
check that runs out of time keeps what it found before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from rapportbok.core.book import BookId
from rapportbok.core.deadline import Deadline
from rapportbok.data.load import previous_year
from rapportbok.data.report import Report
from rapportbok.data.written_figures import WrittenFigures, read_written_figures
from rapportbok.exceptions import Finding, Problem
from rapportbok.narrative.templates import Disagreement, text_keys

WarningItem = Finding | Disagreement
# checks.acknowledged's lines about kanda_avvikelser.yml (the summary, an entry no warning matches).
KNOWN_CODES = ("known.summary", "known.unused")


class Kind(Enum):
    """What a found item is: an error stops a build, a required to-do stops publishing, the rest inform."""

    ERROR = "fel"
    TODO = "krävs"
    VERIFY = "kontrollera"
    WARNING = "varning"


@dataclass(frozen=True)
class Found:
    """One item a check found, and its kind."""

    kind: Kind
    item: Problem | WarningItem


def errors(problems: Iterable[Problem]) -> Iterable[Found]:
    """`problems` as errors."""
    return (Found(Kind.ERROR, problem) for problem in problems)


def todos(problems: Iterable[Problem]) -> Iterable[Found]:
    """`problems` as required to-dos."""
    return (Found(Kind.TODO, problem) for problem in problems)


def to_verify(problems: Iterable[Problem]) -> Iterable[Found]:
    """`problems` as values to verify."""
    return (Found(Kind.VERIFY, problem) for problem in problems)


def warnings(findings: Iterable[WarningItem]) -> Iterable[Found]:
    """`findings` as warnings."""
    return (Found(Kind.WARNING, finding) for finding in findings)


@dataclass(frozen=True)
class Acknowledged:
    """A warning the year's kanda_avvikelser.yml lists, and the reason it gives."""

    item: WarningItem
    reason: str

    def __str__(self) -> str:
        return f"{self.item} — skäl: {self.reason}"


@dataclass
class CheckResult:
    """Errors stop a build; required to-dos stop publishing (not a draft); warnings never stop anything."""

    problems: list[Problem] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)
    to_verify: list[Problem] = field(default_factory=list)
    warnings: list[WarningItem] = field(default_factory=list)
    # The year as read; a table with errors is read in part (see check_year), so only a result
    # without problems (require_valid) gives a report to build from.
    report: Report | None = None
    # The warnings acknowledged in kanda_avvikelser.yml (checks.acknowledged): out of `warnings`, which
    # holds one line summarising them instead.
    acknowledged: list[Acknowledged] = field(default_factory=list)

    @property
    def all_warnings(self) -> list[WarningItem]:
        """Every warning the checks found, the acknowledged ones too (not the lines about the file)."""
        found = [item for item in self.warnings if item.code not in KNOWN_CODES]
        return found + [known.item for known in self.acknowledged]

    @property
    def ok(self) -> bool:
        """No errors and nothing required left to fill in: ready to publish."""
        return not self.problems and not self.todo

    def add(self, found: Found) -> None:
        """Record one found item in the list of its kind."""
        lists = {Kind.ERROR: self.problems, Kind.TODO: self.todo, Kind.VERIFY: self.to_verify}
        lists.get(found.kind, self.warnings).append(found.item)  # type: ignore[arg-type]

    def todo_by_file(self) -> dict[str, list[Problem]]:
        """The to-do list (required first, then what to verify) grouped by file."""
        grouped: dict[str, list[Problem]] = {}
        for problem in self.todo + self.to_verify:
            grouped.setdefault(problem.file, []).append(problem)
        return grouped


@dataclass
class CheckContext:
    """One book being checked: its identity, the year as read, what reading found, and the limits.

    `read` are the problems of reading the year (tables, rapport.yml, files); a table with errors is in
    `broken` and read in part. `text_timeout` bounds filling in each text, in seconds. `checking` names
    the file being checked (None: the year as a whole), for the message when the time is up.
    """

    book: BookId
    report: Report
    read: list[Problem]
    text_timeout: float
    deadline: Deadline | None = None
    checking: str | None = None

    def at(self, file: str | None) -> None:
        """The check moves on to `file` (None: the year as a whole); stop here if the time is up."""
        self.checking = file
        if self.deadline is not None:
            self.deadline.check()  # where no alarm can interrupt the work (a thread other than the main)

    @cached_property
    def broken(self) -> list[str]:
        """The tables with errors (read in part), by name; a value still to be filled in is no error."""
        files = {problem.file for problem in self.read if not problem.missing}
        folder = self.report.shown_folder
        return [name for name in self.report.tables if f"{folder}/{name}.csv" in files]  # declared too

    @cached_property
    def unread(self) -> list[str]:
        """The tables with errors that could not be read at all."""
        return [name for name in self.broken if self.report.tables[name].empty]

    @cached_property
    def unfinished(self) -> set[str]:
        """The tables with errors or with a value still to be filled in, by name."""
        files = {problem.file for problem in self.read if problem.missing}
        folder = self.report.shown_folder
        missing = {name for name in self.report.tables if f"{folder}/{name}.csv" in files}
        return missing | set(self.broken)

    def ready(self, *tables: str) -> bool:
        """Every one of `tables` is valid and filled in: a rule across them can compare their values.

        A rule over other tables still runs, so that one table's errors hide nothing else (one pass).
        """
        return not self.unfinished.intersection(tables)

    @property
    def incomplete(self) -> bool:
        """A value is still to be filled in, or a table has errors: what depends on every value waits."""
        return any(problem.missing for problem in self.read) or bool(self.broken)

    @cached_property
    def seen(self) -> set[tuple[str, int | None, str | None]]:
        """The cells reading already reported a problem in."""
        return {(problem.file, problem.row, problem.column) for problem in self.read}

    def new(self, found: Iterable[Problem]) -> list[Problem]:
        """The problems at a cell not already reported (an error in a cell read as empty is not also a
        missing value)."""
        return [problem for problem in found if (problem.file, problem.row, problem.column) not in self.seen]

    @cached_property
    def previous(self) -> Report | None:
        """Last year's report, if its data is valid."""
        return previous_year(self.report)

    @cached_property
    def written(self) -> tuple[WrittenFigures, list[Problem]]:
        """The figures the year allows to be typed in texts, and the problems of the file listing them."""
        return read_written_figures(self.book)

    @cached_property
    def keys(self) -> list[str]:
        """The texts the chapters show, by key."""
        return text_keys(self.report)


Check = Callable[[CheckContext], Iterable[Found]]
