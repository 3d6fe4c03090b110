"""The print edition as a reader sees it, measured from the PDF: how full each page is, how small the
text is in tables and charts, where headings stand on their pages, how deep the contents go, and
whether any word is broken inside a table cell.

Used by the e2e tests, and as a script to report the figures of a PDF:

    .venv/bin/python -m tests.pdf_layout _build/kommunstyrelsekontoret/2024/pdf/<fil>.pdf

A page is *half empty* when its content ends above half the height of the text area, and *underfilled*
(issue 28) when it ends above 60 %, unless it is the last page of a chapter (where a chapter may end
anywhere) or of a part of the front matter (colophon, year in brief, contents). The text area is the
page without the margins of the page setting (pdf/typst/preamble.typ), where only the running header
and footer are. A heading is *low* when it starts in the bottom 15 % of the text area of a page with a
running footer (the cover and the colophon, whose small print stands at its foot, have none).
"""

from __future__ import annotations

import itertools
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf

from rapportbok.core.arguments import SwedishArgumentParser

MM = 72 / 25.4
MARGIN_TOP = 20 * MM  # the page margins of pdf/typst/preamble.typ
MARGIN_BOTTOM = 18 * MM
FILLED = 0.6  # issue 28: no page below 60 % filled except a chapter's last page
LOW_HEADING = 0.85  # issue 28: no heading in the last 15 % of a page
TAIL = 0.15  # a chapter's last page ending this high up holds only a few lines (rb-chapter, preamble.typ)
FOOTER = re.compile(r"Sida \d+ av \d+")
HYPHENS = ("\u2010", "\u00ad")  # a hyphenation character, and a soft hyphen
HEADINGS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
WORD_EDGE = re.compile(r"^[^\wåäöÅÄÖ]+|[^\wåäöÅÄÖ]+$")


@dataclass(frozen=True)
class PageFill:
    number: int
    fill: float  # where the content ends, as a share of the text area's height (0 = top, 1 = bottom)
    chapter_end: bool
    chapter_tail: bool = False  # a chapter's last page that is not its first (the front matter aside)

    @property
    def short_tail(self) -> bool:
        """A chapter that ends with a few lines alone on a page (issue 28 review)."""
        return self.chapter_tail and self.fill < TAIL

    @property
    def half_empty(self) -> bool:
        return self.fill < 0.5 and not self.chapter_end

    @property
    def underfilled(self) -> bool:
        return self.fill < FILLED and not self.chapter_end


@dataclass(frozen=True)
class HeadingPlace:
    """Where a heading starts: its page, level (1–6), text, and top as a share of the text area."""

    page: int
    level: int
    text: str
    top: float

    @property
    def low(self) -> bool:
        return self.top > LOW_HEADING


def _bookmarks(first: object, pages: dict[tuple[int, int], int]) -> list[tuple[str, int]]:
    """(title, page) of a bookmark and its following siblings."""
    found, item = [], first
    while isinstance(item, pikepdf.Dictionary):
        destination = item.get("/Dest")
        if isinstance(destination, pikepdf.Array):
            found.append((str(item.get("/Title", "")), pages[destination[0].objgen]))
        item = item.get("/Next")
    return found


def outline(path: Path) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The PDF's bookmarks two levels deep: (title, page, [(title, page) of its children])."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        tops, item = [], pdf.Root.Outlines.get("/First")
        while isinstance(item, pikepdf.Dictionary):
            destination = item.get("/Dest")
            if isinstance(destination, pikepdf.Array):
                children = _bookmarks(item.get("/First"), pages)
                tops.append((str(item.get("/Title", "")), pages[destination[0].objgen], children))
            item = item.get("/Next")
    return tops


def chapter_starts(path: Path) -> list[int]:
    """Page numbers (1-based) where a top-level bookmark (a chapter, or the cover) points, and where
    the parts of the front matter (the cover's own bookmarks: colophon, year in brief, contents) do."""
    tops = outline(path)
    starts = [page for _, page, _ in tops]
    if tops:
        starts += [page for _, page in tops[0][2]]
    return sorted(set(starts))


def contents_depth(path: Path) -> tuple[int, list[str]]:
    """How deep the printed contents go: 2 when every chapter's sections (its second-level bookmarks)
    are listed on the contents pages, 1 when only chapters are, 0 when not even those; and the
    section titles missing from the contents."""
    tops = outline(path)
    front = dict(tops[0][2]) if tops else {}
    if "Innehåll" not in front or len(tops) < 2:
        return 0, []
    first, last = front["Innehåll"], tops[1][1] - 1
    with pdfplumber.open(path) as pdf:
        text = " ".join(
            " ".join((pdf.pages[i - 1].extract_text() or "").split()) for i in range(first, last + 1)
        )

    def listed(title: str) -> bool:
        return " ".join(title.split()) in text

    chapters, sections = [title for title, _, _ in tops[1:]], [t for _, _, kids in tops[1:] for t, _ in kids]
    missing = [title for title in sections if not listed(title)]
    if not all(listed(title) for title in chapters):
        return 0, missing
    return (2 if not missing else 1), missing


def _char_size(char: dict) -> float:
    """The printed size of a character: pdfminer gives the glyph's width as size for turned text (the
    y-axis label of a chart); its extent across the line is the other side of its box."""
    matrix = char.get("matrix") or (1, 0, 0, 1)
    turned = abs(float(matrix[1])) > 0.01 or abs(float(matrix[2])) > 0.01  # Typst: upright is not set
    if char.get("upright", True) and not turned:
        return float(char["size"])
    return max(float(char["width"]), float(char["height"]))


def _ancestors(element: object) -> list[pikepdf.Dictionary]:
    found = []
    while isinstance(element, pikepdf.Dictionary) and len(found) < 64:
        found.append(element)
        element = element.get("/P")
    return found


Owner = tuple[str, tuple[int, int] | None, bool, tuple[int, tuple[int, int]] | None]


def _content_owners(pdf: pikepdf.Pdf) -> dict[tuple[int, int], Owner]:
    """(page number, MCID) → the content's role ('table', 'figure', 'text'), its table cell, whether it
    is a heading or a caption, and its heading (level, element) when it is in one."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    owners = {}
    for number, page in enumerate(pdf.pages, start=1):
        parents = entries.get(int(page.obj.get("/StructParents", -1)))
        if isinstance(parents, pikepdf.Array):
            for mcid, element in enumerate(parents):
                chain = _ancestors(element)
                owners[number, mcid] = (_role(chain), _cell(chain), _is_title(chain), _heading(chain))
    return owners


@dataclass
class Layout:
    """Everything measured in one pass over the PDF."""

    fills: list[PageFill]
    smallest: dict[str, float]  # 'table', 'figure', 'text' → smallest printed size in pt
    hyphenated: list[tuple[int, str]]  # (page, line) with a hyphenation character
    broken: list[tuple[int, str]]  # (page, 'left|right') of words broken inside a table cell
    stranded: list[int]  # pages whose last line is a heading or a caption
    split_cells: list[tuple[int, str]]  # (first page, text) of table cells that continue on the next page
    overlaps: list[tuple[int, str, str]]  # (page, char, char) of text printed over other text
    headings: list[HeadingPlace]  # every heading on a page with a running footer, in order
    table_sizes: dict[float, int]  # printed size in pt → characters of table text set at that size
    chart_text: dict[int, float]  # page → the smallest text of its charts, in pt as printed

    @property
    def smallest_chart_text(self) -> tuple[float, int] | None:
        """The smallest chart text of the PDF (pt as printed) and the page it is on."""
        if not self.chart_text:
            return None
        page = min(self.chart_text, key=lambda number: (self.chart_text[number], number))
        return self.chart_text[page], page

    @property
    def half_empty(self) -> list[int]:
        return [fill.number for fill in self.fills if fill.half_empty]

    @property
    def underfilled(self) -> list[int]:
        return [fill.number for fill in self.fills if fill.underfilled]

    @property
    def short_tails(self) -> list[int]:
        return [fill.number for fill in self.fills if fill.short_tail]

    @property
    def low_headings(self) -> list[HeadingPlace]:
        return [place for place in self.headings if place.low]


def _role(owners: list[pikepdf.Dictionary]) -> str:
    kinds = {str(element.get("/S", "")) for element in owners}
    if kinds & {"/TD", "/TH"}:
        return "table"
    return "figure" if "/Figure" in kinds else "text"


def _is_title(owners: list[pikepdf.Dictionary]) -> bool:
    """A heading, or a table's caption (a figure's caption belongs under its figure)."""
    kinds = [str(element.get("/S", "")) for element in owners]
    if set(kinds) & HEADINGS:
        return True
    return any(kind == "/Caption" and kinds[i + 1 : i + 2] == ["/Table"] for i, kind in enumerate(kinds))


def _heading(owners: list[pikepdf.Dictionary]) -> tuple[int, tuple[int, int]] | None:
    """The heading's level and element the content is in, or None."""
    for element in owners:
        kind = str(element.get("/S", ""))
        if kind in HEADINGS:
            return int(kind[2]), element.objgen
    return None


def _cell(owners: list[pikepdf.Dictionary]) -> tuple[int, int] | None:
    return next((e.objgen for e in owners if e.get("/S") in (pikepdf.Name.TD, pikepdf.Name.TH)), None)


def _token(text: str) -> str:
    return WORD_EDGE.sub("", text)


def _broken_in(lines: list[str], words: set[str]) -> list[str]:
    """'left|right' for each line break inside a word of `words` that neither part is on its own."""
    found = []
    for before, after in itertools.pairwise(lines):
        if before.split() and after.split():
            left, right = _token(before.split()[-1]), _token(after.split()[0])
            if left + right in words and not (left in words and right in words):
                found.append(f"{left}|{right}")
    return found


def _overlapping(chars: list[dict]) -> list[tuple[str, str]]:
    """Pairs of characters of different tagged content whose boxes cover each other by a fifth or more."""
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    found = []
    for char in chars:
        x0, x1, y0, y1 = float(char["x0"]), float(char["x1"]), float(char["top"]), float(char["bottom"])
        area = max((x1 - x0) * (y1 - y0), 0.01)
        cells = {(int(x) // 10, int(y) // 10) for x in (x0, x1) for y in (y0, y1)}
        for cell in cells:
            for other in grid[cell]:
                if other["mcid"] == char["mcid"]:
                    continue
                width = min(x1, float(other["x1"])) - max(x0, float(other["x0"]))
                height = min(y1, float(other["bottom"])) - max(y0, float(other["top"]))
                other_area = (float(other["x1"]) - float(other["x0"])) * (
                    float(other["bottom"]) - float(other["top"])
                )
                if width > 0 and height > 0 and width * height >= 0.2 * min(area, max(other_area, 0.01)):
                    found.append((other["text"], char["text"]))
        for cell in cells:
            grid[cell].append(char)
    return found


def _heading_places(
    number: int, found: dict[tuple[int, tuple[int, int]], list[dict]], top: float, bottom: float
) -> list[HeadingPlace]:
    """The headings of one page, each where its first line starts (a share of the text area)."""
    places = []
    for (level, _), chars in found.items():
        start = min(float(char["top"]) for char in chars)
        ordered = sorted(chars, key=lambda char: (round(float(char["top"])), float(char["x0"])))
        text = ""
        for before, char in itertools.pairwise([None, *ordered]):
            gap = before is not None and float(char["x0"]) - float(before["x1"]) > 0.15 * float(char["size"])
            text += (" " if gap else "") + char["text"]
        text = " ".join(text.split())
        places.append(HeadingPlace(number, level, text, round((start - top) / (bottom - top), 3)))
    return sorted(places, key=lambda place: place.top)


def measure(path: Path, words: set[str] | None = None) -> Layout:
    """Page fills, smallest text per role, hyphenations and (given the book's words) broken words."""
    starts = chapter_starts(path)
    tops = outline(path)
    first_chapter = tops[1][1] if len(tops) > 1 else 0  # the front matter's parts are no chapters
    with pikepdf.open(path) as pdf:
        owners = _content_owners(pdf)
    fills, smallest, hyphenated, broken, stranded, overlaps = [], {}, [], [], [], []
    headings: list[HeadingPlace] = []
    table_sizes: dict[float, int] = defaultdict(int)
    chart_text: dict[int, float] = {}
    cell_pages: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    with pdfplumber.open(path) as pdf:
        last = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            height = float(page.height)
            top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
            objects = [*page.chars, *page.rects, *page.lines, *page.curves, *page.images]
            inside = [
                float(item["bottom"])
                for item in objects
                if top - 1 <= (float(item["top"]) + float(item["bottom"])) / 2 <= bottom + 1
            ]
            end = max(inside, default=top)
            chapter_end = number == last or (number + 1) in starts
            tail = chapter_end and number not in starts and number > first_chapter
            fills.append(PageFill(number, (end - top) / (bottom - top), chapter_end, tail))
            cells: dict[tuple[int, int], dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
            lowest, lowest_is_title = top, False
            heading_chars: dict[tuple[int, tuple[int, int]], list[dict]] = defaultdict(list)
            for char in page.chars:
                found = owners.get((number, char.get("mcid")))
                if found is None or not char["text"].strip():
                    continue
                role, cell, title, heading = found
                if float(char["bottom"]) > lowest and float(char["bottom"]) <= bottom + 1:
                    lowest, lowest_is_title = float(char["bottom"]), title
                smallest[role] = min(smallest.get(role, 99.0), round(_char_size(char), 2))
                if role == "table":
                    table_sizes[round(_char_size(char), 1)] += 1
                if role == "figure":
                    chart_text[number] = min(chart_text.get(number, 99.0), round(_char_size(char), 2))
                if heading is not None:
                    heading_chars[heading].append(char)
                if cell is not None:
                    cells[cell][round(float(char["top"]))].append(char)
                    cell_pages[cell][number] = cell_pages[cell].get(number, "") + char["text"]
            tagged = [c for c in page.chars if c.get("mcid") is not None and c["text"].strip()]
            overlaps.extend((number, *pair) for pair in _overlapping(tagged)[:3])
            if lowest_is_title and number != last:
                stranded.append(number)
            page_text = page.extract_text() or ""
            if FOOTER.search(page_text):
                headings.extend(_heading_places(number, heading_chars, top, bottom))
            for line in page_text.splitlines():
                if any(mark in line for mark in HYPHENS):
                    hyphenated.append((number, line))
            if words:
                for rows in cells.values():
                    lines = [
                        "".join(c["text"] for c in sorted(rows[y], key=lambda c: c["x0"]))
                        for y in sorted(rows)
                    ]
                    broken.extend((number, pair) for pair in _broken_in(lines, words))
    split = [(min(pages), pages[min(pages)]) for pages in cell_pages.values() if len(pages) > 1]
    return Layout(
        fills,
        smallest,
        hyphenated,
        broken,
        stranded,
        sorted(split),
        overlaps,
        headings,
        dict(table_sizes),
        chart_text,
    )


def _percent(share: float) -> str:
    """A share as Swedish writes it: 15 %, with a space."""
    return f"{share * 100:.0f} %"


def report(path: Path) -> str:
    """The figures of one PDF, as text."""
    layout = measure(path)
    depth, missing = contents_depth(path)
    low = [f"s. {place.page}: {place.text[:40]} ({_percent(place.top)})" for place in layout.low_headings]
    sizes = ", ".join(f"{size:g} pt: {count}" for size, count in sorted(layout.table_sizes.items()))
    lines = [
        f"{path.name}: {len(layout.fills)} sidor",
        "halvtomma sidor (innehållet slutar ovanför halva höjden, utom kapitlets sista sida): "
        f"{len(layout.half_empty)} {layout.half_empty}",
        f"sidor fyllda under {_percent(FILLED)} (utom kapitlets sista sida): "
        f"{len(layout.underfilled)} {layout.underfilled}",
        f"rubriker i sidans nedersta {_percent(1 - LOW_HEADING)}: {len(low)} {low}",
        "kapitel som slutar med några rader ensamma på en sida "
        f"(slutet inom sidans översta {_percent(TAIL)}): "
        f"{len(layout.short_tails)} {layout.short_tails}",
        f"tabelltext per storlek (tecken): {sizes}",
        f"innehållsförteckningens djup: {depth} nivåer" + (f", saknas: {missing}" if missing else ""),
        f"fyllnad per sida, median: {statistics.median(fill.fill for fill in layout.fills):.2f}",
        "minsta textstorlek (pt): "
        + ", ".join(f"{role} {size:.2f}" for role, size in sorted(layout.smallest.items())),
        "minsta text i diagram (pt, som tryckt; krav ≥ 8): "
        + (
            f"{layout.smallest_chart_text[0]:.2f} på sidan {layout.smallest_chart_text[1]}, "
            f"{len(layout.chart_text)} sidor med diagram"
            if layout.smallest_chart_text
            else "inga diagram"
        ),
        f"rader med avstavningstecken: {len(layout.hyphenated)}",
        f"sidor som slutar med en rubrik eller tabellrubrik: {layout.stranded}",
        f"tabellceller delade mellan två sidor: {layout.split_cells}",
        f"text tryckt över annan text: {layout.overlaps}",
    ]
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> int:
    """`python -m tests.pdf_layout <pdf> …`: the figures of each PDF; --help says what they are."""
    parser = SwedishArgumentParser(
        prog="python -m tests.pdf_layout",
        description=(
            "Mät tryckutgåvan som en läsare ser den: sidornas fyllnad, textstorlek i tabeller och "
            "diagram, rubriker långt ner på sidan, innehållsförteckningens djup, avstavade ord och "
            f"celler som delas mellan sidor. Kraven (ärende 28): ingen sida under {FILLED * 100:.0f} % fylld "
            f"utom ett kapitels sista sida, ingen rubrik i sidans nedersta {(1 - LOW_HEADING) * 100:.0f} %, "
            "tabelltext minst 9 pt och diagramtext minst 8 pt."
        ),
    )
    parser.add_argument(
        "pdf", nargs="+", type=Path, help="PDF-fil att mäta, t.ex. _build/<organisation>/<år>/pdf/<fil>.pdf"
    )
    options = parser.parse_args(arguments)
    missing = [path for path in options.pdf if not path.is_file()]
    if missing:
        print(f"Fel: filen finns inte: {missing[0]}; ange sökvägen till en PDF-fil.", file=sys.stderr)
        return 1
    for path in options.pdf:
        print(report(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
