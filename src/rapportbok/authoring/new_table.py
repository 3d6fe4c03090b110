"""`rapportbok ny-tabell data/<org>/<år>/<namn>.csv`: a first schema for a table an organisation declares.

Types are guessed by Frictionless (`Resource.infer`) from the file's cells (a semicolon file's Swedish
numbers read as numbers), units from the column names; a column with no empty cell is required, and the
first column is the primary key when its values are unique. The schema is written to
data/<org>/tabeller/<namn>.yaml for the analyst to edit, never over an existing file, and is read back
through the same strict check as every declared schema (what is written is always accepted).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frictionless import FrictionlessException, Resource

from rapportbok.core.book import DATA_FOLDER
from rapportbok.core.paths import YEAR_PATTERN
from rapportbok.data.csvfile import CsvContent, normalise_number, read_csv
from rapportbok.data.org_tables import NAME, ORG_TABLES_FOLDER, RESERVED, read_org_schema
from rapportbok.exceptions import DataError, UsageError

# Frictionless's guesses that the declared tables do not take, as the nearest type they do.
TYPE_OF = {"integer": "integer", "number": "number", "boolean": "boolean", "date": "date", "year": "integer"}
# A column name's part → its unit (the first match wins); the analyst checks and edits.
UNITS = (
    ("tkr", "tkr"),
    ("mnkr", "mnkr"),
    ("kronor", "kr"),
    ("_kr", "kr"),
    ("procent", "procent"),
    ("andel", "procent"),
    ("timmar", "timmar"),
    ("dagar", "dagar"),
    ("antal", "st"),
    ("platser", "st"),
)
HEADER = (
    "# Första utkastet till tabellschemat för {name}, skrivet av `rapportbok ny-tabell` från {csv}.\n"
    "# Typer och enheter är gissade: granska dem, skriv titlar och beskrivningar, och kör sedan\n"
    "# `rapportbok check`. Se docs/organisationer.md, avsnittet om egna tabeller.\n"
)


@dataclass(frozen=True)
class NewTable:
    """What `ny-tabell` wrote: the schema file and the table's name."""

    path: Path
    name: str


def write_first_schema(csv_path: Path, root: Path) -> NewTable:
    """Guess a schema for `csv_path` (data/<org>/<år>/<namn>.csv in the project at `root`) and write it."""
    org_dir, name, shown_csv = _locate(csv_path, root)
    target = org_dir / ORG_TABLES_FOLDER / f"{name}.yaml"
    shown_target = f"{DATA_FOLDER}/{org_dir.name}/{ORG_TABLES_FOLDER}/{name}.yaml"
    if os.path.lexists(target):
        raise UsageError(
            f"{shown_target} finns redan; ny-tabell skriver aldrig över ett schema. Redigera det, eller ta "
            "bort det först om du vill börja om.",
            file=shown_target,
        )
    content, problems = read_csv(csv_path, shown_csv, within=org_dir)
    if content is None:
        raise DataError(problems)
    _require_names(content.header, shown_csv)
    text = HEADER.format(name=name, csv=shown_csv) + yaml.safe_dump(
        guess_descriptor(content, name), allow_unicode=True, sort_keys=False, width=100
    )
    target.parent.mkdir(exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # never over a file made meanwhile
        handle.write(text)
    _, problems = read_org_schema(target, name, shown_target, within=org_dir)
    if problems:  # cannot happen for what guess_descriptor writes; never leave an unusable schema
        target.unlink()
        raise DataError(problems)
    return NewTable(target, name)


def _locate(csv_path: Path, root: Path) -> tuple[Path, str, str]:
    """The organisation folder, the table's name and the file as messages name it; refuses any path
    that is not data/<org>/<år>/<namn>.csv of this project."""
    absolute = Path(os.path.abspath(csv_path))
    data_root = Path(os.path.abspath(root / DATA_FOLDER))
    usage = "ange årets fil som data/<organisation>/<år>/<namn>.csv"
    if not absolute.is_relative_to(data_root):
        raise UsageError(f"{csv_path} ligger inte i projektets {DATA_FOLDER}/: {usage}.")
    parts = absolute.relative_to(data_root).parts
    if len(parts) != 3 or not YEAR_PATTERN.fullmatch(parts[1]) or absolute.suffix != ".csv":
        raise UsageError(f"{csv_path}: {usage}.")
    shown = f"{DATA_FOLDER}/{'/'.join(parts)}"
    name = absolute.stem
    if not NAME.fullmatch(name):
        raise UsageError(
            f'{shown}: "{name}" är inget giltigt tabellnamn (små bokstäver a–z, siffror och _, högst 40 '
            "tecken, börjar med en bokstav). Byt namn på filen."
        )
    if name in RESERVED:
        raise UsageError(
            f'{shown}: "{name}" är redan en av rapportbokens egna tabeller; välj ett annat namn.'
        )
    return data_root / parts[0], name, shown


def _require_names(header: list[str], shown_csv: str) -> None:
    """Column names a placeholder can name: refused before anything is written, each one named."""
    bad = [column for column in header if not NAME.fullmatch(column)]
    repeated = sorted({column for column in header if header.count(column) > 1})
    if bad or repeated:
        named = ", ".join(f'"{column}"' for column in [*bad, *repeated])
        raise UsageError(
            f"{shown_csv}, rad 1: kolumnrubrikerna {named} går inte att använda. Varje rubrik ska vara unik "
            "och skrivas med små bokstäver a–z, siffror och _ (t.ex. antal_brukare), högst 40 tecken. "
            "Byt rubrik i filen och kör kommandot igen.",
            file=shown_csv,
        )


def guess_descriptor(content: CsvContent, name: str) -> dict[str, Any]:
    """A schema for the file's columns: types from Frictionless, units from the names, required columns,
    the first column as primary key when its values are unique."""
    rows = [[normalise_number(cell, content.semicolon)[0] for cell in row] for row in content.rows]
    inferred = _inferred_types(content.header, rows)
    fields = [
        _field_guess(column, inferred.get(column, "string"), [row[i] if i < len(row) else "" for row in rows])
        for i, column in enumerate(content.header)
    ]
    descriptor: dict[str, Any] = {
        "title": name.replace("_", " ").capitalize(),
        "description": "",
        "fields": fields,
    }
    first = [row[0] for row in rows if row]
    if first and all(first) and len(set(first)) == len(first) and fields[0]["type"] in ("string", "integer"):
        fields[0]["constraints"] = {"required": True, "unique": True}
        descriptor["primaryKey"] = [content.header[0]]
    return descriptor


def _inferred_types(header: list[str], rows: list[list[str]]) -> dict[str, str]:
    """Frictionless's guess of each column's type (nothing when it cannot read the cells)."""
    try:
        resource = Resource(data=[header, *rows])
        resource.infer()
    except FrictionlessException:
        return {}
    return {spec.name: spec.type for spec in resource.schema.fields}


def _field_guess(column: str, inferred: str, values: list[str]) -> dict[str, Any]:
    kind = TYPE_OF.get(inferred, "string")
    spec: dict[str, Any] = {"name": column, "title": column.replace("_", " ").capitalize(), "type": kind}
    unit = _unit(column) if kind in ("integer", "number") else None
    if unit:
        spec["unit"] = unit
    spec["description"] = ""
    if values and all(value.strip() for value in values):
        spec["constraints"] = {"required": True}
    return spec


def _unit(column: str) -> str | None:
    lowered = column.lower()
    return next((unit for part, unit in UNITS if part in lowered), None)
