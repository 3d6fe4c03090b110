"""Every exception type of rapportbok, and the located problems and warnings they carry.

An error an analyst can cause or meet is a `RapportbokError`: the CLI shows its message as it is, in
Swedish, without a traceback. Errors about the data carry `Problem`s, each naming the file and, where
there is one, the row and column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field


def visible(text: str) -> str:
    """`text` for a terminal or a log: control and format characters (ESC, NUL, bidi overrides) are
    shown as U+XXXX, so that a value quoted in a message can neither move the cursor nor hide text."""
    return "".join(
        f"U+{ord(char):04X}" if unicodedata.category(char) in ("Cc", "Cf") and char != "\u00ad" else char
        for char in text
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of the data.

    `code` says which problem it is, for code and tests to branch on (never the wording): a dotted name
    ('text.placeholder.unknown', 'link.chapter.missing'), or Frictionless's error type for a table cell
    ('type-error', 'constraint-error'). It is not part of the message and not of equality."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    allowed: str | None = None
    missing: bool = False  # a value still to be filled in (a to-do), not a wrong value
    code: str = field(default="", compare=False)

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
    """A warning: something the analyst should know, which does not stop the build; `code` as Problem's."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rad {self.row}"
        if self.column is not None:
            where += f', kolumn "{self.column}"'
        return visible(f"{where}: {self.message}")


class RapportbokError(Exception):
    """Base class: the message is shown to the analyst as it is, without a traceback.

    `problems` locates the error (file, row, column) where it comes from a file; `file` names the file
    an error is about when there is one but no located problem (a log, a lock, a notebook).
    """

    def __init__(self, message: str, problems: Sequence[Problem] = (), *, file: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self._file = file

    @property
    def file(self) -> str | None:
        """The file the error is about, if any."""
        if self._file is not None:
            return self._file
        return self.problems[0].file if self.problems else None


class UsageError(RapportbokError):
    """The command was called with something it cannot use (a bad year, a missing folder)."""


class DataError(RapportbokError):
    """The year's data has problems; all of them are listed, not only the first.

    `checked` is the whole check of the year that found them when a check raised it (a
    `checks.check.CheckResult`), so that what follows (the build's stop screen) need not check again."""

    def __init__(
        self, problems: list[Problem], heading: str | None = None, *, checked: object = None
    ) -> None:
        lines = [heading or f"Data innehåller {len(problems)} fel:"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines), problems)
        self.checked = checked


class NarrativeError(DataError):
    """A narrative file could not be filled in; carries its located Problem."""

    def __init__(self, problem: Problem, empty_value: bool = False, more: Sequence[Problem] = ()) -> None:
        super().__init__([problem, *more], heading="En text kan inte fyllas i:")
        self.problem = problem  # the first; `problems` has every placeholder of the text that failed
        self.empty_value = empty_value  # the name exists but its value is still to be filled in


class ConfigError(RapportbokError):
    """A project file the analyst edits (_toc.yml, _config.yml, tillganglighet.yml) cannot be used."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem), [problem])


@dataclass(frozen=True)
class ChapterFailure:
    """One chapter that failed: its name, what went wrong, in which cell, and the notebook to look at;
    with many books, also which book (organisation and year)."""

    chapter: str
    error: str
    notebook: str | None = None
    cell: int | None = None  # the failing cell's execution count (or index), when a cell failed
    kept: bool = True  # `notebook` is the executed copy kept for debugging, else the chapter's own
    organisation: str | None = None
    year: int | None = None

    def __str__(self) -> str:
        book = " ".join(str(part) for part in (self.organisation, self.year) if part is not None)
        text = f"Kapitlet {self.chapter}{f' i {book}' if book else ''} misslyckades: {self.error}"
        if self.notebook is not None:
            where = "Den körda notebooken finns kvar för felsökning" if self.kept else "Rätta notebooken"
            text += f"\n  {where}: {self.notebook}"
        return text


class ChapterError(RapportbokError):
    """One or more chapter notebooks failed while executing; `failures` names each chapter and cell."""

    def __init__(self, failures: Sequence[ChapterFailure], published: str | None = None) -> None:
        lines = [str(failure) for failure in failures]
        if published is not None:
            lines.append(f"Den tidigare publicerade webbplatsen {published} är orörd.")
        super().__init__("\n".join(lines), file=failures[0].notebook if failures else None)
        self.failures = list(failures)

    @property
    def chapter(self) -> str | None:
        """The (first) failed chapter."""
        return self.failures[0].chapter if self.failures else None

    @property
    def cell(self) -> int | None:
        """The failing cell of the (first) failed chapter, if a cell failed."""
        return self.failures[0].cell if self.failures else None

    @property
    def organisation(self) -> str | None:
        """The organisation of the book whose chapters failed, when known."""
        return self.failures[0].organisation if self.failures else None

    @property
    def year(self) -> int | None:
        """The year of the book whose chapters failed, when known."""
        return self.failures[0].year if self.failures else None


class SiteBuildError(RapportbokError):
    """Jupyter Book (Sphinx) could not build the site; `log` is its full log."""

    def __init__(self, message: str, log: str) -> None:
        super().__init__(message, file=log)
        self.log = log


class SiteIncomplete(RapportbokError):
    """`rapportbok site` published the site, but books that could not be built are missing from it."""


class PdfError(RapportbokError):
    """The PDF could not be written."""


class PublishError(RapportbokError):
    """The build could not write its output (a full disk, no permission); the message names the file."""


class BuildLocked(RapportbokError):
    """Another build of the same year (or another `rapportbok site`) is running; `file` is the lock file."""


class DataBusy(RapportbokError):
    """Another command is writing (or, for a writer, reading) an organisation's data; `file` is the lock."""


class TransactionError(RapportbokError):
    """A change to data/ could not be made (nothing changed) or an interrupted one could not be completed."""


class DataChanged(RapportbokError):
    """Files a build read changed while it ran (a writer that takes no lock, e.g. an editor saving a
    CSV); nothing was published. `problems` names each file."""


class BuildInterrupted(BaseException):
    """The build was asked to stop (SIGTERM or Ctrl-C). Not an error: it passes every `except Exception`."""


class VocabularyMismatch(Exception):
    """The named values in data/vocabulary.py and the schemas' allowed values disagree.

    A mistake in rapportbok itself (a schema edited without the code), never the analyst's: it stops
    rapportbok when it starts.
    """

    def __init__(self, mismatches: Sequence[str]) -> None:
        super().__init__(
            "Tabellschemana och data/vocabulary.py stämmer inte överens:\n"
            + "\n".join(f"  {line}" for line in mismatches)
        )
        self.mismatches = list(mismatches)


# Raised and caught inside the package: each becomes a located Problem or a RapportbokError before an
# analyst sees it.


class TimeLimitExceeded(BaseException):
    """The work ran longer than its limit. A BaseException, so that no `except Exception` swallows it."""


class RefusedFile(DataError):
    """A file that is not read (a link, a pipe or device, too large, missing); carries its Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem], heading="En fil kan inte läsas:")
        self.problem = problem


class InvalidMetadataValue(Exception):
    """A rapport.yml value that breaks its type's rules (data.metadata turns it into a located Problem)."""

    def __init__(self, message: str, allowed: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed


class PlaceholderRefused(Exception):
    """A construct outside the placeholder grammar; `lineno` is its line in the text."""

    def __init__(self, message: str, lineno: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.lineno = lineno


class OutputTooLong(Exception):
    """The filled-in text would exceed narrative.sandbox.MAX_OUTPUT characters (no one placeholder is to
    blame)."""
