"""Nothing in the notebooks or the package code names a particular year."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.package_source import modules, parsed

ROOT = Path(__file__).resolve().parents[2]
YEAR = re.compile(r"\b(19|20)\d\d\b")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _limits(tree: ast.AST) -> set[int]:
    """The numbers that are a limit's whole value (`MAX_YEAR_ENTRIES = 2000`): a count, not a year."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and all(isinstance(target, ast.Name) and target.id.startswith("MAX_") for target in node.targets)
    }


def _years_in_code(tree: ast.Module) -> list[str]:
    docs = _docstrings(tree) | _limits(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docs:
            if isinstance(node.value, int) and 1900 <= node.value <= 2099:
                found.append(str(node.value))
            elif isinstance(node.value, str) and YEAR.search(node.value):
                found.append(node.value[:60])
    return found


def test_package_code_names_no_year() -> None:
    """Constants in src/rapportbok are year-free (docstrings may give examples)."""
    offenders = {str(path.relative_to(ROOT)): _years_in_code(parsed(path)) for path in modules()}
    assert {path: years for path, years in offenders.items() if years} == {}


def test_notebooks_name_no_year() -> None:
    """Chapter notebooks take the year as a parameter and never write one."""
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            assert not YEAR.search("".join(cell["source"])), (path.name, cell["source"])
