"""The year's allow-list of figures written by hand in narrative: data/<year>/skrivna_siffror.yml.

Each key is a text (its path under text/ without .md, e.g. `sammanfattning/ekonomi`); its value maps each
figure written in that text, exactly as `check` quotes it (e.g. `"11,3 mnkr"`, `"två"`), to the reason
it is typed rather than a placeholder. The file is optional and belongs to its year: `new-year` does
not carry it over, so every typed figure of a copied text is reported again until it is rewritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from rapportbok.core.book import BookId
from rapportbok.data.yamlfile import read_mapping
from rapportbok.exceptions import Problem

FILE_NAME = "skrivna_siffror.yml"
MAX_REASON = 500
HELP = 'text/nyckel: {"skriven siffra": skäl} — se data/README.md'


@dataclass(frozen=True)
class WrittenFigures:
    """{text key: {written figure (normalised): reason}}, and the line of each text key."""

    allowed: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def reason(self, key: str, written: str) -> str | None:
        return self.allowed.get(key, {}).get(written)


def read_written_figures(book: BookId) -> tuple[WrittenFigures, list[Problem]]:
    """The allow-list of data/<org>/<year>/ (empty when the file does not exist) and every problem with it."""
    path = book.year_dir / FILE_NAME
    shown_as = f"{book.label}/{FILE_NAME}"
    if not os.path.lexists(path):
        return WrittenFigures(), []
    content, problems = read_mapping(path, shown_as, within=book.org_dir)
    if content is None:
        return WrittenFigures(), problems
    allowed: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for entry in content.entries:
        figures = entry.value
        if not isinstance(figures, dict) or not figures:
            problems.append(
                Problem(
                    shown_as,
                    "ska vara en lista med siffror och skäl",
                    entry.line,
                    entry.key,
                    HELP,
                    code="written_figures.type",
                )
            )
            continue
        accepted = {}
        for written, reason in figures.items():
            if not isinstance(written, str | int | float) or isinstance(written, bool):
                problems.append(
                    Problem(
                        shown_as,
                        "siffran ska skrivas som text",
                        entry.line,
                        entry.key,
                        HELP,
                        code="written_figures.type",
                    )
                )
            elif not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
                problems.append(
                    Problem(
                        shown_as,
                        f'skäl saknas för "{written}"',
                        entry.line,
                        entry.key,
                        f"varför siffran skrivs för hand, högst {MAX_REASON} tecken",
                        code="written_figures.reason.missing",
                    )
                )
            else:
                accepted[" ".join(str(written).split()).lower()] = " ".join(reason.split())
        allowed[entry.key] = accepted
        lines[entry.key] = entry.line
    return WrittenFigures(allowed, lines), problems
