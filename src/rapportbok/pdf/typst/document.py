"""The print edition as one Typst document, from the same pieces as the print document
(`pdf.document.print_document`): the chapters' HTML arranged for A4 by `reflow_for_print`, with links
between the web's pages made internal, the cover and colophon from the year's metadata
(`pdf.cover`), the contents with page numbers, the running header and footer.
"""

from __future__ import annotations

import base64
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
from rapportbok.pdf.document import PrintChapter, internal_links
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


def typst_source(edition: Edition) -> TypstDocument:
    """The edition as Typst source: cover, colophon, contents with page numbers, chapters."""
    bodies = [body for _, _, body in edition.chapters]
    anchors = document_ids([*bodies, edition.colophon]) | {CONTENTS_ID}
    converter = Converter(anchors)
    draft = f"[{literal(edition.draft)}]" if edition.draft else "none"
    cover = (
        f"#rb-cover([{literal(edition.kommun)}], [{literal(edition.title)}], "
        f"[{literal(edition.organisation)}], [{literal(edition.period)}], [{literal(edition.foot)}], "
        f"{edition.logo.markup() if edition.logo else 'none'}, {draft})"
    )
    colophon_markup = f"#rb-colophon[{convert(edition.colophon, converter)}]"
    converter.placed.add(CONTENTS_ID)
    entries = ", ".join(
        f"rb-contents-entry(<{label(anchor)}>, [{literal(title)}])"
        for anchor, title, _ in edition.chapters
        if anchor in anchors
    )
    contents = (
        f"#rb-contents([#heading(level: 2, outlined: false, bookmarked: true)[{literal('Innehåll')}] "
        f"<{label(CONTENTS_ID)}>], ({entries},))"
    )
    articles = "\n\n".join(f"#pagebreak(weak: true)\n\n{convert(body, converter)}" for body in bodies)
    body = resolve_links("\n\n".join([colophon_markup, contents, articles]), converter.placed)
    parts = [_head(edition), preamble(), _badge_colours(edition), cover, body]
    source = "\n\n".join(part for part in parts if part) + "\n"
    return TypstDocument(source, converter.charts + (edition.logo is not None), converter.row_headers)
