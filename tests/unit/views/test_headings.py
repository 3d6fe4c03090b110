"""Headings with placeholders: shown filled in by Jupyter, and the same Markdown cell in the book."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from markdown_it import MarkdownIt

from rapportbok.data.load import load_year
from rapportbok.exceptions import NarrativeError, UsageError
from rapportbok.pipeline.inputs.notebooks import clean_executed
from rapportbok.views.text import show_heading


@pytest.fixture(scope="module")
def report(project_root: Path):
    return load_year(2024, project_root / "data" / "kommunstyrelsekontoret")


@pytest.fixture(scope="module")
def project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def test_a_heading_is_filled_in_and_shown_as_markdown(report) -> None:
    """Jupyter shows '## Norrtälje kommun som arbetsgivare' as Markdown, marked as a heading."""
    heading = show_heading(report, "## {{ kommun }} som arbetsgivare")
    data, metadata = DisplayFormatter().format(heading)
    assert data["text/markdown"] == f"## {report.meta.kommun} som arbetsgivare"
    assert metadata["text/markdown"] == {"rapportbok": "heading"}
    assert "{{" not in data["text/markdown"]


def test_a_value_from_data_cannot_make_markup_in_a_heading(report) -> None:
    """Values are escaped as Markdown text, as in the narrative."""
    meta = report.meta.__class__(**{**report.meta.__dict__, "kommun": "[x](https://a.se) *b*"})
    hostile = report.__class__(meta=meta, book=report.book, tables=report.tables)
    html = MarkdownIt().render(show_heading(hostile, "## {{ kommun }}").markdown)
    assert html == "<h2>[x](https://a.se) *b*</h2>\n"


@pytest.mark.parametrize("source", ["{{ kommun }} utan rubrik", "## {{ kommun }}\n\nstycke"])
def test_only_a_one_line_heading_is_accepted(report, source: str) -> None:
    with pytest.raises(UsageError, match="rubrik på en rad"):
        show_heading(report, source)


def test_a_typo_in_a_heading_is_a_located_swedish_error(report) -> None:
    with pytest.raises(NarrativeError, match="menade du `kommun`"):
        show_heading(report, "## {{ komun }} som arbetsgivare")


def test_the_build_turns_a_heading_output_into_its_markdown_cell(tmp_path: Path) -> None:
    """An executed heading cell becomes exactly the Markdown cell it stands for; other cells stay."""
    notebook = nbformat.v4.new_notebook()
    heading = nbformat.v4.new_code_cell('show_heading(report, "## {{ kommun }} som arbetsgivare")')
    heading.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/markdown": "## Norrtälje kommun som arbetsgivare", "text/plain": "x"},
            metadata={"text/markdown": {"rapportbok": "heading"}},
            execution_count=1,
        )
    ]
    table = nbformat.v4.new_code_cell("turnover_table(report)")
    table.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "## Inte en rubrik"})]
    notebook.cells = [heading, table]
    path = tmp_path / "kapitel.ipynb"
    nbformat.write(notebook, path)
    clean_executed(path)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0] == {
        "cell_type": "markdown",
        "id": "cell-0",
        "metadata": {},
        "source": "## Norrtälje kommun som arbetsgivare",
    }
    assert cells[1]["cell_type"] == "code"
