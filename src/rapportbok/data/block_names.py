"""What a generic block (`table`, `chart` in a chapter notebook) may name: a table of the book that has a
schema, its columns, and numeric columns where numbers are drawn. Shared by the blocks, which stop on an
unknown name, and by `check`, which finds it in the notebooks before the build runs them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapportbok.data.schema import TableSchema
from rapportbok.exceptions import Problem

NUMERIC_TYPES = ("integer", "number")
DECLARE = "en egen tabell deklareras i data/<organisation>/tabeller/<namn>.yaml (se docs/organisationer.md)"


@dataclass(frozen=True)
class BlockNames:
    """The names one block call uses: its table, every column it shows, and those that must be numbers."""

    table: str
    columns: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()


def block_name_problems(
    schemas: Mapping[str, TableSchema], names: BlockNames, file: str, where: str = ""
) -> list[Problem]:
    """The unknown table, unknown columns and non-numeric columns of `names`, each located in `file`
    (`where` starts the message, e.g. 'cell 4: '); empty when every name exists."""
    schema = schemas.get(names.table)
    if schema is None:
        return [
            Problem(
                file,
                f'{where}tabellen "{names.table}" finns inte',
                allowed=f"tabellerna är: {', '.join(schemas)}; {DECLARE}",
                code="block.table.unknown",
            )
        ]
    fields = {spec.name: spec for spec in schema.fields}
    known = ", ".join(fields)
    problems = [
        Problem(
            file,
            f'{where}tabellen "{names.table}" har ingen kolumn "{column}"',
            allowed=f"kolumnerna är: {known}",
            code="block.column.unknown",
        )
        for column in dict.fromkeys(names.columns + names.numeric)
        if column not in fields
    ]
    problems += [
        Problem(
            file,
            f'{where}kolumnen "{column}" i tabellen "{names.table}" är inga tal (typ {fields[column].type})',
            allowed="ett diagram ritar kolumner av typen integer eller number",
            code="block.column.not_numeric",
        )
        for column in dict.fromkeys(names.numeric)
        if column in fields and fields[column].type not in NUMERIC_TYPES
    ]
    return problems


def as_names(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One column name or a list of them as a tuple (None: none)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
