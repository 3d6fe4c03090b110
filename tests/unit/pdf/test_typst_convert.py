"""The print document's HTML as Typst source: what each construct becomes (without compiling)."""

from __future__ import annotations

from lxml import html as lxml_html

from rapportbok.pdf.typst.convert import Converter, column_widths, convert, document_ids, resolve_links

DETAIL_TABLE = (
    '<table class="rb-table" id="t"><caption>Uppdrag</caption><thead><tr><th scope="col">Uppdrag</th>'
    '<th scope="col">Status</th><th scope="col">Slutdatum</th></tr></thead><tbody>'
    '<tr class="rb-has-detail"><th scope="row">U1</th><td>Klar</td><td>2024-05-06</td></tr>'
    '<tr class="rb-detail"><td colspan="3"><span class="rb-detail-label">Senaste kommentar:</span> '
    "Ok</td></tr>"
    '<tr><th scope="row">U2</th><td>Pågår</td><td>2025-01-01</td></tr>'
    "</tbody></table>"
)


def _converted(html: str) -> tuple[str, Converter]:
    converter = Converter(document_ids([html]))
    return resolve_links(convert(html, converter), converter.placed), converter


def test_a_row_and_its_detail_row_are_kept_together() -> None:
    """The row header spans the detail row (a cell spanning rows is unbreakable), the detail takes
    the rest of the width; the row headers are recorded for retagging as TH /Row."""
    source, converter = _converted(DETAIL_TABLE)
    assert "table.cell(rowspan: 2)[" in source and "table.cell(colspan: 2" in source
    assert converter.row_headers == [[[True, False, False], [False], [True, False, False]]]


def test_a_short_table_is_never_split_and_keeps_its_caption() -> None:
    source, _ = _converted(DETAIL_TABLE)
    assert source.startswith("#block(breakable: false)[#figure(table(")
    assert 'caption: [#"Uppdrag"]) <rb-t>]' in source


def test_headings_are_bookmarked_to_the_second_level_and_links_resolved() -> None:
    html = (
        '<h2 id="a">A</h2><h3 id="b">B</h3><p><a href="#b">till B</a> <a href="#saknas">bort</a> '
        '<a href="https://example.org/">webb</a> <a href="../fil.html">fil</a></p>'
    )
    source, _ = _converted(html)
    assert '#heading(level: 2, outlined: false, bookmarked: true)[#"A"] <rb-a>' in source
    assert '#heading(level: 3, outlined: false, bookmarked: false)[#"B"] <rb-b>' in source
    assert '#link(<rb-b>)[#"till B"]' in source
    assert '#"bort"' in source and "saknas" not in source  # an anchor nothing carries: plain text
    assert '#link("https://example.org/")[#"webb"]' in source
    assert '#"fil"' in source and "fil.html" not in source  # a file on this machine: never linked


def test_number_columns_never_wrap_and_text_columns_share_the_rest() -> None:
    table = lxml_html.fragment_fromstring(DETAIL_TABLE)
    rows = table.xpath(".//tr")
    widths = [float(width.removesuffix("fr")) for width in column_widths(rows, 3)]
    assert widths[2] >= len("2024-05-06") + 2  # the longest word fits
    assert all(width > 0 for width in widths)
