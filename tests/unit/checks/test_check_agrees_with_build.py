"""`check` accepts exactly what the build accepts (issue 24, item 6).

Each repro where `check` passed and the build then failed is fed to `check`'s validation and to the
build's own acceptance step: the PDF child (`build.pdf_process.main`, which fails on anything Typst
could not draw or load), the cover (`pdf.cover.cover_html`) and the page (`markdown_to_html`). Both
accept, or both refuse with the same reason.
"""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from rapportbok.checks.hostile import LINK_NOT_A_CHAPTER
from rapportbok.core.book import BookId
from rapportbok.data.images import read_image, svg_problem
from rapportbok.data.load import book_of
from rapportbok.data.metadata import read_metadata
from rapportbok.data.report import Metadata, Report
from rapportbok.exceptions import PdfError, RefusedFile
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.pdf.cover import cover_html
from rapportbok.pdf.document import PrintChapter, print_document
from rapportbok.pdf.structure import check_pdf_ua
from rapportbok.pdf.verify import figures_in_document, verify_pdf
from rapportbok.pipeline.processes.pdf_process import main as write_pdf_child

META = Metadata(
    organisation="Kommunstyrelsekontoret", kommun="Norrtälje kommun", year=2024, period_end=date(2024, 12, 31)
)
SHOWN = "data/kommunstyrelsekontoret/2024/rapport.yml"
FAILED = 2  # the PDF child's exit status when the writer refuses the document
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">{}<rect width="40" height="20"/></svg>'


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """A project with one year folder (data/<org>/2024/) and no tables: enough for rapport.yml."""
    folder = tmp_path / "project/data/kommunstyrelsekontoret/2024"
    folder.mkdir(parents=True)
    return folder


def _year_report(root: Path) -> Report:
    """A report of the 2024 book in the project `root`, its year folder made (empty)."""
    book = BookId("kommunstyrelsekontoret", 2024, root)
    book.year_dir.mkdir(parents=True)
    return Report(META, book)


def _check_logo(folder: Path, name: str, content: bytes) -> list[str]:
    """What `check` says about rapport.yml with `logotyp: name` (the metadata reader check runs)."""
    (folder / name).write_bytes(content)
    (folder / "rapport.yml").write_text(
        "organisation: Kommunstyrelsekontoret\nkommun: Norrtälje kommun\nar: 2024\n"
        f"period_slut: 2024-12-31\nlogotyp: {name}\n",
        encoding="utf-8",
    )
    meta, problems = read_metadata(book_of(2024, folder.parent))
    assert meta is None or not problems
    return [str(problem) for problem in problems]


def _build_logo(folder: Path, name: str) -> str:
    """What the build's cover says about the same logo (it is drawn from the year's rapport.yml)."""
    root = folder.parent.parent.parent
    try:
        cover_html(replace(META, logo=folder / name), root)
    except PdfError as error:
        return str(error)
    return ""


def _with_logo(folder: Path, name: str, content: bytes) -> str:
    """A print document whose cover logo is `content`, as if the cover had embedded it unchecked: a
    valid logo of the same kind is embedded, then its bytes are replaced."""
    valid = PNG if name.endswith(".png") else SVG.format("").encode()
    (folder / name).write_bytes(valid)
    report = Report(replace(META, logo=folder / name), book_of(2024, folder.parent))
    document = _print_document(report, "Text.\n", folder.parent.parent.parent)
    encode = base64.b64encode
    assert encode(valid).decode() in document
    return document.replace(encode(valid).decode(), encode(content).decode())


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "logo.svg",
            SVG.format('<style>@import "https://example.org/x.css";</style>').encode(),
            "är ingen giltig svg-fil: filen har @import i en stil",
        ),
        ("logo.png", PNG[:8], "är ingen giltig png-fil: filen kan inte läsas som bild"),
        ("logo.png", PNG[:40], "är ingen giltig png-fil: filen kan inte läsas som bild"),  # cut short
        ("logo.jpg", PNG, "är ingen giltig jpg-fil: filen kan inte läsas som bild"),  # a PNG named .jpg
    ],
)
def test_a_logo_the_cover_cannot_draw_is_refused_by_check_with_the_same_reason(
    year: Path, name: str, content: bytes, reason: str
) -> None:
    """Repro: a logo SVG with <style>@import …>, a "PNG" that is only the 8-byte signature. check and the
    cover refuse it with the same reason; drawn anyway, the PDF child fails on the PNG."""
    problems = _check_logo(year, name, content)
    assert len(problems) == 1 and problems[0].startswith(f'{SHOWN}, rad 5, kolumn "logotyp": ')
    assert reason in problems[0]
    refused = _build_logo(year, name)
    assert refused.startswith(f"Logotypen data/kommunstyrelsekontoret/2024/{name}: ") and reason in refused
    if name != "logo.jpg":  # a PNG named .jpg is drawn (as a PNG): check refuses the misleading name
        # Typst reads no stylesheet an SVG imports (nothing is fetched) and draws the rest; a PNG it
        # cannot decode stops it, and the child fails.
        expected = 0 if name.endswith(".svg") else FAILED
        assert _pdf_child(_with_logo(year, name, content), year) == expected


def test_a_logo_check_accepts_is_drawn_on_the_cover(year: Path) -> None:
    for name, content in (("logo.png", PNG), ("logo.svg", SVG.format("").encode())):
        assert _check_logo(year, name, content) == []
        assert _build_logo(year, name) == ""
        report = Report(replace(META, logo=year / name), book_of(2024, year.parent))
        document = _print_document(report, "Text.\n", year.parent.parent.parent)
        assert 'class="rb-cover-logo"' in document
        assert _pdf_child(document, year) == 0


@pytest.mark.parametrize(
    ("inside", "reason"),
    [
        ("<script>alert(1)</script>", "ett <script>-element"),
        ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', "<foreignObject>"),
        ('<image href="file:///etc/passwd"/>', "hänvisar till 'file:///etc/passwd'"),
        (
            '<image xmlns:x="http://www.w3.org/1999/xlink" x:href="https://example.org/a.png"/>',
            "hänvisar till",
        ),
        ('<use href="annan.svg#a"/>', "hänvisar till 'annan.svg#a'"),
        ('<rect style="fill: url(https://example.org/a)"/>', "i en stil"),
        ("<style>rect { fill: url(other.svg#g) }</style>", "i en stil"),
        ("<style>@IMPORT 'x.css';</style>", "@import"),
        ("<style>@\\69mport 'x.css';</style>", "bakåtsnedstreck"),
        ('<rect onload="alert(1)"/>', "attributet onload"),
        ("<?xml-stylesheet href='x.css'?>", "processinstruktion"),
        (
            f'<image href="data:image/png;base64,{base64.b64encode(PNG[:8]).decode()}"/>',
            "inbäddad bild som inte går att rita",
        ),
        ('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>', "hänvisar till 'data:image/svg+xml"),
    ],
)
def test_an_svg_that_would_fetch_or_run_anything_is_refused(inside: str, reason: str) -> None:
    assert reason in (svg_problem(SVG.format(inside).encode()) or "")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("&a;").encode(), "DOCTYPE eller ENTITY"),
        (b"<html><body/></html>", "rotelementet ska vara <svg> med SVG:s xmlns"),
        (b"<svg><rect/></svg>", "rotelementet ska vara <svg> med SVG:s xmlns"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", "ingen välformad XML"),
    ],
)
def test_an_svg_with_entities_or_that_is_no_svg_is_refused(content: bytes, reason: str) -> None:
    assert reason in (svg_problem(content) or "")


def test_an_svg_that_refers_only_to_itself_is_accepted() -> None:
    gradient = '<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>'
    embedded = f'<image href="data:image/png;base64,{base64.b64encode(PNG).decode()}" width="1" height="1"/>'
    assert svg_problem(SVG.format(gradient + embedded).encode()) is None


@pytest.mark.parametrize(
    ("size", "reason"),
    [((20_000, 20_000), "bilden är för stor"), ((12_000, 1), "bilden är 12000 × 1 bildpunkter")],
)
def test_a_png_of_absurd_size_is_refused_before_it_is_decoded(
    tmp_path: Path, size: tuple[int, int], reason: str
) -> None:
    """A decompression bomb (a small file that decodes to gigabytes) never reaches the PDF writer."""
    from PIL import Image as Pillow

    buffer = io.BytesIO()
    Pillow.new("1", size).save(buffer, format="PNG")
    (tmp_path / "bomb.png").write_bytes(buffer.getvalue())
    with pytest.raises(RefusedFile, match=reason):
        read_image(tmp_path / "bomb.png", "bomb.png", within=tmp_path)


def _pdf_child(document: str, folder: Path) -> int:
    """The build's acceptance step for the print edition: the PDF child's exit status and, when it
    wrote the PDF, the parent's verification (every figure drawn) and the PDF/UA structure of links."""
    source = folder / "print.html"
    source.write_text(document, encoding="utf-8")
    status = write_pdf_child([str(source), str(folder / "bok.pdf"), str(folder)])
    if status == 0:
        verify_pdf(folder / "bok.pdf", figures_in_document(document))
        assert [p for p in check_pdf_ua(folder / "bok.pdf") if p.rule == "lank"] == []
    return status


def _print_document(report: Report, markdown: str, root: Path) -> str:
    """The print document of one chapter showing `markdown` as a narrative text (as the views do)."""
    heading = '<h1 id="kapitel-tjanstegarantier">Tjänstegarantier</h1><h2 id="inforande">Införande</h2>'
    body = heading + markdown_to_html(markdown, report)
    chapter = PrintChapter("Tjänstegarantier", "kapitel-tjanstegarantier", body)
    return print_document(report, [chapter], root)


def test_a_link_to_a_missing_anchor_passes_check_and_the_print_edition(tmp_path: Path) -> None:
    """Repro: `[x](#finns-inte)`. check cannot know every id the views give a page, so the build accepts
    the link as the site does (it leaves the reader on the page): the print edition makes it plain text."""
    from rapportbok.checks.hostile import link_problems

    report = _year_report(tmp_path)
    markdown = "Se [avsnittet](#inforande), [x](#finns-inte) och [y](ekonomi.html#finns-inte).\n"
    assert link_problems(markdown, "text.md", report) == []
    document = _print_document(report, markdown, tmp_path)
    assert 'href="#inforande"' in document and "#finns-inte" not in document
    assert _pdf_child(document, tmp_path) == 0
    unresolved = document.replace('<a href="#inforande">', '<a href="#finns-inte">')
    assert _pdf_child(unresolved, tmp_path) == 0  # the Typst edition sets it as text too


def test_an_image_of_the_year_passes_check_and_is_drawn_in_the_print_edition(tmp_path: Path) -> None:
    """An image check accepts is embedded (a data: URL) and drawn; nothing is fetched."""
    from rapportbok.checks.hostile import link_problems

    report = _year_report(tmp_path)
    (report.year_dir / "bilder").mkdir()
    (report.year_dir / "bilder/diagram.png").write_bytes(PNG)
    (report.year_dir / "bilder/figur.svg").write_text(SVG.format(""), encoding="utf-8")
    markdown = "![Diagram](bilder/diagram.png)\n\n![Figur](bilder/figur.svg)\n"
    assert link_problems(markdown, "text.md", report) == []
    document = _print_document(report, markdown, tmp_path)
    assert document.count('src="data:image/') == 2 and "bilder/" not in document
    assert _pdf_child(document, tmp_path) == 0


def test_a_chapter_that_shows_an_image_notes_it_among_its_reads(tmp_path: Path) -> None:
    """The image is part of the chapter's inputs: when the file changes, the chapter runs again."""
    from rapportbok.data.tracking import ReadRecorder, recorded_reads

    report = replace(_year_report(tmp_path), reads=ReadRecorder(tmp_path / "reads.log"))
    (report.year_dir / "bilder").mkdir()
    (report.year_dir / "bilder/diagram.png").write_bytes(PNG)
    markdown_to_html("![Diagram](bilder/diagram.png)\n", report)
    assert recorded_reads(tmp_path / "reads.log") == [(report.year_dir / "bilder/diagram.png").resolve()]


def test_a_remote_image_is_refused_by_check_and_never_reaches_the_print_edition(tmp_path: Path) -> None:
    """Repro: an https:// image. It is refused (the book shows only what it holds), and a page that
    shows it anyway shows its alt text, so the print edition would not try to fetch it."""
    from rapportbok.checks.hostile import link_problems

    report = _year_report(tmp_path)
    markdown = "![Karta](https://www.norrtalje.se/karta.png)\n"
    problems = [str(problem) for problem in link_problems(markdown, "text.md", report)]
    assert len(problems) == 1
    assert problems[0].startswith('text.md, rad 1: bilden "https://www.norrtalje.se/karta.png" hämtas från')
    document = _print_document(report, markdown, tmp_path)
    assert "norrtalje.se/karta.png" not in document and "Karta" in document
    assert _pdf_child(document, tmp_path) == 0


def test_a_link_to_a_chapter_the_year_leaves_out_is_refused_by_check_and_shown_as_text(
    project_copy: Path,
) -> None:
    """The page and check apply the same `link_problem`: a chapter missing from this year's book is no
    page to link to; a chapter the book has is."""
    from rapportbok.checks.hostile import link_problems

    folder = project_copy / "data/kommunstyrelsekontoret/2024"
    report = Report(replace(META, left_out_chapters=("tjanstegarantier",)), book_of(2024, folder.parent))
    left_out = "Se [garantierna](tjanstegarantier.html#inforande).\n"
    found = link_problems(left_out, "text.md", report)
    assert [problem.code for problem in found] == [LINK_NOT_A_CHAPTER]
    assert "pekar på sidan tjanstegarantier.html, som inte är ett kapitel" in str(found[0])
    assert "<a " not in markdown_to_html(left_out, report)
    kept = "Se [driften](ekonomi.html#driftredovisning).\n"
    assert link_problems(kept, "text.md", report) == []
    assert '<a href="ekonomi.html#driftredovisning">' in markdown_to_html(kept, report)
