"""The print edition as one Typst document, from the same pieces as the print document
(`pdf.document.print_document`): the chapters' HTML arranged for A4 by `reflow_for_print`, with links
between the web's pages made internal, the cover and colophon from the year's metadata
(`pdf.cover`), the contents with page numbers, the running header and footer.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import html as lxml_html

from rapportbok.pdf.cover import (
    DRAFT_FLAG,
    colophon_html,
    house_colours,
    logo_source,
    period_text,
    report_title,
)
from rapportbok.pdf.document import YEAR_BRIEF_ID, PrintChapter, internal_links, year_brief_html
from rapportbok.pdf.reflow import reflow_for_print
from rapportbok.pdf.typst.convert import Converter, convert, document_ids, resolve_links
from rapportbok.pdf.typst.headers import RowHeaders
from rapportbok.pdf.typst.markup import label, literal, string

if TYPE_CHECKING:  # pandas comes with it: the PDF child process never loads it
    from rapportbok.data.report import Report

IMAGE_FORMATS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
CONTENTS_ID = "innehall"


def preamble() -> str:
    return resources.files("rapportbok.pdf.typst").joinpath("preamble.typ").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Logo:
    """The cover's logo: its format for Typst (svg, png, jpg), its bytes and its alt text."""

    kind: str
    data: bytes
    alt: str

    @classmethod
    def from_data_url(cls, source: str, alt: str) -> Logo:
        header, data = source.split(",", 1)
        return cls(IMAGE_FORMATS[header.removeprefix("data:").split(";")[0]], base64.b64decode(data), alt)

    def markup(self) -> str:
        """A Typst image; an SVG is text, a PNG or JPEG goes in as its bytes (Typst has no base64)."""
        raw = self.data
        content = string(raw.decode("utf-8")) if self.kind == "svg" else "(" + ",".join(map(str, raw)) + ",)"
        alt = string(self.alt)
        return f'image(bytes({content}), format: "{self.kind}", alt: {alt}, fit: "contain", height: 28mm)'


@dataclass(frozen=True)
class Edition:
    """What the print edition is made of, as the print document has it: document data, house
    colours, cover lines, the colophon's HTML and each chapter's HTML after `reflow_for_print`."""

    title: str  # the report's title, e.g. "Verksamhetsberättelse 2024"
    document_title: str
    author: str
    description: str
    provenance: str
    created: str
    accent: str
    heading: str
    kommun: str
    organisation: str
    period: str  # "Perioden 1 januari–31 december 2024"
    foot: str  # "Kommunstyrelsekontoret · Norrtälje kommun"
    draft: str  # the draft flag's words, or "" for a finished report
    logo: Logo | None
    colophon: str
    chapters: list[tuple[str, str, str]]  # (anchor, title, HTML) in order
    # The badge colours of the organisation's own vocabulary, (class, "#rrggbb"); none for Norrtälje's.
    badge_colours: tuple[tuple[str, str], ...] = ()
    year_brief: str = ""  # "Året i korthet" as HTML (`pdf.document.year_brief_html`), or ""


def report_edition(
    report: Report, chapters: list[PrintChapter], root: Path, provenance: str = "", created: str = ""
) -> Edition:
    """The edition of `report` from its chapters, with the cover and colophon of `pdf.cover`."""
    from rapportbok.data.vocabulary_file import report_vocabulary  # here: the child never loads pandas

    meta = report.meta
    title, colours = report_title(meta), house_colours(meta)
    logo = logo_source(meta, root)
    return Edition(
        title=title,
        document_title=f"{title} – {meta.organisation}, {meta.kommun}",
        author=f"{meta.organisation}, {meta.kommun}",
        description=f"{title} för {meta.organisation}, {meta.kommun}",
        provenance=provenance,
        created=created,
        accent=colours["accent"],
        heading=colours["heading"],
        kommun=meta.kommun,
        organisation=meta.organisation,
        period=f"Perioden {period_text(meta)}",
        foot=f"{meta.organisation} · {meta.kommun}",
        draft=lxml_html.fromstring(DRAFT_FLAG).text_content() if report.draft else "",
        logo=Logo.from_data_url(logo, f"{meta.kommun}s logotyp") if logo else None,
        colophon=colophon_html(meta, provenance, created),
        chapters=[
            (chapter.anchor, chapter.title, reflow_for_print(internal_links(chapter.html)))
            for chapter in chapters
        ],
        badge_colours=tuple(sorted(report_vocabulary(report).print_colours().items())),
        year_brief=year_brief_html(report, chapters),
    )


def _created(created: str) -> str:
    """The document date for Typst (`datetime(...)`), from the source date; `none` without one."""
    try:
        day = date.fromisoformat(created[:10])
    except ValueError:
        return "none"
    return f"datetime(year: {day.year}, month: {day.month}, day: {day.day})"


@dataclass(frozen=True)
class TypstDocument:
    """The Typst source of the print edition, the number of images it draws (charts and logo) and
    which table cells head their row (retagged after compiling, `headers`)."""

    source: str
    figures: int
    row_headers: RowHeaders = field(default_factory=list)


def typst_document(
    report: Report, chapters: list[PrintChapter], root: Path, provenance: str = "", created: str = ""
) -> TypstDocument:
    """The whole print edition of `report` as Typst source: cover, colophon, contents, chapters."""
    return typst_source(report_edition(report, chapters, root, provenance, created))


def _head(edition: Edition) -> str:
    return "\n".join(
        [
            "#set document(",
            f"  title: {string(edition.document_title)},",
            f"  author: {string(edition.author)},",
            f"  description: {string(edition.description)},",
            f"  date: {_created(edition.created)},",
            ")",
            f"#let rb-accent = rgb({string(edition.accent)})",
            f"#let rb-heading = rgb({string(edition.heading)})",
            f"#let rb-title = [{literal(edition.title)}]",
            f"#let rb-foot = [{literal(edition.foot)}]",
            f"#let rb-draft = [{literal(edition.draft)}]",
        ]
    )


def _badge_colours(edition: Edition) -> str:
    """The vocabulary's badge colours added to the preamble's (nothing for Norrtälje's): `rb-badge` is
    defined again, as Typst functions keep the values they were defined with."""
    if not edition.badge_colours:
        return ""
    entries = ", ".join(f"{string(kind)}: rgb({string(colour)})" for kind, colour in edition.badge_colours)
    return (
        f"#let rb-badge-colours = rb-badge-colours + ({entries},)\n"
        '#let rb-badge(kind, body) = text(weight: "bold", '
        "fill: rb-badge-colours.at(kind, default: rb-text-colour), body)"
    )


def _array(items: Iterable[str]) -> str:
    """A Typst array of `items` (`()` when there are none; one item needs the trailing comma)."""
    listed = list(items)
    return f"({', '.join(listed)},)" if listed else "()"


def _texts(element: lxml_html.HtmlElement, kind: str) -> list[str]:
    found = element.xpath(f".//span[contains(concat(' ', @class, ' '), ' {kind} ')]")
    return [" ".join(span.text_content().split()) for span in found]


def year_brief(html: str, anchors: set[str]) -> str:
    """ "Året i korthet" as Typst: a heading and one box per key figure (value, what it counts, notes),
    its words linking to the chapter it comes from."""
    if not html.strip():
        return ""
    section = lxml_html.fragment_fromstring(html, create_parent="div")
    figures = []
    for item in section.xpath(".//li"):
        value, name = (next(iter(_texts(item, kind)), "") for kind in ("rb-key-value", "rb-key-label"))
        notes = _array(f"[{literal(note)}]" for note in _texts(item, "rb-key-note"))
        anchor = "".join(item.xpath(".//a/@href")).removeprefix("#")
        target = f"<{label(anchor)}>" if anchor in anchors else "none"
        figures.append(f"rb-key-figure({target}, [{literal(value)}], [{literal(name)}], {notes})")
    heading = f"heading(level: 2, outlined: false, bookmarked: true)[{literal('Året i korthet')}]"
    return f"#rb-year-brief([#{heading} <{label(YEAR_BRIEF_ID)}>], {_array(figures)})"


def _sections(body: str) -> list[tuple[str, str]]:
    """A chapter's sections (its second-level headings) as (anchor, title): the heading's id, or the id
    of the section it heads; a heading with neither is left out."""
    if "<h2" not in body:
        return []
    container = lxml_html.fragment_fromstring(body, create_parent="div")
    found = []
    for heading in container.iter("h2"):
        parent = heading.getparent()
        ident = heading.get("id") or (
            parent.get("id") if parent is not None and parent.tag == "section" else None
        )
        if ident:
            found.append((str(ident), " ".join(heading.text_content().split())))
    return found


def _section_ids(anchor: str, body: str) -> str:
    """`body` with an id on every second-level heading that has none (a generated page's), so that
    the contents can list and link it: '<chapter anchor>-avsnitt-<n>'."""
    if not re.search(r"<h2(?![^>]*\sid=)[\s>]", body):
        return body
    container = lxml_html.fragment_fromstring(body, create_parent="div")
    for number, heading in enumerate(container.iter("h2"), start=1):
        parent = heading.getparent()
        if not heading.get("id") and not (
            parent is not None and parent.tag == "section" and parent.get("id")
        ):
            heading.set("id", f"{anchor}-avsnitt-{number}")
    return (container.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode", method="html") for child in container
    )


def _contents_entry(anchor: str, title: str, body: str, anchors: set[str]) -> str:
    """A chapter's line in the contents, with its sections' lines under it."""
    sections = _array(
        f"rb-contents-section(<{label(ident)}>, [{literal(name)}])"
        for ident, name in _sections(body)
        if ident in anchors
    )
    return f"rb-contents-entry(<{label(anchor)}>, [{literal(title)}], {sections})"


def typst_source(edition: Edition) -> TypstDocument:
    """The edition as Typst source: cover, colophon, the year in brief, contents (chapters and their
    sections) with page numbers, chapters."""
    chapters = [(anchor, title, _section_ids(anchor, body)) for anchor, title, body in edition.chapters]
    bodies = [body for _, _, body in chapters]
    anchors = document_ids([*bodies, edition.colophon]) | {CONTENTS_ID, YEAR_BRIEF_ID}
    converter = Converter(anchors)
    draft = f"[{literal(edition.draft)}]" if edition.draft else "none"
    cover = (
        f"#rb-cover([{literal(edition.kommun)}], [{literal(edition.title)}], "
        f"[{literal(edition.organisation)}], [{literal(edition.period)}], [{literal(edition.foot)}], "
        f"{edition.logo.markup() if edition.logo else 'none'}, {draft})"
    )
    colophon_markup = f"#rb-colophon[{convert(edition.colophon, converter)}]"
    converter.placed.update({CONTENTS_ID, YEAR_BRIEF_ID})
    brief = year_brief(edition.year_brief, anchors)
    entries = _array(
        _contents_entry(anchor, title, body, anchors) for anchor, title, body in chapters if anchor in anchors
    )
    contents = (
        f"#rb-contents([#heading(level: 2, outlined: false, bookmarked: true)[{literal('Innehåll')}] "
        f"<{label(CONTENTS_ID)}>], {entries})"
    )
    articles = "\n\n".join(  # each chapter in rb-chapter: set tighter if it would end with a few lines
        f"#pagebreak(weak: true)\n\n#rb-chapter({number})[\n{convert(body, converter)}\n]"
        for number, body in enumerate(bodies, start=1)
    )
    front = [part for part in (colophon_markup, brief, contents) if part]
    body = resolve_links("\n\n".join([*front, articles]), converter.placed)
    parts = [_head(edition), preamble(), _badge_colours(edition), cover, body]
    source = "\n\n".join(part for part in parts if part) + "\n"
    return TypstDocument(source, converter.charts + (edition.logo is not None), converter.row_headers)
