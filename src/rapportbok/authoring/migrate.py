"""`rapportbok migrate`: move a project from before organisations (data/<year>/) to the layout with one
folder per organisation (data/<org>/<year>/).

Every year folder directly in data/ moves, unchanged, into data/<org>/: with `git mv` when the project is
a git repository and the folder is tracked (the history follows the files), else with a plain rename.
Nothing moves if any target already exists. The organisation id is the slug of the latest year's
`organisation` in rapport.yml (Kommunstyrelsekontoret → kommunstyrelsekontoret) unless one is given.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.core.slug import slug
from rapportbok.data.load import METADATA_FILE
from rapportbok.data.organisations import is_organisation_id, old_year_folders
from rapportbok.data.yamlfile import read_mapping
from rapportbok.exceptions import UsageError


@dataclass(frozen=True)
class Moved:
    """One year folder that moved, as project paths ('data/2024' → 'data/kommunstyrelsekontoret/2024')."""

    source: str
    target: str
    with_git: bool


@dataclass
class Migration:
    """What `migrate` did, and what the analyst should look at afterwards."""

    organisation: str
    moved: list[Moved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def migrate_project(root: Path, organisation: str | None = None) -> Migration:
    """Move every data/<year>/ of the project `root` into data/<org>/<year>/ and say what moved."""
    data_root = root / "data"
    years = old_year_folders(data_root)
    if not years:
        raise UsageError(
            "Det finns inget att flytta: data/ har inga årsmappar (data/<år>/). Projektet har redan "
            "en mapp per organisation, data/<organisation>/<år>/."
        )
    chosen = _organisation_id(data_root, years[-1], organisation)
    target = data_root / chosen
    if target.exists() and (target.is_symlink() or not target.is_dir()):
        raise UsageError(f"data/{chosen} finns redan och är ingen mapp; inget har flyttats.")
    taken = [f"data/{chosen}/{year}" for year in years if os.path.lexists(target / year)]
    if taken:
        raise UsageError(
            f"{', '.join(taken)} finns redan; migrate skriver aldrig över ett år och inget har flyttats. "
            "Flytta eller ta bort den mappen först, eller välj en annan organisation med --org."
        )
    migration = Migration(chosen)
    target.mkdir(exist_ok=True)
    for year in years:
        source, destination = f"data/{year}", f"data/{chosen}/{year}"
        with_git = _tracked(root, source)
        if with_git:
            _git_mv(root, source, destination)
        else:
            os.rename(root / source, root / destination)
        migration.moved.append(Moved(source, destination, with_git))
        migration.notes += _relative_logo_note(root / destination, destination)
    old_builds = [f"_build/{year}/" for year in years if (root / "_build" / year).is_dir()]
    if old_builds:
        migration.notes.append(
            f"De gamla byggmapparna {', '.join(old_builds)} används inte längre (böckerna byggs nu i "
            f"_build/{chosen}/<år>/) och kan tas bort."
        )
    return migration


def _organisation_id(data_root: Path, latest: str, given: str | None) -> str:
    """The id given (checked), or the slug of the latest year's organisation name."""
    if given is not None:
        if not is_organisation_id(given):
            raise UsageError(
                f'Ogiltig organisation "{given}": ett id består av små bokstäver a–z, siffror och '
                "bindestreck, inte bara fyra siffror och inte site (t.ex. kommunstyrelsekontoret)."
            )
        return given
    shown = f"data/{latest}/{METADATA_FILE}"
    content, problems = read_mapping(data_root / latest / METADATA_FILE, shown, within=data_root)
    names = [entry.value for entry in (content.entries if content else []) if entry.key == "organisation"]
    name = names[0] if names and isinstance(names[0], str) else ""
    candidate = slug(name)
    if not is_organisation_id(candidate):
        why = "; ".join(str(problem) for problem in problems) or f"{shown} har ingen organisation"
        raise UsageError(
            f"Kan inte ta organisationens id ur {shown} ({why}). Ange det med --org, "
            "t.ex. rapportbok migrate --org kommunstyrelsekontoret."
        )
    return candidate


def _tracked(root: Path, path: str) -> bool:
    """Whether `path` is in a git repository and git tracks files in it."""
    try:
        completed = subprocess.run(
            ["git", "ls-files", "-z", "--", path], cwd=root, capture_output=True, check=False
        )
    except OSError:  # no git installed: a plain rename
        return False
    return completed.returncode == 0 and bool(completed.stdout)


def _git_mv(root: Path, source: str, destination: str) -> None:
    completed = subprocess.run(
        ["git", "mv", "--", source, destination], cwd=root, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise UsageError(
            f"git mv {source} {destination} misslyckades: {completed.stderr.strip()}. "
            "Rätta felen och kör rapportbok migrate igen (det som redan flyttats står kvar)."
        )


def _relative_logo_note(folder: Path, shown: str) -> list[str]:
    """A note when rapport.yml's logo path leaves the year's folder: it is now one folder deeper."""
    content, _ = read_mapping(folder / METADATA_FILE, f"{shown}/{METADATA_FILE}", within=folder)
    for entry in content.entries if content else []:
        if entry.key == "logotyp" and isinstance(entry.value, str) and entry.value.strip().startswith("../"):
            return [
                f"{shown}/{METADATA_FILE}, rad {entry.line}: logotypen {entry.value.strip()} anges relativt "
                f"årets mapp, som nu ligger en mapp längre ner: skriv ../{entry.value.strip()}."
            ]
    return []
