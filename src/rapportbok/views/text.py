"""Narrative text on a page: the filled-in Markdown as HTML, raw HTML shown as text, never passed through."""

from __future__ import annotations

from rapportbok.data.report import Report
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.templates import render_text
from rapportbok.views.tables import HtmlBlock

__all__ = ["markdown_to_html", "show_text"]


def show_text(report: Report, key: str) -> HtmlBlock:
    """A narrative section for a chapter page, e.g. show_text(report, 'ekonomi/driftredovisning')."""
    return HtmlBlock(f'<div class="rb-text">{markdown_to_html(render_text(report, key).markdown)}</div>')
