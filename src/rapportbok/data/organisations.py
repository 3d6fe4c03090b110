"""The organisations in data/: one folder per organisation (data/<org>/), each with one folder per year.

An organisation's id is its folder's name: lower-case ASCII letters, digits and hyphens, at most 64
characters (a longer --org gave "File name too long"), never four digits only (that is a year folder of
a project from before organisations: `rapportbok migrate`) and never `site` (the books build into
_build/<org>/, where _build/site is the published site).
"""

from __future__ import annotations

import re
from pathlib import Path

from rapportbok.core.layout import SITE_FOLDER
from rapportbok.core.paths import YEAR_PATTERN
from rapportbok.exceptions import UsageError

MAX_ORGANISATION_ID = 64  # characters: a folder name every file system takes, in every path below it
ORGANISATION_PATTERN = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_ORGANISATION_ID - 1}}}", re.ASCII)
ORGANISATION_ID_RULE = (
    f"ett id består av små bokstäver a–z, siffror och bindestreck, högst {MAX_ORGANISATION_ID} tecken, "
    f"inte bara fyra siffror och inte {SITE_FOLDER}"
)


def is_organisation_id(name: str) -> bool:
    """An organisation id: [a-z0-9][a-z0-9-]*, at most MAX_ORGANISATION_ID characters, not a year (four
    digits) and not `site`."""
    return (
        len(name) <= MAX_ORGANISATION_ID
        and bool(ORGANISATION_PATTERN.fullmatch(name))
        and not YEAR_PATTERN.fullmatch(name)
        and name != SITE_FOLDER
    )


def organisations(data_root: Path) -> list[str]:
    """The ids of the organisation folders in data/, sorted: folders named by an id that hold at least
    one year folder. A folder without years (e.g. data/gemensamt/ with a logo several organisations
    use) and a symbolic link are not organisations."""
    if not data_root.is_dir():
        return []
    return sorted(
        path.name
        for path in data_root.iterdir()
        if path.is_dir() and not path.is_symlink() and is_organisation_id(path.name) and _has_years(path)
    )


def _has_years(folder: Path) -> bool:
    return any(p.is_dir() and YEAR_PATTERN.fullmatch(p.name) for p in folder.iterdir())


def old_year_folders(data_root: Path) -> list[str]:
    """Year folders directly in data/ (data/2024/): the layout from before organisations."""
    if not data_root.is_dir():
        return []
    return sorted(p.name for p in data_root.iterdir() if p.is_dir() and YEAR_PATTERN.fullmatch(p.name))


def organisation_dir(data_root: Path, organisation: str) -> Path:
    """The folder of one organisation, data/<org>; a UsageError (in Swedish) if there is none."""
    if not is_organisation_id(organisation):
        shown = organisation if len(organisation) <= MAX_ORGANISATION_ID else organisation[:40] + "…"
        raise UsageError(
            f'Ogiltig organisation "{shown}": {ORGANISATION_ID_RULE} (t.ex. kommunstyrelsekontoret). '
            f"{_available(data_root)}"
        )
    folder = data_root / organisation
    if folder.is_symlink():  # never followed, wherever it leads: data/<org> is the organisation's own folder
        raise UsageError(
            f"Det finns ingen organisation {organisation} i data/: data/{organisation} är en symbolisk "
            "länk, och rapportbok följer inga länkar i data/. Flytta in organisationens mapp i data/ "
            f"i stället för att länka till den. {_listed(data_root)}",
            file=f"data/{organisation}",
        )
    if not folder.is_dir():
        _refuse_old_layout(data_root)
        raise UsageError(f"Det finns ingen organisation {organisation} i data/. {_available(data_root)}")
    return folder


def resolve_organisation(data_root: Path, organisation: str | None) -> str:
    """The organisation to work on: the one given (checked), or the only one in data/."""
    if organisation is not None:
        return organisation_dir(data_root, organisation).name
    _refuse_old_layout(data_root)
    found = organisations(data_root)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(
            " ".join(
                [
                    "Det finns ingen organisation i data/. Lägg varje organisations data i en egen mapp, "
                    "data/<organisation>/<år>/, t.ex. data/kommunstyrelsekontoret/<år>/.",
                    *_misnamed(data_root),
                    *_linked(data_root),
                ]
            )
        )
    raise UsageError(
        f"data/ har {len(found)} organisationer: {', '.join(found)}. Välj en med --org, "
        f"t.ex. --org {found[0]}."
    )


def _refuse_old_layout(data_root: Path) -> None:
    old = old_year_folders(data_root)
    if old:
        shown = ", ".join(f"data/{name}/" for name in old)
        raise UsageError(
            f"Projektet har sina år direkt i data/ ({shown}): så såg projekt ut innan de kunde hålla "
            "flera organisationer. Flytta dem till data/<organisation>/<år>/ med `rapportbok migrate`."
        )


def _listed(data_root: Path) -> str:
    found = organisations(data_root)
    if not found:
        return "Det finns ingen organisation i data/."
    return f"Organisationer i data/: {', '.join(found)}."


def _available(data_root: Path) -> str:
    return " ".join([_listed(data_root), *_misnamed(data_root), *_linked(data_root)])


def _linked(data_root: Path) -> list[str]:
    """A sentence for each symbolic link in data/ named like an organisation: it is never followed."""
    if not data_root.is_dir():
        return []
    return [
        f"data/{path.name} är en symbolisk länk och räknas inte som en organisation: rapportbok följer "
        "inga länkar i data/. Flytta in mappen i data/ i stället."
        for path in sorted(data_root.iterdir())
        if path.is_symlink() and is_organisation_id(path.name)
    ]


def _misnamed(data_root: Path) -> list[str]:
    """A sentence for each folder with years whose name is no organisation id (e.g. data/Nämnden/)."""
    if not data_root.is_dir():
        return []
    return [
        f"Mappen data/{path.name}/ har år men namnet är inget giltigt id (små bokstäver a–z, siffror och "
        "bindestreck): byt namn på den."
        for path in sorted(data_root.iterdir())
        if path.is_dir()
        and not path.is_symlink()
        and not is_organisation_id(path.name)
        and not YEAR_PATTERN.fullmatch(path.name)
        and _has_years(path)
    ]
