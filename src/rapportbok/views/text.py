"""Narrative text on a page: the filled-in Markdown as HTML, raw HTML shown as text, never passed through."""

from __future__ import annotations

from markdown_it import MarkdownIt

from rapportbok.data.report import Report
from rapportbok.narrative.templates import render_text
from rapportbok.views.tables import HtmlBlock


def markdown_to_html(markdown: str) -> str:
    """Narrative Markdown as HTML. Raw HTML in the text is shown as text, never passed through."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


def show_text(report: Report, key: str) -> HtmlBlock:
    """A narrative section for a chapter page, e.g. show_text(report, 'ekonomi/driftredovisning')."""
    return HtmlBlock(f'<div class="rb-text">{markdown_to_html(render_text(report, key).markdown)}</div>')
