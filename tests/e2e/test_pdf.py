"""The PDF: a report on A4 that a council secretary could send as it is — cover, colophon, the year in
brief, contents down to the second level, every chapter with the web's content, tables and charts
readable on paper (issue 28: table text at least 9 pt, no heading in a page's bottom 15 %, no page
below 60 % filled but a chapter's last), tagged PDF/UA-1."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from rapportbok.pdf.reflow import WIDE_TABLE_COLUMNS
from rapportbok.pdf.structure import check_pdf_ua, tagged_texts
from tests.pdf_layout import Layout, contents_depth, measure

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
COVER, COLOPHON, BRIEF, CONTENTS = 0, 1, 2, 3  # page indexes
BLOCKS = {"/H1", "/H2", "/H3", "/H4", "/P", "/TD", "/TH", "/Caption", "/LBody", "/LI"}
HEX_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.fixture(scope="module")
def pdf_path(built: Path) -> Path:
    return built / "_build/kommunstyrelsekontoret/2024/pdf" / PDF_NAME


@pytest.fixture(scope="module")
def reader(pdf_path: Path) -> PdfReader:
    return PdfReader(pdf_path)


@pytest.fixture(scope="module")
def pages(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").replace("\u00a0", " ").split()) for page in reader.pages]


def _squeezed(text: str) -> str:
    return "".join(text.replace("\u00a0", " ").split())


def _web_words(built: Path) -> set[str]:
    """Every word of the site's pages, for telling a broken word from two words."""
    words: set[str] = set()
    for page in (built / "_build/kommunstyrelsekontoret/2024/html").rglob("*.html"):
        text = lxml_html.fromstring(page.read_text(encoding="utf-8")).text_content()
        words.update(re.sub(r"^\W+|\W+$", "", word) for word in text.split())
    return words


@pytest.fixture(scope="module")
def layout(pdf_path: Path, built: Path) -> Layout:
    return measure(pdf_path, _web_words(built))


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


def test_the_pdf_is_built_and_linked_from_the_site(built: Path, pdf_path: Path) -> None:
    """The same PDF is in _build/kommunstyrelsekontoret/2024/pdf and beside the site, which links to it."""
    assert (
        pdf_path.read_bytes() == (built / "_build/kommunstyrelsekontoret/2024/html" / PDF_NAME).read_bytes()
    )
    index = (built / "_build/kommunstyrelsekontoret/2024/html/index.html").read_text(encoding="utf-8")
    assert f'<a class="rb-pdf-link" href="{PDF_NAME}">Ladda ner som PDF</a>' in index


def test_the_cover_says_who_what_and_when_and_nothing_about_the_build(pages: list[str]) -> None:
    """Municipality, report and year, organisation, period — no commit, no checksum."""
    cover = pages[COVER]
    assert cover.startswith("Norrtälje kommun Verksamhetsberättelse 2024 Kommunstyrelsekontoret")
    assert "Perioden 1 januari–31 december 2024" in cover
    assert "commit" not in cover and "sha256" not in cover


def test_the_colophon_holds_commit_fingerprint_and_versions(pages: list[str], reader: PdfReader) -> None:
    """The inside of the cover, in small print: what the edition was built from, where checksums are."""
    colophon = pages[COLOPHON]
    assert "Om utgåvan" in colophon and "Byggd från commit " in colophon
    assert re.search(r"data 2024: sha256 [0-9a-f]{16}", colophon)
    assert "jupyter-book 1.0.4" in colophon and "pandas " in colophon
    assert "Kontrollsummor för var och en av årets datafiler finns på sidan Om rapporten" in colophon
    keywords = reader.metadata.get("/Keywords") or ""
    assert "commit" not in keywords and "sha256" not in keywords  # provenance: the colophon's one line


def test_per_file_checksums_stay_on_the_web(pages: list[str]) -> None:
    """No SHA-256 of a single file in the PDF; its Om rapporten is the readers' page (reading guide),
    without commit or checksums."""
    assert not any(HEX_DIGEST.search(text) for text in pages)
    # The running header (report title and chapter) may come before the body or after it in a page's text.
    about = next(text for text in pages if "Så läser du rapporten" in text)
    assert "Ansvarig och kontakt" in about and "commit" not in about and "sha256" not in about


def test_a4_pages_and_contents_with_page_numbers(reader: PdfReader, pages: list[str]) -> None:
    """Every page is A4; the contents list every chapter with the page it starts on."""
    assert all(
        round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        for page in reader.pages
    )
    listed = itertools.takewhile(lambda text: "....." in text, pages[CONTENTS:])  # the dot leaders
    contents = " ".join(listed)
    assert "Innehåll Sammanfattning" in contents  # the running header may come first or last
    for title in CHAPTERS:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?= |$)", contents)
        assert match, title
        start = int(match.group(1))
        assert pages[start - 1].count(title) >= 1, (title, start)


def test_running_header_and_page_numbers(pages: list[str]) -> None:
    """Every page after the colophon has the report title, the organisation and 'Sida N av M'."""
    total = len(pages)
    for number, text in enumerate(pages[BRIEF:], start=BRIEF + 1):
        assert text.endswith(f"Kommunstyrelsekontoret · Norrtälje kommun Sida {number} av {total}"), number
        assert "Verksamhetsberättelse 2024" in text, number
    assert "Tillgänglighetsredogörelse" in pages[-1]


def test_the_print_edition_has_the_webs_content(built: Path, pdf_path: Path) -> None:
    """Every heading, table cell, table caption and figure caption of the chapters and the generated
    pages is in the PDF, whole, inside one tagged block (so no row or heading is split across pages);
    the web's chart data tables and the web-only link to the provenance file aside."""
    printed = "\x00".join(_squeezed(text) for text in tagged_texts(pdf_path, BLOCKS))
    missing = []
    site = built / "_build/kommunstyrelsekontoret/2024/html"
    # The front page (index.html) is the web's; the print edition has its cover and contents instead.
    pages = [
        site / "om-rapporten.html",
        site / "tillganglighet.html",
        *sorted((site / "chapters").glob("*.html")),
    ]
    for page in pages:
        articles = lxml_html.fromstring(page.read_text(encoding="utf-8")).xpath("//article")
        for article in articles:
            for link in article.xpath(".//a[contains(@class, 'headerlink')]"):
                link.drop_tree()
            pieces = article.xpath(".//span[contains(@class, 'rb-meta')]")  # a line of its own on the web too
            for piece in pieces:
                text = _squeezed(piece.text_content())
                if text not in printed:
                    missing.append((page.name, text[:80]))
                piece.drop_tree()
            for part in article.xpath(".//h1|.//h2|.//h3|.//h4|.//caption|.//figcaption|.//th|.//td"):
                if part.xpath("ancestor::details|ancestor::*[contains(@class, 'rb-web-only')]"):
                    continue
                if _lone_print_header(part) or _caption_named_by_its_block(part):
                    continue
                text = _squeezed(part.text_content())
                if text and text not in printed:
                    missing.append((page.name, text[:80]))
    assert missing == []


def _lone_print_header(cell: lxml_html.HtmlElement) -> bool:
    """The first column header of a table the print edition sets as blocks ("Indikator (nivå)"): each
    block's heading names its row, so the header is not printed (issue 28: no lone header row)."""
    row = cell.getparent()
    return (
        cell.tag == "th"
        and bool(cell.xpath("ancestor::thead"))
        and row.index(cell) == 0
        and len(row) >= WIDE_TABLE_COLUMNS
    )


def _caption_named_by_its_block(part: lxml_html.HtmlElement) -> bool:
    """An indicator chart's caption (in the web's chart grid): in print the chart stands in its
    indicator's block, whose heading names it, so the caption is not repeated (issue 28 review)."""
    return part.tag == "figcaption" and bool(part.xpath("ancestor::div[contains(@class, 'rb-chart-grid')]"))


def _key_figures(built: Path) -> list[list[str]]:
    """The web front page's key figures, each as its lines (value, label, notes)."""
    index = lxml_html.fromstring(
        (built / "_build/kommunstyrelsekontoret/2024/html/index.html").read_text(encoding="utf-8")
    )
    return [
        [" ".join(span.text_content().replace("\u00a0", " ").split()) for span in item.iter("span")]
        for item in index.xpath("//a[@class='rb-key-figure']")
    ]


def test_the_pdf_opens_with_the_year_in_brief_of_the_web(pages: list[str], built: Path) -> None:
    """After the colophon, "Året i korthet" with the web front page's key figures, word for word, and
    the comparison with the year before that the data gives (2024: the net cost of 2023)."""
    brief = pages[BRIEF]
    assert "Året i korthet" in brief
    figures = _key_figures(built)
    assert len(figures) == 4
    for line in (line for figure in figures for line in figure):
        assert line in brief, line
    assert any("jämfört med 2023: " in line for figure in figures for line in figure)


def test_the_contents_list_every_chapters_sections(pdf_path: Path) -> None:
    """The contents go down to the second level: every section a bookmark names is listed too."""
    assert contents_depth(pdf_path) == (2, [])


def test_no_lone_header_row_opens_an_indicator_group(pages: list[str]) -> None:
    """The indicator blocks are not headed by the web table's "Indikator (nivå)" alone on its line."""
    assert not any("Indikator (nivå)" in text for text in pages)


def test_figures_from_data_are_in_the_text(pages: list[str]) -> None:
    """The operating totals and a sample of indicator values, in Swedish format."""
    text = " ".join(pages)
    assert "Summa Driftbudget -305 285 -282 930 22 355 -258 055" in text
    for value in ("361 133", "405 000", "11,23", "157,9", "2 083"):
        assert value in text, value
    assert "sammantaget överskott om 22,4 mnkr" in text


def test_no_code_and_no_web_navigation(pages: list[str]) -> None:
    """No Python source, no buttons or menus of the web page, no chart data toggles."""
    text = " ".join(pages)
    for fragment in (
        "import ",
        "start_chapter",
        "show_text(",
        "report =",
        "data_dir",
        "Sök",
        "Ctrl",
        "Visa diagrammets data",
        "Till listan över inriktningsmål",
    ):
        assert fragment not in text, fragment


def test_tables_and_charts_read_well_on_paper(layout: Layout) -> None:
    """Table text at least 9 pt, chart text at least 8 pt, as printed (issue 28); no hyphenated or broken
    word."""
    assert layout.smallest["table"] >= 9.0
    assert min(layout.table_sizes) >= 9.0, layout.table_sizes
    assert layout.smallest["figure"] >= 8.0  # a 10 pt chart text scaled into a grid column
    assert layout.smallest["text"] >= 8.0
    assert layout.hyphenated == []
    assert layout.broken == []


def test_pages_are_full_and_no_heading_ends_a_page(layout: Layout) -> None:
    """No page (besides the last of a chapter or of a part of the front matter) ends above 60 % of its
    height; no page ends with a heading or a table caption, and no heading starts in its bottom 15 %."""
    assert layout.half_empty == []
    assert layout.underfilled == []
    assert layout.short_tails == []  # no chapter ends with a few lines alone on a page
    assert layout.stranded == []
    assert layout.low_headings == []


def test_no_row_is_split_and_no_text_overlaps(layout: Layout) -> None:
    """A table row stays on one page; nothing is printed over other text."""
    assert layout.split_cells == []
    assert layout.overlaps == []


def test_the_pdf_meets_the_checkable_pdf_ua_conditions(pdf_path: Path) -> None:
    """Structure tree, language, title, artifacts, alt texts, TH scopes, links, headings, bookmarks."""
    assert [str(problem) for problem in check_pdf_ua(pdf_path)] == []


def test_the_pdf_is_tagged_swedish_and_titled(reader: PdfReader) -> None:
    """Tags for headings, tables and figures (every chart with its alt text), language and title."""
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == "Verksamhetsberättelse 2024 – Kommunstyrelsekontoret, Norrtälje kommun"
    types, alts = _structure(reader)
    assert types["/H1"] == 10 and types["/H2"] > 20 and types["/Table"] > 20 and types["/TH"] > 100
    assert types["/Figure"] == 34  # 32 indicator charts, budget per activity, sick leave
    assert all(alt.startswith(("Linjediagram", "Liggande stapeldiagram")) for alt in alts)
