"""`rapportbok migrate`: move a project from before organisations (data/<year>/) to the layout with one
folder per organisation (data/<org>/<year>/).

Every year folder directly in data/ moves, unchanged, into data/<org>/, all in one transaction
(data/transaction.py: every year or none, even if the process is killed); when the project is a git
repository, the tracked files are then moved in git's index as `git mv` would (the history follows the
files). Nothing moves if any target already exists. The organisation id is the slug of the latest year's
`organisation` in rapport.yml (Kommunstyrelsekontoret → kommunstyrelsekontoret) unless one is given.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.core.book import data_root_of
from rapportbok.core.slug import slug
from rapportbok.data.datalock import WRITE_WAIT, data_lock, organisation_lock
from rapportbok.data.load import METADATA_FILE
from rapportbok.data.organisations import is_organisation_id, old_year_folders
from rapportbok.data.transaction import Transaction
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
    """Move every data/<year>/ of the project `root` into data/<org>/<year>/ and say what moved: all of
    them or (if anything stops it, even a kill) none, under data/'s lock."""
    data_root = data_root_of(root)
    if data_root.is_symlink():
        raise UsageError("data/ är en symbolisk länk; migrate flyttar bara år i en vanlig mapp data/.")
    if not data_root.is_dir():
        raise UsageError("Det finns inget att flytta: projektet har ingen mapp data/.")
    with data_lock(data_root, wait=WRITE_WAIT):
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
        # the organisation may already have years that a build reads: hold its lock too
        held = organisation_lock(target, write=True, wait=WRITE_WAIT) if target.is_dir() else nullcontext()
        with held:
            return _move_years(root, years, chosen)


def _move_years(root: Path, years: list[str], chosen: str) -> Migration:
    data_root = data_root_of(root)
    target = data_root / chosen
    taken = [f"data/{chosen}/{year}" for year in years if os.path.lexists(target / year)]
    if taken:
        raise UsageError(
            f"{', '.join(taken)} finns redan; migrate skriver aldrig över ett år och inget har flyttats. "
            "Flytta eller ta bort den mappen först, eller välj en annan organisation med --org."
        )
    migration = Migration(chosen)
    tracked = {year: _index_entries(root, f"data/{year}") for year in years}
    transaction = Transaction(data_root)
    if not target.is_dir():
        transaction.make_folder(target)
    for year in years:
        transaction.move(data_root / year, target / year)
    transaction.commit()  # every year moves, or none
    _move_in_index(root, [(f"data/{year}", f"data/{chosen}/{year}", tracked[year]) for year in years])
    for year in years:
        source, destination = f"data/{year}", f"data/{chosen}/{year}"
        migration.moved.append(Moved(source, destination, bool(tracked[year])))
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


def _index_entries(root: Path, path: str) -> list[bytes]:
    """git's index entries under `path` ('mode sha stage\tpath'), or none (not a repository, no git)."""
    try:
        completed = subprocess.run(
            ["git", "ls-files", "--stage", "-z", "--", path], cwd=root, capture_output=True, check=False
        )
    except OSError:  # no git installed: a plain rename
        return []
    if completed.returncode != 0:
        return []
    return [entry for entry in completed.stdout.split(b"\0") if entry]


def _move_in_index(root: Path, moves: list[tuple[str, str, list[bytes]]]) -> None:
    """What `git mv` does to the index, after the folders moved: each tracked file's entry (same content,
    same mode) under its new path, so that its history follows it."""
    records = []
    for source, destination, entries in moves:
        for entry in entries:
            info, _, path = entry.partition(b"\t")
            moved = destination.encode() + path[len(source.encode()) :]
            records += [b"0 " + b"0" * 40 + b"\t" + path, info + b"\t" + moved]
    if not records:
        return
    completed = subprocess.run(
        ["git", "update-index", "-z", "--index-info"],
        cwd=root,
        input=b"\0".join(records) + b"\0",
        capture_output=True,
        check=False,
    )
    if completed.returncode == 0:
        subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=root, capture_output=True, check=False)
        return
    raise UsageError(
        f"Åren är flyttade, men git kunde inte föra flytten till sitt index: "
        f"{completed.stderr.decode('utf-8', 'replace').strip()}. Kör git add -A data/ så ser git flytten."
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
