"""The chapters' HTML rearranged for A4 paper. The web's markup is read, never changed in content: every
cell, heading, caption and chart of the site is in the print edition, only arranged differently.

- **Wide record tables** (more columns than a portrait page can set at 8 pt: the indicator tables)
  become one block per row, under the first column's header: the row header as a heading, its meta
  line ("Ansvarig avdelning: … Enhet: …") and any text columns before the numbers under it, the numbers
  and the assessment as a two-column table of label and value, the row's chart beside it, and the row's
  detail (the latest comment, on the web a full-width row under the row) as a paragraph. When the table
  is followed by a chart grid with one chart per row, each chart goes into its row's block, without
  its caption: on the web the caption says which row the chart in the grid belongs to; in the block the
  heading beside it says so already (the alt text still names it).
- **Chart data tables** (the web's "Visa diagrammets data som tabell" under each chart) are left
  out: a PDF cannot fold them away, and each figure's alt text gives the same values.
- **The data files of Om rapporten**: the per-file checksums stay on the web page; the print edition
  says how many files there are and where their checksums are.

Narrower tables keep the web's markup; print.css keeps each detail row with its row. Which cells are
which is read from the web's markup: the first column holds row headers (with the indicator's meta line
in `rb-meta`), `rb-num` marks numbers, `tr.rb-detail` a row's full-width detail.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import html as lxml_html
from lxml.etree import _Element as Element

WIDE_TABLE_COLUMNS = 9  # from nine columns on, a table no longer fits portrait A4 at 8 pt
DETAIL_ROW = "rb-detail"
META = "rb-meta"
DATA_FILES_TABLE = "datafiler"
ABOUT_WEB_PAGE = "Om rapporten"
NOTES_BETWEEN = {"rb-revisions", "rb-computed-notes"}  # notes that may follow a table, before its charts


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _element(tag: str, text: str = "", **attributes: str) -> Element:
    names = {key: key.rstrip("_").replace("_", "-") for key in attributes}
    element = lxml_html.Element(tag, {names[key]: value for key, value in attributes.items()})
    element.text = text or None
    return element


def _text(element: Element) -> str:
    return " ".join(element.text_content().split())


def _move_children(source: Element, target: Element) -> Element:
    """Append a copy of `source`'s content (text and children) to `target`."""
    source = deepcopy(source)
    if source.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + source.text
        else:
            target.text = (target.text or "") + source.text
    for child in list(source):
        target.append(child)
    return target


def _header_cells(table: Element) -> list[Element]:
    rows = table.xpath("./thead/tr")
    return list(rows[-1]) if rows else []


def _body_rows(table: Element) -> list[list[Element]]:
    return [list(row) for row in table.xpath("./tbody/tr") if DETAIL_ROW not in _classes(row)]


def _records(table: Element) -> list[tuple[list[Element], Element | None]] | None:
    """Each body row's cells with the cell of its detail row (or None); None when a detail row has no
    row of its own to belong to."""
    records: list[tuple[list[Element], Element | None]] = []
    for row in table.xpath("./tbody/tr"):
        if DETAIL_ROW not in _classes(row):
            records.append((list(row), None))
        elif records and records[-1][1] is None and len(row) == 1:
            records[-1] = (records[-1][0], row[0])
        else:
            return None
    return records


def _wrapper(table: Element) -> Element:
    """The table's scroll region on the web (or the table itself), which the print version replaces."""
    parent = table.getparent()
    return parent if parent is not None and "rb-table-scroll" in _classes(parent) else table


def _following_chart_grid(block: Element) -> Element | None:
    """The chart grid right after a table (notes on revisions and computed assessments may sit between)."""
    sibling = block.getnext()
    while sibling is not None and _classes(sibling) & NOTES_BETWEEN:
        sibling = sibling.getnext()
    return sibling if sibling is not None and "rb-chart-grid" in _classes(sibling) else None


def _detail_paragraph(cell: Element) -> Element:
    """The row's detail (label and text, as the web shows it) as a full-width paragraph."""
    return _move_children(cell, _element("p", class_="rb-record-detail"))


def _heading_and_meta(cell: Element, ident: str) -> tuple[Element, Element | None]:
    """The row header as a heading; its meta line (department and unit) as a paragraph of its own."""
    cell = deepcopy(cell)
    meta = None
    for span in cell.xpath(f".//span[contains(concat(' ', @class, ' '), ' {META} ')]"):
        meta = _move_children(span, _element("p", class_="rb-record-meta"))
        span.drop_tree()
    return _move_children(cell, _element("h4", id=f"{ident}-rubrik")), meta


def _record_block(
    headers: list[Element], cells: list[Element], detail: Element | None, ident: str, figure: Element | None
) -> Element:
    """One row of a wide table as a block: heading, meta line, label/value table, chart, detail."""
    block = _element("section", class_="rb-record-block", aria_labelledby=f"{ident}-rubrik")
    heading, meta = _heading_and_meta(cells[0], ident)
    block.append(heading)
    first_number = next((i for i, header in enumerate(headers) if "rb-num" in _classes(header)), len(headers))
    meta = meta if meta is not None else _element("p", class_="rb-record-meta")
    values = _element("tbody")
    for position, (header, cell) in enumerate(zip(headers, cells, strict=True)):
        if position == 0:
            continue
        label = _text(header)
        if position < first_number:
            item = _element("span", f"{label}: ", class_="rb-record-meta-item")
            meta.append(_move_children(cell, item))
        else:
            row = _element("tr")
            row.append(_element("th", label, scope="row", class_="rb-text"))
            row.append(_move_children(cell, _element("td", class_=" ".join(sorted(_classes(header))))))
            values.append(row)
    if len(meta) or _text(meta):
        block.append(meta)
    body = _element("div", class_="rb-record-body")
    table = _element("table", class_="rb-table rb-record-values", id=f"{ident}-varden")
    table.append(values)
    body.append(table)
    if figure is not None:
        for caption in figure.xpath("./figcaption"):
            figure.remove(caption)  # the block's heading names the row already: said once, not twice
        body.append(figure)
    block.append(body)
    if detail is not None:
        block.append(_detail_paragraph(detail))
    return block


def _as_record_blocks(table: Element) -> None:
    """Replace a wide table (and its chart grid, when it has one chart per row) by record blocks."""
    headers, records = _header_cells(table), _records(table)
    if not headers or records is None or any(len(cells) != len(headers) for cells, _ in records):
        return  # a table with spans is left as the web shows it
    wrapper = _wrapper(table)
    grid = _following_chart_grid(wrapper)
    figures = grid.xpath("./figure") if grid is not None else []
    if len(figures) != len(records):
        figures = []
    group = _element("div", class_="rb-record-group")
    captions = table.xpath("./caption")
    if captions:
        group.append(_move_children(captions[0], _element("p", class_="rb-record-caption")))
    # The first column's header (e.g. "Indikator (nivå)") is left out: above the blocks it was a lone
    # header row (issue 28); each block's heading names its row.
    ident = table.get("id") or "tabell"
    for number, (cells, detail) in enumerate(records, start=1):
        figure = figures[number - 1] if figures else None
        group.append(_record_block(headers, cells, detail, f"{ident}-{number}", figure))
    wrapper.getparent().replace(wrapper, group)
    if figures and grid is not None and len(grid) == 0:
        grid.getparent().remove(grid)


def _data_files_note(table: Element) -> None:
    """Replace the per-file checksums by where to find them; the count comes from the table."""
    count = len(_body_rows(table))
    note = _element(
        "p",
        f"Kontrollsummor (SHA-256) och antal rader för var och en av årets {count} datafiler finns på "
        f"sidan {ABOUT_WEB_PAGE} i webbversionen av rapporten. Fingeravtrycket för alla datafiler "
        "tillsammans står i kolofonen efter försättsbladet.",
        class_="rb-print-note",
    )
    wrapper = _wrapper(table)
    wrapper.getparent().replace(wrapper, note)


def reflow_for_print(fragment: str) -> str:
    """`fragment` (a chapter's HTML) arranged for A4; see the module docstring for what changes."""
    if "<table" not in fragment and "<details" not in fragment:
        return fragment
    container = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for details in container.xpath("//details[contains(concat(' ', @class, ' '), ' rb-chart-data ')]"):
        details.drop_tree()  # the web's data table behind a chart; in the PDF the figure's alt text says it
    for table in container.xpath("//table[contains(concat(' ', @class, ' '), ' rb-table ')]"):
        if table.get("id") == DATA_FILES_TABLE:
            _data_files_note(table)
        elif len(_header_cells(table)) >= WIDE_TABLE_COLUMNS:
            _as_record_blocks(table)
    text = container.text or ""
    return text + "".join(lxml_html.tostring(child, encoding="unicode", method="html") for child in container)
