"""The PDF: a report on A4 with cover, contents, every chapter, tagged and in Swedish."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

pytestmark = pytest.mark.e2e
PDF_NAME = "kommunstyrelsekontoret-verksamhetsberattelse-2024.pdf"
CHAPTERS = [
    "Sammanfattning",
    "Viktiga händelser och riskanalys",
    "Tjänstegarantier",
    "Mål, indikatorer, uppdrag och initiativ",
    "Måluppfyllelse per inriktningsmål",
    "Ekonomi",
    "Kommunen som arbetsgivare",
    "Om rapporten",
    "Tillgänglighetsredogörelse",
]


@pytest.fixture(scope="module")
def reader(built: Path) -> PdfReader:
    return PdfReader(built / "_build/2024/pdf" / PDF_NAME)


@pytest.fixture(scope="module")
def pages(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").replace("\u00a0", " ").split()) for page in reader.pages]


def _structure(reader: PdfReader) -> tuple[Counter, list[str]]:
    """Counts of structure types in the tag tree, and the alt texts of figures."""
    types: Counter = Counter()
    alts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            kind = node.get("/S")
            if kind:
                types[str(kind)] += 1
            if kind == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return types, alts


def test_the_pdf_is_built_and_linked_from_the_site(built: Path) -> None:
    """The same PDF is in _build/2024/pdf and beside the site, which links to it."""
    pdf = built / "_build/2024/pdf" / PDF_NAME
    assert pdf.read_bytes() == (built / "_build/2024/html" / PDF_NAME).read_bytes()
    index = (built / "_build/2024/html/index.html").read_text(encoding="utf-8")
    assert f'<a class="rb-pdf-link" href="{PDF_NAME}">Ladda ner som PDF</a>' in index


def test_a4_cover_and_contents_with_page_numbers(reader: PdfReader, pages: list[str]) -> None:
    """Page 1 is the cover; page 2 lists every chapter with the page it starts on."""
    assert all(
        round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        for page in reader.pages
    )
    assert "Norrtälje kommun Verksamhetsberättelse 2024 Kommunstyrelsekontoret" in pages[0]
    assert pages[1].startswith("Innehåll Sammanfattning")
    for title in CHAPTERS:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?= |$)", pages[1])
        assert match, title
        start = int(match.group(1))
        assert pages[start - 1].count(title) >= 1, (title, start)


def test_running_header_and_page_numbers(pages: list[str]) -> None:
    """Every page after the cover has the report title and 'Sida N av M'; chapter pages their chapter."""
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(f"Sida {number} av {total}"), number
        assert "Verksamhetsberättelse 2024" in text, number
    last = pages[-1]
    assert "Tillgänglighetsredogörelse" in last


def test_figures_from_data_are_in_the_text(pages: list[str]) -> None:
    """The operating totals and a sample of indicator values, in Swedish format."""
    text = " ".join(pages)
    assert "Summa Driftbudget -305 285 -282 930 22 355 -258 055" in text
    for value in ("361 133", "405 000", "11,23", "157,9", "2 083"):
        assert value in text, value
    assert "sammantaget överskott om 22,4 mnkr" in text


def test_no_code_and_no_web_navigation(pages: list[str]) -> None:
    """No Python source, no buttons or menus of the web page."""
    text = " ".join(pages)
    for fragment in ("import ", "start_chapter", "show_text(", "report =", "data_dir", "Sök", "Ctrl"):
        assert fragment not in text, fragment


def test_tables_repeat_their_header_on_each_page(pages: list[str]) -> None:
    """An indicator table that continues on the next page shows its header row again."""
    with_header = [n for n, text in enumerate(pages) if "Indikator (nivå)" in text]
    goals_with_indicators = 11
    assert len(with_header) > goals_with_indicators


def test_the_pdf_is_tagged_swedish_and_titled(reader: PdfReader) -> None:
    """PDF/UA essentials: tags for headings, tables and figures (with alt text), language and title."""
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == "Verksamhetsberättelse 2024 – Kommunstyrelsekontoret, Norrtälje kommun"
    types, alts = _structure(reader)
    assert types["/H1"] == 10 and types["/H2"] > 20 and types["/Table"] > 20 and types["/TH"] > 100
    assert types["/Figure"] == 34  # 32 indicator charts, budget per activity, sick leave
    assert all(alt.startswith(("Linjediagram", "Liggande stapeldiagram")) for alt in alts)
