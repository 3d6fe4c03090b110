"""The print edition as one Typst document, from the same pieces as the WeasyPrint one
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

from lxml import html as lxml_html

from rapportbok.data.report import Report
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

IMAGE_FORMATS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
CONTENTS_ID = "innehall"
LOGO_SLOT = "\x04logo\x04"


def preamble() -> str:
    return resources.files("rapportbok.pdf.typst").joinpath("preamble.typ").read_text(encoding="utf-8")


def _logo(report: Report, root: Path) -> str:
    """The cover's logo as a Typst image with its alt text, or `none`."""
    source = logo_source(report.meta, root)
    if not source:
        return "none"
    header, data = source.split(",", 1)
    kind = IMAGE_FORMATS[header.removeprefix("data:").split(";")[0]]
    alt = f"{report.meta.kommun}s logotyp"
    raw = base64.b64decode(data)
    # An SVG is text; a PNG or JPEG goes in as its bytes (Typst has no base64 decoder).
    content = string(raw.decode("utf-8")) if kind == "svg" else "(" + ",".join(map(str, raw)) + ",)"
    return f'image(bytes({content}), format: "{kind}", alt: {string(alt)}, fit: "contain", height: 28mm)'


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
    """The whole print edition as Typst source: cover, colophon, contents, chapters."""
    meta = report.meta
    title = report_title(meta)
    colours = house_colours(meta)
    bodies = [reflow_for_print(internal_links(chapter.html)) for chapter in chapters]
    colophon = colophon_html(meta, provenance, created)
    anchors = document_ids([*bodies, colophon]) | {CONTENTS_ID}
    converter = Converter(anchors)
    organisation_line = f"{meta.organisation} · {meta.kommun}"
    draft = lxml_html.fromstring(DRAFT_FLAG).text_content() if report.draft else ""
    head = "\n".join(
        [
            "#set document(",
            f"  title: {string(f'{title} – {meta.organisation}, {meta.kommun}')},",
            f"  author: {string(f'{meta.organisation}, {meta.kommun}')},",
            f"  description: {string(f'{title} för {meta.organisation}, {meta.kommun}')},",
            f"  keywords: ({string(provenance)},),",
            f"  date: {_created(created)},",
            ")",
            f'#let rb-accent = rgb("{colours["accent"]}")',
            f'#let rb-heading = rgb("{colours["heading"]}")',
            f"#let rb-title = [{literal(title)}]",
            f"#let rb-foot = [{literal(organisation_line)}]",
            f"#let rb-draft = [{literal(draft)}]",
        ]
    )
    cover = (
        f"#rb-cover([{literal(meta.kommun)}], [{literal(title)}], [{literal(meta.organisation)}], "
        f"[{literal('Perioden ' + period_text(meta))}], [{literal(organisation_line)}], {LOGO_SLOT}, "
        f"{f'[{literal(draft)}]' if draft else 'none'})"
    )
    colophon_markup = f"#rb-colophon[{convert(colophon, converter)}]"
    converter.placed.add(CONTENTS_ID)
    entries = ", ".join(
        f"rb-contents-entry(<{label(chapter.anchor)}>, [{literal(chapter.title)}])"
        for chapter in chapters
        if chapter.anchor in anchors
    )
    contents = (
        f"#rb-contents([#heading(level: 2, outlined: false, bookmarked: true)[{literal('Innehåll')}] "
        f"<{label(CONTENTS_ID)}>], ({entries},))"
    )
    articles = "\n\n".join(f"#pagebreak(weak: true)\n\n{convert(body, converter)}" for body in bodies)
    body = resolve_links("\n\n".join([colophon_markup, contents, articles]), converter.placed)
    logo = _logo(report, root)
    source = "\n\n".join([head, preamble(), cover.replace(LOGO_SLOT, logo), body]) + "\n"
    return TypstDocument(source, converter.charts + (logo != "none"), converter.row_headers)
