"""Metadata and configuration values reach MyST (the site) and the print document as text, never markup."""

from __future__ import annotations

from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from rapportbok.data.load import load_year
from rapportbok.pdf.document import chapter_from_notebook
from rapportbok.pipeline.publishing.pages import GeneratedPage
from rapportbok.pipeline.publishing.siteconfig import year_config
from tests.myst import myst_to_html

# Values that became live markup when substituted into a page as they are.
HOSTILE = [
    "```{raw} html\n<script>alert(1)</script>\n```",
    "```{include} {secret}\n```",
    ":::{raw} html\n<script>alert(1)</script>\n:::",
    "{raw}`html`<script>alert(1)</script>",
    "[klicka](javascript:alert(1))",
    "![x](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;",
    "# Rubrik\n\n* lista",
]
PAGE = "# {{ rapporttyp }} {{ ar }}\n\n{{ organisation }}, {{ kommun }}.\n\n{{ kommun }}\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("HEMLIG-RAD\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", HOSTILE)
def test_a_metadata_value_is_text_on_the_page_even_if_the_schema_let_it_through(
    project_root: Path, secret: Path, value: str
) -> None:
    """Defence in depth: with a value check would refuse, MyST still shows it as text: no script,
    no included file, no link or image, no heading."""
    value = value.replace("{secret}", str(secret))
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    report = replace(report, meta=replace(report.meta, organisation=value, kommun=value))
    substitutions = year_config({}, report)["sphinx"]["config"]["myst_substitutions"]
    html = myst_to_html(PAGE, substitutions)
    assert "<script" not in html and "HEMLIG-RAD" not in html
    assert "<a " not in html and "<img" not in html and "<ul" not in html and "<h2" not in html
    assert " ".join(value.split()) in " ".join(unescape(html).split())


def test_a_raw_value_would_have_been_markup(secret: Path) -> None:
    """The same page with the values as they are (what the build did before) runs the directive:
    the test above would catch a regression."""
    html = myst_to_html(PAGE, {"organisation": "x", "kommun": f"```{{include}} {secret}\n```", "ar": "1"})
    assert "HEMLIG-RAD" in html


def test_a_value_cannot_close_a_generated_raw_block(tmp_path: Path, secret: Path) -> None:
    """A generated page is one raw HTML block: a value with backticks cannot end it and start MyST."""
    body = f"<p>kontakt</p>\n```\n\n```{{include}} {secret}\n```\n<p>slut</p>"
    page = GeneratedPage("sida", "Sida", body)
    html = myst_to_html(page.write(tmp_path).read_text(encoding="utf-8"))
    assert "HEMLIG-RAD" not in html
    assert "```{include}" in unescape(html)


def test_a_notebook_heading_substitution_is_text_in_print(tmp_path: Path) -> None:
    """The print document fills notebook headings with the value as text, not as Markdown."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# {{ kommun }}\n\n## {{ kommun }} som arbetsgivare")]
    path = tmp_path / "kapitel.ipynb"
    nbformat.write(notebook, path)
    chapter = chapter_from_notebook(path, {"kommun": "![x](http://127.0.0.1:9/x.png) <b>"}, "kapitel")
    assert "<img" not in chapter.html and "<b>" not in chapter.html
    assert "![x](http://127.0.0.1:9/x.png) &lt;b&gt;" in chapter.html
