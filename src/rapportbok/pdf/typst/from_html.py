"""The print edition's parts read back from the print document (`pdf.document.print_document`), so
that Typst sets exactly the document the build made: `write_pdf` is what the build's PDF child process
(`pipeline.processes.pdf_process`) calls.

The document is read with lxml: title, author, description, provenance (keywords) and date from the
head, the house colours from its `:root` rule, the cover's lines and logo, the colophon, the contents
(each chapter's anchor and title) and the chapters' HTML, already arranged for A4.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html
from lxml.etree import _Element as Element

from rapportbok.exceptions import PdfError
from rapportbok.pdf.cover import DEFAULT_ACCENT, TEXT_COLOUR
from rapportbok.pdf.typst.document import Edition, Logo

COLOUR = re.compile(r"--rb-(accent|heading):\s*(#[0-9a-fA-F]{6})")
BADGE = re.compile(r"\.(rb-(?:bedomning|trend)-[a-z0-9-]+) \{ color: (#[0-9a-f]{6}); \}")  # pdf.document


def _text(root: Element, path: str) -> str:
    found = root.xpath(path)
    return " ".join(found[0].text_content().split()) if found else ""


def _meta(root: Element, name: str) -> str:
    found = root.xpath(f"//head/meta[@name='{name}']/@content")
    return str(found[0]) if found else ""


def _inner(element: Element) -> str:
    return (element.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode", method="html") for child in element
    )


def edition_from_html(html: str) -> Edition:
    """The parts of a print document made by `print_document`; PdfError if it is not one."""
    root = lxml_html.document_fromstring(html)
    covers, colophons = (
        root.xpath("//section[@class='rb-cover']"),
        root.xpath("//section[@class='rb-colophon']"),
    )
    if not covers or not colophons:
        raise PdfError(
            "Utskriftsdokumentet saknar försättsblad eller kolofon; det är inte gjort av rapportbok."
        )
    style = " ".join(root.xpath("//head/style/text()"))
    colours = dict(COLOUR.findall(style))
    logos = root.xpath("//img[@class='rb-cover-logo']")
    articles = root.xpath("//main/article")
    briefs = root.xpath("//section[@class='rb-year-brief']")
    entries = {
        str(link.get("href", "")).removeprefix("#"): " ".join(link.text_content().split())
        for link in root.xpath("//nav[@class='rb-toc']//a")
    }
    chapters = []
    for article in articles:
        first = article.xpath(".//h1[@id]")
        anchor = str(first[0].get("id")) if first else ""
        chapters.append((anchor, entries.get(anchor, _text(article, ".//h1")), _inner(article)))
    return Edition(
        title=_text(covers[0], ".//h1"),
        document_title=_text(root, "//head/title"),
        author=_meta(root, "author"),
        description=_meta(root, "description"),
        provenance=_meta(root, "keywords"),
        created=_meta(root, "dcterms.created"),
        accent=colours.get("accent", DEFAULT_ACCENT).lower(),
        heading=colours.get("heading", TEXT_COLOUR).lower(),
        kommun=_text(covers[0], ".//p[@class='rb-cover-kommun']"),
        organisation=_text(covers[0], ".//p[@class='rb-cover-organisation']"),
        period=_text(covers[0], ".//p[@class='rb-cover-period']"),
        foot=_text(covers[0], ".//p[@class='rb-cover-foot']"),
        draft=_text(covers[0], ".//p[@class='rb-draft-flag']"),
        logo=Logo.from_data_url(logos[0].get("src"), logos[0].get("alt", "")) if logos else None,
        colophon=lxml_html.tostring(colophons[0], encoding="unicode", method="html"),
        chapters=chapters,
        badge_colours=tuple(sorted(BADGE.findall(style))),
        year_brief=lxml_html.tostring(briefs[0], encoding="unicode", method="html") if briefs else "",
    )


def write_pdf(html: str, target: Path, base_url: Path) -> Path:
    """The print document `html` set with Typst as a tagged PDF/UA-1 file at `target`, verified
    (complete, every image a tagged figure). Nothing is
    fetched: the document carries its images as data URLs (`base_url` is not needed)."""
    from rapportbok.pdf.typst.document import typst_source
    from rapportbok.pdf.typst.writer import write_typst_pdf

    del base_url
    return write_typst_pdf(typst_source(edition_from_html(html)), target)
