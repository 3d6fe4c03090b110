"""The year's acknowledged warnings: data/<org>/<year>/kanda_avvikelser.yml.

A published year keeps its values as printed, also where they disagree (a total that is 1 tkr off, a
trend that its outcomes do not bear out). `check` still finds each disagreement; the ones listed here,
each with its reason, are summarised in one line instead of repeated in every check, build and
preview (`rapportbok check --alla` lists them). Each key is a file of the year (`drift.csv`,
`text/ekonomi/investeringar.md`); its value maps each warning, exactly as `check` prints it after the
file name, to the reason it is kept:

    drift.csv:
      "avvikelse för kapitalkostnader (utfall − budget): publicerat 14 811 tkr, beräknat 14 812 tkr
      (skillnad -1 tkr)": Avrundning i den tryckta rapporten; värdet behålls som det trycktes.

Spaces are compared loosely (any run of spaces, also non-breaking, is one space). A changed value makes
another warning, which is shown again until it is acknowledged. The file is optional and belongs to
its year: `new-year` does not carry it over.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from rapportbok.core.book import BookId
from rapportbok.data.yamlfile import read_mapping
from rapportbok.exceptions import Problem

FILE_NAME = "kanda_avvikelser.yml"
MAX_REASON = 500
HELP = 'fil: {"varningen som check skriver den": skäl} — se docs/arbeta.md'
# A warning as check prints it: the file, then ", rad …" or ": …".
WARNING = re.compile(r"(?P<file>[^,:]+)(?:, |: )(?P<rest>.*)", re.DOTALL)


def normalised(text: str) -> str:
    """`text` with every run of white space (also non-breaking) as one space."""
    return " ".join(text.split())


def warning_key(printed: str, folder: str) -> tuple[str, str] | None:
    """(file in the year, the rest) of a warning printed as '<folder>/<file>: …'; None outside the year."""
    prefix = f"{folder}/"
    if not printed.startswith(prefix):
        return None
    match = WARNING.fullmatch(normalised(printed[len(prefix) :]))
    return None if match is None else (match["file"], match["rest"])


@dataclass(frozen=True)
class KnownDeviations:
    """{(file, warning): reason}, and the line of each file's entry."""

    reasons: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def read_known_deviations(book: BookId) -> tuple[KnownDeviations, list[Problem]]:
    """The year's acknowledged warnings (none when the file does not exist) and the file's problems."""
    path = book.year_dir / FILE_NAME
    shown_as = f"{book.label}/{FILE_NAME}"
    if not os.path.lexists(path):
        return KnownDeviations(), []
    content, problems = read_mapping(path, shown_as, within=book.org_dir)
    if content is None:
        return KnownDeviations(), problems
    reasons: dict[tuple[str, str], str] = {}
    lines: dict[str, int] = {}
    for entry in content.entries:
        lines[entry.key] = entry.line
        if not isinstance(entry.value, dict) or not entry.value:
            problems.append(
                _problem(shown_as, "ska vara en lista med varningar och skäl", entry.line, entry.key)
            )
            continue
        for warning, reason in entry.value.items():
            if not isinstance(warning, str):
                problems.append(_problem(shown_as, "varningen ska skrivas som text", entry.line, entry.key))
            elif not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
                problems.append(
                    Problem(
                        shown_as,
                        f'skäl saknas för "{normalised(warning)}"',
                        entry.line,
                        entry.key,
                        f"varför avvikelsen behålls, högst {MAX_REASON} tecken",
                        code="known.reason.missing",
                    )
                )
            else:
                reasons[(normalised(entry.key), normalised(warning))] = normalised(reason)
    return KnownDeviations(reasons, lines), problems


def _problem(shown_as: str, message: str, line: int, key: str) -> Problem:
    return Problem(shown_as, message, line, key, HELP, code="known.type")
