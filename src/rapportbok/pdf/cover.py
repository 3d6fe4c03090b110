"""The cover and the colophon of the print edition, and the house colours a year may set.

The cover names the municipality, the organisation, the report and its period; a logo and an accent
colour are optional (`logotyp` and `accentfarg` in rapport.yml) and a cover without them is complete.
The colophon, on the inside of the cover, says in small print what the edition was built from; the
per-file checksums stay on the web's Om rapporten page.
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from rapportbok.exceptions import PdfError

if TYPE_CHECKING:  # pandas comes with it: the PDF child process never loads it
    from rapportbok.data.report import Metadata

DEFAULT_ACCENT = "#0b4f8a"  # the links' blue: 8.3:1 against white
TEXT_COLOUR = "#1a1a1a"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DRAFT_FLAG = '<p class="rb-draft-flag">UTKAST – uppgifter saknas ännu</p>'
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, normal text


def max_logo_bytes() -> int:
    """The limit `check` applies to `logotyp` (schemas/rapport.yaml, maxBytes): a logo, not a photo
    archive."""
    from rapportbok.data.metadata import metadata_schema

    return int(next(f for f in metadata_schema().fields if f.attribute == "logo").rules["maxBytes"])


def _luminance(colour: str) -> float:
    """WCAG relative luminance of '#RRGGBB'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of `colour` against white paper."""
    return 1.05 / (_luminance(colour) + 0.05)


def house_colours(meta: Metadata) -> dict[str, str]:
    """The accent (rules, band) and the colour of headings: the accent when it is dark enough to read
    as text on white, else near-black, so that a light accent never makes headings hard to read."""
    accent = meta.accent_colour or DEFAULT_ACCENT
    if not HEX_COLOUR.fullmatch(str(accent)):
        raise PdfError(f'Accentfärgen "{accent}" i rapport.yml ska skrivas #RRGGBB, t.ex. {DEFAULT_ACCENT}.')
    accent = str(accent).lower()
    readable = contrast_with_white(accent) >= MIN_TEXT_CONTRAST
    return {"accent": accent, "heading": accent if readable else TEXT_COLOUR}


def colour_rules(meta: Metadata) -> str:
    """The house colours as CSS custom properties for the print stylesheet."""
    colours = house_colours(meta)
    return f":root {{ --rb-accent: {colours['accent']}; --rb-heading: {colours['heading']}; }}"


def logo_source(meta: Metadata, root: Path) -> str | None:
    """The logo as a data URI (so the PDF never fetches anything), or None when the year has none.

    The file is read and decoded by `read_image`, the same function `check` uses for `logotyp`
    (`data.metadata`), so a logo `check` accepts is one the cover can draw."""
    # Imported here (they load pandas): the PDF child process reads the finished document, no logo file.
    from rapportbok.data.files import RefusedFile
    from rapportbok.data.images import image_kind, read_image

    logo = meta.logo
    if not logo:
        return None
    path = Path(os.path.normpath(logo if logo.is_absolute() else root / logo))
    project = Path(os.path.normpath(root))
    shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(logo)
    if image_kind(path.name) is None:
        raise PdfError(f"Logotypen {shown} ska vara en SVG-, PNG- eller JPEG-fil.")
    if not path.is_relative_to(project) or path == project:
        raise PdfError(f"Logotypen {shown} finns inte i projektet; ange en sökväg inom projektet.")
    try:
        image = read_image(path, shown, within=project, limit=max_logo_bytes())
    except RefusedFile as refused:
        raise PdfError(f"Logotypen {refused.problem}.") from None
    return image.data_url


def period_text(meta: Metadata) -> str:
    """'1 januari–31 december ÅÅÅÅ': the reporting period in words."""
    from rapportbok.core.formatting import MONTHS  # with pandas: not in the PDF child, which needs no period

    end = meta.period_end
    return f"1 januari–{end.day} {MONTHS[end.month - 1]} {end.year}"


def report_title(meta: Metadata) -> str:
    return f"{meta.report_type} {meta.year}"


def cover_html(meta: Metadata, root: Path, draft: bool = False) -> str:
    """Page 1: logo (when given), municipality, title and year, organisation, period; a draft says so."""
    logo = logo_source(meta, root)
    logo_html = (
        f'<img class="rb-cover-logo" src="{logo}" alt="{escape(meta.kommun, quote=True)}s logotyp">'
        if logo
        else ""
    )
    return (
        '<section class="rb-cover">'
        f'<div class="rb-cover-top">{DRAFT_FLAG if draft else ""}{logo_html}'
        f'<p class="rb-cover-kommun">{escape(meta.kommun)}</p></div>'
        '<div class="rb-cover-main">'
        f'<h1 class="rb-cover-title">{escape(report_title(meta))}</h1>'
        f'<p class="rb-cover-organisation">{escape(meta.organisation)}</p>'
        f'<p class="rb-cover-period">Perioden {escape(period_text(meta))}</p>'
        "</div>"
        f'<p class="rb-cover-foot">{escape(meta.organisation)} · {escape(meta.kommun)}</p>'
        "</section>"
    )


def colophon_html(meta: Metadata, provenance: str, created: str) -> str:
    """Page 2, the inside of the cover: who publishes, and in small print what the edition is built
    from (commit, data fingerprint, versions) and where the per-file checksums are."""
    built = f" {escape(created)}" if created else ""
    return (
        '<section class="rb-colophon" aria-labelledby="kolofon">'
        f'<h2 id="kolofon">Om utgåvan</h2>'
        f'<p><span class="rb-colophon-title">{escape(report_title(meta))}</span><br>'
        f"{escape(meta.organisation)}, {escape(meta.kommun)}<br>"
        f"Perioden {escape(period_text(meta))}</p>"
        f"<p>Utskriftsversionen är framställd{built} ur samma data och samma kod som webbversionen; "
        "tabeller och diagram är ordnade för A4, innehållet är detsamma.</p>"
        f'<p class="rb-provenance">{escape(provenance)}</p>'
        "<p>Kontrollsummor för var och en av årets datafiler finns på sidan Om rapporten i "
        "webbversionen.</p>"
        "</section>"
    )
