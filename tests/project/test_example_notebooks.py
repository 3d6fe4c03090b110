"""The worked example's chapter notebooks (exempel/notebooks/<org>/) keep the rules of the project's
own: committed without outputs, with the build's parameters cell, and naming no year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.exempel import EXAMPLE
from tests.project import test_notebooks_are_clean as clean
from tests.project.test_year_independence import YEAR

NOTEBOOKS = sorted((ROOT / "exempel" / "notebooks" / EXAMPLE).glob("*.ipynb"))


def test_the_example_has_its_own_chapter_notebooks() -> None:
    assert [path.stem for path in NOTEBOOKS] == ["besok", "maluppfyllelse", "sammanfattning"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_example_notebook_is_clean_and_takes_the_builds_parameters(path: Path) -> None:
    clean.test_notebook_has_no_outputs_and_a_parameters_cell(path)
    clean.test_the_parameters_cell_declares_the_kernel_protocol(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_example_notebook_names_no_year(path: Path) -> None:
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        assert not YEAR.search("".join(cell["source"])), cell["source"]
