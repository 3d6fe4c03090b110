"""The chapters' HTML arranged for A4: the same content, in blocks and rows that fit portrait paper."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
from lxml import html as lxml_html

from rapportbok.pdf.reflow import reflow_for_print
from rapportbok.views.tables import Column, html_table, text_column

YEARS = ("2021", "2022", "2023", "2024")


def _visible(html: str) -> list[str]:
    """The words a reader sees, in order (a label's colon aside)."""
    return [word.rstrip(":") for word in unescape(re.sub(r"<[^>]+>", " ", html)).split()]


def _indicator_table(rows: int) -> str:
    """A wide table in the web's markup: name with its meta line, numbers, assessment, a detail row."""
    frame = pd.DataFrame(
        {
            "namn": [
                f'Indikator {n} &lt;b&gt;fet&lt;/b&gt; (KF)<span class="rb-meta">Ansvarig avdelning: '
                "Ekonomiavdelningen. Enhet: kr per invånare</span>"
                for n in range(1, rows + 1)
            ],
            **{year: [f"{n}{year[-1]},5" for n in range(rows)] for year in YEARS},
            "mal": ["100"] * rows,
            "forandring": ["+1,0"] * rows,
            "bedomning": ['<span class="rb-badge">✓ Uppfyllt</span>'] * rows,
            "trend": ['<span class="rb-badge">↗ Positiv</span>'] * rows,
            "kommentar": ['<span class="rb-date">2024-12-31:</span> Bra.'] + [""] * (rows - 1),
        }
    )
    columns = [
        Column("namn", "Indikator (nivå)", markup=True, css="rb-indicator"),
        *[Column(year, f"Utfall {year}", numeric=True, formatter=str) for year in YEARS],
        Column("mal", "Mål 2024", numeric=True, formatter=str),
        Column("forandring", "Förändring mot 2023", numeric=True, formatter=str),
        Column("bedomning", "Bedömning", markup=True, formatter=str),
        Column("trend", "Trend", markup=True, formatter=str),
    ]
    detail = Column("kommentar", "Senaste kommentar", markup=True, css="rb-comment-cell")
    return html_table(
        frame,
        columns,
        caption="Indikatorer för inriktningsmål 9.9",
        table_id="mal-9-9-indikatorer",
        detail=detail,
    ).html


def _charts(count: int) -> str:
    figures = "".join(
        f'<figure class="rb-figure"><img src="data:image/svg+xml;base64,AA==" alt="Diagram {n}">'
        f"<figcaption>Indikator {n}. Utfall och mål.</figcaption>"
        '<details class="rb-chart-data"><summary>Visa diagrammets data som tabell</summary>'
        f'<table class="rb-table"><caption>Diagrammets data: {n}</caption></table></details></figure>'
        for n in range(1, count + 1)
    )
    return f'<div class="rb-chart-grid">{figures}</div>'


def test_a_wide_table_becomes_one_block_per_row_with_its_chart() -> None:
    """Each indicator: a heading, its meta line, a label/value table with its chart beside, the detail."""
    printed = reflow_for_print("<h3>Indikatorer</h3>" + _indicator_table(3) + _charts(3))
    page = lxml_html.fragment_fromstring(printed, create_parent="div")
    blocks = page.xpath("//section[@class='rb-record-block']")
    assert len(blocks) == 3
    first = blocks[0]
    assert first.xpath("./h4")[0].text_content() == "Indikator 1 <b>fet</b> (KF)"
    assert first.get("aria-labelledby") == first.xpath("./h4/@id")[0]
    assert first.xpath("./p[@class='rb-record-meta']")[0].text_content() == (
        "Ansvarig avdelning: Ekonomiavdelningen. Enhet: kr per invånare"
    )
    labels = [th.text_content() for th in first.xpath(".//table//th[@scope='row']")]
    assert labels == [
        *(f"Utfall {year}" for year in YEARS),
        "Mål 2024",
        "Förändring mot 2023",
        "Bedömning",
        "Trend",
    ]
    assert first.xpath(".//figure/img/@alt") == ["Diagram 1"]
    assert not page.xpath("//figcaption")  # the heading names the chart: its caption is not repeated
    assert " ".join(first.xpath("./p[@class='rb-record-detail']")[0].text_content().split()) == (
        "Senaste kommentar: 2024-12-31: Bra."
    )
    assert not blocks[1].xpath("./p[@class='rb-record-detail']")  # no comment, no empty paragraph
    assert not page.xpath("//div[@class='rb-chart-grid']") and not page.xpath("//details")


def test_the_print_blocks_hold_every_word_of_the_table() -> None:
    """Nothing of the web's table is lost: each cell's words are in the print version; only the first
    column's header is left out, as each block's heading names its row (issue 28: no lone header row
    opening an indicator group)."""
    source = _indicator_table(2)
    printed = reflow_for_print(source)
    words = set(_visible(printed))
    assert set(_visible(source)) - {"Indikator", "(nivå)"} <= words
    page = lxml_html.fragment_fromstring(printed, create_parent="div")
    assert not page.xpath("//p[@class='rb-record-header']")
    assert "Indikator (nivå)" not in page.text_content()
    assert "&lt;b&gt;fet&lt;/b&gt;" in printed and "<b>" not in printed  # data stays escaped


def test_charts_that_do_not_match_the_rows_stay_in_their_grid() -> None:
    """With fewer charts than rows, no chart is paired with the wrong indicator."""
    printed = reflow_for_print(_indicator_table(3) + _charts(2))
    page = lxml_html.fragment_fromstring(printed, create_parent="div")
    assert len(page.xpath("//section[@class='rb-record-block']")) == 3
    assert not page.xpath("//section//figure")
    assert len(page.xpath("//div[@class='rb-chart-grid']/figure")) == 2


def test_a_narrow_table_with_detail_rows_keeps_the_webs_markup() -> None:
    """Assignments fit the page as the web sets them: columns, and the comment on a row beneath."""
    frame = pd.DataFrame({"titel": ["Uppdrag A"], "status": ["Slutfört"], "kommentar": ["Klart i tid."]})
    columns = [text_column("titel", "Uppdrag"), text_column("status", "Status")]
    source = html_table(
        frame,
        columns,
        caption="Uppdrag för inriktningsmål 1.2",
        detail=Column("kommentar", "Senaste kommentar"),
    ).html
    printed = lxml_html.fragment_fromstring(reflow_for_print(source), create_parent="div")
    assert [tr.get("class") for tr in printed.xpath("//tbody/tr")] == ["rb-has-detail", "rb-detail"]


def test_the_data_files_give_way_to_where_their_checksums_are() -> None:
    """Per-file checksums stay on the web; the PDF says how many files there are and where to look."""
    frame = pd.DataFrame(
        {"fil": [f"data/kommunstyrelsekontoret/2024/f{n}.csv" for n in range(3)], "sha256": ["ab" * 32] * 3}
    )
    table = html_table(
        frame,
        [text_column("fil", "Fil"), text_column("sha256", "SHA-256")],
        caption="D",
        table_id="datafiler",
    )
    printed = reflow_for_print(f"<h2>Datafiler</h2>{table.html}")
    assert "ab" * 32 not in printed and "<table" not in printed
    assert "årets 3 datafiler" in printed and "Om rapporten" in printed


def test_html_without_tables_is_returned_as_it_is() -> None:
    text = "<h1>Sammanfattning</h1><p>Text &amp; mer.</p>"
    assert reflow_for_print(text) == text


def test_a_wide_table_with_spanning_cells_is_left_as_it_is() -> None:
    """When a row's cells do not match the header, no cell is moved and no chart leaves its grid."""
    html = _indicator_table(2).replace('<td class="rb-num">01,5</td>', "") + _charts(2)
    printed = lxml_html.fragment_fromstring(reflow_for_print(html), create_parent="div")
    assert not printed.xpath("//section[@class='rb-record-block']")
    assert len(printed.xpath("//div[@class='rb-chart-grid']/figure")) == 2


def test_a_note_on_computed_assessments_between_table_and_charts_keeps_the_charts_in_their_blocks() -> None:
    """The computed-assessment notes sit between the table and its charts, like a revision note."""
    notes = '<div class="rb-computed-notes"><p>Beräknat</p><ol><li id="n-1">Not</li></ol></div>'
    printed = reflow_for_print(_indicator_table(2) + notes + _charts(2))
    page = lxml_html.fragment_fromstring(printed, create_parent="div")
    assert [len(block.xpath(".//figure")) for block in page.xpath("//section[@class='rb-record-block']")] == [
        1,
        1,
    ]
    assert page.xpath("//div[@class='rb-computed-notes']/ol/li/@id") == ["n-1"]
