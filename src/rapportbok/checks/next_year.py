"""The to-do list of a year started from the previous one (`rapportbok new-year`): what it must enter
that the previous year cannot give.

Investments (investeringar.csv starts empty: which projects probably continue, and what to enter), the
year's new assignments and initiatives, end dates of carried-over ones that lie before the year, which
assignments go over to the next year (uppdrag_nasta_ar.csv), and where revised outcomes of earlier years
go. These are items to verify: they never stop a build.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from rapportbok.checks.context import CheckContext, Found, to_verify
from rapportbok.core.formatting import format_tkr, is_missing
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import AssignmentStatus, Decision, InvestmentRow
from rapportbok.exceptions import Problem

SETTLED = (AssignmentStatus.COMPLETED, AssignmentStatus.STRUCK)


def _to_verify(file: str, message: str, guidance: str, row: int | None = None) -> Problem:
    """An item to verify; the guidance is part of the message, which is what the to-do list shows."""
    return Problem(file, f"{message} — {guidance}", row=row, code="next_year.verify")


def continuing_projects(previous: Report) -> pd.DataFrame:
    """The previous year's projects that probably continue: a forecast that the accumulated outcome
    has not reached (a project whose accumulated outcome equals its forecast is finished; one without a
    forecast has been dropped)."""
    projects = previous.investeringar[previous.investeringar["typ"] == InvestmentRow.PROJECT]
    spent = projects["ack_utfall"].fillna(0)
    return projects[projects["total_prognos"].notna() & (spent != projects["total_prognos"])]


def investment_todo(report: Report, previous: Report | None) -> list[Problem]:
    """investeringar.csv is empty: say which projects continue and what each row needs."""
    if not report.investeringar.empty or previous is None:
        return []
    file = f"{report.shown_folder}/investeringar.csv"
    what = (
        "en rad per projekt (typ projekt) med område, projektnummer, namn, total budget och prognos, "
        f"ack. utfall (alla år), utfall föregående år (årets utfall i {previous.shown_folder}), "
        "årets utfall och "
        "budget; en rad av typ avslutade för avslutade projekt med utfall föregående år, en rad ej_beslutade "
        "och en summarad per område"
    )
    continuing = continuing_projects(previous)
    if continuing.empty:
        return [_to_verify(file, "tabellen är tom: för in årets investeringsprojekt", what)]
    listed = "; ".join(
        f"{row.projekt_nr} {row.projekt} (prognos {format_tkr(row.total_prognos)}, ack. utfall "
        f"{format_tkr(0 if is_missing(row.ack_utfall) else row.ack_utfall)})"
        for row in continuing.itertuples()
    )
    return [
        _to_verify(
            file,
            f"tabellen är tom: för in årets investeringsprojekt. Troligen pågående från {previous.year} "
            f"(prognosen är inte nådd av ack. utfall): {listed}",
            what,
        )
    ]


def carried_over(previous: Report | None) -> set[str]:
    """The ids the previous year's report says go over to this year (what new-year carried)."""
    if previous is None:
        return set()
    plans = previous.uppdrag_nasta_ar
    return set(plans.loc[plans["beslut"] == Decision.CARRIES_OVER, "uppdrag_id"])


def assignment_todo(report: Report, previous: Report | None) -> list[Problem]:
    """New assignments not yet entered, carried-over end dates before the year, and next year's list."""
    file = f"{report.shown_folder}/uppdrag.csv"
    found = []
    assignments = report.uppdrag
    carried = carried_over(previous)
    if previous is not None and set(assignments["uppdrag_id"]) <= carried:
        found.append(
            _to_verify(
                file,
                f"inga nya uppdrag eller nämndinitiativ för {report.year} ännu "
                f"({len(assignments)} har gått över från {previous.year})",
                "lägg till årets uppdrag ur Mål och budget och nämndens nya initiativ: id (U… eller N…), "
                "typ, mål, titel, ansvarig avdelning, prognos, slutdatum och status",
            )
        )
    if previous is not None:
        start = date(report.year, 1, 1)
        for offset, row in enumerate(assignments.itertuples()):
            ends = row.slutdatum
            if row.uppdrag_id in carried and not is_missing(ends) and pd.Timestamp(ends).date() < start:
                found.append(
                    _to_verify(
                        file,
                        f"{row.uppdrag_id} gick över från {previous.year} men slutdatum "
                        f"{pd.Timestamp(ends).date().isoformat()} ligger före {report.year}",
                        "ange det nya slutdatumet",
                        row=offset + 2,
                    )
                )
    open_ones = assignments[~assignments["status"].isin(SETTLED)]
    if report.uppdrag_nasta_ar.empty and not open_ones.empty:
        found.append(
            _to_verify(
                f"{report.shown_folder}/uppdrag_nasta_ar.csv",
                f"tom: {len(open_ones)} uppdrag och initiativ är inte slutförda",
                f"fylls i vid årets slut: vilka som går över till {report.year + 1} "
                "(beslut, titel och orsak); "
                f"new-year för över just dem till {report.year + 1}",
            )
        )
    return found


def revised_outcomes_todo(report: Report, previous: Report | None) -> list[Problem]:
    """While the year's outcomes are still empty: where a revised outcome of an earlier year goes."""
    outcomes = report.indikator_utfall
    this_year = outcomes[outcomes["ar"] == report.year]
    if previous is None or this_year.empty or this_year["utfall"].notna().any():
        return []
    return [
        _to_verify(
            f"{report.shown_folder}/indikator_utfall.csv",
            "har ett tidigare års utfall reviderats?",
            f"ändra värdet på det årets rad i den här filen (inte i {previous.shown_folder}/); boken "
            f"visar då en not under indikatorns tabell med det värde som publicerades {previous.year}",
        )
    ]


# Each part of next year's to-do list and the tables it reads: it runs when those tables are valid.
NEXT_YEAR_TODO = (
    (("investeringar",), investment_todo),
    (("uppdrag", "uppdrag_nasta_ar"), assignment_todo),
    (("indikator_utfall",), revised_outcomes_todo),
)


def next_year_todo(report: Report, previous: Report | None) -> list[Problem]:
    """Everything a year started from `previous` should enter or verify."""
    return [found for _, todo in NEXT_YEAR_TODO for found in todo(report, previous)]


def check_next_year(context: CheckContext) -> Iterable[Found]:
    """What next year needs, read from each of this year's tables that is valid."""
    broken = set(context.broken)
    found = []
    for tables, todo in NEXT_YEAR_TODO:
        if not broken.intersection(tables):
            found += todo(context.report, context.previous)
    return to_verify(found)
