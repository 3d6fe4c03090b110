"""`check` finds a table or chart block that names a table or column that does not exist, located by the
chapter notebook and the cell, before the build runs the chapter (checks/blocks.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from rapportbok.checks.blocks import block_call_names, block_problems
from rapportbok.checks.check import check_year
from rapportbok.core.book import BookId
from rapportbok.data.block_names import BlockNames
from rapportbok.data.org_tables import book_schemas
from tests.conftest import copy_project
from tests.unit.views.test_blocks import CSV, SCHEMA

ORG = "kommunstyrelsekontoret"
NOTEBOOK = "notebooks/arbetsgivare.ipynb"


def _call(source: str) -> ast.Call:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    return node.value


def _add_cells(root: Path, *sources: str) -> int:
    """Append code cells to the chapter notebook; the number (from 1) of the first added cell."""
    path = root / NOTEBOOK
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = len(notebook["cells"]) + 1
    notebook["cells"] += [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [source]}
        for source in sources
    ]
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return first


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the project where the organisation declares the table `volymer`."""
    root = copy_project(tmp_path / "project")
    (root / "data" / ORG / "tabeller").mkdir()
    (root / "data" / ORG / "tabeller" / "volymer.yaml").write_text(SCHEMA, encoding="utf-8")
    (root / "data" / ORG / "2024" / "volymer.csv").write_text(CSV, encoding="utf-8")
    return root


def _problems(root: Path) -> list[tuple[str, str]]:
    book = BookId(ORG, 2024, root)
    return [(problem.code, str(problem)) for problem in block_problems(book, book_schemas(book.org_dir))]


def test_the_names_of_table_and_chart_calls_are_read_without_running_them() -> None:
    assert block_call_names(_call('table(report, "volymer", columns=["ar", "brukare"])')) == BlockNames(
        "volymer", ("ar", "brukare")
    )
    assert block_call_names(_call('table(report, "volymer", ["ar"])')) == BlockNames("volymer", ("ar",))
    chart = _call('blocks.chart(report, "volymer", x="ar", y="brukare", target="mal", kind="bar")')
    assert block_call_names(chart) == BlockNames("volymer", ("ar",), ("brukare", "mal"))
    assert block_call_names(_call('chart(report, name, x="ar", y=["brukare"])')) is None  # not a literal
    assert block_call_names(_call('show_text(report, "ekonomi/driftredovisning")')) is None


def test_the_projects_chapters_name_no_unknown_table_or_column(root: Path) -> None:
    assert _problems(root) == []


def test_an_unknown_table_is_located_by_notebook_and_cell(root: Path) -> None:
    cell = _add_cells(root, 'table(report, "volymr")')
    [(code, text)] = _problems(root)
    assert code == "block.table.unknown"
    assert text.startswith(
        f'{NOTEBOOK}: cell {cell}: tabellen "volymr" finns inte (tabellerna är: malomraden, '
    )
    assert "volymer;" in text


def test_unknown_and_non_numeric_columns_are_located_by_notebook_and_cell(root: Path) -> None:
    cell = _add_cells(
        root,
        'table(report, "volymer", columns=["verksamhet", "kunder"])',
        'chart(report, "volymer", x="ar", y=["verksamhet"], target="mål")',
    )
    assert _problems(root) == [
        (
            "block.column.unknown",
            f'{NOTEBOOK}: cell {cell}: tabellen "volymer" har ingen kolumn "kunder" '
            "(kolumnerna är: ar, verksamhet, brukare, timmar, mal, andel)",
        ),
        (
            "block.column.unknown",
            f'{NOTEBOOK}: cell {cell + 1}: tabellen "volymer" har ingen kolumn "mål" '
            "(kolumnerna är: ar, verksamhet, brukare, timmar, mal, andel)",
        ),
        (
            "block.column.not_numeric",
            f'{NOTEBOOK}: cell {cell + 1}: kolumnen "verksamhet" i tabellen "volymer" är inga tal '
            "(typ string) (ett diagram ritar kolumner av typen integer eller number)",
        ),
    ]


def test_a_table_whose_schema_has_problems_is_left_to_the_schemas_own_error(root: Path) -> None:
    (root / "data" / ORG / "tabeller" / "volymer.yaml").write_text("title: [trasig\n", encoding="utf-8")
    _add_cells(root, 'table(report, "volymer")')
    assert _problems(root) == []


def test_check_reports_a_block_naming_an_unknown_column_as_an_error(root: Path) -> None:
    cell = _add_cells(root, 'chart(report, "sjukfranvaro_ar", x="grupp", y="procnt")')
    result = check_year(BookId(ORG, 2024, root))
    found = [problem for problem in result.problems if problem.code.startswith("block.")]
    assert [(problem.file, problem.code) for problem in found] == [(NOTEBOOK, "block.column.unknown")]
    assert found[0].message == f'cell {cell}: tabellen "sjukfranvaro_ar" har ingen kolumn "procnt"'


def test_an_organisations_own_chapter_is_checked_and_named_by_its_own_path(root: Path) -> None:
    """A chapter of the organisation's own table of contents, from notebooks/<organisation>/."""
    (root / "data" / ORG / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: chapters/volymer\n  - file: om-rapporten\n",
        encoding="utf-8",
    )
    own = root / "notebooks" / ORG
    own.mkdir()

    def write(call: str) -> None:
        code = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [call]}
        cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Volymer"]}, code]
        (own / "volymer.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")

    write('chart(report, "volymer", x="ar", y="brukare", target="mal")')
    assert _problems(root) == []
    write('chart(report, "volymer", x="ar", y="brukare", target="malet")')
    assert [(code, text.split(": ")[:2]) for code, text in _problems(root)] == [
        ("block.column.unknown", [f"notebooks/{ORG}/volymer.ipynb", "cell 2"])
    ]
