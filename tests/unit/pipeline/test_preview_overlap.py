"""A saved table: the preview runs the chapter while the year is validated and its generated pages are
made, not one after the other; when the data is invalid the analyst sees the validation's error (file,
row, column), not the failure of a chapter that was given that data."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from rapportbok.exceptions import ChapterError, ChapterFailure, DataError, Problem
from rapportbok.pipeline.preview import builder as preview_builder
from rapportbok.pipeline.preview.builder import PreviewBuilder

STEP = 0.3
CHAPTER = SimpleNamespace(name="ekonomi")  # a stale chapter: the steps read only its name


class _Steps:
    """The rebuild's steps, recording when each ran; `invalid`/`failing` make validation/the chapter fail."""

    def __init__(self, invalid: bool = False, failing: bool = False) -> None:
        self.invalid, self.failing = invalid, failing
        self.spans: dict[str, tuple[float, float]] = {}
        self.written: list[Any] = []

    def _span(self, name: str) -> None:
        started = time.perf_counter()
        time.sleep(STEP)
        self.spans[name] = (started, time.perf_counter())

    def validated_pages(self) -> tuple[str, tuple[str, list[Any]]]:
        self._span("validate")
        if self.invalid:
            raise DataError([Problem("data/org/2024/drift.csv", '"x" är inte giltigt', 3, "utfall")])
        return "report", ("provenance", ["page"])

    def execute(self, stale: list[Any]) -> None:
        self._span("chapter")
        if self.failing:
            raise ChapterError([ChapterFailure("ekonomi", "cell 3: ValueError")])

    def write_site(self, inputs: list[Any], report: Any, pages: Any = None) -> Path:
        self.written.append((report, pages))
        return Path("html")


@pytest.fixture
def make_builder(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(preview_builder.chapter_steps, "verify_snapshot", lambda run, ran: None)
    monkeypatch.setattr(preview_builder.chapter_steps, "verify_reads", lambda run, notebooks, ran: None)
    monkeypatch.setattr(preview_builder.chapter_steps, "executed", lambda run, inputs: {})
    made = []

    def make(steps: _Steps) -> PreviewBuilder:
        builder = PreviewBuilder.__new__(PreviewBuilder)
        builder.run = None  # type: ignore[assignment]
        builder._pool = preview_builder.ThreadPoolExecutor(max_workers=1)
        builder._validated_pages = steps.validated_pages  # type: ignore[method-assign]
        builder._execute = steps.execute  # type: ignore[method-assign]
        builder._write_site = steps.write_site  # type: ignore[method-assign]
        made.append(builder)
        return builder

    yield make
    for builder in made:
        builder._pool.shutdown()


def test_the_chapter_runs_while_the_year_is_validated(make_builder: Any) -> None:
    steps = _Steps()
    assert make_builder(steps)._executed([], [CHAPTER]) == Path("html")
    (validate_start, validate_end), (chapter_start, chapter_end) = (
        steps.spans["validate"],
        steps.spans["chapter"],
    )
    assert validate_start < chapter_end and chapter_start < validate_end, "the two overlap"
    assert steps.written == [("report", ("provenance", ["page"]))], "the pages made ahead are used"


def test_invalid_data_shows_the_validation_error_not_the_chapters(make_builder: Any) -> None:
    with pytest.raises(DataError, match=r"drift\.csv"):
        make_builder(_Steps(invalid=True, failing=True))._executed([], [CHAPTER])
    with pytest.raises(DataError):
        make_builder(_Steps(invalid=True))._executed([], [CHAPTER])


def test_a_chapter_that_fails_on_valid_data_shows_its_own_error(make_builder: Any) -> None:
    steps = _Steps(failing=True)
    with pytest.raises(ChapterError, match="ekonomi"):
        make_builder(steps)._executed([], [CHAPTER])
    assert steps.written == [], "no pages are written after a failed chapter"


def test_with_no_chapter_out_of_date_the_pages_are_written_while_the_year_is_validated() -> None:
    """The first preview after a build (every chapter taken from the build's cache), or a saved file no
    chapter read: no kernel, and the path of a changed text (pages written during validation)."""
    builder = PreviewBuilder.__new__(PreviewBuilder)
    assert builder._rerendered([], {"ekonomi": [], "arbetsgivare": []}) == {}
    assert builder._rerendered([], {"ekonomi": [], "arbetsgivare": None}) is None
