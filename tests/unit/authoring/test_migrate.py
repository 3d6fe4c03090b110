"""`rapportbok migrate`: a one-organisation project's data/<year>/ moves to data/<org>/<year>/, unchanged."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from rapportbok.authoring.migrate import migrate_project
from rapportbok.cli import main
from rapportbok.exceptions import UsageError

ORG = "kommunstyrelsekontoret"


def old_layout(project: Path) -> Path:
    """The project copy as it was before organisations: data/2024/ directly in data/."""
    shutil.move(project / "data" / ORG / "2024", project / "data" / "2024")
    (project / "data" / ORG).rmdir()
    return project


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _git(project: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=test@example.se", "-c", "user.name=Test", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def old_project(project_copy: Path) -> Path:
    return old_layout(project_copy)


def test_a_plain_folder_is_moved_by_rename_with_every_file_unchanged(old_project: Path) -> None:
    """Not a git repository: the year folder is renamed into data/<org>/, byte for byte."""
    before = _hashes(old_project / "data" / "2024")
    migration = migrate_project(old_project)
    assert migration.organisation == ORG
    assert [(m.source, m.target, m.with_git) for m in migration.moved] == [
        ("data/2024", f"data/{ORG}/2024", False)
    ]
    assert not (old_project / "data" / "2024").exists()
    assert _hashes(old_project / "data" / ORG / "2024") == before


def test_a_git_project_is_moved_with_git_mv(old_project: Path) -> None:
    """Tracked files are renamed in git's index too, so their history follows them."""
    _git(old_project, "init", "-q")
    _git(old_project, "add", "-A")
    _git(old_project, "commit", "-qm", "före")
    migration = migrate_project(old_project)
    assert [m.with_git for m in migration.moved] == [True]
    status = _git(old_project, "status", "--porcelain")
    assert f"R  data/2024/drift.csv -> data/{ORG}/2024/drift.csv" in status.splitlines()
    assert all(line.startswith("R  ") for line in status.splitlines())
    renames = _git(old_project, "diff", "--cached", "--name-status", "-M100%").splitlines()
    assert len(renames) == len(list((old_project / "data" / ORG / "2024").rglob("*.*")))
    assert all(line.startswith("R100\t") for line in renames), renames  # moved, content unchanged


def test_an_untracked_year_in_a_git_project_is_renamed(old_project: Path) -> None:
    """A git repository that does not track data/2024 yet: a plain rename, nothing staged."""
    _git(old_project, "init", "-q")
    migration = migrate_project(old_project)
    assert [m.with_git for m in migration.moved] == [False]
    assert (old_project / "data" / ORG / "2024" / "rapport.yml").is_file()
    assert _git(old_project, "status", "--porcelain", "--untracked-files=no") == ""


def test_the_organisation_may_be_given(old_project: Path) -> None:
    """--org names the folder instead of rapport.yml's organisation."""
    migration = migrate_project(old_project, "ks")
    assert (old_project / "data" / "ks" / "2024" / "rapport.yml").is_file()
    assert migration.organisation == "ks"


def test_an_existing_target_is_never_overwritten_and_nothing_moves(old_project: Path) -> None:
    """data/<org>/2024 already there: refused before anything moved."""
    (old_project / "data" / "2023").mkdir()
    (old_project / "data" / ORG / "2024").mkdir(parents=True)
    with pytest.raises(UsageError) as raised:
        migrate_project(old_project)
    assert str(raised.value) == (
        f"data/{ORG}/2024 finns redan; migrate skriver aldrig över ett år och inget har flyttats. "
        "Flytta eller ta bort den mappen först, eller välj en annan organisation med --org."
    )
    assert (old_project / "data" / "2023").is_dir() and (old_project / "data" / "2024").is_dir()


def test_a_project_already_migrated_has_nothing_to_move(project_copy: Path) -> None:
    with pytest.raises(UsageError, match="Det finns inget att flytta"):
        migrate_project(project_copy)


def test_without_an_organisation_name_it_asks_for_org(old_project: Path) -> None:
    """rapport.yml without `organisation`: the id cannot be made, so --org is asked for."""
    metadata = old_project / "data" / "2024" / "rapport.yml"
    metadata.write_text(
        "\n".join(
            line for line in metadata.read_text(encoding="utf-8").splitlines() if "organisation" not in line
        ),
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as raised:
        migrate_project(old_project)
    assert "Ange det med --org" in str(raised.value)
    assert (old_project / "data" / "2024").is_dir()


def test_a_logo_outside_the_year_folder_gets_a_note(old_project: Path) -> None:
    """A logo path that leaves the year's folder now needs one more ../ : migrate says so."""
    metadata = old_project / "data" / "2024" / "rapport.yml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8") + "logotyp: ../gemensamt/logo.svg\n", encoding="utf-8"
    )
    migration = migrate_project(old_project)
    assert len(migration.notes) == 1
    assert migration.notes[0].startswith(f"data/{ORG}/2024/rapport.yml, rad ")
    assert migration.notes[0].endswith("skriv ../../gemensamt/logo.svg.")


def test_the_command_prints_what_it_moved_in_swedish(
    old_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Before: check refuses and names migrate. After migrate: check passes for the organisation."""
    monkeypatch.chdir(old_project)
    assert main(["check"]) == 1
    assert "`rapportbok migrate`" in capsys.readouterr().err
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"data/2024 → data/{ORG}/2024 (flyttad)",
        f"Klart: 1 år i data/{ORG}/. Bygg med rapportbok build --org {ORG}.",
    ]
    assert main(["check"]) == 0
    assert f"data/{ORG}/2024 är giltig" in capsys.readouterr().out
