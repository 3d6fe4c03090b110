"""A written PDF is checked before it is published: complete, with pages, every figure drawn.

The figures are found in the PDF's structure tree (every Figure element) and each must paint
something with the marked content it owns, so the check reads only the saved file."""

from __future__ import annotations

import base64
from pathlib import Path

import pikepdf
import pytest

from rapportbok.exceptions import PdfError
from rapportbok.pdf.document import PrintChapter, print_document
from rapportbok.pdf.typst.from_html import write_pdf
from rapportbok.pdf.typst.headers import elements
from rapportbok.pdf.verify import figures_in_document, summarise_pdf, verify_pdf
from tests.unit.pdf.typst_book import report

CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<title>{title}</title><rect x="10" y="10" width="80" height="60" fill="#0b4f8a"/>'
    '<path d="M0 90 L200 10" stroke="#000"/><text x="10" y="95">{title}</text></svg>'
)


def _figure(title: str) -> str:
    image = base64.b64encode(CHART.format(title=title).encode()).decode()
    return (
        f'<figure class="rb-figure"><img src="data:image/svg+xml;base64,{image}" '
        f'alt="Diagram {title}"></figure>'
    )


def _document() -> str:
    """A print document whose one chapter has three charts, the last two on a page of their own
    (the chapters embed their charts as SVG data URLs)."""
    body = (
        '<h1 id="kapitel">Kapitel</h1>'
        f"{_figure('Ett')}<p>Text.</p>"
        '<h1 id="nasta">Nästa</h1>'
        f"{_figure('Två')}{_figure('Tre')}"
    )
    chapters = [PrintChapter("Kapitel", "kapitel", body.split('<h1 id="nasta">')[0])]
    chapters.append(PrintChapter("Nästa", "nasta", '<h1 id="nasta">' + body.split('<h1 id="nasta">')[1]))
    return print_document(report(Path("/finns-inte")), chapters, Path("/finns-inte"), "", "2025-02-03")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    return write_pdf(_document(), folder / "bok.pdf", base_url=folder)


def _without_painting(written: Path, target: Path, figure: int) -> Path:
    """A copy of `written` whose `figure`-th Figure element (from 0) owns marked content that paints
    nothing: what a writer that swallows an error while drawing a chart leaves behind."""
    with pikepdf.open(written) as pdf:
        element = elements(pdf.Root.StructTreeRoot, pikepdf.Name.Figure)[figure]
        page = pikepdf.Page(element.Pg)
        mcids = {int(kid) for kid in element.K if isinstance(kid, int)}
        kept, inside = [], []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name == "BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                inside.append(mcid is not None and int(mcid) in mcids)
            elif name == "BMC":
                inside.append(bool(inside and inside[-1]))
            elif name == "EMC":
                inside = inside[:-1]
            elif any(inside):
                continue  # the figure's drawing is dropped, its marks stay
            kept.append(pikepdf.ContentStreamInstruction(operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(target)
    return target


def test_it_counts_images_and_outermost_svgs_of_the_print_document() -> None:
    """Nested <svg> inside a chart is part of that chart, not a figure of its own."""
    assert figures_in_document(_document()) == 3
    assert figures_in_document("<svg><svg></svg></svg><img src=x><p>text</p>") == 2


def test_a_complete_pdf_passes(written: Path) -> None:
    """Pages and all three figures are found in the structure tree, each with something drawn."""
    summary = verify_pdf(written, expected_figures=3)
    assert summary.pages >= 4 and summary.figures == 3 and summary.empty_figures == []


def test_a_chart_whose_drawing_is_missing_is_found(tmp_path: Path, written: Path) -> None:
    """A Figure element whose marked content paints nothing (a drawing swallowed by the writer) is
    detected and its page named."""
    with pikepdf.open(written) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        last = pages[elements(pdf.Root.StructTreeRoot, pikepdf.Name.Figure)[2].Pg.objgen]
    broken = _without_painting(written, tmp_path / "bok.pdf", figure=2)
    assert summarise_pdf(broken).empty_figures == [last]
    with pytest.raises(PdfError, match=rf"1 av 3 diagram och bilder ritades inte \(sida {last}\)"):
        verify_pdf(broken, expected_figures=3)


def test_a_missing_figure_is_found(written: Path) -> None:
    """Fewer figures in the PDF than in the print document is an error."""
    with pytest.raises(PdfError, match="den har 3 diagram och bilder, utskriftsdokumentet 4"):
        verify_pdf(written, expected_figures=4)


def test_a_pdf_without_a_structure_tree_has_no_figures(tmp_path: Path, written: Path) -> None:
    """Untagged output (figures painted but not marked as Figure elements) fails the count."""
    with pikepdf.open(written) as pdf:
        del pdf.Root["/StructTreeRoot"]
        pdf.save(tmp_path / "otaggad.pdf")
    assert summarise_pdf(tmp_path / "otaggad.pdf").figures == 0
    with pytest.raises(PdfError, match="den har 0 diagram och bilder, utskriftsdokumentet 3"):
        verify_pdf(tmp_path / "otaggad.pdf", expected_figures=3)


def test_a_truncated_pdf_is_found(tmp_path: Path, written: Path) -> None:
    """A file cut anywhere before its end is not a PDF to publish."""
    for size in (10, len(written.read_bytes()) // 2, len(written.read_bytes()) - 200):
        cut = tmp_path / f"avkortad-{size}.pdf"
        cut.write_bytes(written.read_bytes()[:size])
        with pytest.raises(PdfError, match=r"avkortad|skadad|kan inte läsas"):
            verify_pdf(cut, expected_figures=3)


def test_a_pdf_without_pages_or_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="kan inte läsas"):
        verify_pdf(tmp_path / "saknas.pdf", expected_figures=0)
    empty = tmp_path / "tom.pdf"
    empty.write_text("inte en pdf\n%%EOF\n", encoding="utf-8")
    with pytest.raises(PdfError, match=r"kan inte läsas|skadad"):
        verify_pdf(empty, expected_figures=0)
