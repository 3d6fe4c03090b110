"""_toc.yml is the one list of chapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.build.toc import chapters
from rapportbok.exceptions import UsageError


def test_chapters_follow_the_toc_in_the_reports_order(project_root: Path) -> None:
    """The chapters are those of the 2024 report, in its order."""
    assert [c.name for c in chapters(project_root)] == [
        "sammanfattning",
        "viktiga-handelser",
        "tjanstegarantier",
        "mal-indikatorer-uppdrag",
        "maluppfyllelse",
        "ekonomi",
        "arbetsgivare",
    ]


def test_a_toc_entry_without_notebook_is_an_error(project_copy: Path) -> None:
    """It names the toc entry and the missing notebook."""
    (project_copy / "notebooks" / "ekonomi.ipynb").unlink()
    with pytest.raises(UsageError, match=r"chapters/ekonomi.*notebooks/ekonomi\.ipynb saknas"):
        chapters(project_copy)
