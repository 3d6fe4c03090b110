"""`python -m tests.pdf_layout`, the reviewer's measure of a PDF: its --help and a missing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pdf_layout import main


def test_help_says_what_is_measured_and_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    """--help answers (it was read as the name of a PDF and ended in a traceback)."""
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "60 %" in text and "15 %" in text and "9 pt" in text and "8 pt" in text


def test_a_missing_file_is_named_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "saknas.pdf"
    assert main([str(missing)]) == 1
    assert f"filen finns inte: {missing}" in capsys.readouterr().err


def test_a_chapter_ending_with_a_few_lines_on_a_page_is_reported() -> None:
    """A chapter's last page that holds only a few lines is a short tail; a one-page chapter or a last
    page that is well filled is not."""
    from tests.pdf_layout import TAIL, PageFill

    assert PageFill(40, TAIL / 3, chapter_end=True, chapter_tail=True).short_tail
    assert not PageFill(10, TAIL / 3, chapter_end=True, chapter_tail=False).short_tail  # its first page
    assert not PageFill(7, TAIL + 0.05, chapter_end=True, chapter_tail=True).short_tail
