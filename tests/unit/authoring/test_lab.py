"""Notebooks saved from JupyterLab (`make lab`) keep no outputs."""

from __future__ import annotations

import nbformat

from rapportbok.authoring.lab import strip_outputs


def test_a_saved_notebook_has_no_outputs_or_execution_counts() -> None:
    """The pre-save hook empties outputs and execution counts and leaves sources as they are."""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_text(report, 'x')", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>"})]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# Rubrik"), cell]
    model = {"type": "notebook", "content": nbformat.from_dict(notebook)}
    strip_outputs(model, path="notebooks/x.ipynb", contents_manager=None)
    saved = model["content"].cells
    assert saved[1].outputs == [] and saved[1].execution_count is None
    assert "execution" not in saved[1].metadata
    assert [c.source for c in saved] == ["# Rubrik", "show_text(report, 'x')"]


def test_other_files_are_saved_as_they_are() -> None:
    """A text file passes through untouched."""
    model = {"type": "file", "content": "Sjukfrånvaron var {{ sjukfranvaro.namnden | procent }}."}
    strip_outputs(model, path="data/kommunstyrelsekontoret/2024/text/a.md", contents_manager=None)
    assert model["content"] == "Sjukfrånvaron var {{ sjukfranvaro.namnden | procent }}."
