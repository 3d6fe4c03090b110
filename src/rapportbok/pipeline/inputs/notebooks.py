"""Executed notebooks without what varies between runs: papermill's timings and paths, execution
timestamps and random cell ids. What is published (and cached) is the same for the same inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rapportbok.core.headings import HEADING_METADATA

VOLATILE_NOTEBOOK_KEYS = ("papermill",)
VOLATILE_CELL_KEYS = ("papermill", "execution")


def clean_executed(path: Path) -> None:
    """Rewrite the notebook at `path` in place, deterministically; a heading shown by a code cell
    (views.text.show_heading) becomes the Markdown cell it stands for."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_NOTEBOOK_KEYS:
        notebook.get("metadata", {}).pop(key, None)
    notebook["cells"] = [_as_markdown_heading(cell) or cell for cell in notebook.get("cells", [])]
    for index, cell in enumerate(notebook.get("cells", [])):
        cell["id"] = f"cell-{index}"
        for key in VOLATILE_CELL_KEYS:
            cell.get("metadata", {}).pop(key, None)
    path.write_text(
        json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _as_markdown_heading(cell: dict[str, Any]) -> dict[str, Any] | None:
    """The Markdown cell for a code cell whose only output is a heading from show_heading."""
    outputs = cell.get("outputs", [])
    if cell.get("cell_type") != "code" or len(outputs) != 1:
        return None
    output = outputs[0]
    marked = output.get("metadata", {}).get("text/markdown", {})
    markdown = output.get("data", {}).get("text/markdown")
    if marked != HEADING_METADATA or markdown is None:
        return None
    source = "".join(markdown) if isinstance(markdown, list) else str(markdown)
    return {"cell_type": "markdown", "metadata": {}, "source": source}
