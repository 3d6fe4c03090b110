"""One Excel cell as the text the CSV file holds, or the reason it cannot be read safely.

Excel changes values on the way: dates become serial numbers, numbers are stored as text, a percent cell
holds 0.073 where the data wants 7.3, a formula may lack its computed value, "7.3" typed in Swedish Excel
becomes the 7th of March. Each case is read as the analyst sees it in Excel, or refused with a reason;
a value is never rounded or guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from rapportbok.data.csvfile import normalise_number
from rapportbok.data.schema import FieldSpec

NUMERIC = {"integer", "number"}
SIGNIFICANT_DIGITS = 15  # what Excel keeps and shows of a number
PLAUSIBLE_YEARS = 30  # a serial number in a date column is a date within this many years of the report
# Excel writes characters that XML cannot hold as _xHHHH_; openpyxl reads them as that literal text.
ENCODED_CHARACTER = re.compile(r"_x[0-9A-Fa-f]{4}_")
FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [colour], padding
TYPE_AS_TEXT = "formatera cellen som Text och skriv in värdet igen"
RETYPE = "skriv in värdet igen eller rätta formeln"


@dataclass(frozen=True)
class CellValue:
    """What the workbook holds in one cell: the value (a formula's saved result), format and formula."""

    value: object
    number_format: str = "General"
    formula: str | None = None
    is_error: bool = False  # an error value such as #DIV/0! or #N/A


@dataclass(frozen=True)
class Converted:
    """The CSV text of a cell; `issue` says why it cannot be used (then `text` is what the cell shows)."""

    text: str
    issue: str | None = None
    allowed: str | None = None


def format_decimals(number_format: str) -> int:
    """The decimals a number format always shows: '# ##0.00' → 2, 'General' → 0."""
    section = FORMAT_NOISE.sub("", number_format.split(";")[0])
    if "." not in section:
        return 0
    digits = re.match(r"[0#?]*", section.split(".", 1)[1])
    return digits.group().count("0") if digits else 0


def is_percent_format(number_format: str) -> bool:
    """A format that shows the value times 100 with a % sign (0.073 is shown as 7,3 %)."""
    return "%" in FORMAT_NOISE.sub("", number_format.split(";")[0])


def number_text(value: float | int | Decimal, decimals: int = 0) -> str:
    """A number as the CSV file writes it: dot decimal, no grouping, at least `decimals` decimals, never
    rounded below Excel's 15 significant digits."""
    exact = value if isinstance(value, Decimal) else Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))
    needed = max(0, -int(exact.normalize().as_tuple().exponent))
    text = f"{exact:.{max(decimals, needed)}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text  # no "-0"


def shown_number(value: float | int) -> str:
    """A number as Swedish Excel shows it, for messages: 7,3."""
    return number_text(value).replace(".", ",")


def typed_text(cell: CellValue) -> str | None:
    """The cell as the analyst typed and sees it, for messages: a text as it is, a number with decimal
    comma (and as a percentage in a percent cell); None for anything else."""
    value = cell.value
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if is_percent_format(cell.number_format):
            return number_text(Decimal(format(value, ".15g")) * 100).replace(".", ",") + " %"
        return shown_number(value)
    return None


def convert(
    cell: CellValue,
    spec: FieldSpec,
    *,
    percent_ok: bool,
    epoch: datetime | None = None,
    year: int | None = None,
) -> Converted:
    """The CSV text of `cell` in the column `spec`; `percent_ok`: the column's values are percentages;
    `year`: the fiscal year, near which a serial number in a date column must fall to be a date."""
    if cell.is_error:
        return Converted(str(cell.value), f"cellen innehåller felvärdet {cell.value}", RETYPE)
    if cell.formula is not None and cell.value is None:
        return Converted(
            "",
            f"formeln {cell.formula} har inget sparat värde (den har inte räknats i Excel)",
            "öppna arbetsboken i Excel och spara den, eller skriv in värdet i stället för formeln",
        )
    value = cell.value
    if value is None:
        return Converted("")
    if isinstance(value, bool):
        return _boolean(value, spec)
    if isinstance(value, datetime | date | time | timedelta):
        return _temporal(value, spec)
    if isinstance(value, int | float):
        return _number(cell, spec, percent_ok, epoch or CALENDAR_WINDOWS_1900, year)
    return _text(str(value), spec, percent_ok)


def _boolean(value: bool, spec: FieldSpec) -> Converted:
    if spec.type == "boolean":
        return Converted("true" if value else "false")
    shown = "SANT" if value else "FALSKT"
    return Converted(shown, f"cellen innehåller sanningsvärdet {shown}", RETYPE)


def _temporal(value: datetime | date | time | timedelta, spec: FieldSpec) -> Converted:
    if isinstance(value, time | timedelta):
        return Converted(str(value), f"cellen innehåller ett klockslag eller en tid ({value})", RETYPE)
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(value, datetime) and value.time() != time(0):
        return Converted(
            value.isoformat(sep=" "),
            f"datumet {value.isoformat(sep=' ')} har ett klockslag",
            "skriv bara datumet, ÅÅÅÅ-MM-DD",
        )
    if spec.type == "date":
        return Converted(day.isoformat())
    advice = (
        "skriv talet med decimalkomma (7,3) i en cell formaterad som Tal eller Allmänt"
        if spec.type in NUMERIC
        else TYPE_AS_TEXT
    )
    return Converted(
        day.isoformat(),
        f"Excel har gjort om värdet till ett datum ({day.isoformat()})",
        advice,
    )


def _number(
    cell: CellValue, spec: FieldSpec, percent_ok: bool, epoch: datetime, year: int | None
) -> Converted:
    """A cell holding a number (`convert` sends only those here), read by its format and the column."""
    value, number_format = cast(float | int, cell.value), cell.number_format
    percent = is_percent_format(number_format)
    if percent and not (spec.type in NUMERIC and percent_ok):
        shown = number_text(Decimal(format(value, ".15g")) * 100).replace(".", ",") + " %"
        return Converted(
            shown,
            f"cellen är formaterad som procent ({shown}) men kolumnen anges inte i procent",
            "ändra cellens format till Tal eller Allmänt och kontrollera värdet",
        )
    if spec.type in NUMERIC:
        exact = Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))
        if percent:  # 7,3 % is stored as 0.073; the data gives percentages in percent: 7.3
            exact = exact * 100
        if spec.type == "integer":
            return _whole(number_text(exact), shown_number(exact))
        return Converted(number_text(exact, format_decimals(number_format)))
    if spec.type == "date":
        return _serial_date(value, epoch, year)
    if spec.type == "string" and float(value).is_integer():
        return Converted(str(int(value)))  # 17031 typed as a number is the text 17031
    return Converted(
        shown_number(value),
        f"cellen innehåller talet {shown_number(value)} men kolumnen är text (Excel kan ha ändrat värdet)",
        TYPE_AS_TEXT,
    )


def _serial_date(value: float | int, epoch: datetime, year: int | None) -> Converted:
    """A date column holding Excel's serial number for a date (the cell lost its date format)."""
    shown = shown_number(value)
    if float(value).is_integer() and value > 0:
        day = from_excel(value, epoch=epoch)
        plausible = year is None or abs(day.year - year) <= PLAUSIBLE_YEARS
        if isinstance(day, datetime) and plausible:
            return Converted(day.date().isoformat())
    return Converted(
        shown,
        f"talet {shown} är inget datum",
        "skriv datumet som ÅÅÅÅ-MM-DD i en cell formaterad som Datum",
    )


def _text(value: str, spec: FieldSpec, percent_ok: bool) -> Converted:
    if ENCODED_CHARACTER.search(value):
        return Converted(
            value,
            "texten innehåller ett kodat kontrolltecken (_xHHHH_) som inte kan läsas säkert",
            "ta bort tecknet ur cellen",
        )
    if spec.type not in NUMERIC:
        return Converted(value.strip() if spec.type == "date" else value)
    stripped = value.strip()
    if stripped.endswith("%"):
        if not percent_ok:
            return Converted(value, "värdet har ett procenttecken men kolumnen anges inte i procent", RETYPE)
        stripped = stripped[:-1].rstrip()
    if "." in stripped:
        return Converted(
            value,
            f'talet "{stripped}" är sparat som text med punkt, som kan vara decimal- eller tusentalstecken',
            "skriv talet som ett tal med decimalkomma, t.ex. 7,3",
        )
    text, reason = normalise_number(stripped, semicolon=True)  # Swedish '1 234,5' → '1234.5'
    if reason:
        return Converted(value, reason, RETYPE)
    if spec.type == "integer":
        return _whole(text, value)
    return Converted(text)


def _whole(text: str, typed: str) -> Converted:
    """A number in a whole-number column: `88302.0` (typed "88 302,0") is the whole number 88302; one
    with a fraction is refused, quoted as the cell shows it (`typed`)."""
    whole, _, fraction = text.partition(".")
    if fraction.strip("0"):
        return Converted(
            typed,
            f'"{typed}" är inte ett heltal',
            "kolumnen tar bara heltal: skriv talet utan decimaler",
        )
    return Converted("0" if whole in ("-0", "") else whole)
