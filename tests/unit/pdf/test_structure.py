"""The PDF/UA-1 checks: a small tagged document passes, and each condition fails when it is broken."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from rapportbok.pdf.document import bookmark_rules
from rapportbok.pdf.structure import check_pdf_ua
from rapportbok.pdf.writer import PDF_VARIANT, write_pdf

SVG = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40pt" height="20pt"><rect width="40" height="20"/>'
    b'<text x="2" y="14" font-size="8">5</text></svg>'
).decode()
STYLE = f"""
@page {{ size: A5; margin: 20mm 15mm;
  @top-left {{ content: string(title); font-size: 8pt; }}
  @bottom-right {{ content: "Sida " counter(page) " av " counter(pages); font-size: 8pt; }} }}
h1 {{ string-set: title content(text); }}
.next {{ break-before: page; }}
{bookmark_rules()}
"""


def _document(body: str, lang: str = ' lang="sv"') -> str:
    head = f"<meta charset='utf-8'><title>Prov</title><style>{STYLE}</style>"
    return f"<!DOCTYPE html><html{lang}><head>{head}</head><body>{body}</body></html>"


GOOD = _document(
    '<h1 id="start">Rapport</h1><h2>Innehåll</h2><p><a href="#tabell">Till tabellen</a></p>'
    f'<figure><img src="data:image/svg+xml;base64,{SVG}" alt="Ett diagram med värdet 5"></figure>'
    '<h2 class="next" id="tabell">Tabell</h2><h3>Detaljer</h3>'
    "<table><caption>Värden</caption>"
    "<thead><tr><th scope='col'>Post</th><th scope='col'>Belopp</th></tr></thead><tbody>"
    "<tr><th scope='row'>Intäkter</th><td>10</td></tr><tr><th scope='row'>Kostnader</th><td>-8</td></tr>"
    "</tbody></table>"
)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(GOOD, tmp_path_factory.mktemp("pdf") / "bra.pdf", base_url=Path.cwd())


def _rules(path: Path) -> set[str]:
    return {problem.rule for problem in check_pdf_ua(path)}


def _edited(good: Path, target: Path, edit: Callable[[pikepdf.Pdf], None]) -> Path:
    with pikepdf.open(good) as pdf:
        edit(pdf)
        pdf.save(target)
    return target


def test_a_tagged_document_with_header_table_link_and_figure_passes(good: Path) -> None:
    assert check_pdf_ua(good) == []


def test_weasyprints_own_output_fails_on_margin_text_table_headers_and_links(tmp_path: Path) -> None:
    """Without rapportbok's repairs: running header and page numbers are neither artifact nor in the tree,
    TH cells have no Scope and links are described by their target; the check sees all three."""
    from weasyprint import HTML

    raw = tmp_path / "weasyprint.pdf"
    raw.write_bytes(HTML(string=GOOD).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True))
    problems = check_pdf_ua(raw)
    assert {p.rule for p in problems} == {"artefakt", "tabellhuvud", "lank"}
    assert any("Sida 1 av 2" in p.message for p in problems if p.rule == "artefakt")


def test_the_repaired_file_marks_margin_text_as_pagination_artifacts(good: Path) -> None:
    with pikepdf.open(good) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert content.count(b"/Artifact <</Type /Pagination>> BDC") == 2  # running title, page number


def test_table_headers_get_the_scope_of_their_html(good: Path) -> None:
    """Column headers in the head, row headers in the body."""
    with pikepdf.open(good) as pdf:
        scopes = [
            str(obj.A.Scope)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.TH
        ]
    assert sorted(scopes) == ["/Column", "/Column", "/Row", "/Row"]


def test_a_link_around_spans_is_one_link_element_with_its_text(tmp_path: Path) -> None:
    """WeasyPrint files a link's annotation under a <span> inside it; after the repair it is the Link's."""
    body = '<h1 id="a">Rapport</h1><p><a href="#a"><span>13 av 18</span> <span>mål uppfyllda</span></a></p>'
    path = write_pdf(_document(body), tmp_path / "spann.pdf", base_url=Path.cwd())
    assert check_pdf_ua(path) == []
    with pikepdf.open(path) as pdf:
        assert {str(a.Contents) for a in pdf.pages[0].Annots} == {"13 av 18 mål uppfyllda"}


def test_a_link_is_described_by_its_text(good: Path) -> None:
    with pikepdf.open(good) as pdf:
        assert [str(a.Contents) for a in pdf.pages[0].Annots] == ["Till tabellen"]


@pytest.mark.parametrize(
    ("body", "lang", "rule"),
    [
        ('<h1>Rapport</h1><img src="data:image/svg+xml;base64,' + SVG + '">', ' lang="sv"', "figur"),
        ("<h1>Rapport</h1><h3>För djup</h3>", ' lang="sv"', "rubriker"),
        ("<h2>Ingen H1 först</h2>", ' lang="sv"', "rubriker"),
        ("<h1>Rapport</h1>", "", "sprak"),
    ],
)
def test_what_the_html_gets_wrong_is_found(tmp_path: Path, body: str, lang: str, rule: str) -> None:
    """An image without alt text, a skipped heading level, a document without language."""
    assert rule in _rules(write_pdf(_document(body, lang), tmp_path / "fel.pdf", base_url=Path.cwd()))


def _drop_display_title(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def _drop_ua_identifier(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        del metadata["pdfuaid:part"]


def _unlink_annotation(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Annots[0].StructParent


def _rename_bookmark(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Outlines.First.Title = pikepdf.String("Något annat")


def _drop_tab_order(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].obj.Tabs


def _drop_mark_info(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.MarkInfo


def _drop_alt(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.Figure:
            del obj.Alt


def _drop_scope(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == pikepdf.Name.TH:
            del obj.A.Scope
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
    """The repairs keep the PDF reproducible."""
    again = write_pdf(GOOD, tmp_path / "igen.pdf", base_url=Path.cwd())
    assert again.read_bytes() == good.read_bytes()


def test_a_file_that_is_not_changed_by_saving_is_still_checked(good: Path) -> None:
    """The checks read the saved file, not WeasyPrint's objects: a plain re-save keeps it passing."""
    buffer = io.BytesIO()
    with pikepdf.open(good) as pdf:
        pdf.save(buffer)
    buffer.seek(0)
    copy = good.with_name("kopia.pdf")
    copy.write_bytes(buffer.getvalue())
    assert check_pdf_ua(copy) == []
