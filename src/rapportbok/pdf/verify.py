"""Check a written PDF before it is published: complete file, pages, and every figure drawn.

Each `<img>` and `<svg>` of the print document becomes a `Figure` element of the PDF's structure
tree; the marked content it owns on the page (its MCIDs) must paint something (a path, text, an image
or a form). A figure that is there but paints nothing, a missing figure, a missing page or a truncated
file is an error, with the page named. The check reads only the saved file, so it holds for any writer
that tags its output (the Typst edition does, by construction).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from rapportbok.exceptions import PdfError
from rapportbok.pdf.pdftext import as_list

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
            numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
            root = pdf.Root.get("/StructTreeRoot")
            figures = _figures(root, numbers) if root is not None else []
            painted = _painted(pdf, {page for marks in figures for page, _ in marks if page})
            empty_pages = [
                min((page for page, _ in marks), default=1)
                for marks in figures
                if not any(mark in painted for mark in marks)
            ]
            return PdfSummary(len(pdf.pages), len(figures), empty_pages)
    except pikepdf.PdfError as error:
        raise PdfError(f"PDF:en {path.name} kan inte läsas: {error}") from error
    except OSError as error:
        raise PdfError(f"PDF:en {path.name} kan inte läsas: {error}") from error


def _painted(pdf: object, pages: set[int]) -> set[tuple[int, int]]:
    """(page number, MCID) of the marked content that paints, on the given pages only."""
    return {(number, mcid) for number in pages for mcid in _painting_mcids(pdf.pages[number - 1])}


def _figures(root: object, numbers: dict[tuple[int, int], int]) -> list[list[tuple[int, int]]]:
    """For every outermost Figure structure element, in document order: its marked content as
    (page number, MCID) pairs, nested elements' included."""
    import pikepdf

    figures: list[list[tuple[int, int]]] = []
    # (item, page number inherited from the nearest /Pg, the figure it belongs to or None)
    stack: list[tuple[object, int, list | None]] = [(root, 0, None)]
    seen: set[tuple[int, int]] = set()
    while stack:
        item, page, figure = stack.pop()
        if _content_reference(item, page, numbers, figure) or not isinstance(item, pikepdf.Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        page = _page_of(item, numbers, page)
        if item.get("/S") == pikepdf.Name.Figure and figure is None:
            figure = []
            figures.append(figure)
        stack.extend((kid, page, figure) for kid in reversed(as_list(item.get("/K"))))
    return figures


def _page_of(item: object, numbers: dict[tuple[int, int], int], inherited: int) -> int:
    """The page number an element or reference names with /Pg, else the one it inherits."""
    import pikepdf

    page = item.get("/Pg") if isinstance(item, pikepdf.Dictionary) else None
    return numbers.get(page.objgen, inherited) if isinstance(page, pikepdf.Dictionary) else inherited


def _content_reference(
    item: object, page: int, numbers: dict[tuple[int, int], int], figure: list | None
) -> bool:
    """Whether `item` is a marked-content reference (an MCID, or an MCR dictionary); if it is and lies
    inside a figure, it is added to that figure."""
    import pikepdf

    if isinstance(item, int) and not isinstance(item, bool):
        if figure is not None:
            figure.append((page, item))
        return True
    if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == pikepdf.Name.MCR:
        if figure is not None and "/MCID" in item:
            figure.append((_page_of(item, numbers, page), int(item.MCID)))
        return True
    return False


def _painting_mcids(page: object) -> set[int]:
    """The marked-content identifiers of a page whose content paints something."""
    import pikepdf

    wanted = " ".join(PAINTING + MARKING)
    stack: list[int | None] = []
    painting: set[int] = set()
    for operands, operator in pikepdf.parse_content_stream(page, wanted):
        name = str(operator)
        if name in ("BDC", "BMC"):
            properties = operands[1] if name == "BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif name == "EMC":
            if stack:
                stack.pop()
        else:
            painting.update(mcid for mcid in stack if mcid is not None)
    return painting


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
