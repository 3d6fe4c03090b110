"""The blocks check: every `table(...)` and `chart(...)` call in the book's chapter notebooks names a table
that has a schema and columns it has (numeric ones where a chart draws numbers), so that `check` finds
what the chapter would stop on, located by notebook and cell, before the build runs it.

Only literal names are checked (a name computed in the notebook is known when the chapter runs, and the
block itself stops with a located error then). The notebooks are read with `ast`, never run.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rapportbok.checks.required_texts import book_notebooks
from rapportbok.core.book import BookId
from rapportbok.data.block_names import BlockNames, block_name_problems
from rapportbok.data.org_tables import ORG_TABLES_FOLDER, SCHEMA_SUFFIX
from rapportbok.data.schema import TableSchema
from rapportbok.exceptions import Problem

TABLE_BLOCK = "table"
CHART_BLOCK = "chart"
UNKNOWN = object()  # an argument that is not a literal: checked when the chapter runs


def _literal(node: ast.expr | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return UNKNOWN


def _names(value: Any) -> tuple[str, ...] | None:
    """A literal column name or list of names as a tuple; None when it is not one."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _argument(call: ast.Call, keyword: str, position: int | None = None) -> ast.expr | None:
    """The call's argument by `keyword`, or at `position` (report is 0) where it may be given so."""
    if position is not None and len(call.args) > position:
        return call.args[position]
    return next((item.value for item in call.keywords if item.arg == keyword), None)


def block_call_names(call: ast.Call) -> BlockNames | None:
    """The literal names a `table(report, ...)` or `chart(report, ...)` call uses; None for another call
    or a table name that is not a literal."""
    function = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    if function not in (TABLE_BLOCK, CHART_BLOCK):
        return None
    table = _literal(_argument(call, "name", 1))
    if not isinstance(table, str):
        return None
    if function == TABLE_BLOCK:
        return BlockNames(table, _names(_literal(_argument(call, "columns", 2))) or ())
    x = _names(_literal(_argument(call, "x"))) or ()  # chart's other arguments are keywords only
    drawn = (_names(_literal(_argument(call, key))) or () for key in ("y", "target"))
    return BlockNames(table, x, tuple(name for names in drawn for name in names))


def notebook_block_calls(path: Path) -> Iterator[tuple[int, BlockNames]]:
    """(cell number from 1, names) of each block call with a literal table name in the notebook."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return  # not a notebook the build could run either; the structure check or the build names it
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
        except SyntaxError:  # IPython syntax (magics): no block call the check can read
            continue
        for node in ast.walk(tree):
            names = block_call_names(node) if isinstance(node, ast.Call) else None
            if names is not None:
                yield number, names


def block_problems(
    book: BookId, schemas: Mapping[str, TableSchema], left_out: Iterable[str] = ()
) -> list[Problem]:
    """Every unknown table or column a block of the book's chapter notebooks names, located by notebook
    and cell. A table whose own schema file has problems is left to the schema's check."""
    declared = book.org_dir / ORG_TABLES_FOLDER
    problems = []
    for chapter, path in book_notebooks(book).items():
        if chapter in set(left_out) or not path.is_file():
            continue
        shown = path.relative_to(book.root).as_posix() if path.is_relative_to(book.root) else str(path)
        for number, names in notebook_block_calls(path):
            if names.table not in schemas and (declared / f"{names.table}{SCHEMA_SUFFIX}").is_file():
                continue
            problems += block_name_problems(schemas, names, shown, f"cell {number}: ")
    return problems
