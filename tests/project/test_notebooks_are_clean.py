"""Chapter notebooks are committed as presentation only, without outputs, and take the build's parameters."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest

from rapportbok.views.chapter import start_chapter

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs_and_a_parameters_cell(path: Path) -> None:
    """No outputs or execution counts are committed, and papermill finds the parameters cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_parameters_cell_declares_the_kernel_protocol(path: Path) -> None:
    """The parameters cell sets exactly start_chapter's parameters, to its defaults (outside a build),
    and the notebook hands all of them on: the build passes year, data_dir, draft, reads_log, lazy."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parameters = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    declared: dict[str, object] = {}
    for node in ast.parse("".join(parameters["source"])).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.unparse(node)
        declared[node.targets[0].id] = ast.literal_eval(node.value)
    signature = inspect.signature(start_chapter).parameters
    assert declared == {name: spec.default for name, spec in signature.items()}
    calls = [
        node
        for cell in cells
        if cell["cell_type"] == "code"
        for node in ast.walk(ast.parse("".join(cell["source"])))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "start_chapter"
    ]
    assert len(calls) == 1 and [ast.unparse(arg) for arg in calls[0].args] == list(signature)
