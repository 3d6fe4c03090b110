"""JupyterLab for the analyst (`make lab`): notebooks are saved as presentation only, without outputs.

Lab shows a chapter with its tables and text while the analyst works, but the repository keeps
notebooks without outputs (tests/project/test_notebooks_are_clean.py). `strip_outputs` is the
Jupyter server's pre-save hook (`--ContentsManager.pre_save_hook=rapportbok.authoring.lab.strip_outputs`):
what is saved has no outputs or execution counts; what Lab shows is unchanged.
"""

from __future__ import annotations

from typing import Any


def strip_outputs(model: dict[str, Any], **_: Any) -> None:
    """Remove outputs and execution counts from a notebook model before Jupyter saves it."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
