"""Table schemas (Frictionless Table Schema, YAML): one per data table, the source of the contract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

# The package's schemas are read on every start (data/vocabulary.py compares them with its classes): with
# libyaml, part of every PyYAML wheel, that takes a tenth of the time of the pure-Python loader.
SCHEMA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SCHEMA_PACKAGE = "rapportbok.data.schemas"

# The tables of a fiscal year, in the order they are loaded and documented.
TABLE_NAMES: tuple[str, ...] = (
    "malomraden",
    "inriktningsmal",
    "indikatorer",
    "indikator_utfall",
    "uppdrag",
    "uppdrag_nasta_ar",
    "uppdrag_sammanstallning",
    "sjukfranvaro",
    "sjukfranvaro_ar",
    "personalomsattning",
    "drift",
    "drift_verksamhet",
    "investeringar",
)
FRICTIONLESS_KEYS = {"fields", "primaryKey"}


@dataclass(frozen=True)
class FieldSpec:
    """One column: its name, type, display title and unit."""

    name: str
    type: str
    title: str
    unit: str | None
    description: str
    required: bool
    enum: tuple[str, ...] | None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def range_text(self) -> str:
        """The allowed range in words, e.g. 'från 1 till 12'."""
        parts = []
        if self.minimum is not None:
            parts.append(f"minst {self.minimum}")
        if self.maximum is not None:
            parts.append(f"högst {self.maximum}")
        return " och ".join(parts)


@dataclass(frozen=True)
class ForeignKey:
    """Values of `fields` must exist in `fields` of table `resource`."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """The contract of one table (`data/<year>/<name>.csv`)."""

    name: str
    title: str
    description: str
    descriptor: dict[str, Any]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def fields(self) -> list[FieldSpec]:
        return [_field_spec(field) for field in self.descriptor["fields"]]

    @property
    def optional(self) -> bool:
        """An optional table may be absent from a year's folder."""
        return bool(self.descriptor.get("optional", False))

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        return [
            ForeignKey(tuple(key["fields"]), key["reference"]["resource"], tuple(key["reference"]["fields"]))
            for key in self.descriptor.get("foreignKeys", [])
        ]

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.descriptor["fields"]]

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)

    def frictionless_descriptor(self) -> dict[str, Any]:
        """The descriptor without our documentation-only keys."""
        kept = {key: value for key, value in self.descriptor.items() if key in FRICTIONLESS_KEYS}
        return {**kept, "fieldsMatch": "equal"}  # columns by name, in any order


def with_enums(schema: TableSchema, enums: Mapping[str, Sequence[str]]) -> TableSchema:
    """`schema` with the allowed values of the columns in `enums` replaced (an organisation's vocabulary)."""
    if not enums:
        return schema
    fields = [
        {**field, "constraints": {**field.get("constraints", {}), "enum": list(enums[field["name"]])}}
        if field["name"] in enums
        else field
        for field in schema.descriptor["fields"]
    ]
    return replace(schema, descriptor={**schema.descriptor, "fields": fields})


def _field_spec(field: dict[str, Any]) -> FieldSpec:
    constraints = field.get("constraints", {})
    enum = constraints.get("enum")
    return FieldSpec(
        name=field["name"],
        type=field.get("type", "string"),
        title=field.get("title", field["name"]),
        unit=field.get("unit"),
        description=field.get("description", ""),
        required=bool(constraints.get("required", False)),
        enum=tuple(enum) if enum else None,
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
    )


@cache
def table_schema(name: str) -> TableSchema:
    """Read the schema of table `name` from the package."""
    text = resources.files(SCHEMA_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    descriptor = yaml.load(text, Loader=SCHEMA_LOADER)  # the package's own files, not an analyst's
    return TableSchema(
        name=name,
        title=descriptor.get("title", name),
        description=descriptor.get("description", "").strip(),
        descriptor=descriptor,
    )
