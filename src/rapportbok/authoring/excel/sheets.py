"""The shape of the workbook, shared by export and import: sheet names, column headings, number formats.

One sheet per table, with a Swedish title ("Indikatorer – utfall" for indikator_utfall.csv: `sheet_title`),
row 1 the headings, one row per CSV row. Import finds a table's sheet by that title, or by the table's
id (`indikator_utfall`), which workbooks exported before the titles have as sheet names.
A heading is the schema's Swedish title with its unit, e.g. "Budget (tkr)"; import also accepts the CSV
column name, so that a sheet pasted from a CSV file is read too.
"""

from __future__ import annotations

import re

from rapportbok.data.schema import FieldSpec, TableSchema

INSTRUCTIONS_SHEET = "Instruktioner"
LISTS_SHEET = "listor"  # hidden: the allowed values that the drop-down lists point at
IDENTITY_SHEET = "rapportbok"  # hidden: the organisation, year and base of the workbook (see identity)
HELPER_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET, IDENTITY_SHEET)
YEAR_PROPERTY = "rapportbok_ar"  # custom document property: the fiscal year the workbook was made for
ORGANISATION_PROPERTY = "rapportbok_organisation"

PERCENT_UNIT = "%"
AMOUNT_UNIT = "tkr"
DATE_FORMAT = "yyyy-mm-dd"  # Swedish Excel shows it as ÅÅÅÅ-MM-DD
TEXT_FORMAT = "@"
GENERAL_FORMAT = "General"
GROUPED = "#,##0"  # the format code's ',' is the thousands separator; Swedish Excel shows a space
PLAIN_INTEGER = "0"  # years, months, counts of decimals: no grouping (2024, not 2 024)


MAX_SHEET_TITLE = 31  # Excel's limit on a sheet's name
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\']")  # characters a sheet's name cannot hold (and ')
# Short Swedish sheet titles of the package's tables; an organisation's own table is titled by its
# schema's title when that fits (see sheet_title).
SHEET_TITLES = {
    "malomraden": "Målområden",
    "inriktningsmal": "Inriktningsmål",
    "indikatorer": "Indikatorer",
    "indikator_utfall": "Indikatorer – utfall",
    "uppdrag": "Uppdrag och initiativ",
    "uppdrag_nasta_ar": "Uppdrag – nästa år",
    "uppdrag_sammanstallning": "Uppdrag – sammanställning",
    "sjukfranvaro": "Sjukfrånvaro – månader",
    "sjukfranvaro_ar": "Sjukfrånvaro – år",
    "personalomsattning": "Personalomsättning",
    "drift": "Driftredovisning",
    "drift_verksamhet": "Drift per verksamhet",
    "investeringar": "Investeringar",
}


def sheet_titles(schemas: dict[str, TableSchema]) -> dict[str, str]:
    """Table → the title of its sheet: Swedish, unique (ignoring case and spaces), at most 31 characters,
    and never a helper sheet's name or another table's id (its own, in other case, is fine); a table
    whose title cannot be used keeps its id."""
    taken = {_key(name) for name in (*HELPER_SHEETS, *schemas)}
    titles = {}
    for name, schema in schemas.items():
        wanted = SHEET_TITLES.get(name, schema.title or name).strip()
        usable = len(wanted) <= MAX_SHEET_TITLE and not FORBIDDEN_IN_TITLE.search(wanted) and wanted
        free = _key(wanted) == _key(name) or _key(wanted) not in taken  # its own id is its own
        title = wanted if usable and free else name
        taken.add(_key(title))
        titles[name] = title
    return titles


def sheet_reference(title: str) -> str:
    """The sheet as a formula or link names it: quoted ('Indikatorer – utfall')."""
    return "'" + title.replace("'", "''") + "'"


def heading(spec: FieldSpec) -> str:
    """The column heading an analyst sees: the title, and the unit in parentheses."""
    return f"{spec.title} ({spec.unit})" if spec.unit else spec.title


def headings(schema: TableSchema) -> dict[str, str]:
    """Field name → heading; a title shared by two fields gets the field name added, so both are unique."""
    titles = [heading(spec) for spec in schema.fields]
    return {
        spec.name: title if titles.count(title) == 1 else f"{title} [{spec.name}]"
        for spec, title in zip(schema.fields, titles, strict=True)
    }


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def field_for_heading(schema: TableSchema, text: str, titles: dict[str, str] | None = None) -> str | None:
    """The field a heading names (its heading or its CSV column name, ignoring case and spacing);
    `titles`: the schema's `headings`, when the caller has them already (one heading row, many cells)."""
    wanted = _key(text)
    for name, title in (titles if titles is not None else headings(schema)).items():
        if wanted in (_key(title), _key(name)):
            return name
    return None


def is_percent(spec: FieldSpec) -> bool:
    return spec.unit == PERCENT_UNIT


def column_format(spec: FieldSpec) -> str:
    """The format of a column's empty cells, so that what the analyst types is kept as typed."""
    if spec.type == "date":
        return DATE_FORMAT
    if spec.type == "integer":
        return GROUPED if spec.unit == AMOUNT_UNIT else PLAIN_INTEGER
    if spec.type == "number":
        return GENERAL_FORMAT  # shows 7,3 as typed; a fixed format would show 7,3 as 7
    return TEXT_FORMAT  # ids like 1.1 or 17031 stay text instead of becoming dates or numbers


def number_format(spec: FieldSpec, csv_text: str) -> str:
    """The format of a filled cell. A decimal number that ends in zero keeps its decimals (6.0 is shown
    as 6,0 and read back as 6.0); other numbers are shown as they are (General)."""
    if spec.type != "number":
        return column_format(spec)
    decimals = csv_text.partition(".")[2]
    if decimals and decimals.endswith("0") and decimals.isdigit():
        return GROUPED + "." + "0" * len(decimals)
    return GENERAL_FORMAT
