"""Text cells that a spreadsheet would take for a formula ("CSV injection", OWASP).

A CSV file in data/ is also opened in Excel or LibreOffice Calc, which run a cell that begins with
`=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula: `=HYPERLINK(…)` or
`=cmd|' /C calc'!A0` would act on the computer of whoever opens the file. The book itself shows such
a cell as plain text, so it is a warning, never an error, and the published value is unchanged.

The rule, for the columns the schema types as text (a number column holds only numbers, so "-5" is
never flagged there): the cell's first character is one of OWASP's six, unless the whole cell is a
plain number ("-5", "+3,5", which a spreadsheet reads as that number) or a lone "-" or "+" (the usual
"nothing here"). Ordinary text such as "- punkt" is flagged: a spreadsheet takes it for a formula too
(and shows #NAMN?), so the analyst should begin it otherwise, e.g. with "–" or "•".
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from rapportbok.checks.context import CheckContext, Found, warnings
from rapportbok.data.csvfile import read_csv
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.exceptions import Finding

FORMULA_STARTS = frozenset("=+-@\t\r")  # OWASP: the characters a spreadsheet starts a formula with
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
NOTHING = frozenset({"-", "+"})
TEXT_TYPE = "string"


def formula_warnings(report: Report) -> list[Finding]:
    """A warning for each text cell of the year's tables that a spreadsheet would run as a formula,
    with file, row and column. A table that cannot be read is left to the table's own check."""
    warnings: list[Finding] = []
    for schema in [*(table_schema(name) for name in TABLE_NAMES), *report.declared.values()]:
        path = report.year_dir / schema.file_name
        if not os.path.lexists(path):
            continue  # an optional table that is absent; a required one is reported as missing
        shown_as = f"{report.shown_folder}/{schema.file_name}"
        content, _ = read_csv(path, shown_as, within=report.org_dir)
        if content is None:
            continue
        text = {field.name for field in schema.fields if field.type == TEXT_TYPE}
        columns = [(index, column) for index, column in enumerate(content.header) if column in text]
        for offset, record in enumerate(content.rows):
            for index, column in columns:
                if index < len(record) and formula_like(record[index]):
                    warnings.append(
                        Finding(shown_as, _message(record[index]), offset + 2, column, code="source.formula")
                    )
    return warnings


def formula_like(cell: str) -> bool:
    """Whether a spreadsheet opening the CSV file would take this text cell for a formula."""
    if not cell or cell[0] not in FORMULA_STARTS:
        return False
    stripped = cell.strip()
    return not (stripped in NOTHING or PLAIN_NUMBER.fullmatch(stripped))


def _message(cell: str) -> str:
    first = {"\t": "ett tabbtecken", "\r": "en vagnretur"}.get(cell[0], f'"{cell[0]}"')
    return (
        f"texten börjar med {first}, så ett kalkylprogram (Excel, LibreOffice) som öppnar CSV-filen "
        "tar den för en formel och kan köra den. Boken visar den som text och värdet publiceras "
        'oförändrat; är det inte menat som en formel, börja texten med något annat (t.ex. "–" eller "•")'
    )


def check_formulas(context: CheckContext) -> Iterable[Found]:
    """Cells of the year's tables that look like spreadsheet formulas."""
    return warnings(formula_warnings(context.report))
