"""`rapportbok new-year`: start the next fiscal year from the latest one, inside data/ only.

What carries over: goals, indicators and their history (last year's outcomes kept, a new empty row
for the new year), assignments that the report says go over to next year (status reset), the
structure of the operating statement (last year's outcome becomes the previous year's column) and
every narrative text, marked [SKRIV OM] so that `check` lists it until it has been rewritten.
Printed values do not travel: every `tryckt(…)` is removed (the placeholder then shows what the data
gives) and its sentence is marked [SKRIV OM] too; rapport.yml's `tryckta_varden` and the year's
skrivna_siffror.yml are not carried over.
What is emptied: assessments, trends, comments, the year's outcomes and targets, amounts.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from rapportbok.core.book import BookId
from rapportbok.data.datalock import WRITE_WAIT, organisation_lock
from rapportbok.data.files import read_bytes, year_files
from rapportbok.data.images import MAX_IMAGE_BYTES, image_kind
from rapportbok.data.load import load_book
from rapportbok.data.metadata import metadata_schema
from rapportbok.data.report import Metadata, Report
from rapportbok.data.schema import table_schema
from rapportbok.data.transaction import Transaction
from rapportbok.data.vocabulary import AssignmentStatus, Decision
from rapportbok.data.years import latest_year
from rapportbok.exceptions import UsageError
from rapportbok.narrative.templates import PLACEHOLDER, REWRITE_MARKER, read_source, text_keys

CARRIED_STATUS = AssignmentStatus.REMAINING
REWRITE_NOTE = (
    "> {marker} Texten är kopierad från {old}. Skriv om den för {new} och ta bort den här raden.\n\n"
)
PINS_NOTE = (
    "> {marker} Värden som {old} visades som de trycktes (tryckt) visar nu vad data ger; kontrollera "
    "meningarna som är märkta {marker} och ta bort märkningen.\n\n"
)
PIN = re.compile(r"""\|\s*tryckt\s*\(\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)\s*""")


@dataclass(frozen=True)
class NewYear:
    """What `new-year` wrote."""

    folder: Path
    files: list[Path]


def start_new_year(book: BookId, source_year: int | None = None) -> NewYear:
    """Create the book's year folder from data/<org>/<source_year> (default: the latest year); refuse to
    overwrite. The new year is made in memory and appears whole, in one transaction, under the
    organisation's lock."""
    with organisation_lock(book.org_dir, write=True, wait=WRITE_WAIT):
        return _start_locked(book, source_year)


def _start_locked(book: BookId, source_year: int | None) -> NewYear:
    year, target, shown = book.year, book.year_dir, book.label
    if target.is_symlink():
        raise UsageError(
            f"{shown} är en symbolisk länk; new-year skapar bara vanliga mappar. Ta bort länken först."
        )
    if target.exists():
        raise UsageError(
            f"{shown} finns redan; new-year skriver aldrig över ett år. Ta bort mappen först "
            "om du verkligen vill börja om.",
            file=shown,
        )
    source_year = source_year if source_year is not None else latest_year(book.org_dir)
    if year <= source_year:
        raise UsageError(f"Det nya året ({year}) måste vara senare än året det utgår från ({source_year}).")
    source = load_book(replace(book, year=source_year))
    files: dict[str, bytes] = {}
    _write_metadata(source, files, year)
    for name, frame in _tables(source, year).items():
        _write_csv(files, table_schema(name).file_name, frame, table_schema(name).field_names)
    for schema in source.declared.values():  # the organisation's own tables: the header, no rows yet
        _write_csv(files, schema.file_name, source.tables[schema.name].iloc[:0], schema.field_names)
    _copy_texts(source, files, year)
    _copy_images(source, files)
    transaction = Transaction(book.org_dir)
    transaction.new_folder(target, files)
    transaction.commit()  # the new year appears whole, or not at all
    return NewYear(target, sorted(target / name for name in files))


def _write_metadata(source: Report, files: dict[str, bytes], year: int) -> None:
    meta = source.meta
    content: dict[str, object] = {
        "organisation": meta.organisation,
        "kommun": meta.kommun,
        "ar": year,
        "period_slut": _same_day(year, meta.period_end),
        "rapporttyp": meta.report_type,
    }
    if meta.logo is not None:
        content["logotyp"] = _carry_logo(source, files, meta.logo)
    if meta.accent_colour is not None:
        content["accentfarg"] = meta.accent_colour
    content.update(_organisation_fields(meta))
    text = "# Rapportens metadata. Se data/README.md.\n" + yaml.safe_dump(
        content, allow_unicode=True, sort_keys=False
    )
    files["rapport.yml"] = text.encode("utf-8")


def _organisation_fields(meta: Metadata) -> dict[str, object]:
    """What belongs to the organisation rather than to the year: the chapters it leaves out, whom a
    reader asks, who decides. The year's decision (beslutsdatum, diarienummer) is not carried: it is
    the new year's to fill in when the report has been decided."""
    content: dict[str, object] = {}
    if meta.left_out_chapters:
        content["utelamnade_kapitel"] = list(meta.left_out_chapters)
    if meta.contact is not None:
        content["kontakt"] = meta.contact
    if meta.decision_body is not None:
        content["beslutande_organ"] = meta.decision_body
    return content


def _same_day(year: int, day: date) -> date:
    """The same day of the period's end in the new year (29 February becomes 28 February)."""
    try:
        return date(year, day.month, day.day)
    except ValueError:
        return date(year, day.month, day.day - 1)


def _carry_logo(source: Report, files: dict[str, bytes], logo: Path) -> str:
    """The logo's path for the new year: a logo inside the year's folder is copied along."""
    relative = Path(os.path.relpath(logo, source.year_dir))
    if relative.parts[0] != "..":
        limit = next(spec for spec in metadata_schema().fields if spec.attribute == "logo").rules["maxBytes"]
        files[relative.as_posix()] = read_bytes(logo, relative.as_posix(), limit, within=source.year_dir)
    return relative.as_posix()


def _emptied(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.NA
    return frame


def _tables(source: Report, year: int) -> dict[str, pd.DataFrame]:
    """Every table of the new year (the optional published summary is not carried over)."""
    previous = source.year
    outcomes = source.indikator_utfall[source.indikator_utfall["ar"] <= previous]
    new_rows = pd.DataFrame({"indikator_id": source.indikatorer["indikator_id"], "ar": year})
    carried_ids = set(
        source.uppdrag_nasta_ar.loc[source.uppdrag_nasta_ar["beslut"] == Decision.CARRIES_OVER, "uppdrag_id"]
    )
    carried = source.uppdrag[source.uppdrag["uppdrag_id"].isin(carried_ids)].copy()
    carried["status"] = CARRIED_STATUS
    carried = _emptied(carried, ["prognos", "kommentar", "kommentar_datum"])
    return {
        "malomraden": source.malomraden,
        "inriktningsmal": _emptied(source.inriktningsmal, ["bedomning", "trend"]),
        "indikatorer": _emptied(source.indikatorer, ["bedomning", "trend", "kommentar", "kommentar_datum"]),
        "indikator_utfall": pd.concat([outcomes, new_rows], ignore_index=True),
        "uppdrag": carried,
        "uppdrag_nasta_ar": source.uppdrag_nasta_ar.iloc[0:0],
        "sjukfranvaro": _year_template(source.sjukfranvaro, previous, year, ["grupp", "manad"]),
        "sjukfranvaro_ar": _year_template(source.sjukfranvaro_ar, previous, year, ["grupp"]),
        "personalomsattning": _year_template(source.personalomsattning, previous, year, ["typ"]),
        "drift": _operating_template(source.drift),
        "drift_verksamhet": _operating_template(source.drift_verksamhet),
        "investeringar": source.investeringar.iloc[0:0],
    }


def _year_template(frame: pd.DataFrame, previous: int, year: int, keys: list[str]) -> pd.DataFrame:
    """The same rows (groups, months) for the new year, with the values empty."""
    rows = frame[frame["ar"] == previous][keys].drop_duplicates().copy()
    rows["ar"] = year
    rows["procent"] = pd.NA
    return rows


def _operating_template(frame: pd.DataFrame) -> pd.DataFrame:
    """Same posts or activities; last year's outcome becomes the previous-year column."""
    template = _emptied(frame, ["budget", "utfall", "avvikelse"])
    template["utfall_foregaende_ar"] = frame["utfall"]
    return template


def _write_csv(files: dict[str, bytes], name: str, frame: pd.DataFrame, columns: list[str]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in frame[columns].itertuples(index=False):
        writer.writerow(["" if pd.isna(value) else _cell(value) for value in record])
    files[name] = out.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return repr(float(value))  # shortest exact form: 7.3, 8.0
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _copy_texts(source: Report, files: dict[str, bytes], year: int) -> None:
    """Every text, marked [SKRIV OM]. Only regular files are read: load_year has refused a year with
    links, pipes or devices in it, and read_source refuses them again should one appear meanwhile."""
    note = REWRITE_NOTE.format(marker=REWRITE_MARKER, old=source.year, new=year)
    for key in text_keys(source):
        text, unpinned = without_pins(read_source(source, key))
        pins = PINS_NOTE.format(marker=REWRITE_MARKER, old=source.year) if unpinned else ""
        files[f"text/{key}.md"] = (note + pins + text).encode("utf-8")


def _copy_images(source: Report, files: dict[str, bytes]) -> None:
    """Every image of the year's folder (what a text may show), copied as it is: the texts come along,
    so the images they show must too."""
    folder = source.year_dir
    for path in year_files(folder, source.shown_folder).files:
        relative = path.relative_to(folder).as_posix()
        if relative not in files and image_kind(path.name) is not None:
            files[relative] = read_bytes(path, relative, MAX_IMAGE_BYTES, within=folder)


def without_pins(source: str) -> tuple[str, int]:
    """`source` with every `| tryckt("…")` removed from its placeholders, each such placeholder followed
    by the rewrite marker; and how many were removed. A printed value belongs to its year only."""
    removed = 0

    def unpin(match: re.Match[str]) -> str:
        nonlocal removed
        placeholder, count = PIN.subn("", match.group(0))
        if not count:
            return placeholder
        removed += count
        return f"{placeholder.rstrip('}').rstrip()} }}}} {REWRITE_MARKER}"

    return PLACEHOLDER.sub(unpin, source), removed
