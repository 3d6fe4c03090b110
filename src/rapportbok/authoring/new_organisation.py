"""`rapportbok ny-organisation <id>`: a new organisation's first year, made from the package's defaults.

What is written, in one transaction under data/'s lock (the organisation appears whole, or not at all):
`data/<id>/<år>/rapport.yml` (the organisation's name, the municipality and the period), every table of
the data contract as a CSV file with its header and no rows, and every text the chapters show, each
marked [SKRIV OM] so that `check` lists it as a to-do until it has been written. Nothing is copied from
another organisation's year: its goals, numbers and texts are not the new organisation's.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from rapportbok.checks.required_texts import book_notebooks, notebook_texts
from rapportbok.core.book import BookId
from rapportbok.data.datalock import WRITE_WAIT, data_lock
from rapportbok.data.metadata import METADATA_FILE, Context, metadata_values, read_metadata
from rapportbok.data.organisations import ORGANISATION_ID_RULE, is_organisation_id, organisations
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.transaction import Transaction
from rapportbok.data.yamlfile import read_mapping
from rapportbok.data.years import latest_year
from rapportbok.exceptions import UsageError
from rapportbok.narrative.templates import REWRITE_MARKER

# The tables a year starts with: every table of the data contract but the optional published summary
# of assignments (uppdrag_sammanstallning), which new-year does not start either.
STARTING_TABLES = tuple(name for name in TABLE_NAMES if name != "uppdrag_sammanstallning")
TEXT_TEMPLATE = "> {marker} Skriv texten för {year} här och ta bort den här raden.\n"


@dataclass(frozen=True)
class OrganisationNames:
    """What rapport.yml says about who reports: the organisation's name and its municipality."""

    name: str | None = None  # None: made from the id ("kultur-och-fritid" -> "Kultur och fritid")
    municipality: str | None = None  # None: the municipality of the project's other organisations


@dataclass(frozen=True)
class NewOrganisation:
    """What `ny-organisation` wrote, and the names it chose (to say so)."""

    folder: Path  # data/<id>/<år>
    files: list[Path]
    name: str
    municipality: str


def start_organisation(book: BookId, names: OrganisationNames | None = None) -> NewOrganisation:
    """Create data/<book.organisation>/<book.year>/ from the defaults; refuse an invalid id or one that
    is already in data/ (a folder, a file or a link of that name), and a name or municipality that
    rapport.yml cannot hold, before anything is written."""
    names = names or OrganisationNames()
    refuse_organisation_id(book)
    name = names.name or default_name(book.organisation)
    municipality = names.municipality or project_municipality(book)
    files = _year_files(book, _metadata(name, municipality, book.year))
    data_root = book.data_root
    data_root.mkdir(exist_ok=True)
    with data_lock(data_root, wait=WRITE_WAIT):
        refuse_organisation_id(book)  # another command may have made it meanwhile
        transaction = Transaction(data_root)
        transaction.new_folder(book.org_dir, files)
        transaction.commit()
    return NewOrganisation(book.year_dir, sorted(book.org_dir / path for path in files), name, municipality)


def _year_files(book: BookId, metadata: bytes) -> dict[str, bytes]:
    """The first year's files by their path in data/<id>/: rapport.yml (checked as `check` reads it),
    every starting table's header, every text the chapters show, marked to be written."""
    refuse_bad_metadata(book, metadata)
    year = f"{book.year:04d}"
    files = {f"{year}/{METADATA_FILE}": metadata}
    for table in STARTING_TABLES:
        schema = table_schema(table)
        files[f"{year}/{schema.file_name}"] = _header(schema.field_names)
    text = TEXT_TEMPLATE.format(marker=REWRITE_MARKER, year=book.year).encode("utf-8")
    for key in starting_texts(book):
        files[f"{year}/text/{key}.md"] = text
    return files


def refuse_organisation_id(book: BookId) -> None:
    """A UsageError (in Swedish) for an id that is not an organisation id, or is taken in data/."""
    organisation = book.organisation
    if not is_organisation_id(organisation):
        shown = organisation if len(organisation) <= 40 else organisation[:40] + "…"
        raise UsageError(
            f'Ogiltigt id "{shown}": {ORGANISATION_ID_RULE}. Välj ett annat id, t.ex. kultur-och-fritid.'
        )
    if os.path.lexists(book.org_dir):
        raise UsageError(
            f"data/{organisation} finns redan; ny-organisation skriver aldrig över något. Välj ett annat "
            f"id, eller starta ett nytt år för organisationen med rapportbok new-year <år> --org "
            f"{organisation}.",
            file=f"data/{organisation}",
        )


def refuse_bad_metadata(book: BookId, metadata: bytes) -> None:
    """Read the rapport.yml about to be written as `check` will (in a folder of its own) and refuse, before
    anything is written, a name or municipality it would not accept."""
    shown = f"{book.label}/{METADATA_FILE}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / METADATA_FILE
        path.write_bytes(metadata)
        content, problems = read_mapping(path, shown, within=Path(folder))
        if content is not None:
            problems += metadata_values(content, Context(book), shown)[1]
    if problems:
        raise UsageError(
            "--namn eller --kommun kan inte stå i rapport.yml; inget har skrivits:\n"
            + "\n".join(f"  {problem}" for problem in problems),
            problems,
        )


def default_name(organisation: str) -> str:
    """The organisation's name made from its id: 'kultur-och-fritid' -> 'Kultur och fritid'."""
    return organisation.replace("-", " ").capitalize()


def project_municipality(book: BookId) -> str:
    """The municipality the project's organisations report for (their latest year's rapport.yml)."""
    for other in organisations(book.data_root):
        meta, _ = read_metadata(BookId(other, latest_year(book.data_root / other), book.root))
        if meta is not None:
            return meta.kommun
    raise UsageError(
        "Det finns ingen annan organisation i data/ att ta kommunens namn från: ange det med --kommun, "
        't.ex. --kommun "Norrtälje kommun".'
    )


def starting_texts(book: BookId) -> list[str]:
    """Every text the book's chapters show (the shared notebooks: the organisation has none yet)."""
    keys: dict[str, None] = {}
    for chapter_keys in notebook_texts(book_notebooks(book)).values():
        keys.update(dict.fromkeys(chapter_keys))
    return list(keys)


def _metadata(name: str, municipality: str, year: int) -> bytes:
    content = {
        "organisation": name,
        "kommun": municipality,
        "ar": year,
        "period_slut": date(year, 12, 31),
        "rapporttyp": "Verksamhetsberättelse",
    }
    text = (
        "# Rapportens metadata. Se data/README.md. Skapad av rapportbok ny-organisation: kontrollera\n"
        "# organisationens namn och kommunen, och lägg till kontakt och beslutande_organ.\n"
        + yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    )
    return text.encode("utf-8")


def _header(columns: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns)
    return out.getvalue().encode("utf-8")
