"""CSV text → the value written into a cell: the inverse of `cells.convert`, so that a round trip gives
back the same bytes.

A number or date is written as a number or date only when reading it back gives exactly the same text;
anything else (a value `check` would reject, more digits than Excel keeps) is written as text, so that
it is neither lost nor changed, and the analyst sees it as it is.
"""

from __future__ import annotations

import re
from datetime import date

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from rapportbok.authoring.excel.cells import ENCODED_CHARACTER, CellValue, convert
from rapportbok.authoring.excel.sheets import number_format
from rapportbok.data.schema import FieldSpec

EXCEL_MAX_TEXT = 32_767  # characters in one cell
NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def unsupported_text(text: str) -> str | None:
    """Why Excel cannot hold `text` unchanged, or None."""
    if len(text) > EXCEL_MAX_TEXT:
        return f"texten har {len(text)} tecken; en cell i Excel rymmer högst {EXCEL_MAX_TEXT}"
    if "\r" in text:
        return "texten innehåller en vagnretur (CR), som Excel inte bevarar; använd bara radbrytning (LF)"
    if ENCODED_CHARACTER.search(text):
        return "texten innehåller _xHHHH_, som Excel läser som ett kodat tecken"
    found = ILLEGAL_CHARACTERS_RE.search(text)
    if found:
        return f"texten innehåller kontrolltecknet U+{ord(found.group()):04X}, som Excel inte kan spara"
    return None


def cell_value(spec: FieldSpec, text: str) -> tuple[object, str]:
    """The value and number format of the cell that holds `text` in column `spec`."""
    if text == "":
        return None, number_format(spec, text)
    candidate = _typed(spec, text)
    if candidate is not None:
        value, fmt = candidate
        back = convert(CellValue(value, fmt), spec, percent_ok=False)
        if back.issue is None and back.text == text:
            return value, fmt
    return _as_text(spec, text), "@"


def _typed(spec: FieldSpec, text: str) -> tuple[object, str] | None:
    if spec.type == "integer" and NUMBER.match(text) and "." not in text:
        return int(text), number_format(spec, text)
    if spec.type == "number" and NUMBER.match(text):
        return float(text), number_format(spec, text)
    if spec.type == "date" and ISO_DATE.match(text):
        try:
            return date.fromisoformat(text), number_format(spec, text)
        except ValueError:
            return None
    return None


def _as_text(spec: FieldSpec, text: str) -> str:
    """A number kept as text is written with decimal comma: import reads Swedish text numbers."""
    if spec.type in ("integer", "number") and "." in text:
        swedish = text.replace(".", ",")
        if convert(CellValue(swedish), spec, percent_ok=False).text == text:
            return swedish
    return text
