"""The shape of the workbook, shared by export and import: sheet names, column headings, number formats.

One sheet per table, named as the table (`uppdrag`, `drift` …), row 1 the headings, one row per CSV row.
A heading is the schema's Swedish title with its unit, e.g. "Budget (tkr)"; import also accepts the CSV
column name, so that a sheet pasted from a CSV file is read too.
"""

from __future__ import annotations

import re

from rapportbok.data.schema import FieldSpec, TableSchema

INSTRUCTIONS_SHEET = "Instruktioner"
LISTS_SHEET = "listor"  # hidden: the allowed values that the drop-down lists point at
IDENTITY_SHEET = "rapportbok"  # hidden: the organisation, year and base of the workbook (see identity)
HELPER_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET, IDENTITY_SHEET)
YEAR_PROPERTY = "rapportbok_ar"  # custom document property: the fiscal year the workbook was made for
ORGANISATION_PROPERTY = "rapportbok_organisation"

PERCENT_UNIT = "%"
AMOUNT_UNIT = "tkr"
DATE_FORMAT = "yyyy-mm-dd"  # Swedish Excel shows it as ÅÅÅÅ-MM-DD
TEXT_FORMAT = "@"
GENERAL_FORMAT = "General"
GROUPED = "#,##0"  # the format code's ',' is the thousands separator; Swedish Excel shows a space
PLAIN_INTEGER = "0"  # years, months, counts of decimals: no grouping (2024, not 2 024)


def heading(spec: FieldSpec) -> str:
    """The column heading an analyst sees: the title, and the unit in parentheses."""
    return f"{spec.title} ({spec.unit})" if spec.unit else spec.title


def headings(schema: TableSchema) -> dict[str, str]:
    """Field name → heading; a title shared by two fields gets the field name added, so both are unique."""
    titles = [heading(spec) for spec in schema.fields]
    return {
        spec.name: title if titles.count(title) == 1 else f"{title} [{spec.name}]"
        for spec, title in zip(schema.fields, titles, strict=True)
    }


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def field_for_heading(schema: TableSchema, text: str, titles: dict[str, str] | None = None) -> str | None:
    """The field a heading names (its heading or its CSV column name, ignoring case and spacing);
    `titles`: the schema's `headings`, when the caller has them already (one heading row, many cells)."""
    wanted = _key(text)
    for name, title in (titles if titles is not None else headings(schema)).items():
        if wanted in (_key(title), _key(name)):
            return name
    return None


def is_percent(spec: FieldSpec) -> bool:
    return spec.unit == PERCENT_UNIT


def column_format(spec: FieldSpec) -> str:
    """The format of a column's empty cells, so that what the analyst types is kept as typed."""
    if spec.type == "date":
        return DATE_FORMAT
    if spec.type == "integer":
        return GROUPED if spec.unit == AMOUNT_UNIT else PLAIN_INTEGER
    if spec.type == "number":
        return GENERAL_FORMAT  # shows 7,3 as typed; a fixed format would show 7,3 as 7
    return TEXT_FORMAT  # ids like 1.1 or 17031 stay text instead of becoming dates or numbers


def number_format(spec: FieldSpec, csv_text: str) -> str:
    """The format of a filled cell. A decimal number that ends in zero keeps its decimals (6.0 is shown
    as 6,0 and read back as 6.0); other numbers are shown as they are (General)."""
    if spec.type != "number":
        return column_format(spec)
    decimals = csv_text.partition(".")[2]
    if decimals and decimals.endswith("0") and decimals.isdigit():
        return GROUPED + "." + "0" * len(decimals)
    return GENERAL_FORMAT
