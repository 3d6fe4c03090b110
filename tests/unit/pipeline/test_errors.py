"""Build errors name what the analyst should look at: the chapter and cell, the log, the lock file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.exceptions import BuildLocked, ChapterError, ChapterFailure, SiteBuildError
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.processes.sphinx import SphinxProject, build_html
from rapportbok.pipeline.publishing.lock import book_lock


def test_a_chapter_error_names_each_chapter_its_cell_and_the_kept_notebook() -> None:
    """The message lists every failed chapter; the first one's chapter, cell and notebook are fields."""
    error = ChapterError(
        [
            ChapterFailure("ekonomi", "cell 3: ZeroDivisionError: division by zero", "a/failed.ipynb", 3),
            ChapterFailure("arbetsgivare", "en cell körde längre än tidsgränsen 3 s", "b/failed.ipynb"),
        ],
        published="_build/kommunstyrelsekontoret/2024/html",
    )
    assert (error.chapter, error.cell, error.file) == ("ekonomi", 3, "a/failed.ipynb")
    assert str(error).splitlines() == [
        "Kapitlet ekonomi misslyckades: cell 3: ZeroDivisionError: division by zero",
        "  Den körda notebooken finns kvar för felsökning: a/failed.ipynb",
        "Kapitlet arbetsgivare misslyckades: en cell körde längre än tidsgränsen 3 s",
        "  Den körda notebooken finns kvar för felsökning: b/failed.ipynb",
        "Den tidigare publicerade webbplatsen _build/kommunstyrelsekontoret/2024/html är orörd.",
    ]


def test_a_chapter_error_of_one_of_many_books_names_the_organisation_and_year() -> None:
    failure = ChapterFailure(
        "ekonomi", "cell 4: NameError: name 'x' is not defined", "c/failed.ipynb", 4, True, "vard", 2023
    )
    error = ChapterError([failure])
    assert (error.organisation, error.year, error.chapter, error.cell) == ("vard", 2023, "ekonomi", 4)
    assert str(error).splitlines()[0] == (
        "Kapitlet ekonomi i vard 2023 misslyckades: cell 4: NameError: name 'x' is not defined"
    )


def test_a_second_build_of_the_year_names_the_lock_file(project_copy: Path) -> None:
    """The refusal says which file holds the lock."""
    lock = project_copy / "_build/kommunstyrelsekontoret/2024/.lock"
    with (
        book_lock(lock, "kommunstyrelsekontoret", 2024),
        pytest.raises(BuildLocked) as raised,
        book_lock(lock, "kommunstyrelsekontoret", 2024),
    ):
        pass
    assert raised.value.file == "_build/kommunstyrelsekontoret/2024/.lock"
    assert "Ett annat bygge av kommunstyrelsekontoret 2024 pågår redan" in str(raised.value)


def test_a_failed_site_build_points_at_its_log(project_copy: Path) -> None:
    """When Jupyter Book fails, the error carries its log file, relative to the project."""
    source = project_copy / "_build/kommunstyrelsekontoret/2024/.work/source"
    source.mkdir(parents=True)  # no pages at all: Jupyter Book cannot build
    config = project_copy / "_build/kommunstyrelsekontoret/2024/.work/_config.yml"
    config.write_text("title: x\n", encoding="utf-8")
    with pytest.raises(SiteBuildError) as raised:
        work = project_copy / "_build/kommunstyrelsekontoret/2024/.work"
        build_html(SphinxProject(project_copy, source, config, work, 0), BuildProcesses())
    assert (
        raised.value.log == raised.value.file == "_build/kommunstyrelsekontoret/2024/.work/jupyter-book.log"
    )
    assert (project_copy / raised.value.log).is_file()
    assert "(logg: _build/kommunstyrelsekontoret/2024/.work/jupyter-book.log)" in str(raised.value)
