"""Check a written PDF before it is published: complete file, pages, and every figure drawn.

WeasyPrint catches every exception while it draws an SVG image (even an interrupt) and carries on
without the image, so a PDF can be written "successfully" with charts missing. Each `<img>` and `<svg>`
of the print document becomes a tagged `Figure` in the PDF; its marked content on the page must paint
something (a path, text, an image or a form). A figure that is there but paints nothing, a missing
figure, a missing page or a truncated file is an error, with the page named.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from rapportbok.exceptions import PdfError

# Content stream operators that put marks on the page.
PAINTING = ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "Tj", "TJ", "'", '"')
MARKING = ("BDC", "BMC", "EMC")
FIGURE_ELEMENTS = ("img", "svg")


@dataclass(frozen=True)
class PdfSummary:
    """What was found in a PDF: its pages, and the figures drawn and left empty (page numbers)."""

    pages: int
    figures: int
    empty_figures: list[int]


class _FigureCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures = 0
        self.svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FIGURE_ELEMENTS and self.svg_depth == 0:
            self.figures += 1
        if tag == "svg":
            self.svg_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FIGURE_ELEMENTS and self.svg_depth == 0:
            self.figures += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1


def figures_in_document(html: str) -> int:
    """How many figures (`<img>` and outermost `<svg>` elements) the print document has."""
    counter = _FigureCounter()
    counter.feed(html)
    counter.close()
    return counter.figures


def summarise_pdf(path: Path) -> PdfSummary:
    """Pages and figures of a PDF; PdfError if the file is not a complete PDF."""
    import pikepdf

    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 1024))
            if b"%%EOF" not in handle.read():
                raise PdfError(f"PDF:en {path.name} är avkortad (filen slutar mitt i).")
        with pikepdf.open(path) as pdf:
            if pdf.get_warnings():
                raise PdfError(f"PDF:en {path.name} är skadad: {'; '.join(pdf.get_warnings()[:3])}")
            drawn = empty = 0
            empty_pages = []
            for number, page in enumerate(pdf.pages, start=1):
                for paints in _figure_contents(page):
                    if paints:
                        drawn += 1
                    else:
                        empty += 1
                        empty_pages.append(number)
            return PdfSummary(len(pdf.pages), drawn + empty, empty_pages)
    except pikepdf.PdfError as error:
        raise PdfError(f"PDF:en {path.name} kan inte läsas: {error}") from error
    except OSError as error:
        raise PdfError(f"PDF:en {path.name} kan inte läsas: {error}") from error


def _figure_contents(page: object) -> list[bool]:
    """For every Figure marked-content sequence of a page: whether it paints anything."""
    import pikepdf

    wanted = " ".join(PAINTING + MARKING)
    stack: list[list] = []
    figures = []
    for operands, operator in pikepdf.parse_content_stream(page, wanted):
        name = str(operator)
        if name in ("BDC", "BMC"):
            stack.append([str(operands[0]) if operands else "", False])
        elif name == "EMC":
            if not stack:
                continue
            tag, paints = stack.pop()
            if tag == "/Figure":
                figures.append(paints)
            if stack:
                stack[-1][1] = stack[-1][1] or paints
        elif stack:
            stack[-1][1] = True
    return figures


def verify_pdf(path: Path, expected_figures: int) -> PdfSummary:
    """Raise PdfError unless the PDF is complete, has pages and draws each of `expected_figures`."""
    summary = summarise_pdf(path)
    if summary.pages == 0:
        raise PdfError(f"PDF:en {path.name} har inga sidor.")
    if summary.empty_figures:
        pages = ", ".join(str(page) for page in sorted(set(summary.empty_figures)))
        raise PdfError(
            f"PDF:en {path.name} är ofullständig: {len(summary.empty_figures)} av {summary.figures} "
            f"diagram och bilder ritades inte (sida {pages})."
        )
    if summary.figures != expected_figures:
        raise PdfError(
            f"PDF:en {path.name} är ofullständig: den har {summary.figures} diagram och bilder, "
            f"utskriftsdokumentet {expected_figures}."
        )
    return summary
