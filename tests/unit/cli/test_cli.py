"""The rapportbok command's exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rapportbok.cli import main
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "drift"


def test_check_exits_0_on_the_2024_data(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """It prints the warnings and says the data is valid."""
    assert main(["check", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert (
        "data/kommunstyrelsekontoret/2024 är giltig (4 att kontrollera, 27 kända avvikelser)." in out
    )  # 7 + 14 row checks, assessments, + 6 empty comments


def test_check_exits_1_and_lists_every_problem(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """A bad file gives exit 1 and located messages on stderr."""
    shutil.copy(
        FIXTURES / "fail-duplicate-and-empty.csv", in_project / "data/kommunstyrelsekontoret/2024/drift.csv"
    )
    assert main(["check", "--year", "2024"]) == 1
    captured = capsys.readouterr()
    assert (
        "data/kommunstyrelsekontoret/"
        '2024/drift.csv, rad 4, kolumn "post_id": "kostnader" förekommer flera gånger' in captured.err
    )
    assert "data/kommunstyrelsekontoret/2024: 1 fel, 1 uppgift saknas," in captured.err
    assert (
        "  data/kommunstyrelsekontoret/2024/drift.csv (1 post, 1 uppgift saknas)\n    [krävs] Post "
        in captured.out
    )
    assert ": budget saknas\n" in captured.out


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


@pytest.mark.parametrize("year", ["٢٠٢٤", "２０２４", "2024\n", "²⁰²⁴", "2024 "])
def test_only_ascii_digits_make_a_year(in_project: Path, year: str, capsys: pytest.CaptureFixture) -> None:
    """Arabic-Indic, full-width and superscript digits are refused (surrounding blanks are trimmed)."""
    code = main(["check", "--year", year])
    if year.strip() == "2024":
        assert code == 0
    else:
        assert code == 1
        assert "ange räkenskapsåret med fyra siffror" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["build", "--year", "2024", "--timeout", "0"], "--timeout"),
        (["build", "--year", "2024", "--timeout", "-1"], "--timeout"),
        (["build", "--year", "2024", "--timeout", "tio"], "--timeout"),
        (["build", "--year", "2024", "--timeout", "١٠"], "--timeout"),
        (["check", "--year", "2024", "--timeout", "0"], "--timeout"),
        (["build", "--year", "2024", "--jobs", "0"], "--jobs"),
        (["build", "--year", "2024", "--jobs", "-2"], "--jobs"),
        (["site", "--jobs", "0"], "--jobs"),
    ],
)
def test_timeout_and_jobs_must_be_positive(
    in_project: Path, args: list[str], option: str, capsys: pytest.CaptureFixture
) -> None:
    """0 and negative numbers never silently mean "no limit": a Swedish message and exit 1."""
    assert main(args) == 1
    assert f"Ogiltigt värde för {option}" in capsys.readouterr().err
    assert not (in_project / "_build").exists()


def test_check_fails_when_a_text_a_chapter_needs_is_missing(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """The build would fail after running the chapters; check says so first, with exit 1."""
    (in_project / "data/kommunstyrelsekontoret/2024/text/sammanfattning/ekonomi.md").unlink()
    assert main(["check", "--year", "2024"]) == 1
    assert (
        "data/kommunstyrelsekontoret/2024/text/sammanfattning/ekonomi.md: texten saknas"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "output",
    ["data", "data/kommunstyrelsekontoret/2024", "notebooks", "book", "src/x", ".", "länk-till-data"],
)
def test_the_build_folder_may_not_be_the_project_or_inside_its_sources(
    in_project: Path, capsys: pytest.CaptureFixture, output: str
) -> None:
    """--output into data/, notebooks/, book/, src/ (also through a link) or the project root itself is
    refused with a Swedish message before anything is written."""
    (in_project / "länk-till-data").symlink_to(in_project / "data" / "kommunstyrelsekontoret")
    before = sorted(in_project.rglob("*"))
    assert main(["build", "--year", "2024", "--output", output]) == 1
    err = capsys.readouterr().err
    assert "Byggmappen (--output) " in err and "Välj " in err and "Traceback" not in err
    assert sorted(in_project.rglob("*")) == before


def _second_organisation(project: Path, organisation: str = "andra-namnden") -> Path:
    """A second organisation: a copy of kommunstyrelsekontoret's data under another id."""
    shutil.copytree(project / "data/kommunstyrelsekontoret", project / "data" / organisation)
    return project / "data" / organisation


def test_with_one_organisation_org_and_year_may_be_left_out(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """`rapportbok check` alone checks the only organisation's latest year."""
    assert main(["check"]) == 0
    assert "data/kommunstyrelsekontoret/2024 är giltig" in capsys.readouterr().out


def test_with_two_organisations_org_is_asked_for(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    """No guess between organisations: the message lists them; --org chooses one."""
    _second_organisation(in_project)
    assert main(["check", "--year", "2024"]) == 1
    assert capsys.readouterr().err.strip() == (
        "data/ har 2 organisationer: andra-namnden, kommunstyrelsekontoret. Välj en med --org, "
        "t.ex. --org andra-namnden."
    )
    assert main(["check", "--org", "andra-namnden"]) == 0
    assert "data/andra-namnden/2024 är giltig" in capsys.readouterr().out


def test_new_year_writes_into_the_chosen_organisation_only(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """new-year --org starts the year in that organisation's folder and names it in the next step."""
    _second_organisation(in_project)
    assert main(["new-year", "2025", "--org", "andra-namnden"]) == 0
    out = capsys.readouterr().out
    assert "Skapade data/andra-namnden/2025 med " in out
    assert "`rapportbok check --org andra-namnden --year 2025`" in out
    assert not (in_project / "data/kommunstyrelsekontoret/2025").exists()
    assert main(["check", "--org", "andra-namnden"]) == 1  # the latest year is now 2025, still to fill in
    assert "data/andra-namnden/2025: " in capsys.readouterr().out
