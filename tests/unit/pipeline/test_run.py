"""One run of one book (pipeline/run.py) and what every driver shares: the chapters' parameters are
made in one place, the options have the command's defaults, and a failed run's note says truly what
is published (pipeline/publishing/explain.py), for a book and for the site alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.core.book import BookId
from rapportbok.exceptions import BuildInterrupted, DataError, PublishError, UsageError
from rapportbok.pipeline.book import book_wording
from rapportbok.pipeline.books.site import site_wording
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import explain, publish
from rapportbok.pipeline.run import DEFAULT_TIMEOUT, BookRun, BuildOptions, checked_book
from tests.conftest import ROOT

ORGANISATION = "kommunstyrelsekontoret"


def _run(root: Path, options: BuildOptions) -> BookRun:
    book = BookId(ORGANISATION, 2024, root)
    return BookRun(book, book.layout(root / "_build"), options, BuildProcesses(), Progress(quiet=True))


def test_every_chapter_gets_the_year_the_organisations_folder_and_the_draft_flag() -> None:
    chapters = _run(ROOT, BuildOptions(draft=True)).chapters()
    assert chapters, "the project's _toc.yml names chapters"
    assert {tuple(sorted(item.parameters.items())) for item in chapters} == {
        (("data_dir", str(ROOT / "data" / ORGANISATION)), ("draft", True), ("year", 2024))
    }
    assert all(item.notebook == ROOT / "notebooks" / f"{item.name}.ipynb" for item in chapters)


def test_the_options_default_to_the_commands_defaults() -> None:
    options = BuildOptions()
    assert (options.pdf, options.draft, options.force, options.timeout) == (
        True,
        False,
        False,
        DEFAULT_TIMEOUT,
    )
    assert options.executor is None and options.build_root is None
    assert BuildOptions(jobs=3).workers == 3 and BuildOptions().workers >= 1


def test_a_book_that_does_not_exist_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "data" / ORGANISATION / "2024").mkdir(parents=True)
    assert checked_book(tmp_path, ORGANISATION, 2024) == BookId(ORGANISATION, 2024, tmp_path.resolve())
    with pytest.raises(UsageError):
        checked_book(tmp_path, "finns-inte", 2024)


@pytest.mark.parametrize("driver", ["book", "site"])
def test_a_failed_run_with_nothing_published_says_so(tmp_path: Path, driver: str) -> None:
    book = BookId(ORGANISATION, 2024, tmp_path)
    layout = book.layout(tmp_path / "_build")
    wording = book_wording(book, layout) if driver == "book" else site_wording(tmp_path, tmp_path / "_build")
    nothing = {
        "book": "Ingen version av kommunstyrelsekontoret 2024 är publicerad.",
        "site": "Ingen webbplats är publicerad i _build/site.",
    }[driver]
    error = DataError([])
    assert explain.explained(error, tmp_path, layout.releases, None, wording) is error
    assert error.__notes__ == [nothing]
    interrupted = explain.explained(KeyboardInterrupt(), tmp_path, layout.releases, None, wording)
    assert isinstance(interrupted, BuildInterrupted)
    stopped = {"book": "Bygget av kommunstyrelsekontoret 2024 avbröts.", "site": "rapportbok site avbröts."}
    assert str(interrupted) == f"{stopped[driver]} {nothing}"
    unwritten = explain.explained(
        PermissionError(13, "nekad", str(tmp_path / "x")), tmp_path, layout.releases, None, wording
    )
    assert isinstance(unwritten, PublishError) and str(unwritten).endswith(f"\n{nothing}")


def test_a_failed_book_build_says_the_published_release_is_untouched(tmp_path: Path) -> None:
    book = BookId(ORGANISATION, 2024, tmp_path)
    layout = book.layout(tmp_path / "_build")
    publish.prepare(layout.releases)
    html = tmp_path / "built"
    html.mkdir()
    (html / "index.html").write_text("<p>1</p>", encoding="utf-8")
    publish.publish_year(layout, "nyckel", html, None, lambda copy: None)
    before = publish.current_release(layout.releases)
    error = DataError([])
    explain.explained(error, tmp_path, layout.releases, before, book_wording(book, layout))
    assert error.__notes__ == [
        "Den senast publicerade versionen (_build/kommunstyrelsekontoret/2024/html och "
        "_build/kommunstyrelsekontoret/2024/pdf) är orörd."
    ]
