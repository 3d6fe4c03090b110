"""Property-based: random valid data → workbook → CSV gives back the same bytes.

Two levels: every kind of cell value through a saved and re-opened workbook (many examples, fast), and
whole years changed at random through `export_workbook` and `import_workbook` (fewer examples: each one
runs `check` twice).
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from rapportbok.authoring.excel.cells import CellValue, convert
from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.import_ import import_workbook
from rapportbok.authoring.excel.values import cell_value, unsupported_text
from rapportbok.data.csvfile import csv_text
from rapportbok.data.load import book_of
from rapportbok.data.schema import FieldSpec, table_schema
from tests.conftest import ROOT, examples

YEAR = 2024
PERIOD_END = date(2024, 12, 31)

# Text as analysts write it: any letter, digit, punctuation or symbol, and the characters CSV and Excel
# treat specially (quotes, separators, line breaks, a leading = or +).
TEXT_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", "\t", '"', ",", ";", "=", "+", "-", "'", "%", " ", "_", "x", "ä", "Ö"]
)
any_text = st.text(TEXT_CHARACTERS, min_size=1, max_size=30).filter(lambda t: unsupported_text(t) is None)
required_text = any_text.filter(lambda t: t.strip() != "")


@st.composite
def decimal_texts(draw: st.DrawFn, low: int = -999_999, high: int = 999_999) -> str:
    """A decimal number as the CSV files write it: 7.3, 6.0, -12, 0.25 (trailing zeros kept)."""
    whole = draw(st.integers(low, high))
    decimals = draw(st.integers(0, 3))
    if decimals == 0:
        return str(whole)
    fraction = draw(st.integers(0, 10**decimals - 1))
    value = Decimal(whole) + (
        Decimal(fraction) / 10**decimals if whole >= 0 else -Decimal(fraction) / 10**decimals
    )
    if not low <= value <= high:
        return str(whole)
    return f"{value:.{decimals}f}"


integer_texts = st.integers(-10_000_000, 10_000_000).map(str)
past_dates = st.dates(date(2015, 1, 1), PERIOD_END).map(date.isoformat)
any_dates = st.dates(date(1995, 1, 1), date(2054, 12, 31)).map(date.isoformat)


def value_for(spec: FieldSpec) -> st.SearchStrategy[str]:
    """Any valid text for a column, ignoring rules across rows and tables."""
    if spec.enum:
        return st.sampled_from(spec.enum)
    if spec.type == "integer":
        return integer_texts
    if spec.type == "number":
        return decimal_texts()
    if spec.type == "date":
        return any_dates
    return any_text


ALL_FIELDS = [
    spec
    for name in ("indikator_utfall", "drift", "uppdrag", "indikatorer")
    for spec in table_schema(name).fields
]


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(
        st.sampled_from(ALL_FIELDS).flatmap(lambda spec: st.tuples(st.just(spec), value_for(spec))),
        min_size=1,
        max_size=25,
    )
)
def test_any_valid_cell_text_comes_back_unchanged_from_a_saved_workbook(
    values: list[tuple[FieldSpec, str]],
) -> None:
    book = Workbook()
    sheet = book.active
    for row, (spec, text) in enumerate(values, start=1):
        value, number_format = cell_value(spec, text)
        cell = sheet.cell(row, 1, value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer, data_only=True).active
    for row, (spec, text) in enumerate(values, start=1):
        cell = sheet.cell(row, 1)
        back = convert(CellValue(cell.value, cell.number_format), spec, percent_ok=False)
        assert (back.issue, back.text) == (None, text)


# Whole years: the 2024 data with its free text, numbers, dates and choices replaced at random, and new
# assignments added. Keys, references and the values the texts' placeholders read stay valid.
FREE_TEXT = {
    "uppdrag": ["titel", "ansvarig_avdelning", "kommentar"],
    "indikatorer": ["namn", "ansvarig_avdelning", "kommentar"],
    "uppdrag_nasta_ar": ["titel_i_tabellen", "orsak"],
    "drift_verksamhet": ["verksamhet", "kommentar_rubrik"],
    "investeringar": ["projekt"],
}
NUMBERS = {
    "indikator_utfall": ["utfall", "mal"],
    "drift": ["budget", "utfall", "avvikelse", "utfall_foregaende_ar"],
    "drift_verksamhet": ["budget", "utfall", "avvikelse", "utfall_foregaende_ar"],
    "investeringar": ["total_budget", "total_prognos", "ack_utfall", "utfall", "budget_ar"],
    "sjukfranvaro": ["procent"],
    "personalomsattning": ["procent"],
}
CHOICES = {"uppdrag": ["prognos", "status"], "indikatorer": ["bedomning", "trend"]}


def read_rows(folder: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


@st.composite
def changed_years(draw: st.DrawFn) -> dict[str, str]:
    """Table → the CSV text of a valid year that differs from 2024 at random places."""
    source = ROOT / "data" / "kommunstyrelsekontoret" / str(YEAR)
    files = {}
    for table in sorted(set(FREE_TEXT) | set(NUMBERS) | set(CHOICES)):
        schema = table_schema(table)
        header, *rows = read_rows(source, table)
        for row in rows:
            for name in FREE_TEXT.get(table, []) + NUMBERS.get(table, []) + CHOICES.get(table, []):
                position = header.index(name)
                if row[position] == "" or not draw(st.booleans()):
                    continue  # an empty value stays empty: a text may read a value only when it is there
                spec = schema.field(name)
                if spec.type == "number":
                    strategy = decimal_texts(0, 100) if spec.maximum == 100 else decimal_texts()
                else:
                    strategy = (
                        required_text
                        if spec.required and spec.type == "string" and not spec.enum
                        else value_for(spec)
                    )
                row[position] = draw(strategy)
            if table in ("uppdrag", "indikatorer") and row[header.index("kommentar_datum")]:
                row[header.index("kommentar_datum")] = draw(past_dates)
        if table == "uppdrag":
            goals = [row[0] for row in read_rows(source, "inriktningsmal")[1:]]
            for number in range(draw(st.integers(0, 3))):
                new = {name: draw(value_for(schema.field(name))) for name in header}
                new.update(uppdrag_id=f"U{900 + number}", mal_id=draw(st.sampled_from(goals)))
                new.update(titel=draw(required_text), ansvarig_avdelning=draw(required_text))
                new.update(kommentar_datum=draw(st.just("") | past_dates))
                rows.append([new[name] for name in header])
        files[table] = csv_text(header, rows)
    return files


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pristine") / "data" / "kommunstyrelsekontoret"
    shutil.copytree(ROOT / "data" / "kommunstyrelsekontoret", target)
    return target


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changed_years())
def test_a_random_valid_year_survives_export_and_import_byte_for_byte(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    """The workbook is imported into the folder it was exported from (a workbook belongs to its
    organisation and base): import writes a file only when a table reads back differently, so no file
    written means every table came back byte for byte."""
    source = tmp_path_factory.mktemp("year") / "data" / "kommunstyrelsekontoret"
    shutil.copytree(pristine, source)
    for table, text in files.items():
        (source / str(YEAR) / f"{table}.csv").write_text(text, encoding="utf-8", newline="")
    before = {path.name: path.read_bytes() for path in (source / str(YEAR)).glob("*.csv")}
    workbook = export_workbook(book_of(YEAR, source), source.parent.parent / "_build")
    result = import_workbook(workbook, book_of(YEAR, source))
    assert result.written == []
    assert {path.name: path.read_bytes() for path in (source / str(YEAR)).glob("*.csv")} == before
