"""The print version of the book: one theme-free HTML document (cover, colophon, contents, chapters)
built from the executed chapter notebooks, the model that `pdf.typst.from_html` sets with Typst.

Why not Sphinx's single-page output: the theme's navigation, buttons and scripts have no place in a
report on paper. The chapters' outputs are the same HTML the site shows, arranged for A4 by `reflow`
(same content, other layout); the frame (cover and colophon, `cover`) and the page setting
(`pdf/typst/preamble.typ`) are the print edition's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from rapportbok.core.markup import markdown_literal
from rapportbok.core.slug import slug
from rapportbok.pdf.cover import colophon_html, colour_rules, cover_html, report_title
from rapportbok.pdf.reflow import reflow_for_print

if TYPE_CHECKING:  # pandas comes with it: the PDF child process never loads it
    from rapportbok.data.report import Report

SUBSTITUTION = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PAGE_LINK = re.compile(r'href="(?:\.\./)?(?:[a-z0-9-]+/)*([a-z0-9-]+)\.html(#[^"]*)?"')
ANCHOR_ID = re.compile(r'\sid="([^"<>]*)"')
INTERNAL_HREF = re.compile(r'\shref="#([^"<>]*)"')
BOOKMARK_LEVELS = 2  # the PDF's outline lists chapters (h1) and their sections (h2)


@dataclass(frozen=True)
class PrintChapter:
    """A chapter for print: its title (the notebook's first heading) and its body HTML."""

    title: str
    anchor: str
    html: str


def _markdown(text: str, substitutions: dict[str, str]) -> str:
    """A notebook Markdown cell as HTML, with MyST substitutions filled in as text (never as markup)."""
    filled = SUBSTITUTION.sub(
        lambda m: markdown_literal(substitutions[m.group(1)]) if m.group(1) in substitutions else m.group(0),
        text,
    )
    renderer = MarkdownIt("commonmark", {"html": False}).use(anchors_plugin, max_level=3, slug_func=slug)
    return renderer.render(filled)


def _outputs(cell: Any, substitutions: dict[str, str]) -> str:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            parts.append("".join(data["text/html"]))
        elif "text/markdown" in data:
            parts.append(_markdown("".join(data["text/markdown"]), substitutions))
    return "".join(parts)


def chapter_from_notebook(path: Path, substitutions: dict[str, str], name: str) -> PrintChapter:
    """Markdown cells and rich outputs of an executed notebook; code and streams are left out."""
    from nbformat import (
        reader,
    )  # only the build's process reads notebooks; the PDF child imports this module too

    # The build wrote this notebook itself (nbformat 4, validated when it was executed): read it without
    # validating it again, a tenth of a second of the PDF step.
    notebook = reader.reads(path.read_text(encoding="utf-8"))
    body, title = [], name
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = cell.source
            heading = re.match(r"#\s+(.+)", source)
            if heading and title == name:
                title = SUBSTITUTION.sub(
                    lambda m: str(substitutions.get(m.group(1), "")), heading.group(1)
                ).strip()
            body.append(_markdown(source, substitutions))
        elif cell.cell_type == "code":
            body.append(_outputs(cell, substitutions))
    anchor = f"kapitel-{slug(name)}"
    html = re.sub(r"<h1[^>]*>", f'<h1 id="{anchor}" class="rb-chapter-title">', "".join(body), count=1)
    return PrintChapter(title=title, anchor=anchor, html=html)


def internal_links(html: str) -> str:
    """Links between the web's pages jump within the PDF: 'ekonomi.html#drift' to '#drift', and a link
    to a whole page ('chapters/ekonomi.html') to that chapter's start, never to a file on this machine."""

    def target(match: re.Match[str]) -> str:
        page, fragment = match.group(1), match.group(2)
        return f'href="{fragment}"' if fragment and len(fragment) > 1 else f'href="#kapitel-{slug(page)}"'

    return PAGE_LINK.sub(target, html)


def resolve_anchors(html: str) -> str:
    """A link to an anchor that nothing in the document carries becomes plain text (an `<a>` without
    `href`), as on the site, where such a link leaves the reader on the page.

    A text may link to any `#ankare` (`check` cannot know the ids a chapter's views will give its
    headings, goals and tables); the print edition sets the same plain text."""
    ids = {unescape(found) for found in ANCHOR_ID.findall(html)}

    def target(match: re.Match[str]) -> str:
        fragment = unquote(unescape(match.group(1)))
        return match.group(0) if fragment in ids else ""

    return INTERNAL_HREF.sub(target, html)


def badge_rules(report: Report) -> str:
    """The badge colours of the organisation's own vocabulary as CSS rules for the print document ('' for
    Norrtälje's, whose colours the print edition has); `pdf.typst.from_html` reads them back."""
    from rapportbok.data.vocabulary_file import report_vocabulary  # here: the PDF child never loads pandas

    colours = sorted(report_vocabulary(report).print_colours().items())
    return "".join(f" .{kind} {{ color: {colour}; }}" for kind, colour in colours)


YEAR_BRIEF_ID = "aret-i-korthet"


def year_brief_html(report: Report, chapters: list[PrintChapter]) -> str:
    """ "Året i korthet" as on the web's front page (`model.year_brief.key_figures`), each figure linking
    to its chapter in the document; '' when the book has no key figures."""
    from rapportbok.model.year_brief import FIGURES as FIGURE_CHAPTERS  # with pandas: never in the PDF child
    from rapportbok.model.year_brief import key_figures

    if not report.tables:
        return ""  # a report without its tables (a hand-made document) has no figures to show
    anchors = {chapter.anchor for chapter in chapters}
    in_book = [name for name in FIGURE_CHAPTERS if f"kapitel-{slug(name)}" in anchors]
    items = [figure.html(f"#kapitel-{slug(figure.chapter)}") for figure in key_figures(report, in_book)]
    if not items:
        return ""
    return (
        f'<section class="rb-year-brief" aria-labelledby="{YEAR_BRIEF_ID}">'
        f'<h2 id="{YEAR_BRIEF_ID}">Året i korthet</h2>'
        f'<ul class="rb-key-figures">{"".join(items)}</ul></section>'
    )


def print_document(
    report: Report, chapters: list[PrintChapter], root: Path, provenance: str = "", created: str = ""
) -> str:
    """The whole print document: cover, colophon, the year in brief, table of contents with page
    numbers, chapters.

    The chapters' HTML is arranged for A4 (`reflow_for_print`); Typst sets it (`pdf.typst.from_html`),
    with the house colours of the `:root` rule, so the site's screen layout never decides a page.
    """
    meta = report.meta
    title = report_title(meta)
    contents = "".join(
        f'<li><a href="#{chapter.anchor}">{escape(chapter.title)}</a></li>' for chapter in chapters
    )
    articles = "".join(
        f'<article class="rb-chapter">{reflow_for_print(internal_links(chapter.html))}</article>'
        for chapter in chapters
    )
    document = f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{escape(title)} – {escape(meta.organisation)}, {escape(meta.kommun)}</title>
<meta name="author" content="{escape(meta.organisation)}, {escape(meta.kommun)}">
<meta name="description" content="{escape(title)} för {escape(meta.organisation)}, {escape(meta.kommun)}">
<meta name="generator" content="rapportbok">
<meta name="dcterms.created" content="{escape(created)}">
<meta name="dcterms.modified" content="{escape(created)}">
<meta name="keywords" content="{escape(provenance)}">
<style>{colour_rules(meta)}{badge_rules(report)}</style>
</head>
<body{' class="rb-draft"' if report.draft else ""}>
{cover_html(meta, root, report.draft)}
{colophon_html(meta, provenance, created)}
{year_brief_html(report, chapters)}
<nav class="rb-toc" aria-labelledby="innehall">
<h2 id="innehall">Innehåll</h2>
<ol>{contents}</ol>
</nav>
<main>
{articles}
</main>
</body>
</html>
"""
    return resolve_anchors(document)
