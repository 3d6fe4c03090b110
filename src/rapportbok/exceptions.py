"""Every exception type of rapportbok, and the located problems and warnings they carry.

An error an analyst can cause or meet is a `RapportbokError`: the CLI shows its message as it is, in
Swedish, without a traceback. Errors about the data carry `Problem`s, each naming the file and, where
there is one, the row and column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


def visible(text: str) -> str:
    """`text` for a terminal or a log: control and format characters (ESC, NUL, bidi overrides) are
    shown as U+XXXX, so that a value quoted in a message can neither move the cursor nor hide text."""
    return "".join(
        f"U+{ord(char):04X}" if unicodedata.category(char) in ("Cc", "Cf") and char != "\u00ad" else char
        for char in text
    )


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
        return visible(text)


@dataclass(frozen=True)
class Finding:
    """A warning: something the analyst should know, which does not stop the build."""

    file: str
    message: str

    def __str__(self) -> str:
        return visible(f"{self.file}: {self.message}")


class RapportbokError(Exception):
    """Base class: the message is shown to the analyst as it is, without a traceback.

    `problems` locates the error (file, row, column) where it comes from a file.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    @property
    def file(self) -> str | None:
        """The file the error is about, if any."""
        return self.problems[0].file if self.problems else None


class UsageError(RapportbokError):
    """The command was called with something it cannot use (a bad year, a missing folder)."""


class DataError(RapportbokError):
    """The year's data has problems; all of them are listed, not only the first."""

    def __init__(self, problems: list[Problem], heading: str | None = None) -> None:
        lines = [heading or f"Data innehåller {len(problems)} fel:"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines), problems)


class NarrativeError(DataError):
    """A narrative file could not be filled in; carries its located Problem."""

    def __init__(self, problem: Problem, empty_value: bool = False, more: Sequence[Problem] = ()) -> None:
        super().__init__([problem, *more], heading="En text kan inte fyllas i:")
        self.problem = problem  # the first; `problems` has every placeholder of the text that failed
        self.empty_value = empty_value  # the name exists but its value is still to be filled in


class ChapterError(RapportbokError):
    """One or more chapter notebooks failed while executing."""


class SiteBuildError(RapportbokError):
    """Jupyter Book (Sphinx) could not build the site."""


class PdfError(RapportbokError):
    """The PDF could not be written."""


class PublishError(RapportbokError):
    """The build could not write its output (a full disk, no permission); the message names the file."""


class BuildLocked(RapportbokError):
    """Another build of the same year (or another `rapportbok site`) is running."""


class BuildInterrupted(BaseException):
    """The build was asked to stop (SIGTERM or Ctrl-C). Not an error: it passes every `except Exception`."""
