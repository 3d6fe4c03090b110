"""A small hand-made print document for the Typst tests: two chapters with headings, text, a list,
links, a table with hostile cell text, a chart; compiled once per test module."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

from rapportbok.core.book import BookId
from rapportbok.data.report import Metadata, Report
from rapportbok.pdf.document import PrintChapter

META = Metadata(
    organisation="Kommunstyrelsekontoret", kommun="Norrtälje kommun", year=2024, period_end=date(2024, 12, 31)
)
# Text that would be markup, code, maths, a reference, a label or a comment if it were read as Typst.
HOSTILE = [
    '#import "x.typ": *',
    "*x* _y_",
    "$ a + b $",
    "@ref",
    "<lbl>",
    "] [ ) (",
    "// nej /* nej */",
    'back\\slash "citat"',
    "#{panic()}",
    "= Rubrik",
]
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="60pt" viewBox="0 0 120 60">'
    '<rect width="120" height="60" fill="#0b4f8a"/><text x="10" y="30" font-family="DejaVu Sans" '
    'font-size="9">Utfall</text></svg>'
)
ALT = "Linjediagram över utfall: 2023: 1,0, 2024: 2,0."


def _rows() -> str:
    return "".join(
        f'<tr><th scope="row" class="rb-text">{text.replace("&", "&amp;").replace("<", "&lt;")}</th>'
        f'<td class="rb-num">{number} 000</td></tr>'
        for number, text in enumerate(HOSTILE, start=1)
    )


FIRST = (
    '<h1 id="forsta" class="rb-chapter-title">Första kapitlet</h1>'
    "<p>Ett stycke med <em>betoning</em>, <strong>fetstil</strong> och en "
    '<a href="#tabell">länk till tabellen</a> och en <a href="#finns-inte">länk utan mål</a>.</p>'
    '<h2 id="lista">En lista</h2><ul><li>ett</li><li>två <a href="https://example.org/">webb</a></li></ul>'
    '<h3 id="djupare">En djupare rubrik</h3><p>Text.</p>'
    '<div class="rb-table-scroll"><table class="rb-table" id="tabell"><caption>Fientlig tabell</caption>'
    '<thead><tr><th scope="col" class="rb-text">Text</th><th scope="col" class="rb-num">Belopp (tkr)</th>'
    f"</tr></thead><tbody>{_rows()}</tbody></table></div>"
)
SECOND = (
    '<h1 id="andra" class="rb-chapter-title">Andra kapitlet</h1><h2 id="diagram">Diagram</h2>'
    '<figure class="rb-figure"><figcaption>Utfall per år.</figcaption>'
    f'<img src="data:image/svg+xml;base64,{base64.b64encode(SVG.encode()).decode()}" alt="{ALT}"></figure>'
    '<p>Tillbaka till <a href="#forsta">första kapitlet</a>.</p>'
)


def chapters() -> list[PrintChapter]:
    return [
        PrintChapter("Första kapitlet", "forsta", FIRST),
        PrintChapter("Andra kapitlet", "andra", SECOND),
    ]


def report(root: Path, draft: bool = False) -> Report:
    return Report(meta=META, book=BookId("kommunstyrelsekontoret", 2024, root), draft=draft)
