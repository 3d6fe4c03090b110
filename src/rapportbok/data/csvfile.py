"""Read a CSV file as the analyst saved it: UTF-8 (with or without BOM) or Windows-1252, comma or
semicolon separated (Swedish Excel), never silently misread."""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.data.files import RefusedFile, read_bytes
from rapportbok.exceptions import Finding, Problem

MAX_BYTES = 20 * 2**20
MAX_ROWS = 50_000  # far above any annual report's tables; larger files are refused, not half-read
SAVE_AS_HINT = "spara filen som CSV UTF-8 (kommaavgränsad) eller CSV (semikolonavgränsad); se data/README.md"
# Characters that Windows-1252 maps to letters but that never occur in Swedish report text; their
# presence means the bytes are probably in yet another encoding.
UNLIKELY_IN_CP1252 = re.compile(
    r"[\x80-\x9f\u0192\u02c6\u2030\u0160\u2039\u0152\u017d\u02dc\u0161\u203a\u0153\u017e\u0178]"
)
SWEDISH_NUMBER = re.compile(r"^[-\u2212]?\d{1,3}([ \u00a0]\d{3})*(,\d+)?$|^[-\u2212]?\d+(,\d+)?$")


@dataclass
class CsvContent:
    """The header and rows of a file, and how it was read."""

    header: list[str]
    rows: list[list[str]]
    semicolon: bool = False
    notes: list[Finding] = field(default_factory=list)


def decode(raw: bytes, shown_as: str) -> tuple[str | None, list[Finding], list[Problem]]:
    """Text of the file, notes on how it was decoded, or a problem saying why it cannot be read."""
    if raw.startswith(b"PK\x03\x04"):
        return (
            None,
            [],
            [
                Problem(
                    shown_as,
                    "filen är en Excel-arbetsbok, inte CSV",
                    row=1,
                    allowed=SAVE_AS_HINT,
                    code="csv.excel",
                )
            ],
        )
    if b"\x00" in raw:
        return (
            None,
            [],
            [
                Problem(
                    shown_as,
                    "filen är varken UTF-8 eller Windows-1252 (troligen UTF-16) och kan inte läsas säkert",
                    row=1,
                    allowed=SAVE_AS_HINT,
                    code="csv.encoding",
                )
            ],
        )
    try:
        return raw.decode("utf-8-sig"), [], []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text or UNLIKELY_IN_CP1252.search(text):
        return (
            None,
            [],
            [
                Problem(
                    shown_as,
                    "filen är varken UTF-8 eller Windows-1252 och kan inte läsas säkert",
                    row=line,
                    allowed=SAVE_AS_HINT,
                    code="csv.encoding",
                )
            ],
        )
    note = Finding(
        shown_as,
        f"filen är sparad som Windows-1252 (inte UTF-8) och lästes som det; {SAVE_AS_HINT}",
        code="csv.windows_1252",
    )
    return text, [note], []


def read_csv(
    path: Path, shown_as: str, *, within: Path | None = None
) -> tuple[CsvContent | None, list[Problem]]:
    """Split a file into header and rows, detecting the Swedish Excel dialect. No path component below
    `within` may be a symbolic link (see data.files)."""
    if not os.path.lexists(path):
        return None, [
            Problem(
                shown_as, "filen saknas", allowed="se data/README.md för filens kolumner", code="file.missing"
            )
        ]
    try:
        size = os.lstat(path).st_size
        if size > MAX_BYTES:
            return None, [
                Problem(
                    shown_as,
                    f"filen är för stor ({size / 2**20:.0f} MB)",
                    allowed=f"högst {MAX_BYTES // 2**20} MB; dela upp eller rensa filen",
                    code="file.too_large",
                )
            ]
        raw = read_bytes(path, shown_as, MAX_BYTES, within=within)
    except RefusedFile as refused:
        return None, [refused.problem]
    text, notes, problems = decode(raw, shown_as)
    if text is None:
        return None, problems
    first_line = text.split("\n", 1)[0]
    semicolon = first_line.count(";") > first_line.count(",")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolon else ","))
    except csv.Error as error:
        return None, [
            Problem(
                shown_as,
                f"filen är inte en giltig CSV-fil ({error})",
                allowed=SAVE_AS_HINT,
                code="csv.invalid",
            )
        ]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [
            Problem(
                shown_as,
                "filen saknar rubrikrad",
                row=1,
                allowed="se data/README.md",
                code="csv.header.missing",
            )
        ]
    if len(records) - 1 > MAX_ROWS:
        return None, [
            Problem(
                shown_as,
                f"filen har {len(records) - 1} rader",
                row=MAX_ROWS + 2,
                allowed=f"högst {MAX_ROWS} rader per tabell; dela upp eller rensa filen",
                code="csv.too_many_rows",
            )
        ]
    header = [cell.strip() for cell in records[0]]
    return CsvContent(header, records[1:], semicolon=semicolon, notes=notes), []


def normalise_number(cell: str, semicolon: bool) -> tuple[str, str | None]:
    """A numeric cell in the canonical form (dot decimal, no grouping), or a reason it is ambiguous."""
    value = cell.strip().replace("\u2212", "-")
    if not semicolon or not value:
        return value, None
    if "." in value:
        return value, "punkt i ett tal i en semikolonavgränsad fil; skriv decimaltecknet som komma"
    if SWEDISH_NUMBER.match(value):
        return value.replace(" ", "").replace("\u00a0", "").replace(",", "."), None
    return value, None  # not a number at all: the schema reports it


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """A table in the canonical form of the files in data/: UTF-8 text, comma separated, fields quoted
    only when needed, LF line endings (write it with encoding="utf-8", no BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
