"""A written PDF is checked before it is published: complete, with pages, every figure drawn."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from rapportbok.exceptions import PdfError
from rapportbok.pdf.verify import figures_in_document, summarise_pdf, verify_pdf
from rapportbok.pdf.writer import write_pdf

CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<title>{title}</title><rect x="10" y="10" width="80" height="60" fill="#0b4f8a"/>'
    '<path d="M0 90 L200 10" stroke="#000"/><text x="10" y="95">{title}</text></svg>'
)


def _document() -> str:
    """Three figures: two inline SVG charts and one image (an SVG data URI, as the chapters embed)."""
    image = base64.b64encode(CHART.format(title="Bild").encode()).decode()
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head><body>'
        f"<h1>Kapitel</h1><figure>{CHART.format(title='Ett')}</figure>"
        '<p style="break-before: page">Nästa sida</p>'
        f"<figure>{CHART.format(title='Två')}</figure>"
        f'<figure><img src="data:image/svg+xml;base64,{image}" alt="En bild"></figure>'
        "</body></html>"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(_document(), tmp_path_factory.mktemp("pdf") / "bok.pdf", base_url=Path.cwd())


def test_it_counts_images_and_outermost_svgs_of_the_print_document() -> None:
    """Nested <svg> inside a chart is part of that chart, not a figure of its own."""
    assert figures_in_document(_document()) == 3
    assert figures_in_document("<svg><svg></svg></svg><img src=x><p>text</p>") == 2


def test_a_complete_pdf_passes(written: Path) -> None:
    """Pages and all three figures are found, each with something drawn."""
    summary = verify_pdf(written, expected_figures=3)
    assert summary.pages == 2 and summary.figures == 3 and summary.empty_figures == []


def test_a_chart_whose_drawing_was_swallowed_is_found(tmp_path: Path, monkeypatch) -> None:
    """WeasyPrint catches an interrupt while drawing an SVG and writes the PDF anyway: the empty
    figure is detected and the page named."""
    import weasyprint.svg

    original = weasyprint.svg.SVG.draw
    calls = []

    def interrupted_second_draw(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # what SIGINT does in the middle of drawing
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", interrupted_second_draw)
    broken = write_pdf(_document(), tmp_path / "bok.pdf", base_url=Path.cwd())
    assert summarise_pdf(broken).empty_figures == [2]
    with pytest.raises(PdfError, match=r"1 av 3 diagram och bilder ritades inte \(sida 2\)"):
        verify_pdf(broken, expected_figures=3)


def test_a_missing_figure_is_found(written: Path) -> None:
    """Fewer figures in the PDF than in the print document is an error."""
    with pytest.raises(PdfError, match="den har 3 diagram och bilder, utskriftsdokumentet 4"):
        verify_pdf(written, expected_figures=4)


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
