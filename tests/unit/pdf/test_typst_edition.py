"""The Typst print edition of a small hand-made book: data text prints as itself, the structure a
reader and assistive technology need (headings, bookmarks, contents, tables, figures, links), the
running header and footer, the cover, the colophon and the draft flag, and embedded fonts."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from rapportbok.exceptions import PdfError
from rapportbok.pdf.document import print_document
from rapportbok.pdf.structure import check_pdf_ua, tagged_texts
from rapportbok.pdf.typst.document import typst_document, typst_source
from rapportbok.pdf.typst.from_html import edition_from_html, write_pdf
from rapportbok.pdf.typst.markup import label, literal, string
from rapportbok.pdf.typst.writer import compile_pdf, write_typst_pdf
from tests.unit.pdf.typst_book import ALT, HOSTILE, chapters, report


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typst")
    document = typst_document(
        report(root), chapters(), root, provenance="Byggd från commit abc123", created="2025-02-03"
    )
    return write_typst_pdf(document, root / "bok.pdf")


@pytest.fixture(scope="module")
def pages(built: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(built).pages]


def test_hostile_cell_text_prints_as_itself(built: Path) -> None:
    """A cell saying `#import`, `*x*`, `$`, `@ref`, `<lbl>`, a comment or a backslash is printed as
    written, whole, in its own header cell."""
    cells = [_squeezed(text) for text in tagged_texts(built, {"/TD", "/TH"})]
    for text in HOSTILE:
        assert _squeezed(text) in cells, text


def test_a_string_literal_escapes_only_what_a_typst_string_reads() -> None:
    assert string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
    assert literal("") == ""
    assert string("\x01x\x7f") == '"x"'  # control characters never reach the source


def test_labels_are_stable_and_distinct_for_any_id() -> None:
    assert label("mal-1-1") == "rb-mal-1-1"
    assert label("mål 1") == label("mål 1") != label("mål 2")
    assert label("mål 1").startswith("rb-x")


def test_the_small_book_meets_the_checkable_pdf_ua_conditions(built: Path) -> None:
    """Typst's own ua-1 enforcement passed (it compiled) and pdf/structure.py finds nothing."""
    assert [str(problem) for problem in check_pdf_ua(built)] == []


def test_title_language_and_bookmarks_of_two_levels(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        assert str(pdf.Root.Lang) == "sv"
        assert (
            str(pdf.docinfo.Title) == "Verksamhetsberättelse 2024 – Kommunstyrelsekontoret, Norrtälje kommun"
        )
        titles, item = [], pdf.Root.Outlines.First
        while item is not None:
            titles.append(str(item.Title))
            child = item.get("/First")
            while child is not None:
                titles.append("  " + str(child.Title))
                child = child.get("/Next")
            item = item.get("/Next")
    assert titles == [
        "Verksamhetsberättelse 2024",
        "  Om utgåvan",
        "  Innehåll",
        "Första kapitlet",
        "  En lista",
        "Andra kapitlet",
        "  Diagram",
    ]


def test_cover_colophon_and_contents_with_page_numbers(pages: list[str]) -> None:
    assert pages[0].startswith("Norrtälje kommun Verksamhetsberättelse 2024 Kommunstyrelsekontoret")
    assert "Perioden 1 januari–31 december 2024" in pages[0]
    assert "Om utgåvan" in pages[1] and "Byggd från commit abc123" in pages[1]
    assert "Innehåll" in pages[2]
    for title in ("Första kapitlet", "Andra kapitlet"):
        start = int(pages[2].split(title)[1].strip(" .").split()[0])
        assert title in pages[start - 1]


def test_running_header_and_page_numbers_from_the_contents_on(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages[2:], start=3):
        assert "Verksamhetsberättelse 2024" in text
        assert f"Kommunstyrelsekontoret · Norrtälje kommun Sida {number} av {total}" in text
    assert "Sida" not in pages[0] and "Sida" not in pages[1]


def test_tables_have_column_and_row_headers_with_scope_and_a_caption(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        scopes = []
        for element in _elements(pdf.Root.StructTreeRoot):
            if element.get("/S") == pikepdf.Name.TH:
                attributes = element.get("/A")
                attributes = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
                scopes += [
                    str(a.Scope) for a in attributes if isinstance(a, pikepdf.Dictionary) and "/Scope" in a
                ]
    assert sorted(scopes) == ["/Column"] * 2 + ["/Row"] * len(HOSTILE)  # the web's th scope="row" too
    assert "Fientligtabell" in [_squeezed(text) for text in tagged_texts(built, {"/Caption"})]


def _elements(node: object) -> list[pikepdf.Dictionary]:
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") not in (
            pikepdf.Name.MCR,
            pikepdf.Name.OBJR,
        ):
            if "/S" in item:
                found.append(item)
            if "/K" in item:
                stack.append(item.K)
    return found


def test_a_chart_is_a_figure_with_its_description_as_alt_text(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        alts = [
            str(e.get("/Alt", "")) for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"
        ]
    assert alts == [ALT]


def test_links_jump_inside_the_pdf_and_a_link_without_target_is_text(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        uris = [str(a.A.URI) for a in links if "/A" in a and "/URI" in a.A]
        internal = [a for a in links if "/Dest" in a or ("/A" in a and a.A.S == "/GoTo")]
    assert uris == ["https://example.org/"]
    # the contents' two chapters and their two sections, "länk till tabellen" and "första kapitlet";
    # none for "länk utan mål"
    assert len(internal) == 6


def test_a_draft_says_so_on_the_cover_and_every_page(tmp_path: Path) -> None:
    document = typst_document(report(tmp_path, draft=True), chapters(), tmp_path)
    texts = [
        page.extract_text() or "" for page in PdfReader(write_typst_pdf(document, tmp_path / "u.pdf")).pages
    ]
    assert all("UTKAST – uppgifter saknas ännu" in text for text in texts)


def test_fonts_are_dejavu_embedded(built: Path) -> None:
    """The family of the earlier WeasyPrint edition, embedded: from matplotlib's pinned files, never
    the host's."""
    with pikepdf.open(built) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                fonts[str(font.BaseFont)] = "/FontFile2" in descendant.FontDescriptor
    assert fonts and all("DejaVu" in name for name in fonts) and all(fonts.values()), fonts


def test_a_typst_error_is_a_swedish_pdf_error() -> None:
    with pytest.raises(PdfError, match="Typst kunde inte sätta PDF-versionen"):
        compile_pdf("#let x = (")


def test_the_print_document_gives_the_same_typst_source(tmp_path: Path) -> None:
    """`from_html.write_pdf` (what the build's PDF child calls) sets the very document the build
    made: read back from its HTML, the edition is the same Typst source, draft too."""
    for draft in (False, True):
        book = report(tmp_path, draft=draft)
        html = print_document(book, chapters(), tmp_path, "Byggd från commit abc123", "2025-02-03")
        direct = typst_document(book, chapters(), tmp_path, "Byggd från commit abc123", "2025-02-03")
        assert typst_source(edition_from_html(html)) == direct


def test_write_pdf_from_the_print_document_writes_a_verified_pdf(tmp_path: Path) -> None:
    html = print_document(report(tmp_path), chapters(), tmp_path, "Byggd från commit abc123", "2025-02-03")
    written = write_pdf(html, tmp_path / "bok.pdf", base_url=tmp_path)
    assert check_pdf_ua(written) == [] and len(PdfReader(written).pages) >= 4


def test_a_document_that_is_not_a_print_document_is_refused() -> None:
    with pytest.raises(PdfError, match="saknar försättsblad eller kolofon"):
        edition_from_html("<html><body><p>Hej</p></body></html>")


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_logo_is_drawn_on_the_cover_with_its_alt_text(tmp_path: Path, kind: str) -> None:
    """A PNG goes in as its bytes, an SVG as text; either is a tagged figure naming the municipality."""
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    )
    (tmp_path / f"logo.{kind}").write_bytes(png if kind == "png" else svg)
    book = replace(report(tmp_path), meta=replace(report(tmp_path).meta, logo=Path(f"logo.{kind}")))
    written = write_typst_pdf(typst_document(book, chapters(), tmp_path), tmp_path / "bok.pdf")
    with pikepdf.open(written) as pdf:
        alts = [
            str(e.get("/Alt", "")) for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"
        ]
    assert sorted(alts) == sorted([ALT, "Norrtälje kommuns logotyp"])
