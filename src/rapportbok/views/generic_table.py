"""The block `table`: any table of the book that has a schema (the package's or one the organisation
declares in data/<org>/tabeller/), its headers, units and number format taken from the schema."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from rapportbok.core.formatting import format_number, is_missing
from rapportbok.core.slug import slug
from rapportbok.data.block_names import NUMERIC_TYPES, BlockNames, as_names, block_name_problems
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, FieldSpec, TableSchema, table_schema
from rapportbok.exceptions import DataError
from rapportbok.views.tables import Column, Formatter, HtmlBlock, html_table

MAX_DECIMALS = 3  # a number column shows as many decimals as its values have, at most this many
BLOCK_ERROR = "Ett block i kapitlet kan inte visas:"
YEAR_COLUMN = "ar"  # the tables' year column (as in the package's schemas): 2024, never 2 024


def report_schemas(report: Report) -> dict[str, TableSchema]:
    """The schema of every table of the report by name: the package's, then the organisation's own."""
    return {**{name: table_schema(name) for name in TABLE_NAMES}, **report.declared}


def require_names(report: Report, names: BlockNames) -> TableSchema:
    """The schema of the table a block names; a DataError naming the table's file when the table, a
    column, or a column that must hold numbers does not exist."""
    schemas = report_schemas(report)
    problems = block_name_problems(schemas, names, f"{report.shown_folder}/{names.table}.csv")
    if problems:
        raise DataError(problems, heading=BLOCK_ERROR)
    return schemas[names.table]


def decimals_of(values: pd.Series) -> int:
    """The decimals the column's values need (0 for whole numbers), at most MAX_DECIMALS."""
    needed = 0
    for value in values:
        if not is_missing(value):
            exponent = Decimal(str(value)).normalize().as_tuple().exponent
            needed = max(needed, -exponent if isinstance(exponent, int) else 0)
    return min(needed, MAX_DECIMALS)


def _text(value: Any) -> str:
    if is_missing(value):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _yes_no(value: Any) -> str:
    return "" if is_missing(value) else "Ja" if bool(value) else "Nej"


def field_formatter(spec: FieldSpec, values: pd.Series) -> Formatter:
    """How the column's values are written: Swedish numbers with the decimals the data has, Ja/Nej,
    ISO dates, text as it is (escaped by the table)."""
    if spec.type == "boolean":
        return _yes_no
    if spec.type == "integer" and spec.name == YEAR_COLUMN:
        return _text
    if spec.type in NUMERIC_TYPES:
        decimals = 0 if spec.type == "integer" else decimals_of(values)
        return lambda value: format_number(value, decimals)
    return _text


def field_column(spec: FieldSpec, values: pd.Series, header: str | None = None) -> Column:
    """The displayed column of one schema field: its title (or `header`), unit and number format."""
    return Column(
        spec.name,
        header or spec.title,
        unit=spec.unit,
        numeric=spec.type in NUMERIC_TYPES,
        formatter=field_formatter(spec, values),
    )


def table(
    report: Report,
    name: str,
    columns: Sequence[str] | None = None,
    *,
    caption: str | None = None,
    table_id: str | None = None,
) -> HtmlBlock:
    """The table `name` of the year, e.g. table(report, "volymer", columns=["verksamhet", "brukare"]).

    `columns` picks and orders the columns (default: every column of the schema); the first one holds
    the row headers. `caption` defaults to the schema's title; `table_id` (default tabell-<name>) tells
    two tables of one page apart.
    """
    schema = require_names(report, BlockNames(name, as_names(columns)))
    frame = report.tables[name]
    specs = {spec.name: spec for spec in schema.fields}
    shown = [specs[column] for column in (as_names(columns) or tuple(specs))]
    return html_table(
        frame,
        [field_column(spec, frame[spec.name]) for spec in shown],
        caption=caption or schema.title,
        table_id=table_id or f"tabell-{slug(name)}",
    )
