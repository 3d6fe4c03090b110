"""Tables an organisation declares itself (issue 26, item 3): schema in data/<org>/tabeller/<name>.yaml, data
in data/<org>/<year>/<name>.csv; checked like the package's tables, loaded into report.tables, tracked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.import_ import import_workbook
from rapportbok.authoring.new_year import start_new_year
from rapportbok.checks.check import check_year
from rapportbok.checks.contract import render_contract
from rapportbok.checks.formulas import formula_warnings
from rapportbok.checks.source_checks import duplicate_row_warnings
from rapportbok.core.book import BookId
from rapportbok.data.load import load_book, read_book
from rapportbok.data.org_tables import MAX_ENTRIES, org_tables
from rapportbok.data.tracking import ReadRecorder, recorded_reads
from rapportbok.exceptions import DataError, NarrativeError
from rapportbok.narrative.templates import render_text
from rapportbok.pipeline.preview.builder import watched_paths
from tests.conftest import ROOT

ORG = "kommunstyrelsekontoret"
SCHEMA = """\
title: Volymer
description: Antal brukare och beviljade timmar per verksamhet.
fields:
  - name: verksamhet
    title: Verksamhet
    type: string
    constraints:
      required: true
      unique: true
  - name: brukare
    title: Antal brukare
    type: integer
    unit: st
    constraints:
      required: true
      minimum: 0
  - name: timmar
    title: Beviljade timmar
    type: number
    unit: timmar
primaryKey: [verksamhet]
"""
CSV = "verksamhet,brukare,timmar\nhemtjanst,412,151234.5\nsarskilt_boende,198,\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with the real organisation's 2024 data and a declared table `volymer`."""
    shutil.copytree(ROOT / "data" / ORG / "2024", tmp_path / "data" / ORG / "2024")
    (tmp_path / "data" / ORG / "tabeller").mkdir()
    (tmp_path / "data" / ORG / "tabeller" / "volymer.yaml").write_text(SCHEMA, encoding="utf-8")
    (tmp_path / "data" / ORG / "2024" / "volymer.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def _book(root: Path) -> BookId:
    return BookId(ORG, 2024, root)


def _problems(root: Path) -> list[str]:
    _, problems, _ = read_book(_book(root))
    return [str(problem) for problem in problems]


def test_a_declared_table_is_loaded_typed_after_the_package_tables(root: Path) -> None:
    report = load_book(_book(root))
    volymer = report.tables["volymer"]
    assert list(report.tables)[-1] == "volymer"
    assert list(volymer.columns) == ["verksamhet", "brukare", "timmar"]
    assert volymer["brukare"].tolist() == [412, 198]
    assert str(volymer["brukare"].dtype) == "Int64"
    assert volymer["timmar"].iloc[0] == 151234.5


def test_a_declared_table_is_also_in_a_lazy_report(root: Path) -> None:
    report = load_book(_book(root), lazy=True)
    assert report.tables["volymer"]["verksamhet"].tolist() == ["hemtjanst", "sarskilt_boende"]


def test_a_wrong_cell_is_named_by_file_row_and_column(root: Path) -> None:
    (root / "data" / ORG / "2024" / "volymer.csv").write_text(
        "verksamhet,brukare,timmar\nhemtjanst,fyra,1\nhemtjanst,-1,2\n", encoding="utf-8"
    )
    problems = _problems(root)
    assert (
        f'data/{ORG}/2024/volymer.csv, rad 2, kolumn "brukare": "fyra" är inte giltigt (ska vara ett heltal, '
        "t.ex. -305285)"
    ) in problems
    assert (
        f'data/{ORG}/2024/volymer.csv, rad 3, kolumn "verksamhet": "hemtjanst" förekommer flera gånger '
        "(finns redan på rad 2) (värdet måste vara unikt)"
    ) in problems
    assert any('rad 3, kolumn "brukare": "-1" ligger utanför det tillåtna intervallet' in p for p in problems)


def test_check_reports_a_missing_column_and_a_missing_file(root: Path) -> None:
    csv = root / "data" / ORG / "2024" / "volymer.csv"
    csv.write_text("verksamhet,brukare\nhemtjanst,1\n", encoding="utf-8")
    result = check_year(_book(root))
    assert any(
        str(problem).startswith(f'data/{ORG}/2024/volymer.csv, rad 1, kolumn "timmar": kolumnen saknas')
        for problem in result.problems
    )
    csv.unlink()
    assert any(problem.startswith(f"data/{ORG}/2024/volymer.csv") for problem in _problems(root))


def test_an_optional_declared_table_may_be_absent(root: Path) -> None:
    schema = root / "data" / ORG / "tabeller" / "volymer.yaml"
    schema.write_text("optional: true\n" + SCHEMA, encoding="utf-8")
    (root / "data" / ORG / "2024" / "volymer.csv").unlink()
    report = load_book(_book(root))
    assert report.tables["volymer"].empty
    assert list(report.tables["volymer"].columns) == ["verksamhet", "brukare", "timmar"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "drift",
            SCHEMA,
            f'data/{ORG}/tabeller/drift.yaml: "drift" är redan en av rapportbokens egna tabeller',
        ),
        ("Volymer", SCHEMA, f'data/{ORG}/tabeller/Volymer.yaml: "Volymer" är inget giltigt tabellnamn'),
        (
            "volymer",
            SCHEMA + "foreignKeys: []\n",
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "foreignKeys": okänd nyckel (tillåtna: title, '
            "description, fields, primaryKey, optional)",
        ),
        (
            "volymer",
            SCHEMA.replace("type: number", "type: geojson"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "timmar.type": okänd typ "geojson"',
        ),
        (
            "volymer",
            SCHEMA.replace("minimum: 0", "pattern: '(a+)+$'"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "brukare.constraints.pattern": okänd nyckel',
        ),
        (
            "volymer",
            SCHEMA.replace("primaryKey: [verksamhet]", "primaryKey: [kommun]"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "primaryKey": "kommun" är ingen kolumn i tabellen',
        ),
        (
            "volymer",
            SCHEMA.replace("unit: st", "unit: [st]"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "brukare.unit": ska vara en text',
        ),
        (
            "volymer",
            SCHEMA.replace("title: Volymer", "title: &a Volymer\nx: *a"),
            f"data/{ORG}/tabeller/volymer.yaml",
        ),
        ("volymer", "- en lista\n", f"data/{ORG}/tabeller/volymer.yaml: filen ska innehålla rader"),
        (
            "volymer",
            SCHEMA.replace("minimum: 0", "minimum: noll"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "brukare.constraints.minimum": ska vara ett tal',
        ),
        (
            "volymer",
            SCHEMA.replace("unique: true", "unique: ja"),
            f'data/{ORG}/tabeller/volymer.yaml, kolumn "verksamhet.constraints.unique": ska vara true '
            "eller false",
        ),
    ],
    ids=[
        "clash",
        "bad-name",
        "reference",
        "type",
        "regex",
        "primary-key",
        "unit",
        "alias",
        "not-mapping",
        "minimum",
        "unique",
    ],
)
def test_a_schema_is_data_and_checked_strictly(root: Path, name: str, text: str, expected: str) -> None:
    folder = root / "data" / ORG / "tabeller"
    (folder / "volymer.yaml").unlink()
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    declared = org_tables(root / "data" / ORG)
    assert declared.schemas == {}
    assert any(str(problem).startswith(expected) for problem in declared.problems), declared.problems
    with pytest.raises(DataError):
        load_book(_book(root))


def test_a_schema_beyond_the_size_bound_is_refused(root: Path) -> None:
    schema = root / "data" / ORG / "tabeller" / "volymer.yaml"
    schema.write_text(SCHEMA + "# " + "x" * 70_000 + "\n", encoding="utf-8")
    declared = org_tables(root / "data" / ORG)
    assert declared.schemas == {}
    assert declared.problems and declared.problems[0].file == f"data/{ORG}/tabeller/volymer.yaml"


def test_a_linked_schema_is_not_followed(root: Path, tmp_path: Path) -> None:
    schema = root / "data" / ORG / "tabeller" / "volymer.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_text(SCHEMA, encoding="utf-8")
    schema.unlink()
    schema.symlink_to(outside)
    declared = org_tables(root / "data" / ORG)
    assert declared.schemas == {}
    assert [problem.file for problem in declared.problems] == [f"data/{ORG}/tabeller/volymer.yaml"]


def test_an_organisation_without_tables_loads_exactly_the_package_tables() -> None:
    report = load_book(BookId(ORG, 2024, ROOT))
    assert "volymer" not in report.tables
    assert len(report.tables) == 13


def test_a_chapter_reading_the_table_records_its_csv_and_schema(root: Path, tmp_path: Path) -> None:
    """The chapter cache re-runs a chapter when a file it recorded changes: a changed cell or schema."""
    log = tmp_path / "reads.log"
    report = load_book(_book(root), lazy=True, reads=ReadRecorder(log))
    recorded = {path.relative_to(root).as_posix() for path in recorded_reads(log) or []}
    assert f"data/{ORG}/2024/volymer.csv" not in recorded  # not read yet: chapters without it don't depend
    report.tables["volymer"]
    recorded = {path.relative_to(root).as_posix() for path in recorded_reads(log) or []}
    assert {f"data/{ORG}/2024/volymer.csv", f"data/{ORG}/tabeller/volymer.yaml"} <= recorded


def test_a_placeholder_reaches_a_value_by_table_row_key_and_column(root: Path) -> None:
    """The grammar: {{ tabell.<namn>.<radnyckel>.<kolumn> }}, the row found by the schema's primaryKey."""
    report = load_book(_book(root))
    source = (
        "{{ tabell.volymer.hemtjanst.brukare }} brukare fick "
        "{{ tabell.volymer.hemtjanst.timmar | tal }} timmar; "
        "{{ tabell.volymer.sarskilt_boende.verksamhet }}.\n"
    )
    rendered = render_text(report, "sammanfattning/test", source=source)
    assert rendered.markdown == "412 brukare fick 151\u00a0235 timmar; sarskilt\\_boende.\n"


def test_an_integer_key_and_a_key_of_two_columns_nest_in_schema_order(root: Path) -> None:
    folder = root / "data" / ORG
    (folder / "tabeller" / "volymer.yaml").write_text(
        SCHEMA.replace("primaryKey: [verksamhet]", "primaryKey: [brukare, verksamhet]").replace(
            "      unique: true\n", ""
        ),
        encoding="utf-8",
    )
    report = load_book(_book(root))
    rendered = render_text(
        report, "sammanfattning/test", source="{{ tabell.volymer.198.sarskilt_boende.brukare }}"
    )
    assert rendered.markdown == "198\n"


def test_a_row_that_does_not_exist_is_a_located_error(root: Path) -> None:
    report = load_book(_book(root))
    with pytest.raises(NarrativeError) as raised:
        render_text(report, "sammanfattning/test", source="Text\n{{ tabell.volymer.skola.brukare }}\n")
    assert raised.value.problems[0].row == 2
    assert "skola" in str(raised.value)


def test_the_contract_lists_every_declared_table_with_its_placeholder(root: Path) -> None:
    contract = render_contract(root / "data")
    section = contract[contract.index("## Egna tabeller") :]
    assert "{{ tabell.<namn>.<radnyckel>.<kolumn> }}" in section
    assert f"### {ORG}: volymer.csv – Volymer\n" in section
    assert (
        f"Schema: `data/{ORG}/tabeller/volymer.yaml`. "
        "Platshållare: `{{ tabell.volymer.<verksamhet>.brukare }}`." in section
    )
    assert "| `timmar` | Beviljade timmar | tal (punkt som decimaltecken), timmar |" in section
    assert "har egna tabeller ännu" not in section


def test_the_contract_without_declared_tables_says_so() -> None:
    assert "Ingen organisation i `data/` har egna tabeller ännu." in render_contract(ROOT / "data")


def test_new_year_starts_the_declared_table_with_its_header(root: Path) -> None:
    """The schema lives at the organisation's level and needs no copy; the year's CSV starts empty."""
    created = start_new_year(BookId(ORG, 2025, root))
    csv = root / "data" / ORG / "2025" / "volymer.csv"
    assert csv in created.files
    assert csv.read_text(encoding="utf-8") == "verksamhet,brukare,timmar\n"
    assert load_book(BookId(ORG, 2025, root), draft=True).tables["volymer"].empty


def test_a_folder_with_too_many_files_is_refused_without_reading_them(root: Path) -> None:
    folder = root / "data" / ORG / "tabeller"
    for number in range(MAX_ENTRIES + 1):
        (folder / f"t{number}.yaml").write_text(SCHEMA, encoding="utf-8")
    declared = org_tables(root / "data" / ORG)
    assert declared.schemas == {}
    assert [str(problem) for problem in declared.problems] == [
        f"data/{ORG}/tabeller: för många filer (högst 50 tabeller) "
        "(se docs/organisationer.md, avsnittet om egna tabeller)"
    ]


def test_a_file_that_is_not_a_schema_is_named(root: Path) -> None:
    (root / "data" / ORG / "tabeller" / "volymer.csv").write_text(CSV, encoding="utf-8")
    declared = org_tables(root / "data" / ORG)
    assert list(declared.schemas) == ["volymer"]
    assert [problem.file for problem in declared.problems] == [f"data/{ORG}/tabeller/volymer.csv"]


def test_excel_carries_a_declared_table_both_ways(root: Path) -> None:
    """The workbook has a sheet for the declared table; a changed cell is imported into its CSV, and a
    wrong value is named by sheet and cell."""
    csv = root / "data" / ORG / "2024" / "volymer.csv"
    before = csv.read_bytes()
    workbook = export_workbook(_book(root), root / "_build")
    book = load_workbook(workbook)
    sheet = book["Volymer"]  # the schema's title
    assert [cell.value for cell in sheet[2]][:2] == ["hemtjanst", 412]
    unchanged = import_workbook(workbook, _book(root))
    assert csv not in unchanged.written and csv.read_bytes() == before
    sheet["B2"] = 500
    book.save(workbook)
    result = import_workbook(workbook, _book(root))
    assert csv in result.written
    assert csv.read_text(encoding="utf-8") == CSV.replace("412", "500")
    book = load_workbook(export_workbook(_book(root), root / "_build"))  # a fresh export: no conflict
    book["Volymer"]["B2"] = "många"
    book.save(workbook)
    with pytest.raises(DataError) as raised:
        import_workbook(workbook, _book(root))
    assert any(problem.file == "Volymer!B2" for problem in raised.value.problems), raised.value.problems
    assert csv.read_text(encoding="utf-8") == CSV.replace("412", "500")


def test_a_workbook_made_before_a_declared_schema_changed_is_not_imported(root: Path) -> None:
    workbook = export_workbook(_book(root), root / "_build")
    schema = root / "data" / ORG / "tabeller" / "volymer.yaml"
    schema.write_text(SCHEMA.replace("type: number", "type: integer"), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        import_workbook(workbook, _book(root))
    assert [problem.code for problem in raised.value.problems] == ["workbook.identity.version"]


def test_the_preview_watches_the_declared_schemas(root: Path) -> None:
    assert root / "data" / ORG / "tabeller" in watched_paths(_book(root))


def test_a_text_cell_a_spreadsheet_would_run_is_warned_about_in_a_declared_table(root: Path) -> None:
    (root / "data" / ORG / "2024" / "volymer.csv").write_text(
        'verksamhet,brukare,timmar\n"=HYPERLINK(""http://x"")",1,2\n', encoding="utf-8"
    )
    found = formula_warnings(load_book(_book(root)))
    assert [(item.file, item.row, item.column) for item in found] == [
        (f"data/{ORG}/2024/volymer.csv", 2, "verksamhet")
    ]


def test_a_repeated_row_in_a_declared_table_is_warned_about(root: Path) -> None:
    (root / "data" / ORG / "2024" / "volymer.csv").write_text(
        "verksamhet,brukare,timmar\nhemtjanst,4,2\nboende,4,2\n", encoding="utf-8"
    )
    found = duplicate_row_warnings(load_book(_book(root)))
    assert [str(item) for item in found] == [
        f"data/{ORG}/2024/volymer.csv, rad 3: raden upprepar rad 2 (utom verksamhet)"
    ]
