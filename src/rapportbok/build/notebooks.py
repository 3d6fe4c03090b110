"""Executed notebooks without what varies between runs: papermill's timings and paths, execution
timestamps and random cell ids. What is published (and cached) is the same for the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

VOLATILE_NOTEBOOK_KEYS = ("papermill",)
VOLATILE_CELL_KEYS = ("papermill", "execution")


def clean_executed(path: Path) -> None:
    """Rewrite the notebook at `path` in place, deterministically."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_NOTEBOOK_KEYS:
        notebook.get("metadata", {}).pop(key, None)
    for index, cell in enumerate(notebook.get("cells", [])):
        cell["id"] = f"cell-{index}"
        for key in VOLATILE_CELL_KEYS:
            cell.get("metadata", {}).pop(key, None)
    path.write_text(
        json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
