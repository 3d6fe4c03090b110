"""The indicator table shows the computed assessment beside the published one, never instead of it."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest
from lxml import html as lxml_html

from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.views.maluppfyllelse import indicator_table
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def published() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


@pytest.fixture(scope="module")
def report(published: Report) -> Report:
    """The year as a draft: where the analyst sees the computed assessments."""
    return replace(published, draft=True)


def _text(element: object) -> str:
    return " ".join(unescape(element.text_content()).split())


def test_a_differing_assessment_gets_a_mark_and_a_note_under_the_table(report: Report) -> None:
    """6.2-01: published Uppfyllt / Positiv stay in their cells; the note gives the computed values."""
    page = lxml_html.fragment_fromstring(indicator_table(report, "6.2").html, create_parent="div")
    cells = page.xpath("//table//tbody/tr[not(contains(@class, 'rb-detail'))]/td")
    assessment, trend = _text(cells[-2]), _text(cells[-1])
    assert assessment == "✓ Uppfyllt1" and trend == "↗ Positiv1"
    links = page.xpath("//sup[@class='rb-note-ref']/a/@href")
    assert links == ["#mal-6-2-indikatorer-berakning-1"] * 2
    note = page.xpath("//div[@class='rb-computed-notes']/ol/li")[0]
    assert note.get("id") == "mal-6-2-indikatorer-berakning-1"
    assert _text(note) == (
        "Andel hushåll och företag som har tillgång till bredband 100Mbit/s. Publicerad bedömning Uppfyllt, "
        "beräknad Inget värde angivet (årets utfall saknas); trend Positiv, beräknad Ej utvärderad (årets "
        "utfall saknas)."
    )


def test_only_the_differing_value_is_marked(report: Report) -> None:
    """7.3-01: only the trend differs, so only the trend cell carries a mark."""
    html = indicator_table(report, "7.3").html
    page = lxml_html.fragment_fromstring(html, create_parent="div")
    cells = page.xpath("//table//tbody/tr[not(contains(@class, 'rb-detail'))]/td")
    assert not cells[-2].xpath(".//sup") and cells[-1].xpath(".//sup")
    assert re.search(r"trend Oförändrad, beräknad Negativ \(högre är bättre", unescape(html))


def test_a_table_where_everything_agrees_has_no_marks_and_no_notes(report: Report) -> None:
    """Every indicator of goal 2.1 is assessed as its data gives."""
    html = indicator_table(report, "2.1").html
    assert "rb-computed-notes" not in html and "rb-note-ref" not in html


def test_an_indicator_name_from_data_is_escaped_in_the_note(report: Report) -> None:
    indicators = report.indikatorer.copy()
    indicators.loc[indicators["indikator_id"] == "7.3-01", "namn"] = '<img src=x onerror="alert(1)">'
    changed = replace(report, tables={**report.tables, "indikatorer": indicators})
    html = indicator_table(changed, "7.3").html
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_the_published_book_leaves_the_computed_assessment_to_the_analyst(published: Report) -> None:
    """Outside a draft, goal 6.2's table shows the decided assessment alone: no mark, no note."""
    html = indicator_table(published, "6.2").html
    assert "rb-computed-notes" not in html and "rb-note-ref" not in html and "beräknad" not in html
