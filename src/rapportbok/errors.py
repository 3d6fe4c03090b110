"""Errors that reach the analyst, each with a location and a Swedish message."""

from __future__ import annotations

from dataclasses import dataclass


class RapportbokError(Exception):
    """Base class: the message is shown to the analyst as it is, without a traceback."""


class UsageError(RapportbokError):
    """The command was called with something it cannot use (a bad year, a missing folder)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of the data."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    allowed: str | None = None
    missing: bool = False  # a value still to be filled in (a to-do), not a wrong value

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rad {self.row}"
        if self.column is not None:
            where += f', kolumn "{self.column}"'
        text = f"{where}: {self.message}"
        if self.allowed:
            text += f" ({self.allowed})"
        return text


@dataclass(frozen=True)
class Finding:
    """A warning: something the analyst should know, which does not stop the build."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class DataError(RapportbokError):
    """The year's data has problems; all of them are listed, not only the first."""

    def __init__(self, problems: list[Problem], heading: str | None = None) -> None:
        self.problems = problems
        lines = [heading or f"Data innehåller {len(problems)} fel:"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class ChapterError(RapportbokError):
    """One or more chapter notebooks failed while executing."""


class SiteBuildError(RapportbokError):
    """Jupyter Book (Sphinx) could not build the site."""
