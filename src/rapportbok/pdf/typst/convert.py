"""The print document's HTML (chapters after `reflow_for_print`, the colophon) as Typst markup.

The HTML is read with lxml (the parser `reflow` uses); each element becomes a call of the preamble's
functions or of Typst's own (heading, list, table, figure, link), each text a string literal
(`markup.literal`), so nothing in the data is ever read as Typst. What the print stylesheet hides
(`rb-back`, the chart data tables) is left out here too.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import unquote

from lxml import html as lxml_html
from lxml.etree import _Element as Element

from rapportbok.pdf.document import BOOKMARK_LEVELS
from rapportbok.pdf.typst.headers import RowHeaders
from rapportbok.pdf.typst.markup import label, literal, string

SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; a no-break space stays
HIDDEN = {"rb-back", "rb-chart-data"}
INLINE = {
    "a", "abbr", "b", "bdi", "br", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "img",
}  # fmt: skip
INLINE_WRAPPERS = {
    "em": "emph", "i": "emph", "cite": "emph", "strong": "rb-strong", "b": "rb-strong", "sub": "sub",
    "p": "block", "div": "block",  # a block inside inline content (a cell) keeps its own line
}  # fmt: skip
SPAN_STYLES = {
    "rb-date": "rb-strong", "rb-label": "rb-strong", "rb-detail-label": "rb-strong",
    "rb-colophon-title": "rb-strong", "rb-meta": "rb-meta", "rb-note-ref": "rb-note-ref",
    "rb-checksum": "rb-mono",
}  # fmt: skip
PARAGRAPH_STYLES = {
    "rb-record-caption", "rb-record-header", "rb-record-meta", "rb-record-detail", "rb-print-note",
}  # fmt: skip
BLOCK_TAGS = {
    "p": "paragraph", "ul": "items", "ol": "items", "table": "table", "figure": "figure",
    "dl": "description_list", "img": "chart",
}  # fmt: skip
BLOCK_CLASSES = {
    "rb-record-block": "record_block", "rb-record-body": "record_body", "rb-goal": "goal",
    "rb-computed-notes": "small",
}  # fmt: skip
# Blocks placed as a whole: a heading inside one needs no room of its own at the foot of a page.
FIXED_PLACE = {"rb-record-block", "rb-colophon", "rb-year-brief"}
SVG_DATA = "data:image/svg+xml;base64,"
# The images the print document embeds (charts as SVG; images of a text and the logo as PNG or JPEG).
DRAWABLE = re.compile(r"data:image/(svg\+xml|png|jpeg);base64,")
SHORT_TABLE_ROWS = 5  # a table of up to five body rows stays on one page
LINE_CHARACTERS = 93  # characters of 9 pt DejaVu Sans on a 176 mm line, cell padding included
DIGITS = re.compile(r"[-−+0-9\s,.%:]+")
DIGIT_WIDTH = 1.15  # DejaVu Sans digits (0.64 em) against the average letter
LINK_START, LINK_MID, LINK_END = "\x01", "\x02", "\x03"
PENDING_LINK = re.compile("\x01([^\x02]*)\x02(.*?)\x03\\1\x02", re.DOTALL)


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _hidden(element: Element) -> bool:
    return bool(classes(element) & HIDDEN) or element.tag in {"script", "style", "template"}


def _drawable(image: Element) -> bool:
    """Whether an <img> is an embedded image the Typst edition draws."""
    return DRAWABLE.match(image.get("src", "")) is not None


class Converter:
    """Converts elements to Typst; `anchors` are the ids the whole document carries (a link to any
    other anchor prints as plain text, as `document.resolve_anchors` makes it in the print document)."""

    def __init__(self, anchors: set[str]) -> None:
        self.anchors = anchors
        self.placed: set[str] = set()
        self.charts = 0  # images drawn: `writer.render` checks that each is a tagged Figure
        self.row_headers: RowHeaders = []  # per table: which body cells head their row (`headers`)

    def target(self, ident: str | None) -> str:
        """` <label>` for an id the first time it is placed (an id twice would make links ambiguous)."""
        if not ident or ident not in self.anchors or ident in self.placed:
            return ""
        self.placed.add(ident)
        return f" <{label(ident)}>"

    # ---- inline ---------------------------------------------------------------------------------
    def text(self, text: str | None) -> str:
        return literal(SPACE.sub(" ", text)) if text else ""

    def inline_children(self, element: Element) -> str:
        parts = [self.text(element.text)]
        for child in element:
            if isinstance(child.tag, str) and not _hidden(child):
                parts.append(self.inline(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def inline(self, element: Element) -> str:
        tag = element.tag
        body = self.inline_children(element)
        place = self.target(element.get("id"))
        if place:
            body = f"#box[]{place}{body}"
        if tag == "br":
            return "#linebreak()"
        if tag == "img":  # an image in a paragraph (a text's `![…](bilder/…)`)
            return self.chart(element)
        if tag == "code":
            return f"#raw({string(element.text_content())})"
        if tag == "a":
            return self.link(element, body)
        if tag in {"span", "sup"}:
            return self.styled_span(element, body)
        wrapper = INLINE_WRAPPERS.get(tag)
        return f"#{wrapper}[{body}]" if wrapper else body

    def styled_span(self, element: Element, body: str) -> str:
        """A span or sup whose class the print stylesheet styles (badges, dates, labels, notes)."""
        kinds = classes(element)
        if "rb-badge" in kinds:
            badge = next((kind for kind in sorted(kinds) if kind != "rb-badge"), "")
            return f"#rb-badge({string(badge)})[{body}]"
        style = next((SPAN_STYLES[kind] for kind in sorted(kinds) if kind in SPAN_STYLES), None)
        if style:
            return f"#{style}[{body}]"
        return f"#super[{body}]" if element.tag == "sup" else body

    def link(self, element: Element, body: str) -> str:
        href = element.get("href")
        if not href:
            return body
        if href.startswith("#"):
            anchor = unquote(href[1:])
            if anchor not in self.anchors:
                return body
            # Resolved once the whole document is converted (`resolve_links`): only then is it known
            # whether the anchor was placed. Control characters never come from data (`markup.string`).
            return f"{LINK_START}{label(anchor)}{LINK_MID}{body}{LINK_END}{label(anchor)}{LINK_MID}"
        if href.startswith(("http://", "https://", "mailto:")):
            return f"#link({string(href)})[{body}]"
        return body  # a relative file link: nothing on this machine is linked from the PDF

    # ---- blocks ---------------------------------------------------------------------------------
    def blocks(self, elements: Iterable[Element], text: str | None = None) -> str:
        """Children that may mix inline runs and blocks: runs become paragraphs."""
        out: list[str] = []
        run: list[str] = [self.text(text)]

        def flush() -> None:
            joined = "".join(run).strip()
            if joined and joined != '#" "':
                out.append(joined)
            run.clear()

        for child in elements:
            if not isinstance(child.tag, str) or _hidden(child):
                run.append(self.text(child.tail))
                continue
            if child.tag in INLINE and not (child.tag == "img" and _drawable(child)):
                run.append(self.inline(child))
            else:
                flush()
                out.append(self.block(child))
            run.append(self.text(child.tail))
        flush()
        return "\n\n".join(part for part in out if part)

    def block(self, element: Element) -> str:
        tag, kinds = element.tag, classes(element)
        if re.fullmatch(r"h[1-6]", tag):
            return self.heading(element, int(tag[1]))
        special = next((BLOCK_CLASSES[kind] for kind in sorted(kinds) if kind in BLOCK_CLASSES), None)
        method = getattr(self, special or BLOCK_TAGS.get(tag, "plain"))
        return method(element)

    def plain(self, element: Element) -> str:
        return self.anchor(element) + self.blocks(element, element.text)

    def paragraph(self, element: Element) -> str:
        kinds = classes(element)
        body = self.anchor(element).strip() + self.inline_children(element).strip()
        style = next((kind for kind in sorted(kinds) if kind in PARAGRAPH_STYLES), None)
        return f"#{style}[{body}]" if style else body

    def items(self, element: Element) -> str:
        items = [
            f"[{self.anchor(item).strip()}{self.blocks(item, item.text)}]"
            for item in element
            if item.tag == "li"
        ]
        function = "list" if element.tag == "ul" else "enum"
        return f"#{function}({', '.join(items)})" if items else ""

    def record_block(self, element: Element) -> str:
        """A record (heading, meta line, values beside the chart) on one page; its comment follows it and
        may go on to the next page, so a page is not left a third empty for a long comment."""
        details = [child for child in element if "rb-record-detail" in classes(child)]
        main = [child for child in element if child not in details]
        record = f"#rb-record-block[{self.blocks(main, element.text)}]"
        if not details:
            return record
        comment = "\n\n".join(f"#rb-record-comment[{self.inline_children(d).strip()}]" for d in details)
        return f"{record.replace('#rb-record-block[', '#rb-record-block(below: 0mm)[', 1)}\n\n{comment}"

    def record_body(self, element: Element) -> str:
        """The values table beside the row's chart."""
        parts = [self.block(child) for child in element if isinstance(child.tag, str)]
        values = parts[0] if parts else ""
        chart = parts[1] if len(parts) > 1 else ""
        return f"#rb-record-body([{values}], [{chart}])"

    def goal(self, element: Element) -> str:
        return f"#rb-goal[{self.anchor(element)}{self.blocks(element, element.text)}]"

    def small(self, element: Element) -> str:
        return f"#rb-small[{self.blocks(element, element.text)}]"

    def anchor(self, element: Element) -> str:
        """A block's id as a place a link can jump to (an empty labelled box at its start)."""
        target = self.target(element.get("id"))
        return f"#box[]{target}\n" if target else ""

    def heading(self, element: Element, level: int) -> str:
        body = self.inline_children(element).strip()
        bookmarked = "true" if level <= BOOKMARK_LEVELS else "false"
        outlined = "true" if "rb-chapter-title" in classes(element) else "false"
        rule = "#rb-goal-rule\n" if level == 2 and "rb-goal" in classes(element.getparent()) else ""
        room = "#rb-heading-room\n" if level > 1 and not rule and not _placed_whole(element) else ""
        target = self.target(element.get("id"))
        heading = f"#heading(level: {level}, outlined: {outlined}, bookmarked: {bookmarked})[{body}]{target}"
        return f"{room}{rule}{heading}"

    def description_list(self, element: Element) -> str:
        """The assessment line (`dl.rb-assessment`): term and value side by side."""
        pairs = []
        for term in element.iter("dt"):
            value = term.getnext()
            value_text = self.inline_children(value) if value is not None and value.tag == "dd" else ""
            pairs.append(f"{self.inline_children(term)}#h(2mm){value_text}")
        return "#h(8mm)".join(pairs)

    # ---- figures --------------------------------------------------------------------------------
    def chart(self, image: Element) -> str:
        source = image.get("src", "")
        drawable = DRAWABLE.match(source)
        if drawable is None:
            return ""  # nothing is fetched: an image that is not embedded is left out (`verify` counts)
        data = base64.b64decode(source[drawable.end() :])
        alt = string(SPACE.sub(" ", image.get("alt") or ""))
        self.charts += 1
        if drawable.group(1) == "svg+xml":
            return f"#rb-chart(bytes({string(data.decode('utf-8'))}), {alt})"
        # Typst has no base64: a PNG or JPEG goes in as its bytes.
        content = "(" + ",".join(map(str, data)) + ",)"
        return f'#rb-chart(bytes({content}), {alt}, format: "{drawable.group(1).replace("jpeg", "jpg")}")'

    def figure(self, element: Element) -> str:
        images = [img for img in element.iter("img") if _drawable(img)]
        if not images:
            return self.blocks(element, element.text)
        captions = element.xpath("./figcaption")
        caption = f", caption: [{self.inline_children(captions[0]).strip()}]" if captions else ""
        # The caption where the web has it: above the chart (indicators) or under it (budget, sick leave).
        children = list(element)
        above = bool(captions) and children.index(captions[0]) == 0
        figure = (
            f"figure({self.chart(images[0])[1:]}, kind: image, supplement: none, numbering: none{caption})"
        )
        return f"#[#set figure.caption(position: {'top' if above else 'bottom'})\n#{figure}]"

    # ---- tables ---------------------------------------------------------------------------------
    def cell(self, cell: Element, header: bool, columns: int, rows: int = 1, span: int = 0) -> str:
        """A table cell; `rows` > 1 spans it down (a row header beside its row's detail), `span`
        overrides its colspan."""
        kinds = classes(cell)
        body = (
            self.blocks(cell, cell.text)
            if len(cell) and any(child.tag in {"p", "div", "ul", "ol"} for child in cell)
            else self.inline_children(cell).strip()
        )
        arguments = []
        span = span or _span(cell)
        if rows > 1:
            arguments.append(f"rowspan: {rows}")
        if span > 1:
            arguments.append(f"colspan: {min(span, columns)}")
        if "rb-num" in kinds:
            arguments.append("align: right")
        if header:
            body = f"#rb-strong[{body}]"
        if "rb-detail" in classes(cell.getparent()):
            arguments.append("inset: (left: 5mm, right: 1.5mm, top: 0.3mm, bottom: 0.9mm)")
        if "rb-total" in classes(cell.getparent()):
            body = f"#rb-strong[{body}]"
        return f"table.cell({', '.join(arguments)})[{body}]"

    def body_lines(self, body_rows: list[Element], columns: int) -> list[str]:
        """The body rows' cells and rules; a row with a detail row keeps it (see below)."""
        lines: list[str] = []
        kept = False  # the previous row's header spans down beside this detail row
        for position, row in enumerate(body_rows):
            if "rb-total" in classes(row):
                lines.append("table.hline(stroke: 1pt + rb-text-colour)")
            following = body_rows[position + 1] if position + 1 < len(body_rows) else None
            if kept:
                lines.extend(self.cell(c, False, columns, span=columns - 1) for c in row)
                kept = False
            elif _keeps_detail(row, following) and columns > 1:
                # A row and its detail never part: its header spans both rows, and a cell spanning
                # rows is unbreakable (`table.cell(breakable: false)` in the preamble).
                lines.append(self.cell(row[0], False, columns, rows=2))
                lines.extend(self.cell(c, False, columns) for c in row[1:])
                kept = True
            else:
                lines.extend(self.cell(c, False, columns) for c in row)
            if "rb-has-detail" not in classes(row):
                lines.append("table.hline(stroke: 0.5pt + rb-rule)")
        return lines

    def table(self, element: Element) -> str:
        head_rows = element.xpath("./thead/tr")
        body_rows = element.xpath("./tbody/tr") or element.xpath("./tr")
        rows = [*head_rows, *body_rows]
        columns = max((sum(_span(c) for c in row) for row in rows), default=1)
        widths = ["40mm", "1fr"] if "rb-record-values" in classes(element) else column_widths(rows, columns)
        lines = [f"columns: ({', '.join(widths)},)", "stroke: none"]
        if head_rows:
            header = [self.cell(c, True, columns) for row in head_rows for c in row]
            lines.append(f"table.header({', '.join(header)})")
            lines.append("table.hline(stroke: 1pt + rb-text-colour)")
        self.row_headers.append([[cell.tag == "th" for cell in row] for row in body_rows])
        lines += self.body_lines(body_rows, columns)
        table = "table(\n  " + ",\n  ".join(lines) + ",\n)"
        captions = element.xpath("./caption")
        target = self.target(element.get("id"))
        if not captions:
            return f"#{table}{target}"
        caption = self.inline_children(captions[0]).strip()
        figure = (
            f"figure({table}, kind: table, supplement: none, numbering: none, caption: [{caption}]){target}"
        )
        # A short table is never split: print.css never leaves one or two rows alone on a page.
        return f"#block(breakable: false)[#{figure}]" if len(body_rows) <= SHORT_TABLE_ROWS else f"#{figure}"


def _placed_whole(element: Element) -> bool:
    """Whether a heading is inside a block that is placed as a whole (a record block, a goal's first
    part, the colophon at the foot of its page): the block decides where the heading goes."""
    return any(classes(parent) & FIXED_PLACE for parent in element.iterancestors())


def _span(cell: Element) -> int:
    return int(cell.get("colspan", "1") or 1)


def _keeps_detail(row: Element, following: Element | None) -> bool:
    """Whether `row` has its detail on the next row (one cell across the table)."""
    return (
        "rb-has-detail" in classes(row)
        and following is not None
        and "rb-detail" in classes(following)
        and len(following) == 1
        and len(row) > 1
        and int(row[0].get("colspan", "1") or 1) == 1
    )


def _width(word: str) -> float:
    """A word's width in average characters: digits (a date, an amount) are wider than letters."""
    return len(word) * (DIGIT_WIDTH if DIGITS.fullmatch(word) else 1.0)


def _measure(rows: list[Element], columns: int) -> tuple[list[float], list[float]]:
    """Per column, in characters: the longest word (a number cell is one word: it never wraps) and
    the longest text (up to 60 characters), cell padding included."""
    least, wanted = [3.0] * columns, [3.0] * columns
    for row in rows:
        position = 0
        for cell in row:
            if _span(cell) == 1 and position < columns:
                text = " ".join(cell.text_content().split())
                words = [text] if "rb-num" in classes(cell) and cell.tag == "td" else text.split()
                bold = 1.15 if cell.tag == "th" else 1.0  # header text is set bold: wider
                least[position] = max(least[position], *(_width(word) * bold + 2 for word in words), 3)
                wanted[position] = max(wanted[position], min(len(text), 60) + 2)
            position += _span(cell)
    return least, [max(w, m) for w, m in zip(wanted, least, strict=True)]


def column_widths(rows: list[Element], columns: int) -> list[str]:
    """Full width, as print.css sets tables, shared out as a browser's automatic table layout
    roughly does: every column at least as wide as its longest word, text columns widened towards
    their longest text while the line has room. Written as fractions of the line."""
    least, wanted = _measure(rows, columns)
    if sum(least) >= LINE_CHARACTERS:
        return [f"{width:.1f}fr" for width in least]  # no room to widen: never squeeze a word
    if sum(wanted) > LINE_CHARACTERS:
        room, extra = LINE_CHARACTERS - sum(least), [w - m for w, m in zip(wanted, least, strict=True)]
        wanted = [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    return [f"{width:.1f}fr" for width in wanted]


def document_ids(fragments: Iterable[str]) -> set[str]:
    """Every id the HTML fragments carry."""
    found: set[str] = set()
    for fragment in fragments:
        if fragment.strip():
            container = lxml_html.fragment_fromstring(fragment, create_parent="div")
            found.update(str(ident) for ident in container.xpath("//@id"))
    return found


def resolve_links(markup: str, placed: set[str]) -> str:
    """Links to a placed anchor jump there; links to any other anchor print as plain text."""
    targets = {label(ident) for ident in placed}

    def link(match: re.Match[str]) -> str:
        name, body = match.group(1), match.group(2)
        return f"#link(<{name}>)[{body}]" if name in targets else body

    return PENDING_LINK.sub(link, markup)


def convert(fragment: str, converter: Converter) -> str:
    """`fragment` (HTML) as Typst markup."""
    if not fragment.strip():
        return ""
    container = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return converter.blocks(container, container.text)
