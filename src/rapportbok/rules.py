"""Rules across rows and files that a single column's schema cannot express (errors)."""

from __future__ import annotations

from rapportbok.errors import Problem
from rapportbok.narrative import text_path
from rapportbok.report import Report


def investment_problems(report: Report) -> list[Problem]:
    """Every project row has a project number, and no number is used twice."""
    file = f"data/{report.year}/investeringar.csv"
    problems = []
    seen: dict[str, int] = {}
    for position, row in enumerate(report.investeringar.itertuples(), start=2):
        if row.typ != "projekt":
            continue
        if not isinstance(row.projekt_nr, str) or not row.projekt_nr:
            problems.append(
                Problem(
                    file,
                    "projektnummer saknas",
                    position,
                    "projekt_nr",
                    "obligatoriskt för rader av typ projekt",
                )
            )
        elif row.projekt_nr in seen:
            problems.append(
                Problem(
                    file,
                    f'"{row.projekt_nr}" förekommer flera gånger (finns redan på rad {seen[row.projekt_nr]})',
                    position,
                    "projekt_nr",
                    "värdet måste vara unikt",
                )
            )
        else:
            seen[row.projekt_nr] = position
    return problems


def comment_file_problems(report: Report) -> list[Problem]:
    """Every activity has its deviation comment in text/ekonomi/verksamhet-<id>.md."""
    file = f"data/{report.year}/drift_verksamhet.csv"
    problems = []
    for position, row in enumerate(report.drift_verksamhet.itertuples(), start=2):
        key = f"ekonomi/verksamhet-{row.verksamhet_id}"
        if not text_path(report, key).is_file():
            problems.append(
                Problem(
                    file,
                    f"kommentaren data/{report.year}/text/{key}.md saknas",
                    position,
                    "verksamhet_id",
                    "skapa filen med förklaringen till avvikelsen",
                )
            )
    return problems


def rule_problems(report: Report) -> list[Problem]:
    """All cross-row and cross-file rules."""
    return investment_problems(report) + comment_file_problems(report)
