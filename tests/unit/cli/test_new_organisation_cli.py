"""`rapportbok ny-organisation <id>`: an organisation's first year from the defaults, with its to-do;
and commands run inside data/<org>/<år>/ know their organisation and year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from rapportbok.cli import main
from rapportbok.data.schema import table_schema


def test_a_new_organisation_starts_with_headers_texts_to_write_and_its_to_do(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """The year folder has every table (a header, no rows), rapport.yml with the project's municipality,
    and each text a chapter shows marked to be written; `check` lists them as to-do, with no error."""
    assert main(["ny-organisation", "kultur-och-fritid"]) == 0
    captured = capsys.readouterr()
    year = in_project / "data/kultur-och-fritid/2024"
    assert "Skapade data/kultur-och-fritid/2024 med " in captured.out
    assert "Kultur och fritid, Norrtälje kommun" in captured.out
    assert "Att göra i data/kultur-och-fritid/2024: " in captured.out
    assert "[krävs]" in captured.out and captured.err == ""
    meta = yaml.safe_load((year / "rapport.yml").read_text(encoding="utf-8"))
    assert meta["organisation"] == "Kultur och fritid" and meta["kommun"] == "Norrtälje kommun"
    assert meta["ar"] == 2024
    header = (year / "indikatorer.csv").read_text(encoding="utf-8")
    assert header == ",".join(table_schema("indikatorer").field_names) + "\n"
    assert (year / "text/ekonomi/driftredovisning.md").read_text(encoding="utf-8").startswith("> [SKRIV OM]")
    assert main(["check", "--org", "kultur-och-fritid"]) == 1
    out = capsys.readouterr()
    assert "0 fel, 17 uppgifter saknas" in out.out and out.err == ""
    assert (
        "[krävs] ekonomi/driftredovisning.md: märkt [SKRIV OM] – skriv texten och ta bort märkningen"
        in out.out
    )


def test_name_municipality_and_year_may_be_given(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    names = ["--namn", "Byggnämnden", "--kommun", "Exempelby kommun"]
    assert main(["ny-organisation", "bygg", "--year", "2026", *names]) == 0
    meta = yaml.safe_load((in_project / "data/bygg/2026/rapport.yml").read_text(encoding="utf-8"))
    assert (meta["organisation"], meta["kommun"], meta["ar"]) == ("Byggnämnden", "Exempelby kommun", 2026)


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [
        ("kommunstyrelsekontoret", "data/kommunstyrelsekontoret finns redan; ny-organisation skriver"),
        ("Kultur", 'Ogiltigt id "Kultur": ett id består av små bokstäver'),
        ("2025", 'Ogiltigt id "2025"'),
        ("site", 'Ogiltigt id "site"'),
        ("../ute", 'Ogiltigt id "../ute"'),
    ],
)
def test_a_taken_or_invalid_id_is_refused_and_nothing_is_written(
    in_project: Path, organisation: str, expected: str, capsys: pytest.CaptureFixture
) -> None:
    before = sorted(in_project.rglob("*"))
    assert main(["ny-organisation", organisation]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert sorted(in_project.rglob("*")) == before


def test_a_file_or_link_of_that_name_is_refused_too(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    (in_project / "data/ny").symlink_to(in_project / "data/kommunstyrelsekontoret")
    assert main(["ny-organisation", "ny"]) == 1
    assert "data/ny finns redan" in capsys.readouterr().err


def test_inside_a_year_folder_commands_take_its_organisation_and_year(
    in_project: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two organisations, `check` in data/<org>/<år>/ needs no --org or --year; --org elsewhere wins."""
    shutil.copytree(in_project / "data/kommunstyrelsekontoret", in_project / "data/andra-namnden")
    monkeypatch.chdir(in_project / "data/andra-namnden/2024/text")
    assert main(["check"]) == 0
    assert "data/andra-namnden/2024 är giltig" in capsys.readouterr().out
    monkeypatch.chdir(in_project / "data/andra-namnden")
    assert main(["check"]) == 0
    assert "data/andra-namnden/2024 är giltig" in capsys.readouterr().out
    monkeypatch.chdir(in_project / "data")
    assert main(["check"]) == 1
    assert "Välj en med --org" in capsys.readouterr().err


def test_a_name_check_would_refuse_is_refused_before_anything_is_written(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["ny-organisation", "ny", "--namn", "<script>alert(1)</script>"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--namn eller --kommun kan inte stå i rapport.yml; inget har skrivits:")
    assert 'data/ny/2024/rapport.yml, rad 3, kolumn "organisation"' in err
    assert not (in_project / "data/ny").exists()


def test_the_first_organisation_of_a_project_needs_its_municipality(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """With no organisation to take it from, --kommun is asked for and nothing (not even data/) is made;
    given, the project's first organisation starts in this calendar year or the given one."""
    shutil.rmtree(in_project / "data")
    assert main(["ny-organisation", "forsta"]) == 1
    assert "ange det med --kommun" in capsys.readouterr().err
    assert not (in_project / "data").exists()
    assert main(["ny-organisation", "forsta", "--year", "2030", "--kommun", "Exempelby kommun"]) == 0
    assert (in_project / "data/forsta/2030/rapport.yml").is_file()
