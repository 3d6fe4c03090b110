"""Generated pages type no figures: what they show comes from data (item: no typed figures)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from rapportbok.data.load import load_year
from rapportbok.narrative.typed import typed_figures
from rapportbok.views.tillganglighet import printed_disagreements, statement_body

PACKAGE = Path(__file__).resolve().parents[3] / "src/rapportbok"
GENERATED_PAGES = (
    "views/forsida.py",
    "model/year_brief.py",  # the front page's key figures, also printed
    "views/om_rapporten.py",
    "views/tillganglighet.py",
    "pipeline/publishing/pages.py",
)
TAG = re.compile(r"<[^>]*>")


def _literal_texts(module: Path) -> list[str]:
    """Every string literal of a module (the constant parts of f-strings too), without HTML tags."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        TAG.sub(" ", node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", GENERATED_PAGES)
def test_a_generated_page_types_no_figure(module: str) -> None:
    found = [figure.written for text in _literal_texts(PACKAGE / module) for figure in typed_figures(text)]
    assert found == []


def test_the_scan_would_find_a_typed_figure(tmp_path: Path) -> None:
    module = tmp_path / "page.py"
    module.write_text('BODY = f"<p>Överskottet var 22,3 mnkr för {year}.</p>"\n', encoding="utf-8")
    assert [f.written for text in _literal_texts(module) for f in typed_figures(text)] == ["22,3 mnkr"]


def test_the_statement_computes_where_2024_keeps_printed_values(project_root: Path) -> None:
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    titles = {"ekonomi": "Ekonomi", "sammanfattning": "Sammanfattning"}
    sentence = (printed_disagreements(report, titles) or "").replace("\u00a0", " ")
    assert sentence == (
        "Den tryckta verksamhetsberättelsen för 2024 innehåller avvikelser mellan text och tabeller "
        '("75 tkr" i kapitlet Ekonomi där data ger 76 tkr; "22,3 mnkr" i kapitlet Sammanfattning där '
        "data ger 22,4 mnkr); värdena visas som de trycktes."
    )
    assert "22,3 mnkr" in statement_body(project_root, report, titles)


def test_the_statement_follows_the_data(project_copy: Path) -> None:
    drift = project_copy / "data/kommunstyrelsekontoret/2024/drift.csv"
    drift.write_text(drift.read_text(encoding="utf-8").replace(",22355,", ",25933,"), encoding="utf-8")
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    assert "där data ger 25,9 mnkr" in (printed_disagreements(report, {}) or "")


def test_a_year_without_printed_values_names_none(project_copy: Path) -> None:
    meta = project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml"
    meta.write_text(meta.read_text(encoding="utf-8").split("# Boken 2024 återger")[0], encoding="utf-8")
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    assert printed_disagreements(report, {}) is None
    assert "22,3" not in statement_body(project_copy, report)


def test_no_chapter_notebook_types_a_figure_in_its_text(project_root: Path) -> None:
    for notebook in sorted((project_root / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
        assert [figure.written for figure in typed_figures(text)] == [], notebook.name
