"""The rapportbok command's exit codes and messages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rapportbok.cli import main
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "drift"


@pytest.fixture
def in_project(project_copy: Path):
    previous = Path.cwd()
    os.chdir(project_copy)
    yield project_copy
    os.chdir(previous)


def test_check_exits_0_on_the_2024_data(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """It prints the warnings and says the data is valid."""
    assert main(["check", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "data/2024 är giltig (7 varningar)." in out


def test_check_exits_1_and_lists_every_problem(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """A bad file gives exit 1 and located messages on stderr."""
    shutil.copy(FIXTURES / "fail-duplicate-and-empty.csv", in_project / "data/2024/drift.csv")
    assert main(["check", "--year", "2024"]) == 1
    captured = capsys.readouterr()
    assert 'data/2024/drift.csv, rad 4, kolumn "post_id": "kostnader" förekommer flera gånger' in captured.err
    assert "1 fel i data/2024" in captured.err
    assert '  data/2024/drift.csv\n    [krävs] rad 5, kolumn "budget": värde saknas' in captured.out


@pytest.mark.parametrize("year", ["24", "../2024", "2024; rm -rf /"])
def test_only_a_four_digit_year_is_accepted(
    in_project: Path, year: str, capsys: pytest.CaptureFixture
) -> None:
    """It refuses anything but a four-digit year, so paths never leave data/."""
    assert main(["check", "--year", year]) == 1
    assert "ange räkenskapsåret med fyra siffror" in capsys.readouterr().err


def test_a_year_without_data_is_named(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """It says which folder is missing."""
    assert main(["check", "--year", "1999"]) == 1
    assert "Det finns ingen data för 1999" in capsys.readouterr().err


@pytest.mark.parametrize("output", ["data", "data/2024", "notebooks", "book", "src/x", ".", "länk-till-data"])
def test_the_build_folder_may_not_be_the_project_or_inside_its_sources(
    in_project: Path, capsys: pytest.CaptureFixture, output: str
) -> None:
    """--output into data/, notebooks/, book/, src/ (also through a link) or the project root itself is
    refused with a Swedish message before anything is written."""
    (in_project / "länk-till-data").symlink_to(in_project / "data")
    before = sorted(in_project.rglob("*"))
    assert main(["build", "--year", "2024", "--output", output]) == 1
    err = capsys.readouterr().err
    assert "Byggmappen (--output) " in err and "Välj " in err and "Traceback" not in err
    assert sorted(in_project.rglob("*")) == before
