"""Read the report's metadata (data/<year>/rapport.yml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from rapportbok.data.report import Metadata
from rapportbok.exceptions import Problem

REQUIRED_TEXT_KEYS = ("organisation", "kommun")


def read_metadata(path: Path, year: int, shown_as: str) -> tuple[Metadata | None, list[Problem]]:
    """Return the metadata, or None and the problems that stop it from being read."""
    if not path.is_file():
        return None, [Problem(shown_as, "filen saknas", allowed="se data/README.md")]
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        return None, [
            Problem(
                shown_as,
                f"filen går inte att läsa som YAML: {error}",
                row=None if line is None else line + 1,
            )
        ]
    if not isinstance(content, dict):
        return None, [Problem(shown_as, "filen ska innehålla nyckel: värde-rader")]
    problems = []
    for key in REQUIRED_TEXT_KEYS:
        if not isinstance(content.get(key), str) or not content[key].strip():
            problems.append(Problem(shown_as, "värde saknas", column=key, allowed="en text"))
    if content.get("ar") != year:
        problems.append(
            Problem(
                shown_as,
                f"året {content.get('ar')!r} stämmer inte med mappens år",
                column="ar",
                allowed=str(year),
            )
        )
    period_end = content.get("period_slut")
    if not isinstance(period_end, date) or period_end.year != year:
        problems.append(
            Problem(
                shown_as,
                f"{period_end!r} är inte ett datum inom året",
                column="period_slut",
                allowed=f"ÅÅÅÅ-MM-DD, t.ex. {year}-12-31",
            )
        )
    if problems:
        return None, problems
    return Metadata(
        organisation=content["organisation"].strip(),
        kommun=content["kommun"].strip(),
        year=year,
        period_end=period_end,
        report_type=str(content.get("rapporttyp", "Verksamhetsberättelse")),
    ), []
