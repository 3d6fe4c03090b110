"""Key figures of a report, computed once, by name: what narrative placeholders can use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pandas as pd

from rapportbok.core.formatting import is_missing
from rapportbok.core.lazy import LazyMapping
from rapportbok.core.slug import slug
from rapportbok.data.report import Report
from rapportbok.data.schema import TableSchema
from rapportbok.data.vocabulary import InvestmentRow
from rapportbok.model.assignments import counts_by_kind
from rapportbok.model.goals import area_figures, goal_counts, goal_figures


def key_figures(report: Report) -> Mapping[str, Any]:
    """All named values for narrative, e.g. `mal.uppfyllt`, `drift.summa.avvikelse`.

    Each top-level name is computed when a text first uses it, so a text depends only on its tables;
    the mapping is made once per report.
    """
    if "key_figures" not in report.memo:
        report.memo["key_figures"] = _key_figures(report)
    return report.memo["key_figures"]


def _key_figures(report: Report) -> Mapping[str, Any]:
    kinds = cache(lambda: counts_by_kind(report))
    return LazyMapping(
        {
            "organisation": lambda: report.meta.organisation,
            "kommun": lambda: report.meta.kommun,
            "ar": lambda: report.year,
            "malomrade": lambda: {
                int(row.malomrade): {
                    "nummer": int(row.malomrade),
                    "namn": _plain(row.namn),
                    **area_figures(report, row.malomrade),
                }
                for row in report.malomraden.itertuples()
                if not is_missing(row.malomrade)
            },
            "mal": lambda: {**goal_counts(report), **goal_figures(report)},
            "uppdrag": lambda: kinds()["uppdrag"],
            "namndinitiativ": lambda: kinds()["namndinitiativ"],
            "sjukfranvaro": lambda: _by_key(report.sjukfranvaro_ar, "grupp", "procent"),
            "personalomsattning": lambda: _by_key(report.personalomsattning, "typ", "procent"),
            "drift": lambda: _rows_by(report.drift, "post_id"),
            "verksamhet": lambda: _rows_by(report.drift_verksamhet, "verksamhet_id"),
            "investering": lambda: _investments(report.investeringar),
            "tabell": lambda: _declared_tables(report),
        }
    )


def _declared_tables(report: Report) -> LazyMapping:
    """`tabell.<namn>.<radnyckel>.<kolumn>`: the organisation's own tables, each read when a text first
    names it. A row is found by its primary key (one level per key column, in the schema's order); a table
    without a primary key has no values here."""

    def rows(schema: TableSchema) -> Callable[[], dict[Any, Any]]:
        return lambda: _rows_by_key(report.tables[schema.name], schema)

    return LazyMapping({name: rows(schema) for name, schema in report.declared.items()})


def _rows_by_key(frame: pd.DataFrame, schema: TableSchema) -> dict[Any, Any]:
    keys = list(schema.descriptor.get("primaryKey", []))
    found: dict[Any, Any] = {}
    if not keys:
        return found
    for record in frame.to_dict("records"):
        parts = [_key(record[key]) for key in keys]
        if any(part is None for part in parts):
            continue  # a key still to be filled in (a draft): nothing to name the row by
        level = found
        for part in parts[:-1]:
            level = level.setdefault(part, {})
        level[parts[-1]] = {column: _plain(value) for column, value in record.items()}
    return found


def _key(value: Any) -> str | int | None:
    """A key cell as a placeholder names it: an integer as a number (`tabell.t.2024`), else its text."""
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | str):
        return value
    return str(value)


def _by_key(frame: pd.DataFrame, key: str, value: str) -> dict[str, Any]:
    """{'namnden': 3.8, 'kommunen': 5.6} from a key column (lower-cased, å/ä/ö folded) and a value column."""
    return {slug(str(row[key])).replace("-", "_"): _plain(row[value]) for _, row in frame.iterrows()}


def _rows_by(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    return {
        str(row[key]): {column: _plain(value) for column, value in row.items()}
        for row in frame.to_dict("records")
    }


def _investments(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    projects = _rows_by(frame[frame["typ"] == InvestmentRow.PROJECT], "projekt_nr")
    for values in projects.values():
        budget, forecast = values["total_budget"], values["total_prognos"]
        # Positive when the forecast cost is lower than the budget (costs are negative).
        values["under_budget"] = None if budget is None or forecast is None else forecast - budget
    return projects


def _plain(value: Any) -> Any:
    """pandas scalars as plain Python values; missing as None."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value
