"""The outcomes check: the year's indicator outcomes and targets that are empty are values to verify."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from rapportbok.checks.context import CheckContext, Found, to_verify
from rapportbok.core.formatting import is_value
from rapportbok.data.report import Report
from rapportbok.exceptions import Problem

EMPTY_CODE = "outcome.empty"


def check_empty_outcomes(context: CheckContext) -> Iterable[Found]:
    """The empty outcomes and targets, less the cells whose reading already failed."""
    return to_verify(context.new(empty_outcomes(context.report)))


def empty_outcomes(report: Report) -> list[Problem]:
    """The year's indicator outcomes and targets that are empty (without a note explaining why)."""
    file = f"{report.shown_folder}/indikator_utfall.csv"
    found = []
    for offset, row in enumerate(report.indikator_utfall.itertuples()):
        if not is_value(row.ar, report.year):
            continue
        for column, what in (("utfall", "utfall"), ("mal", "målvärde")):
            value = getattr(row, column)
            explained = column == "utfall" and not pd.isna(row.utfall_notering)
            if pd.isna(value) and not explained:
                found.append(
                    Problem(
                        file,
                        f"{what} för {row.indikator_id} {row.ar} saknas",
                        offset + 2,
                        column,
                        "fyll i värdet, eller lämna tomt om det inte finns",
                        missing=True,
                        code=EMPTY_CODE,
                    )
                )
    return found
