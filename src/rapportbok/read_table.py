"""Read one CSV table against its schema: typed rows, or every problem with file, row and column."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd
from frictionless import Resource, Schema, formats

from rapportbok.errors import Problem
from rapportbok.schema import TableSchema

PANDAS_DTYPES = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}
TYPE_HINTS = {
    "integer": "ett heltal utan mellanslag, t.ex. -305285",
    "number": "ett tal med punkt som decimaltecken, t.ex. 7.3",
    "date": "ett datum som ÅÅÅÅ-MM-DD, t.ex. 2024-12-31",
    "boolean": "true eller false",
}
EXCEL_HINT = "Spara filen som CSV UTF-8 (kommaavgränsad) med punkt som decimaltecken; se data/README.md"


def read_table(path: Path, schema: TableSchema, shown_as: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the table as a DataFrame typed by the schema, and every problem found.

    `shown_as` is the file name used in messages, e.g. ``data/2024/drift.csv``.
    """
    problems = _file_problems(path, schema, shown_as)
    if problems:
        return _empty_frame(schema), problems
    resource = Resource(
        path=path.name,
        basepath=str(path.parent),
        schema=Schema.from_descriptor(schema.frictionless_descriptor()),
        encoding="utf-8",
        control=formats.CsvControl(delimiter=","),
    )
    report = resource.validate()
    for error in report.flatten(["type", "rowNumber", "fieldName", "cell", "note"]):
        problem = _translate(error, schema, shown_as)
        if problem is not None:
            problems.append(problem)
    if problems:
        return _empty_frame(schema), problems
    with resource:
        rows = [row.to_dict() for row in resource.row_stream]
    return _frame(rows, schema), problems


def _file_problems(path: Path, schema: TableSchema, shown_as: str) -> list[Problem]:
    """Problems that make the rows unreadable: missing file, wrong encoding or separator, bad header."""
    if not path.is_file():
        return [Problem(shown_as, "filen saknas", allowed="se data/README.md för filens kolumner")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [
            Problem(
                shown_as,
                "filen är inte sparad som UTF-8 (troligen Windows-1252 från Excel), så å, ä och ö "
                "skulle läsas fel",
                row=line,
                allowed=EXCEL_HINT,
            )
        ]
    header_line = text.splitlines()[0] if text.strip() else ""
    header = next(csv.reader([header_line])) if header_line else []
    if ";" in header_line and len(header) <= 1:
        return [
            Problem(
                shown_as,
                "filen använder semikolon som avgränsare (svensk Excel)",
                row=1,
                allowed=EXCEL_HINT,
            )
        ]
    problems = []
    expected = schema.field_names
    for name in expected:
        if name not in header:
            problems.append(
                Problem(
                    shown_as,
                    "kolumnen saknas",
                    row=1,
                    column=name,
                    allowed="kolumner som krävs: " + ", ".join(expected),
                )
            )
    for name in header:
        if name not in expected:
            problems.append(
                Problem(
                    shown_as,
                    "okänd kolumn",
                    row=1,
                    column=name,
                    allowed="tillåtna kolumner: " + ", ".join(expected),
                )
            )
    return problems


def _translate(error: list[Any], schema: TableSchema, shown_as: str) -> Problem | None:
    """One Frictionless error as a Swedish problem with file, row and column."""
    kind, row, field_name, cell, note = error
    field = schema.field(field_name) if field_name in schema.field_names else None
    if kind == "type-error" and field is not None:
        return Problem(
            shown_as,
            f'"{cell}" är inte giltigt',
            row,
            field_name,
            "ska vara " + TYPE_HINTS.get(field.type, field.type),
        )
    if kind == "constraint-error" and field is not None:
        if "required" in note:
            return Problem(shown_as, "värde saknas", row, field_name, "fältet är obligatoriskt")
        if "enum" in note and field.enum:
            return Problem(
                shown_as,
                f'"{cell}" är inte ett tillåtet värde',
                row,
                field_name,
                "tillåtna: " + ", ".join(field.enum),
            )
        if "pattern" in note:
            return Problem(
                shown_as,
                f'"{cell}" har fel form',
                row,
                field_name,
                "se data/README.md för tillåten form",
            )
        return Problem(shown_as, f'"{cell}" uppfyller inte villkoret {note}', row, field_name)
    if kind == "unique-error":
        earlier = re.search(r"position (\d+)", note or "")
        where = f" (finns redan på rad {earlier.group(1)})" if earlier else ""
        return Problem(
            shown_as,
            f'"{cell}" förekommer flera gånger{where}',
            row,
            field_name,
            "värdet måste vara unikt",
        )
    if kind == "primary-key":
        return None  # reported as unique-error on the key column
    if kind == "blank-row":
        return Problem(shown_as, "tom rad", row, allowed="ta bort raden")
    if kind == "extra-cell":
        return Problem(
            shown_as,
            "raden har fler celler än rubrikraden",
            row,
            allowed="kontrollera kommatecken i texten; text med komma ska stå inom citattecken",
        )
    if kind == "missing-cell":
        return Problem(shown_as, "raden har färre celler än rubrikraden", row, field_name)
    return Problem(shown_as, f"{kind}: {note}", row, field_name)


def _frame(rows: list[dict[str, Any]], schema: TableSchema) -> pd.DataFrame:
    columns = {}
    for field in schema.fields:
        values = [row.get(field.name) for row in rows]
        dtype = PANDAS_DTYPES.get(field.type)
        columns[field.name] = pd.array(values, dtype=dtype) if dtype else values
    return pd.DataFrame(columns, columns=schema.field_names)


def _empty_frame(schema: TableSchema) -> pd.DataFrame:
    return _frame([], schema)
