"""The print edition a council secretary can send (issue 28): it opens with the year in brief, its
contents go down to the sections, a section heading never starts in a page's bottom 15 %, and a
record's long comment may follow it onto the next page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from rapportbok.pdf.document import print_document
from rapportbok.pdf.structure import check_pdf_ua
from rapportbok.pdf.typst.convert import Converter, convert
from rapportbok.pdf.typst.document import report_edition, typst_source
from rapportbok.pdf.typst.from_html import edition_from_html
from rapportbok.pdf.typst.writer import write_typst_pdf
from tests.unit.pdf.typst_book import chapters, report

BRIEF = (
    '<section class="rb-year-brief" aria-labelledby="aret-i-korthet"><h2 id="aret-i-korthet">Året i korthet'
    '</h2><ul class="rb-key-figures"><li><a class="rb-key-figure" href="#andra">'
    '<span class="rb-key-value">13 av 18</span><span class="rb-key-label">mål &lt;b&gt;uppfyllda</span>'
    '<span class="rb-key-note">5 bedöms inte uppfyllda</span>'
    '<span class="rb-key-note rb-key-change">jämfört med 2023: 12 av 18</span></a></li>'
    '<li><a class="rb-key-figure" href=""><span class="rb-key-value">3,8 %</span>'
    '<span class="rb-key-label">sjukfrånvaro</span></a></li></ul></section>'
)
RECORD = (
    '<section class="rb-record-block"><h4 id="r1">Indikator ett (KF)</h4>'
    '<div class="rb-record-body"><table class="rb-table rb-record-values"><tbody><tr>'
    '<th scope="row" class="rb-text">Utfall 2024</th><td class="rb-num">1,0</td></tr></tbody></table></div>'
    '<p class="rb-record-detail"><span class="rb-detail-label">Senaste kommentar:</span> Lång text.</p>'
    "</section>"
)


def test_the_pdf_opens_with_the_year_in_brief_and_lists_every_section(tmp_path: Path) -> None:
    """Cover, colophon, then "Året i korthet" (each figure's lines, data escaped), then the contents with
    the chapters' sections; still a tagged PDF/UA-1 file."""
    edition = replace(report_edition(report(tmp_path), chapters(), tmp_path), year_brief=BRIEF)
    document = typst_source(edition)
    assert document.source.count("rb-contents-section(<") == 2  # "En lista", "Diagram"
    written = write_typst_pdf(document, tmp_path / "bok.pdf")
    assert check_pdf_ua(written) == []
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(written).pages]
    brief = pages[2]
    for line in ("Året i korthet", "13 av 18", "mål <b>uppfyllda", "jämfört med 2023: 12 av 18", "3,8 %"):
        assert line in brief, line
    assert "Innehåll" in pages[3] and "En lista" in pages[3] and "Diagram" in pages[3]


def test_the_print_document_carries_the_year_in_brief_to_the_pdf_child(tmp_path: Path) -> None:
    """The PDF child reads the year in brief back from the print document as the build made it."""
    html = print_document(report(tmp_path), chapters(), tmp_path).replace(
        '<nav class="rb-toc"', BRIEF + '<nav class="rb-toc"'
    )
    assert edition_from_html(html).year_brief.startswith('<section class="rb-year-brief"')


def test_a_section_heading_gets_room_and_a_heading_placed_whole_none() -> None:
    """Before a section heading an unbreakable block as tall as the bottom 15 % of a page; a record's
    heading moves with its record, which is never split."""
    converter = Converter({"x", "r1"})
    assert convert('<h2 id="x">Avsnitt</h2><p>Text.</p>', converter).startswith("#rb-heading-room\n#heading")
    assert "#rb-heading-room" not in convert(RECORD, Converter({"r1"}))


def test_a_records_comment_follows_its_block_and_may_go_to_the_next_page() -> None:
    """The record (heading, values, chart) is one unbreakable block; its comment comes after it."""
    source = convert(RECORD, Converter({"r1"}))
    block, comment = source.split("#rb-record-comment[", 1)
    assert block.startswith("#rb-record-block(below: 0mm)[") and "Lång text" not in block
    assert "Senaste kommentar:" in comment and "Lång text." in comment
