"""Limits on a workbook, checked before openpyxl loads it: what the file is, how large the zip is, and how
many rows, columns and merged cells each sheet declares.

openpyxl builds one object per cell, and one per cell of a merged range or a linked range: one
`<mergeCell ref="A40:XFD1048576"/>` is 17 billion cells. So the file is read once into memory (a pipe
or device is never opened for reading), the zip's declared sizes are summed, and every sheet's XML is
streamed through a parser that stops at the first number beyond a limit, before anything is built.
Each refusal names its limit.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from rapportbok.core.deadline import Deadline, time_limit
from rapportbok.data.csvfile import MAX_BYTES, MAX_ROWS
from rapportbok.exceptions import TimeLimitExceeded, UsageError

MAX_SHEET_ROWS = MAX_ROWS + 10_000  # a table's rows, the heading, and blank rows after it
MAX_SHEET_COLUMNS = 200  # a table has a few dozen columns at most
MAX_MERGED_CELLS = 10_000  # cells inside merged (or linked) ranges, all sheets together
MAX_CELLS = 1_000_000  # cells written in the whole workbook (13 tables of 50 000 rows would not fit)
MAX_ENTRIES = 2_000  # parts in the zip; an exported workbook has about 50
MAX_UNCOMPRESSED = 100 * 2**20  # the parts unpacked; an exported workbook is about 1 MB
MAX_PART_BYTES = 2**20  # workbook.xml and its relationships: a few kB
CHUNK = 2**16


def grouped(number: int) -> str:
    """60000 → '60 000', as Swedish text writes it."""
    return f"{number:,}".replace(",", " ")


LIMIT_TEXT = f"högst {grouped(MAX_SHEET_ROWS)} rader och {MAX_SHEET_COLUMNS} kolumner per blad"
TRIM = (
    "Ta bort tomma rader och kolumner efter tabellen (markera dem, högerklicka → Ta bort) och spara, "
    "eller kopiera tabellen till en ny export (rapportbok excel)"
)
REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")
NOT_A_WORKBOOK = (
    'Spara den i Excel som "Excel-arbetsbok (*.xlsx)"; en lösenordsskyddad arbetsbok måste sparas '
    "utan lösenord."
)


def read_workbook_bytes(path: Path) -> bytes:
    """The bytes of the workbook file at `path`: a regular file (a link to one is followed) of at most
    MAX_BYTES, never a folder, pipe or device, which are refused from their metadata, unopened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"Filen {path} finns inte.") from None
    except OSError as error:
        raise UsageError(f"Filen {path} kan inte läsas ({error.strerror}).") from None
    _refuse_kind(path, mode)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UsageError(f"Filen {path} kan inte öppnas ({error.strerror}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        _refuse_kind(path, os.fstat(descriptor).st_mode)  # replaced by a pipe since the check
        content = handle.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise UsageError(f"Filen {path.name} är för stor (högst {MAX_BYTES // 2**20} MB).")
    return content


def _refuse_kind(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "en mapp"
    elif stat.S_ISFIFO(mode):
        what = "en namngiven pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "en enhet (device)"
    elif stat.S_ISSOCK(mode):
        what = "en socket"
    else:
        what = "ingen vanlig fil"
    raise UsageError(f"{path} är {what}, inte en Excel-arbetsbok; ange sökvägen till en .xlsx-fil.")


def check_bounds(content: bytes, name: str) -> bool:
    """Refuse the workbook `content` (its file is `name`) if it is no zip or exceeds a limit; return
    whether any sheet holds a formula (an `f` element, so openpyxl would read a cell as one)."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UsageError(f"{name} är ingen Excel-arbetsbok (.xlsx). {NOT_A_WORKBOOK}")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _check_archive(archive, name)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
        zlib.error,
    ) as error:
        raise UsageError(
            f"{name} kan inte läsas som en Excel-arbetsbok (.xlsx). {NOT_A_WORKBOOK} "
            f"(Felet: {type(error).__name__})"
        ) from None


def _check_archive(archive: zipfile.ZipFile, name: str) -> bool:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise UsageError(
            f"{name} har {len(entries)} delar; en arbetsbok får ha högst {MAX_ENTRIES}. Exportera en ny "
            "arbetsbok med rapportbok excel och för in uppgifterna i den."
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED:
        raise UsageError(
            f"{name} blir {unpacked // 2**20} MB uppackad; en arbetsbok får bli högst "
            f"{MAX_UNCOMPRESSED // 2**20} MB. Ta bort bilder och blad som inte hör till underlaget."
        )
    tally = _Tally()
    sheets, strings = _parts(archive)
    for title, part in sheets:
        with archive.open(part) as stream:
            _scan_sheet(stream, title, tally)
    for part in strings:
        with archive.open(part) as stream:
            _count_strings(stream, part)
    return tally.formulas


def _parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], list[str]]:
    """(sheet title, part name) of every worksheet: those the workbook names, then any other part under
    xl/worksheets/ (openpyxl reads only the named ones, but a hostile part costs nothing to scan); and
    the shared strings parts."""
    names = set(archive.namelist())
    targets, related_strings = _relationships(archive, names)
    strings = ({"xl/sharedStrings.xml"} & names) | related_strings
    titles = _sheet_titles(archive, names, targets)
    others = sorted(name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    parts = [*titles, *(name for name in others if name not in titles)]
    return [(titles.get(part, part), part) for part in parts], sorted(strings)


def _relationships(archive: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], set[str]]:
    """The part each relationship id of the workbook points to, and the shared strings parts among them."""
    targets: dict[str, str] = {}
    strings: set[str] = set()
    if "xl/_rels/workbook.xml.rels" not in names:
        return targets, strings
    for attributes in _elements(archive, "xl/_rels/workbook.xml.rels", "Relationship"):
        target = attributes.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        resolved = str(PurePosixPath(os.path.normpath(path)))
        targets[attributes.get("Id", "")] = resolved
        if attributes.get("Type", "").endswith("/sharedStrings") and resolved in names:
            strings.add(resolved)
    return targets, strings


def _sheet_titles(archive: zipfile.ZipFile, names: set[str], targets: dict[str, str]) -> dict[str, str]:
    """The title of each sheet workbook.xml names, by its part, in the workbook's order."""
    titles: dict[str, str] = {}
    if "xl/workbook.xml" not in names:
        return titles
    for attributes in _elements(archive, "xl/workbook.xml", "sheet"):
        relation = next((value for key, value in attributes.items() if key.endswith(":id")), "")
        if targets.get(relation) in names:
            titles[targets[relation]] = attributes.get("name", targets[relation])
    return titles


def _elements(archive: zipfile.ZipFile, part: str, wanted: str) -> list[dict[str, str]]:
    """The attributes of every element named `wanted` (any prefix) in a small XML part."""
    if archive.getinfo(part).file_size > MAX_PART_BYTES:
        raise UsageError(f"Delen {part} i arbetsboken är för stor (högst {MAX_PART_BYTES // 1024} kB).")
    found: list[dict[str, str]] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag.rpartition(":")[2] == wanted:
            found.append(attributes)

    _parse(archive.read(part), start, part)
    return found


class _Tally:
    """What the sheets so far add up to."""

    def __init__(self) -> None:
        self.cells = 0
        self.merged = 0
        self.formulas = False  # an `f` element in any sheet


def _scan_sheet(stream: io.BufferedIOBase, title: str, tally: _Tally) -> None:
    """Stream one sheet's XML; refuse at the first row, column, cell count or range beyond a limit."""
    row_number = column_number = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal row_number, column_number
        local = tag.rpartition(":")[2]
        if local == "row":
            row_number = _number(attributes.get("r"), row_number + 1, title)
            column_number = 0
            _within(title, row_number, 1, "row")
        elif local == "c":
            tally.cells += 1
            if tally.cells > MAX_CELLS:
                raise UsageError(
                    f"Arbetsboken har fler än {grouped(MAX_CELLS)} celler (bladet {title}), mer än en "
                    f"arbetsbok får ha, så den läses inte. {TRIM}."
                )
            reference = attributes.get("r")
            row, column_number = (
                _corner(reference, title) if reference else (max(row_number, 1), column_number + 1)
            )
            _within(title, row, column_number, "cell")
        elif local == "f":
            tally.formulas = True
        elif local == "dimension":
            for corner in attributes.get("ref", "").split(":"):
                _within(title, *_corner(corner, title), "dimension")
        elif local in ("mergeCell", "hyperlink"):
            reference = attributes.get("ref", "")
            corners = [_corner(corner, title) for corner in reference.split(":")]
            for corner in corners:
                _within(title, *corner, reference)
            (top, left), (bottom, right) = corners[0], corners[-1]
            tally.merged += (abs(bottom - top) + 1) * (abs(right - left) + 1)
            if tally.merged > MAX_MERGED_CELLS:
                raise UsageError(
                    f"Bladet {title} har sammanfogade eller länkade celler ({reference}) som tillsammans "
                    f"med de andra bladens täcker fler än {grouped(MAX_MERGED_CELLS)} celler; "
                    "dela upp sammanfogningarna (Start → Sammanfoga och centrera → Dela upp celler)."
                )

    _parse_stream(stream, start, title)


def _count_strings(stream: io.BufferedIOBase, part: str) -> None:
    """openpyxl keeps every shared string in memory: at most one per cell a workbook may have."""
    count = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal count
        if tag.rpartition(":")[2] == "si":
            count += 1
            if count > MAX_CELLS:
                raise UsageError(
                    f"Arbetsboken har fler än {grouped(MAX_CELLS)} texter ({part}), mer än en arbetsbok "
                    "får ha, så den läses inte."
                )

    _parse_stream(stream, start, part)


def _number(text: str | None, default: int, title: str) -> int:
    if text is None:
        return default
    if not text.isdigit():
        raise UsageError(f"Bladet {title} har ett ogiltigt radnummer ({text[:20]!r}).")
    return int(text)


def _corner(reference: str, title: str) -> tuple[int, int]:
    """(row, column) of a cell reference like 'XFD1048576' or '$A$40' (a whole column or row: its end)."""
    match = REFERENCE.match(reference.strip())
    if not match or not any(match.groups()):
        raise UsageError(f"Bladet {title} har en ogiltig cellreferens ({reference[:30]!r}).")
    letters, digits = match.groups()
    column = column_index_from_string(letters.upper()) if letters else 16_384
    row = int(digits) if digits else 1_048_576
    return row, column


def _within(title: str, row: int, column: int, what: str) -> None:
    """Refuse a row or column beyond the limits; `what` says where it was found: 'row', 'cell',
    'dimension' or the range's reference."""
    if row <= MAX_SHEET_ROWS and column <= MAX_SHEET_COLUMNS:
        return
    corner = f"{get_column_letter(min(column, 18_278))}{row}"
    found = {
        "row": f"har rad {row}",
        "cell": f"har en cell i {corner}",
        "dimension": f"anger att det sträcker sig till {corner}",
    }.get(what, f"har celler sammanfogade eller länkade ända till {corner} ({what})")
    raise UsageError(f"Bladet {title} {found}; en arbetsbok får ha {LIMIT_TEXT}, så den läses inte. {TRIM}.")


def _parse_stream(stream: io.BufferedIOBase, start: Callable[[str, dict[str, str]], None], part: str) -> None:
    """Stream the XML part `part` through an expat parser calling `start` for each element."""
    parser = _parser(start, part)
    while block := stream.read(CHUNK):
        _feed(parser, block, part)
    _feed(parser, b"", part, final=True)


def _parser(start: Callable[[str, dict[str, str]], None], part: str) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE (no entities, no external references)."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = start

    def doctype(*_: object) -> None:
        raise UsageError(f"Delen {part} i arbetsboken har en DOCTYPE, som en arbetsbok aldrig har.")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


def _parse(content: bytes, start: Callable[[str, dict[str, str]], None], part: str) -> None:
    _feed(_parser(start, part), content, part, final=True)


def _feed(parser: expat.XMLParserType, block: bytes, part: str, *, final: bool = False) -> None:
    try:
        parser.Parse(block, final)
    except expat.ExpatError as error:
        raise UsageError(
            f"Delen {part} i arbetsboken är ingen giltig XML ({expat.ErrorString(error.code)}). "
            f"{NOT_A_WORKBOOK}"
        ) from None


@contextmanager
def import_time_limit(seconds: float | None, shown: str) -> Iterator[Deadline | None]:
    """Bound the enclosed import work to `seconds`; past it, a Swedish message that nothing was written."""
    if seconds is None:
        yield None
        return
    try:
        with time_limit(seconds) as deadline:
            yield deadline
    except TimeLimitExceeded:
        raise UsageError(
            f"Importen tog för lång tid (mer än {seconds:g} s) och avbröts; inget har skrivits i {shown}. "
            "Ge den mer tid med --timeout SEKUNDER, eller gör arbetsboken mindre."
        ) from None


def remaining(deadline: Deadline | None) -> float | None:
    """The seconds left before `deadline` (at least a tenth of a second), or None without one."""
    return None if deadline is None else max(0.1, deadline.ends - time.monotonic())


def remove_staging(folder: Path) -> None:
    """Remove the import's staging copy, also when the time limit strikes during the removal."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
    except TimeLimitExceeded:
        shutil.rmtree(folder, ignore_errors=True)
        raise
