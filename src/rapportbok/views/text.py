"""Narrative text on a page: the filled-in Markdown as HTML, raw HTML shown as text, never passed through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapportbok.core.headings import HEADING_METADATA
from rapportbok.data.report import Report
from rapportbok.exceptions import UsageError
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.templates import render_heading, render_text
from rapportbok.views.tables import HtmlBlock

__all__ = ["HEADING_METADATA", "Heading", "markdown_to_html", "show_heading", "show_text"]

HEADING = re.compile(r"#{1,6} [^\n]+")


@dataclass(frozen=True)
class Heading:
    """A Markdown heading, filled in: Jupyter (Lab, the build) shows it as Markdown."""

    markdown: str

    def _repr_markdown_(self) -> tuple[str, dict[str, Any]]:
        return self.markdown, dict(HEADING_METADATA)

    def __repr__(self) -> str:
        return self.markdown


def show_heading(report: Report, source: str) -> Heading:
    """A heading with placeholders, e.g. show_heading(report, "## {{ kommun }} som arbetsgivare").

    A Markdown cell cannot fill in a placeholder in Jupyter Lab; a heading that needs one is written
    this way so that Lab and the book show the same text.
    """
    markdown = render_heading(report, source)
    if not HEADING.fullmatch(markdown):
        raise UsageError('show_heading tar en rubrik på en rad, t.ex. "## {{ kommun }} som arbetsgivare"')
    return Heading(markdown)


def show_text(report: Report, key: str) -> HtmlBlock:
    """A narrative section for a chapter page, e.g. show_text(report, 'ekonomi/driftredovisning')."""
    html = markdown_to_html(render_text(report, key).markdown, report)  # images: the year's files
    return HtmlBlock(f'<div class="rb-text">{html}</div>')
