"""Read one CSV table against its schema: typed rows, or every problem with file, row and column."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
from frictionless import FrictionlessException, Resource, Schema

from rapportbok.core.content_cache import ContentCache
from rapportbok.data.csvfile import CsvContent, normalise_number, read_csv
from rapportbok.data.schema import TableSchema
from rapportbok.exceptions import Finding, Problem

PANDAS_DTYPES = {"integer": "Int64", "number": "Float64", "string": "string", "boolean": "boolean"}
NUMERIC = {"integer", "number"}
MAX_DIGITS = 15  # far beyond any amount in tkr, and exact as a float and as a 64-bit integer
MAX_MAGNITUDE = Decimal(10) ** MAX_DIGITS
TYPE_HINTS = {
    "integer": "ska vara ett heltal, t.ex. -305285",
    "number": "ska vara ett tal, t.ex. 7.3 (eller 7,3 i en semikolonavgränsad fil)",
    "date": "ska vara ett datum som ÅÅÅÅ-MM-DD",
    "boolean": "ska vara true eller false",
}


@dataclass
class TableRead:
    """A table as read: its typed frame (empty when unreadable), problems, and notes for the analyst."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    # For a table with errors: its rows with every value that has the wrong type left empty, so that
    # `check` can go on to the texts and rules in the same pass (never used to build a book).
    partial: pd.DataFrame | None = None


def read_table(path: Path, schema: TableSchema, shown_as: str, *, within: Path | None = None) -> TableRead:
    """Read `path` as the table `schema`; `shown_as` is its name in messages (data/<år>/drift.csv).
    No path component below `within` may be a symbolic link.

    The file is read every time; checking and typing its content (the costly part) is done once per
    content in a process: a preview that validates the year after each saved text re-reads unchanged
    tables in milliseconds. Each caller gets its own copy of the result.
    """
    content, problems = read_csv(path, shown_as, within=within)
    if content is None:
        return TableRead(empty_frame(schema), problems)
    key = _content_key(content, schema, shown_as)
    checked = _CHECKED.get(key, lambda: _checked_content(content, schema, shown_as))
    partial = None if checked.partial is None else checked.partial.copy()
    return TableRead(checked.frame.copy(), list(checked.problems), list(checked.notes), partial)


MAX_CHECKED = 64  # tables of a few years; each entry holds one typed frame
_CHECKED: ContentCache[str, TableRead] = ContentCache(MAX_CHECKED)


def _content_key(content: CsvContent, schema: TableSchema, shown_as: str) -> str:
    """What the checked result depends on: the table's contract, its name in messages and its cells."""
    digest = hashlib.sha256()
    for part in (schema.name, json.dumps(schema.descriptor, sort_keys=True, default=str), shown_as):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(json.dumps([content.header, content.rows, content.semicolon]).encode("utf-8"))
    digest.update(json.dumps([[note.file, note.message] for note in content.notes]).encode("utf-8"))
    return digest.hexdigest()


def _checked_content(content: CsvContent, schema: TableSchema, shown_as: str) -> TableRead:
    problems = _header_problems(content.header, schema, shown_as)
    if problems:
        return TableRead(empty_frame(schema), problems, content.notes)
    rows, problems = _normalised_rows(content, schema, shown_as)
    try:
        problems += _schema_problems(content.header, rows, schema, shown_as)
    except FrictionlessException:  # a file the validator itself cannot take
        problems.append(
            Problem(
                shown_as,
                "filen kunde inte kontrolleras mot tabellschemat",
                allowed=GENERAL_ALLOWED,
                code="schema.unchecked",
            )
        )
    if any(not problem.missing for problem in problems):
        return TableRead(empty_frame(schema), problems, content.notes, _partial_frame(content, rows, schema))
    # Only values still to be filled in: the rows are usable, with those cells empty (for drafts).
    return TableRead(_typed_frame(content.header, rows, schema), problems, content.notes)


def _header_problems(header: list[str], schema: TableSchema, shown_as: str) -> list[Problem]:
    expected = schema.field_names
    problems = [
        Problem(
            shown_as,
            "kolumnen saknas",
            1,
            name,
            "kolumner som krävs: " + ", ".join(expected),
            code="schema.column.missing",
        )
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(
            shown_as,
            "okänd kolumn",
            1,
            name or "(tom rubrik)",
            "tillåtna kolumner: " + ", ".join(expected),
            code="schema.column.unknown",
        )
        for name in header
        if name not in expected
    ]
    seen: set[str] = set()
    for name in header:
        if name in seen and name in expected:
            problems.append(
                Problem(
                    shown_as,
                    "kolumnen finns flera gånger",
                    1,
                    name,
                    "ta bort dubbletten",
                    code="schema.column.duplicate",
                )
            )
        seen.add(name)
    return problems


def _normalised_rows(
    content: CsvContent, schema: TableSchema, shown_as: str
) -> tuple[list[list[str]], list[Problem]]:
    """Numbers in canonical form (Swedish Excel's '1 234,5' → '1234.5'); ambiguous cells are problems."""
    numeric = {i for i, name in enumerate(content.header) if schema.field(name).type in NUMERIC}
    rows, problems = [], []
    for number, row in enumerate(content.rows, start=2):
        cells = []
        for position, cell in enumerate(row):
            if position in numeric:
                cell, reason = normalise_number(cell, content.semicolon)
                if reason:
                    problems.append(
                        Problem(
                            shown_as,
                            f'"{cell}": {reason}',
                            number,
                            content.header[position],
                            code="schema.number.ambiguous",
                        )
                    )
                elif problem := _magnitude_problem(cell, schema.field(content.header[position]).type):
                    problems.append(
                        Problem(
                            shown_as,
                            problem[0],
                            number,
                            content.header[position],
                            problem[1],
                            code="schema.number.magnitude",
                        )
                    )
            cells.append(cell)
        rows.append(cells)
    return rows, problems


def _magnitude_problem(cell: str, kind: str) -> tuple[str, str] | None:
    """A number that no report holds: not finite (NaN, inf) or beyond MAX_DIGITS digits."""
    try:
        number = Decimal(cell)
    except InvalidOperation:
        return None  # not a number at all: the schema reports it
    shown = cell if len(cell) <= 24 else cell[:21] + "…"
    if not number.is_finite():
        return f'"{shown}" är inte ett tal', TYPE_HINTS[kind]
    if abs(number) >= MAX_MAGNITUDE:
        return f'"{shown}" är för stort', f"högst {MAX_DIGITS} siffror före decimaltecknet"
    return None


def _schema_problems(
    header: list[str], rows: list[list[str]], schema: TableSchema, shown_as: str
) -> list[Problem]:
    resource = Resource(data=[header, *rows], schema=Schema.from_descriptor(schema.frictionless_descriptor()))
    report = resource.validate()
    problems = []
    for error in report.flatten(["type", "rowNumber", "fieldName", "cell", "note"]):
        problem = _translate(error, schema, shown_as)
        if problem is not None:
            problems.append(replace(problem, code=error[0]))  # Frictionless's error type
    return problems


def _translate(error: list[Any], schema: TableSchema, shown_as: str) -> Problem | None:
    """One Frictionless error as a Swedish problem with file, row and column."""
    kind, row, field_name, cell, note = error
    note = note or ""
    field_spec = schema.field(field_name) if field_name in schema.field_names else None
    if kind == "type-error" and field_spec is not None:
        return Problem(
            shown_as,
            f'"{cell}" är inte giltigt',
            row,
            field_name,
            TYPE_HINTS.get(field_spec.type, field_spec.type),
        )
    if kind == "constraint-error" and field_spec is not None:
        return _constraint_problem(note, cell, row, field_spec, shown_as)
    if kind == "unique-error":
        earlier = note.rsplit("position", 1)[-1].strip().strip('"') if "position" in note else ""
        where = f" (finns redan på rad {earlier})" if earlier.isdigit() else ""
        return Problem(
            shown_as, f'"{cell}" förekommer flera gånger{where}', row, field_name, "värdet måste vara unikt"
        )
    if kind == "primary-key":
        keys = ", ".join(schema.descriptor.get("primaryKey", []))
        return (
            None
            if "," not in keys
            else Problem(
                shown_as,
                "kombinationen finns redan på en annan rad",
                row,
                keys,
                "varje kombination ska vara unik",
            )
        )
    if kind == "blank-row":
        return Problem(shown_as, "tom rad", row, allowed="ta bort raden")
    if kind == "extra-cell":
        return Problem(
            shown_as,
            "raden har fler celler än rubrikraden",
            row,
            allowed="text med avgränsningstecken ska stå inom citattecken",
        )
    if kind == "missing-cell":
        return Problem(shown_as, "cellen saknas (raden har färre celler än rubrikraden)", row, field_name)
    return Problem(shown_as, OTHER_ERRORS.get(kind, GENERAL_ERROR), row, field_name, GENERAL_ALLOWED)


# Frictionless error types not translated above (rarely met: a file is read by csvfile first and its
# header checked by _header_problems), said in Swedish; Frictionless's English note is never shown.
OTHER_ERRORS = {
    "blank-label": "en kolumnrubrik är tom",
    "duplicate-label": "kolumnrubriken finns flera gånger",
    "extra-label": "okänd kolumn",
    "missing-label": "kolumnen saknas",
    "incorrect-label": "kolumnrubriken är fel",
    "blank-header": "rubrikraden är tom",
    "foreign-key": "värdet finns inte i tabellen som det hänvisar till",
    "row-constraint": "raden uppfyller inte tabellens villkor",
    "deviated-cell": "cellen är mycket större än de andra i kolumnen",
    "truncated-value": "värdet verkar avkortat",
    "forbidden-value": "värdet är inte tillåtet",
    "sequential-value": "värdet följer inte ordningen",
    "ascii-value": "värdet innehåller tecken utanför ASCII",
    "encoding-error": "filen har fel teckenkodning",
    "format-error": "filen kan inte läsas som CSV",
    "source-error": "filen kan inte läsas",
    "scheme-error": "filen kan inte läsas",
}
GENERAL_ERROR = "värdet uppfyller inte tabellschemat"
GENERAL_ALLOWED = "se filens beskrivning i data/README.md"


def _constraint_problem(note: str, cell: Any, row: int, spec: Any, shown_as: str) -> Problem:
    if "required" in note:
        return Problem(shown_as, "värde saknas", row, spec.name, "fältet är obligatoriskt", missing=True)
    if "enum" in note and spec.enum:
        return Problem(
            shown_as,
            f'"{cell}" är inte ett tillåtet värde',
            row,
            spec.name,
            "tillåtna: " + ", ".join(spec.enum),
        )
    if "minimum" in note or "maximum" in note:
        return Problem(
            shown_as, f'"{cell}" ligger utanför det tillåtna intervallet', row, spec.name, spec.range_text
        )
    if "pattern" in note:
        return Problem(
            shown_as, f'"{cell}" har fel form', row, spec.name, spec.description or "se data/README.md"
        )
    if "minLength" in note or "maxLength" in note:
        return Problem(
            shown_as, f'"{cell}" har fel längd', row, spec.name, spec.description or GENERAL_ALLOWED
        )
    return Problem(shown_as, f'"{cell}" uppfyller inte tabellschemat', row, spec.name, GENERAL_ALLOWED)


def _typed_frame(header: list[str], rows: list[list[str]], schema: TableSchema) -> pd.DataFrame:
    resource = Resource(data=[header, *rows], schema=Schema.from_descriptor(schema.frictionless_descriptor()))
    with resource:
        records = [row.to_dict() for row in resource.row_stream]
    return _frame(records, schema)


def _partial_frame(content: CsvContent, rows: list[list[str]], schema: TableSchema) -> pd.DataFrame | None:
    """The rows as far as they can be typed: constraints ignored, a value of the wrong type left empty."""
    descriptor = schema.frictionless_descriptor()
    descriptor.pop("primaryKey", None)
    descriptor.pop("foreignKeys", None)
    descriptor["fields"] = [{k: v for k, v in f.items() if k != "constraints"} for f in descriptor["fields"]]
    numeric = {i for i, name in enumerate(content.header) if schema.field(name).type in NUMERIC}
    cleaned = [
        [
            "" if i in numeric and _magnitude_problem(cell, "number") else cell
            for i, cell in enumerate(row[: len(content.header)])
        ]
        for row in rows
    ]
    try:
        resource = Resource(data=[content.header, *cleaned], schema=Schema.from_descriptor(descriptor))
        with resource:
            records = [row.to_dict() for row in resource.row_stream]  # a wrong type reads as None
        return _frame(records, schema)
    except (FrictionlessException, ValueError, TypeError):
        return None


def _frame(records: list[dict[str, Any]], schema: TableSchema) -> pd.DataFrame:
    columns = {}
    for spec in schema.fields:
        values = [record.get(spec.name) for record in records]
        if spec.type == "number":
            values = [None if value is None else float(value) for value in values]
        dtype = PANDAS_DTYPES.get(spec.type)
        columns[spec.name] = pd.array(values, dtype=dtype) if dtype else values
    return pd.DataFrame(columns, columns=schema.field_names)


def warm_up() -> None:
    """Check and type one made-up row as `read_table` does (`_checked_content`), keeping nothing: the
    first table of a process then costs what the later ones do (views/warm_up.py)."""
    descriptor = {
        "fields": [
            {"name": "namn", "type": "string", "constraints": {"required": True, "enum": ["a"]}},
            {"name": "antal", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "varde", "type": "number"},
        ],
        "primaryKey": ["namn", "antal"],
    }
    schema = TableSchema(name="uppvarmning", title="", description="", descriptor=descriptor)
    _checked_content(CsvContent(["namn", "antal", "varde"], [["a", "3", "1.5"]]), schema, "uppvarmning.csv")


def empty_frame(schema: TableSchema) -> pd.DataFrame:
    """A table with the schema's columns and no rows."""
    return _frame([], schema)
