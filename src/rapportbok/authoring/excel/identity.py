"""Which book a workbook was made for, and what it was made from: a hidden sheet `rapportbok`.

It holds the organisation (the folder name under data/), the fiscal year, the workbook format, a hash of
the table schemas, and for each table the SHA-256 of its CSV file as exported together with the file
itself (compressed, base64, in cells of plain text). A hidden sheet of text cells survives a save by
Excel and by LibreOffice Calc (and by Google Sheets, which drops custom document properties); copying
the tables into another workbook loses it, and such a workbook is refused as one without identity.
`import` refuses a workbook made for another organisation, year or format, and uses the stored files
as the base from which it tells the analyst's changes from changes made in data/ since the export.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from openpyxl.workbook.workbook import Workbook

from rapportbok.authoring.excel.sheets import IDENTITY_SHEET
from rapportbok.core.book import BookId
from rapportbok.data.org_tables import book_schemas
from rapportbok.data.schema import TABLE_NAMES, TableSchema, table_schema
from rapportbok.exceptions import Problem

WORKBOOK_FORMAT = 2  # 1: the workbooks made before they carried their identity
ABSENT = "saknas"  # the hash of an optional table that had no file at the export
CHUNK = 30_000  # characters per cell (Excel holds 32 767)
MAX_BASE_BYTES = 64 * 2**20  # the stored files, unpacked
NOTE = (
    "Ändra inte det här bladet. Det talar om för rapportbok import vilken organisation och vilket år "
    "arbetsboken gjordes för, och hur tabellerna såg ut när den exporterades, så att inget som har "
    "ändrats i data/ sedan dess skrivs över."
)
KEYS = {"organisation": "organisation", "år": "year", "format": "format", "tabellscheman": "schemas"}


@dataclass
class Identity:
    """What the hidden sheet says; `hashes` and `bases` by table name (a base as stored: base64 text)."""

    organisation: str = ""
    year: str = ""
    format: str = ""
    schemas: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    bases: dict[str, list[str]] = field(default_factory=dict)


def file_hash(content: bytes | None) -> str:
    """The SHA-256 of a table's CSV file, or ABSENT when there is none."""
    return ABSENT if content is None else hashlib.sha256(content).hexdigest()


def schemas_hash(schemas: dict[str, TableSchema] | None = None) -> str:
    """A hash of what the table schemas say about reading a sheet (each column's name, type, unit,
    allowed values and range, in order): a workbook is read only by the schemas it was made by. A
    changed description or title does not count."""
    if schemas is None:  # the package's tables
        schemas = {name: table_schema(name) for name in TABLE_NAMES}
    columns = {
        name: [
            [spec.name, spec.type, spec.unit, spec.enum, spec.required, spec.minimum, spec.maximum]
            for spec in schema.fields
        ]
        for name, schema in schemas.items()
    }
    text = json.dumps(columns, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_identity(
    workbook: Workbook, book: BookId, files: dict[str, bytes | None], schemas: dict[str, TableSchema]
) -> None:
    """Add the hidden identity sheet naming `book`; `files` maps each table to its CSV file's bytes
    (None: no file)."""
    sheet = workbook.create_sheet(IDENTITY_SHEET)
    rows: list[list[str]] = [
        [NOTE],
        ["organisation", book.organisation],
        ["år", str(book.year)],
        ["format", str(WORKBOOK_FORMAT)],
        ["tabellscheman", schemas_hash(schemas)],
    ]
    for name in schemas:
        content = files.get(name)
        rows.append(["tabell", name, file_hash(content)])
        if content is not None:
            packed = base64.b64encode(zlib.compress(content, 9)).decode("ascii")
            rows += [["bas", name, packed[i : i + CHUNK]] for i in range(0, len(packed), CHUNK)]
    for number, row in enumerate(rows, start=1):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(number, column, text)
            cell.data_type = "s"  # text, never a formula or a number
            cell.number_format = "@"
    sheet.sheet_state = "hidden"


def read_identity(book: Workbook) -> Identity | None:
    """The identity sheet's contents, or None when the workbook has none."""
    if IDENTITY_SHEET not in book.sheetnames:
        return None
    identity = Identity()
    for row in book[IDENTITY_SHEET].iter_rows(min_row=2, max_col=3, values_only=True):
        key, *values = (_text(value) for value in row)
        if key in KEYS:
            setattr(identity, KEYS[key], values[0])
        elif key == "tabell":
            identity.hashes[values[0]] = values[1]
        elif key == "bas":
            identity.bases.setdefault(values[0], []).append(values[1])
    return identity


def _text(value: object) -> str:
    """A cell as text; a number that a spreadsheet made of '2024' reads as '2024' again."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def identity_problems(identity: Identity | None, shown_as: str, book: BookId) -> list[Problem]:
    """Why the workbook `shown_as` cannot be imported into `book` (empty: it can)."""
    organisation, year = book.organisation, book.year
    fresh = f"rapportbok excel --org {organisation} --year {year}"
    again = f"exportera en ny arbetsbok med {fresh} och för in ändringarna i den"
    if identity is None or not identity.organisation or not identity.year:
        return [
            Problem(
                shown_as,
                "arbetsboken saknar uppgift om vilken organisation och vilket år den gjordes för "
                f"(det dolda bladet {IDENTITY_SHEET}), så den kan inte läsas in säkert",
                allowed=f"{again}; kopiera inte tabellerna till en annan arbetsbok",
                code="workbook.identity.missing",
            )
        ]
    problems = []
    if identity.organisation != organisation:
        problems.append(
            Problem(
                shown_as,
                f"arbetsboken är exporterad för organisationen {identity.organisation}, "
                f"inte för {organisation}",
                allowed=f"importera den med --org {identity.organisation}, eller exportera ett underlag för "
                f"{organisation} med {fresh}",
                code="workbook.identity.organisation",
            )
        )
    if identity.year != str(year):
        problems.append(
            Problem(
                shown_as,
                f"arbetsboken är exporterad för {identity.year}, inte för {year}",
                allowed=f"importera den med --year {identity.year}, eller exportera ett underlag för {year} "
                f"med {fresh}",
                code="workbook.identity.year",
            )
        )
    if problems:
        return problems
    current = schemas_hash(book_schemas(book.org_dir))
    if identity.format != str(WORKBOOK_FORMAT) or identity.schemas != current:
        made_by = "en annan version av rapportbok, med andra tabellscheman"
        if identity.format.isdigit() and int(identity.format) != WORKBOOK_FORMAT:
            made_by = "en äldre version" if int(identity.format) < WORKBOOK_FORMAT else "en nyare version"
            made_by += " av rapportbok"
        problems.append(
            Problem(
                shown_as,
                f"arbetsboken är gjord av {made_by}",
                allowed=f"arbetsbokens eller tabellernas format har ändrats sedan dess; {again}",
                code="workbook.identity.version",
            )
        )
    missing = [name for name in TABLE_NAMES if name not in identity.hashes]
    if missing:
        problems.append(
            Problem(
                shown_as,
                f"det dolda bladet {IDENTITY_SHEET} har ändrats (tabellerna {', '.join(missing)} saknas där)",
                allowed=again,
                code="workbook.identity.changed",
            )
        )
    return problems


def base_content(identity: Identity, table: str) -> bytes | None:
    """The CSV file of `table` as exported, if the workbook holds it unchanged (its hash agrees)."""
    packed = "".join(identity.bases.get(table, []))
    try:
        content = zlib.decompressobj().decompress(base64.b64decode(packed, validate=True), MAX_BASE_BYTES)
    except (ValueError, zlib.error):
        return None
    return content if packed and file_hash(content) == identity.hashes.get(table) else None
