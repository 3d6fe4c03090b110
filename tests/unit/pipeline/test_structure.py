"""The pipeline's shape, kept: no function takes more than five parameters (a run object or options
are passed instead of a chain of values), and no module imports another module's private name."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT
from tests.package_source import modules, parsed

PIPELINE = ROOT / "src" / "rapportbok" / "pipeline"
PACKAGE = ROOT / "src" / "rapportbok"
MAX_PARAMETERS = 5


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    arguments = node.args
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) + (arguments.vararg is not None) + (arguments.kwarg is not None)


def _trees(folder: Path) -> list[tuple[Path, ast.AST]]:
    return [(path, parsed(path)) for path in modules(folder)]


def test_no_function_in_the_pipeline_takes_more_than_five_parameters() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({_parameters(node)})"
        for path, tree in _trees(PIPELINE)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _parameters(node) > MAX_PARAMETERS
    ]
    assert found == []


def test_no_module_imports_another_modules_private_name() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}.{alias.name}"
        for path, tree in _trees(PACKAGE)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rapportbok")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert found == []
