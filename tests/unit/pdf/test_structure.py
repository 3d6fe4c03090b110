"""The PDF/UA-1 checks: the Typst edition of a small tagged document passes, and each condition fails
when the file breaks it."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from rapportbok.exceptions import PdfError
from rapportbok.pdf.document import PrintChapter, print_document
from rapportbok.pdf.structure import check_pdf_ua
from rapportbok.pdf.typst.from_html import write_pdf
from tests.unit.pdf.typst_book import report

SVG = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40pt" height="20pt"><rect width="40" height="20"/>'
    b'<text x="2" y="14" font-size="8">5</text></svg>'
).decode()
GOOD = (
    '<h1 id="start">Rapport</h1><h2 id="innehall">Innehåll</h2><p><a href="#tabell">Till tabellen</a></p>'
    f'<figure><img src="data:image/svg+xml;base64,{SVG}" alt="Ett diagram med värdet 5"></figure>'
    '<h2 id="tabell">Tabell</h2><h3 id="detaljer">Detaljer</h3>'
    "<table><caption>Värden</caption>"
    "<thead><tr><th scope='col'>Post</th><th scope='col'>Belopp</th></tr></thead><tbody>"
    "<tr><th scope='row'>Intäkter</th><td>10</td></tr><tr><th scope='row'>Kostnader</th><td>-8</td></tr>"
    "</tbody></table>"
)


def _document(body: str) -> str:
    """The print document (cover, colophon, contents) of one chapter whose HTML is `body`."""
    root = Path("/finns-inte")
    return print_document(report(root), [PrintChapter("Rapport", "start", body)], root, "", "2025-02-03")


def _write(body: str, target: Path) -> Path:
    return write_pdf(_document(body), target, base_url=target.parent)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(GOOD, tmp_path_factory.mktemp("pdf") / "bra.pdf")


def _annotated_page(pdf: pikepdf.Pdf) -> pikepdf.Page:
    return next(page for page in pdf.pages if page.get("/Annots"))


def _rules(path: Path) -> set[str]:
    return {problem.rule for problem in check_pdf_ua(path)}


def _edited(good: Path, target: Path, edit: Callable[[pikepdf.Pdf], None]) -> Path:
    with pikepdf.open(good) as pdf:
        edit(pdf)
        pdf.save(target)
    return target


def test_a_tagged_document_with_header_table_link_and_figure_passes(good: Path) -> None:
    assert check_pdf_ua(good) == []


def test_running_header_and_page_numbers_are_pagination_artifacts(good: Path) -> None:
    """The margin text of a chapter page (header, footer with the page number) is marked as
    pagination artifacts, outside the structure tree."""
    with pikepdf.open(good) as pdf:
        marks = [
            operands[1].get("/Subtype")
            for operands, _ in pikepdf.parse_content_stream(pdf.pages[-1], "BDC")
            if operands[0] == pikepdf.Name.Artifact and operands[1].get("/Type") == pikepdf.Name.Pagination
        ]
    assert marks == [pikepdf.Name.Header, pikepdf.Name.Footer]


def test_table_headers_get_the_scope_of_their_html(good: Path) -> None:
    """Column headers in the head, row headers in the body."""
    with pikepdf.open(good) as pdf:
        scopes = [
            str(attributes.Scope)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.TH
            for attributes in obj.A
            if attributes.get("/O") == pikepdf.Name.Table
        ]
    assert sorted(scopes) == ["/Column", "/Column", "/Row", "/Row"]


def test_a_link_around_spans_is_one_link_element_with_a_description(tmp_path: Path) -> None:
    """A link whose text is in spans is one Link element with one described annotation."""
    body = '<h1 id="a">Rapport</h1><p><a href="#a"><span>13 av 18</span> <span>mål uppfyllda</span></a></p>'
    path = _write(body, tmp_path / "spann.pdf")
    assert check_pdf_ua(path) == []
    with pikepdf.open(path) as pdf:
        annotations = _annotated_page(pdf).Annots
        assert len(annotations) == 1 and str(annotations[0].Contents)


def test_a_link_is_described(good: Path) -> None:
    """PDF/UA-1 wants a description in /Contents, never the bare target."""
    with pikepdf.open(good) as pdf:
        descriptions = [str(a.Contents) for a in _annotated_page(pdf).Annots]
    assert descriptions and all(text and "#" not in text for text in descriptions)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('<h1 id="a">Rapport</h1><img src="data:image/svg+xml;base64,' + SVG + '">', "alt"),
        ('<h1 id="a">Rapport</h1><h3 id="b">För djup</h3>', "heading levels must be consecutive"),
    ],
)
def test_what_the_html_gets_wrong_is_refused_by_typst(tmp_path: Path, body: str, reason: str) -> None:
    """An image without alt text and a skipped heading level break PDF/UA-1: Typst's own enforcement
    refuses the document (the check's rules `figur` and `rubriker` catch them in a written file)."""
    with pytest.raises(PdfError, match=f"Typst kunde inte sätta PDF-versionen: PDF/UA-1 error: .*{reason}"):
        _write(body, tmp_path / "fel.pdf")


def _drop_display_title(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def _drop_ua_identifier(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        del metadata["pdfuaid:part"]


def _unlink_annotation(pdf: pikepdf.Pdf) -> None:
    del _annotated_page(pdf).Annots[0].StructParent


def _rename_bookmark(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Outlines.First.Title = pikepdf.String("Något annat")


def _drop_tab_order(pdf: pikepdf.Pdf) -> None:
    del _annotated_page(pdf).obj.Tabs


def _drop_mark_info(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.MarkInfo


def _drop_alt(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.Figure:
            del obj.Alt


def _drop_scope(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.TH:
            for attributes in obj.A:
                if "/Scope" in attributes:
                    del attributes.Scope
            return


def _paint_untagged(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[1]
    page.Contents = pdf.make_stream(page.Contents.read_bytes() + b"\n0 0 10 10 re f\n")


def _drop_tree(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.StructTreeRoot


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (_drop_display_title, "titel"),
        (_drop_ua_identifier, "pdfua"),
        (_unlink_annotation, "lank"),
        (_rename_bookmark, "bokmarken"),
        (_drop_tab_order, "flikordning"),
        (_drop_mark_info, "struktur"),
        (_drop_alt, "figur"),
        (_drop_scope, "tabellhuvud"),
        (_paint_untagged, "artefakt"),
        (_drop_tree, "struktur"),
    ],
)
def test_each_condition_fails_when_the_file_breaks_it(
    good: Path, tmp_path: Path, edit: Callable[[pikepdf.Pdf], None], rule: str
) -> None:
    problems = check_pdf_ua(_edited(good, tmp_path / "trasig.pdf", edit))
    assert rule in {p.rule for p in problems}, problems
    assert all(str(p).startswith(f"{p.rule}: ") for p in problems)


def test_the_same_html_gives_the_same_bytes(good: Path, tmp_path: Path) -> None:
    """The retagged row headers keep the PDF reproducible."""
    again = _write(GOOD, tmp_path / "igen.pdf")
    assert again.read_bytes() == good.read_bytes()


def test_a_file_that_is_not_changed_by_saving_is_still_checked(good: Path) -> None:
    """The checks read the saved file, not the writer's objects: a plain re-save keeps it passing."""
    buffer = io.BytesIO()
    with pikepdf.open(good) as pdf:
        pdf.save(buffer)
    buffer.seek(0)
    copy = good.with_name("kopia.pdf")
    copy.write_bytes(buffer.getvalue())
    assert check_pdf_ua(copy) == []
