"""`build` of a year not filled in yet (after new-year): one screen with the to-do by file and the two
ways on; without --year, the latest complete year is built instead and that is said in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok import cli
from rapportbok.cli import main
from rapportbok.core.book import BookId
from rapportbok.exceptions import DataError, Problem

SCREEN = 25  # lines


@pytest.fixture
def new_year(in_project: Path, capsys: pytest.CaptureFixture) -> Path:
    """The project with data/kommunstyrelsekontoret/2025 just started."""
    assert main(["new-year", "2025"]) == 0
    capsys.readouterr()
    return in_project


def test_an_unfilled_year_stops_in_one_screen_with_the_to_do_and_the_ways_on(
    new_year: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["build", "--year", "2025", "--no-pdf"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) <= SCREEN, err
    assert lines[0].startswith("data/kommunstyrelsekontoret/2025 är inte ifyllt än: ")
    assert any(
        line.startswith("  data/kommunstyrelsekontoret/2025/inriktningsmal.csv (18 poster, ")
        for line in lines
    )
    assert "Hela listan, post för post: rapportbok check --year 2025" in lines
    assert any(line.startswith("  rapportbok build --year 2025 --draft") for line in lines)
    assert any("rapportbok build --year 2024" in line and "make report YEAR=2024" in line for line in lines)
    assert "rad 2" not in err and "Traceback" not in err
    assert not (new_year / "_build/kommunstyrelsekontoret/2025/html").exists()


def test_the_unfilled_year_is_checked_once_the_build_and_its_stop_screen_share_the_check(
    new_year: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's validation finds the to-do; the stop screen uses that check instead of checking the
    year again (only the latest complete year, 2024, is checked besides)."""
    from rapportbok.authoring import readiness
    from rapportbok.checks import check

    checked: list[int] = []

    def counted(book: BookId, **options: object) -> check.CheckResult:
        checked.append(book.year)
        return original(book, **options)

    original = check.check_year
    monkeypatch.setattr(check, "check_year", counted)
    monkeypatch.setattr(readiness, "check_year", counted)
    assert main(["build", "--year", "2025", "--no-pdf"]) == 1
    assert "är inte ifyllt än" in capsys.readouterr().err
    assert checked == [2025, 2024]


def _fake_build(built: list[int]):
    """A build that stops on 2025's to-do, as the validate step does, and builds any other year."""

    def build(args, book: BookId, jobs, timeout):
        if book.year == 2025 and not args.draft:
            raise DataError([Problem("x.csv", "värde saknas", missing=True)])
        built.append(book.year)
        return cli.argparse.Namespace(pdf=None, index=book.root / "_build" / "index.html")

    return build


def test_without_year_the_latest_complete_year_is_built_and_said_in_one_line(
    new_year: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    monkeypatch.setattr(cli, "_build_book", _fake_build(built))
    assert main(["build", "--no-pdf"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert built == [2024]
    assert out[0].startswith("data/kommunstyrelsekontoret/2025 är inte ifyllt än (")
    assert "bygger 2024, det senaste året som är ifyllt" in out[0]
    assert out[0].endswith("rapportbok build --year 2025 --draft")


def test_a_draft_of_the_unfilled_year_is_built_as_asked(
    new_year: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    monkeypatch.setattr(cli, "_build_book", _fake_build(built))
    assert main(["build", "--draft", "--no-pdf"]) == 0
    assert built == [2025]
