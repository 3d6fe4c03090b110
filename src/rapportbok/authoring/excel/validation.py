"""Excel's own guard rails on a table sheet: drop-down lists of the allowed values, whole numbers, decimal
numbers and dates. They help while typing (pasting goes around them); import validates everything anyway.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rapportbok.authoring.excel.cells import PLAUSIBLE_YEARS
from rapportbok.authoring.excel.sheets import LISTS_SHEET
from rapportbok.data.schema import FieldSpec, TableSchema

LAST_ROW = 1_048_576  # Excel's last row: the rules cover rows the analyst adds too
BIGGEST = 10**12  # whole numbers and decimals without a range in the schema


class ListColumns:
    """The hidden sheet with one column of allowed values per field that has them."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.used: dict[tuple[str, ...], str] = {}

    def range_for(self, values: tuple[str, ...], label: str) -> str:
        """An absolute reference to a column holding `values` (one column per distinct list)."""
        if values not in self.used:
            column = get_column_letter(len(self.used) + 1)
            self.sheet[f"{column}1"] = label
            for row, value in enumerate(values, start=2):
                self.sheet[f"{column}{row}"] = value
                self.sheet[f"{column}{row}"].data_type = "s"  # a value like "=x" stays text
            self.used[values] = f"{quote_sheetname(LISTS_SHEET)}!${column}$2:${column}${len(values) + 1}"
        return self.used[values]


def add_validations(sheet: Worksheet, schema: TableSchema, lists: ListColumns, year: int) -> None:
    """One rule per column that has allowed values or a type Excel can check (dates near `year`)."""
    for position, spec in enumerate(schema.fields, start=1):
        rule = _rule(spec, schema, lists, year)
        if rule is None:
            continue
        column = get_column_letter(position)
        rule.add(f"{column}2:{column}{LAST_ROW}")
        sheet.add_data_validation(rule)


def _rule(spec: FieldSpec, schema: TableSchema, lists: ListColumns, year: int) -> DataValidation | None:
    if spec.enum:
        rule = DataValidation(type="list", formula1=lists.range_for(spec.enum, f"{schema.name}.{spec.name}"))
        return _explained(rule, "Välj ett värde i listan: " + ", ".join(spec.enum) + ".")
    if spec.type == "integer":
        low, high = _range(spec)
        return _explained(
            DataValidation(type="whole", operator="between", formula1=low, formula2=high),
            "Skriv ett heltal" + (f" ({spec.range_text})" if spec.range_text else "") + ".",
        )
    if spec.type == "number":
        low, high = _range(spec)
        return _explained(
            DataValidation(type="decimal", operator="between", formula1=low, formula2=high),
            "Skriv ett tal med decimalkomma, t.ex. 7,3"
            + (f" ({spec.range_text})" if spec.range_text else "")
            + ".",
        )
    if spec.type == "date":
        low = f"DATE({year - PLAUSIBLE_YEARS},1,1)"
        high = f"DATE({year + PLAUSIBLE_YEARS},12,31)"
        return _explained(
            DataValidation(type="date", operator="between", formula1=low, formula2=high),
            "Skriv ett datum som ÅÅÅÅ-MM-DD.",
        )
    return None


def _range(spec: FieldSpec) -> tuple[str, str]:
    low = spec.minimum if spec.minimum is not None else -BIGGEST
    high = spec.maximum if spec.maximum is not None else BIGGEST
    return str(low), str(high)


def _explained(rule: DataValidation, message: str) -> DataValidation:
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.errorStyle = "stop"
    rule.errorTitle = "Ogiltigt värde"
    rule.error = message[:255]  # Excel's limit for the message
    return rule
