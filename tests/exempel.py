"""The worked example in exempel/ (an invented organisation, docs/exempel.md), copied into a project
copy the way the handbook says:
`cp -r exempel/data/<org> data/ && cp -r exempel/notebooks/<org> notebooks/`."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

EXAMPLE = "exempelby-kultur-och-fritid"
EXAMPLE_NAME = "Kultur- och fritidsnämnden (exempel)"
SCALE = ("Uppnått", "Till stor del uppnått", "Delvis uppnått", "Ej uppnått")
NO_VALUE = "Kan inte mätas"


def add_example(project: Path) -> Path:
    """Copy the example's data and notebooks into `project`; its data folder."""
    shutil.copytree(ROOT / "exempel" / "data" / EXAMPLE, project / "data" / EXAMPLE)
    shutil.copytree(ROOT / "exempel" / "notebooks" / EXAMPLE, project / "notebooks" / EXAMPLE)
    return project / "data" / EXAMPLE
