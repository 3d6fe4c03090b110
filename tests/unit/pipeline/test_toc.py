"""_toc.yml is the one list of chapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.core.book import BookId
from rapportbok.exceptions import ConfigError, UsageError
from rapportbok.pipeline.inputs.toc import chapters

ORG = "kommunstyrelsekontoret"


def test_chapters_follow_the_toc_in_the_reports_order(project_root: Path) -> None:
    """The chapters are those of the 2024 report, in its order."""
    assert [c.name for c in chapters(BookId(ORG, 2024, project_root))] == [
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
        chapters(BookId(ORG, 2024, project_copy))


def test_a_toc_that_is_not_yaml_names_the_file_and_line(project_copy: Path) -> None:
    """A broken _toc.yml is a located error, not a traceback."""
    toc = project_copy / "_toc.yml"
    toc.write_text("format: jb-book\nroot: index\nchapters:\n  - file: a\n - file: b\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        chapters(BookId(ORG, 2024, project_copy))
    assert raised.value.file == "_toc.yml" and raised.value.problems[0].row == 5
    assert str(raised.value).startswith("_toc.yml, rad 5: filen går inte att läsa som YAML")


def test_a_toc_with_the_wrong_shape_says_what_it_should_be(project_copy: Path) -> None:
    """chapters must be a list of `- file:` entries."""
    (project_copy / "_toc.yml").write_text("root: index\nchapters: kapitel\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^_toc\.yml: chapters, sections och parts ska vara listor"):
        chapters(BookId(ORG, 2024, project_copy))
