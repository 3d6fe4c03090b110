"""Tables an organisation declares itself: the schema in data/<org>/tabeller/<name>.yaml (Frictionless table
schema in YAML, as the package's own), the data in data/<org>/<year>/<name>.csv.

A schema here is data, not code: it is read with the safe YAML loader, bounded in size, and checked strictly
(known keys only, known types, no references to other tables or files, no regular expressions) before
Frictionless ever sees it. Every problem names the schema file and the key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Schema

from rapportbok.data.files import is_regular_dir, is_regular_file
from rapportbok.data.schema import TABLE_NAMES, TableSchema, table_schema
from rapportbok.data.vocabulary_file import org_vocabulary, vocabulary_schema
from rapportbok.data.yamlfile import read_mapping
from rapportbok.exceptions import Problem

ORG_TABLES_FOLDER = "tabeller"
SCHEMA_SUFFIX = ".yaml"
MAX_ORG_TABLES = 50
MAX_ENTRIES = 2 * MAX_ORG_TABLES  # files in tabeller/ looked at, of any kind
MAX_FIELDS = 100
MAX_ENUM = 200
MAX_PRIMARY_KEY = 5
MAX_TEXT = {"title": 200, "description": 4000, "unit": 40}
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
RESERVED = frozenset(TABLE_NAMES) | {"rapport"}
SCHEMA_KEYS = ("title", "description", "fields", "primaryKey", "optional")
FIELD_KEYS = ("name", "title", "type", "unit", "description", "constraints")
CONSTRAINT_KEYS = ("required", "unique", "enum", "minimum", "maximum", "minLength", "maxLength")
TYPES = ("string", "integer", "number", "boolean", "date")
HELP = "se docs/organisationer.md, avsnittet om egna tabeller"


@dataclass(frozen=True)
class OrgTables:
    """An organisation's declared tables (schema by name, sorted), their schema files, and the problems of
    the schemas that could not be used."""

    schemas: dict[str, TableSchema] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def book_schemas(org_dir: Path) -> dict[str, TableSchema]:
    """The schemas of every table of the organisation's years by name: the package's, in their order (the
    assessments and trends in the organisation's vocabulary), then the organisation's own that can be used
    (`check` names the problems of the others)."""
    vocabulary = org_vocabulary(org_dir)
    return {
        **{name: vocabulary_schema(table_schema(name), vocabulary) for name in TABLE_NAMES},
        **org_tables(org_dir).schemas,
    }


def org_tables(org_dir: Path) -> OrgTables:
    """Read and check every schema in data/<org>/tabeller/; a schema with problems is left out."""
    folder = org_dir / ORG_TABLES_FOLDER
    shown_folder = f"data/{org_dir.name}/{ORG_TABLES_FOLDER}"
    if not os.path.lexists(folder):
        return OrgTables()
    if not is_regular_dir(folder):
        return OrgTables(
            problems=[_problem(shown_folder, "ska vara en vanlig mapp (ingen länk)", code="link")]
        )
    result = OrgTables()
    with os.scandir(folder) as listing:  # never more than a bounded number of entries is looked at
        entries = sorted(islice(listing, MAX_ENTRIES + 1), key=lambda entry: entry.name)
    if len(entries) > MAX_ENTRIES:
        return OrgTables(
            problems=[_problem(shown_folder, f"för många filer (högst {MAX_ORG_TABLES} tabeller)")]
        )
    schemas = [entry for entry in entries if entry.name.endswith(SCHEMA_SUFFIX)]
    for entry in entries:
        if not entry.name.endswith(SCHEMA_SUFFIX) and not entry.name.startswith("."):
            result.problems.append(
                _problem(f"{shown_folder}/{entry.name}", f"okänd fil: bara tabellscheman ({SCHEMA_SUFFIX})")
            )
    if len(schemas) > MAX_ORG_TABLES:
        result.problems.append(_problem(shown_folder, f"för många tabeller (högst {MAX_ORG_TABLES})"))
        return result
    for entry in schemas:
        path = Path(entry.path)
        name = entry.name.removesuffix(SCHEMA_SUFFIX)
        shown_as = f"{shown_folder}/{entry.name}"
        schema, problems = read_org_schema(path, name, shown_as, within=org_dir)
        result.problems.extend(problems)
        if schema is not None:
            result.schemas[name] = schema
            result.files[name] = path
    return result


def read_org_schema(
    path: Path, name: str, shown_as: str, *, within: Path | None = None
) -> tuple[TableSchema | None, list[Problem]]:
    """One declared table's schema, or None and its problems."""
    if not NAME.fullmatch(name):
        return None, [
            _problem(
                shown_as,
                f'"{name}" är inget giltigt tabellnamn',
                allowed="små bokstäver a–z, siffror och _, högst 40 tecken, börjar med en bokstav",
            )
        ]
    if name in RESERVED:
        return None, [
            _problem(
                shown_as,
                f'"{name}" är redan en av rapportbokens egna tabeller',
                allowed="välj ett annat namn (byt namn på både schemat och CSV-filerna)",
                code="clash",
            )
        ]
    if not is_regular_file(path) and os.path.lexists(path):
        return None, [_problem(shown_as, "ska vara en vanlig fil (ingen länk)", code="link")]
    mapping, problems = read_mapping(path, shown_as, within=within)
    if mapping is None or problems:
        return None, problems
    descriptor = mapping.as_dict()
    problems = descriptor_problems(descriptor, shown_as)
    if problems:
        return None, problems
    try:
        Schema.from_descriptor(
            {key: descriptor[key] for key in ("fields", "primaryKey") if key in descriptor}
        )
    except FrictionlessException:
        return None, [_problem(shown_as, "schemat är inte ett giltigt Frictionless-tabellschema")]
    return (
        TableSchema(
            name=name,
            title=str(descriptor.get("title", name)),
            description=str(descriptor.get("description", "")).strip(),
            descriptor=descriptor,
        ),
        [],
    )


def descriptor_problems(descriptor: dict[str, Any], shown_as: str) -> list[Problem]:
    """Everything in a declared schema that rapportbok does not take: unknown keys, wrong kinds of value,
    unknown types, a primary key naming no column, sizes beyond the bounds."""
    problems = _unknown(descriptor, SCHEMA_KEYS, shown_as, None)
    problems += _texts(descriptor, shown_as, None)
    if "optional" in descriptor and not isinstance(descriptor["optional"], bool):
        problems.append(_problem(shown_as, "ska vara true eller false", column="optional"))
    fields = descriptor.get("fields")
    if not isinstance(fields, list) or not fields:
        return [*problems, _problem(shown_as, "en lista med minst en kolumn krävs", column="fields")]
    if len(fields) > MAX_FIELDS:
        return [*problems, _problem(shown_as, f"för många kolumner (högst {MAX_FIELDS})", column="fields")]
    names: list[str] = []
    for number, spec in enumerate(fields, start=1):
        where = f"fields[{number}]"
        if not isinstance(spec, dict):
            problems.append(_problem(shown_as, "ska vara en kolumn med name, type …", column=where))
            continue
        problems += _field_problems(spec, shown_as, where, names)
    problems += _primary_key_problems(descriptor.get("primaryKey"), names, shown_as)
    return problems


def _field_problems(spec: dict[str, Any], shown_as: str, where: str, names: list[str]) -> list[Problem]:
    problems = _unknown(spec, FIELD_KEYS, shown_as, where)
    name = spec.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        problems.append(
            _problem(
                shown_as,
                "kolumnen saknar ett giltigt namn",
                column=f"{where}.name",
                allowed="små bokstäver a–z, siffror och _, högst 40 tecken, börjar med en bokstav",
            )
        )
    elif name in names:
        problems.append(_problem(shown_as, f'kolumnen "{name}" finns redan', column=f"{where}.name"))
    else:
        names.append(name)
        where = name
    if spec.get("type", "string") not in TYPES:
        problems.append(
            _problem(
                shown_as,
                f'okänd typ "{spec.get("type")}"',
                column=f"{where}.type",
                allowed="tillåtna: " + ", ".join(TYPES),
            )
        )
    problems += _texts(spec, shown_as, where)
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        return [*problems, _problem(shown_as, "ska vara nyckel: värde", column=f"{where}.constraints")]
    return problems + _constraint_problems(constraints, shown_as, f"{where}.constraints")


def _constraint_problems(constraints: dict[str, Any], shown_as: str, where: str) -> list[Problem]:
    problems = _unknown(constraints, CONSTRAINT_KEYS, shown_as, where)
    for key, value in constraints.items():
        wrong = _wrong_constraint(key, value)
        if wrong:
            problems.append(_problem(shown_as, wrong, column=f"{where}.{key}"))
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_length(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_enum(value: Any) -> bool:
    return (
        isinstance(value, list)
        and 0 < len(value) <= MAX_ENUM
        and all(isinstance(item, str) and len(item) <= MAX_TEXT["title"] for item in value)
    )


# Each known constraint: what its value must be, and how to say so.
CONSTRAINT_VALUES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "required": (lambda value: isinstance(value, bool), "ska vara true eller false"),
    "unique": (lambda value: isinstance(value, bool), "ska vara true eller false"),
    "minimum": (_is_number, "ska vara ett tal"),
    "maximum": (_is_number, "ska vara ett tal"),
    "minLength": (_is_length, "ska vara ett heltal ≥ 0"),
    "maxLength": (_is_length, "ska vara ett heltal ≥ 0"),
    "enum": (_is_enum, f"ska vara en lista med 1–{MAX_ENUM} texter"),
}


def _wrong_constraint(key: str, value: Any) -> str | None:
    """What is wrong with one known constraint's value, in words (None: nothing, or an unknown key)."""
    if key not in CONSTRAINT_VALUES:
        return None
    valid, wanted = CONSTRAINT_VALUES[key]
    return None if valid(value) else wanted


def _primary_key_problems(key: Any, names: list[str], shown_as: str) -> list[Problem]:
    if key is None:
        return []
    if not isinstance(key, list) or not key or len(key) > MAX_PRIMARY_KEY:
        return [
            _problem(shown_as, f"ska vara en lista med 1–{MAX_PRIMARY_KEY} kolumner", column="primaryKey")
        ]
    return [
        _problem(shown_as, f'"{column}" är ingen kolumn i tabellen', column="primaryKey")
        for column in key
        if column not in names
    ]


def _unknown(
    mapping: dict[str, Any], known: tuple[str, ...], shown_as: str, where: str | None
) -> list[Problem]:
    return [
        _problem(
            shown_as,
            "okänd nyckel",
            column=key if where is None else f"{where}.{key}",
            allowed="tillåtna: " + ", ".join(known),
            code="key.unknown",
        )
        for key in mapping
        if key not in known
    ]


def _texts(mapping: dict[str, Any], shown_as: str, where: str | None) -> list[Problem]:
    problems = []
    for key, limit in MAX_TEXT.items():
        if key not in mapping:
            continue
        value = mapping[key]
        column = key if where is None else f"{where}.{key}"
        if not isinstance(value, str):
            problems.append(_problem(shown_as, "ska vara en text", column=column))
        elif len(value) > limit:
            problems.append(_problem(shown_as, f"texten är för lång (högst {limit} tecken)", column=column))
    return problems


def _problem(
    shown_as: str, message: str, *, column: str | None = None, allowed: str = HELP, code: str = "invalid"
) -> Problem:
    return Problem(shown_as, message, column=column, allowed=allowed, code=f"org_table.{code}")
