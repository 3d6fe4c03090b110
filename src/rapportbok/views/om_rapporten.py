"""The page Om rapporten, for readers: who is responsible and whom to ask, the decision, how to read the
book (from the organisation's vocabulary) and where the figures come from.

What the book was built from (commit, data checksums, versions) is not on the page: it is a
machine-readable file the page links (`provenance_document`), outside the search index.
"""

from __future__ import annotations

import json
from html import escape

from rapportbok.core.formatting import MONTHS
from rapportbok.data.inventory import DataFile
from rapportbok.data.org_vocabulary import TREND_KEYS, OrgVocabulary
from rapportbok.data.report import Metadata, Report
from rapportbok.data.statement import read_statement
from rapportbok.data.vocabulary import IndicatorLevel
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.views.assessment import assessment_html, trend_html

ABOUT_TITLE = "Om rapporten"
PROVENANCE_FILE = "om-rapporten-teknik.json"
ECONOMY_CHAPTER = "ekonomi"
WEB_ONLY = "rb-web-only"  # a part of the web page that the print edition leaves out
TREND_MEANINGS = {
    "positiv": "utvecklingen går åt det håll som är bättre, jämfört med året innan",
    "oforandrad": "ungefär samma som året innan",
    "negativ": "utvecklingen går åt det håll som är sämre, jämfört med året innan",
    "ej_bedomd": "det finns inte underlag för att jämföra med året innan",
}
LEVEL_MEANINGS = {
    IndicatorLevel.KF: "kommunfullmäktige har beslutat indikatorn och den följs i hela kommunen",
    IndicatorLevel.NAMND: "nämnden har själv beslutat indikatorn för sin verksamhet",
}


def long_date(day: object) -> str:
    """'18 mars 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"  # type: ignore[attr-defined]


def responsible_html(meta: Metadata, contact: str | None) -> str:
    """Who is responsible for the report and whom a reader asks (`contact`, when there is one)."""
    text = (
        f"<p>{escape(meta.report_type)} {meta.year} ges ut av {escape(meta.organisation)}, "
        f"{escape(meta.kommun)}, och redovisar perioden 1 januari–{long_date(meta.period_end)}.</p>"
    )
    if contact:
        text += f"<p>Frågor om rapporten: {escape(contact.rstrip('.'))}.</p>"
    return f"<h2>Ansvarig och kontakt</h2>{text}"


def report_contact(report: Report) -> str | None:
    """Whom a reader asks: rapport.yml's `kontakt`, else the site's contact in tillganglighet.yml."""
    if report.meta.contact:
        return report.meta.contact
    content, _ = read_statement(report.book.root)
    contact = (content or {}).get("kontakt")
    return " ".join(contact.split()) if isinstance(contact, str) and contact.strip() else None


def decision_html(meta: Metadata) -> str:
    """The decision (body, date, diarienummer) as far as rapport.yml gives it; nothing when it gives none."""
    if not (meta.decision_body or meta.decision_date or meta.case_number):
        return ""
    sentence = escape(meta.decision_body) if meta.decision_body else "Rapporten"
    sentence += " beslutade rapporten" if meta.decision_body else " är beslutad"
    if meta.decision_date:
        sentence += f" den {long_date(meta.decision_date)}"
    if meta.case_number:
        sentence += f" (diarienummer {escape(meta.case_number)})"
    return f"<h2>Beslut</h2><p>{sentence}.</p>"


def _assessment_guide(vocabulary: OrgVocabulary) -> str:
    goal, indicator = vocabulary.name("mal"), vocabulary.name("indikator")
    levels = "".join(f"<li>{assessment_html(level.value, vocabulary)}</li>" for level in vocabulary.levels)
    no_value = vocabulary.no_value
    return (
        f"<h3>Bedömning</h3><p>Nämnden bedömer varje {escape(goal.in_text)} och varje "
        f"{escape(indicator.in_text)} på en skala, från det bästa till det lägsta:</p>"
        f'<ul class="rb-guide">{levels}</ul>'
        f"<p>{assessment_html(no_value.value, vocabulary)} står vid en {escape(indicator.in_text)} som inte "
        "har något värde att bedöma för året. Symbolen och orden säger samma sak som färgen.</p>"
    )


def _trend_guide(vocabulary: OrgVocabulary) -> str:
    items = "".join(
        f"<li>{trend_html(vocabulary.trends[key].value, vocabulary)}: {TREND_MEANINGS[key]}</li>"
        for key in TREND_KEYS
    )
    indicator = vocabulary.name("indikator")
    return (
        f"<h3>Trend</h3><p>Trenden visar hur en {escape(indicator.in_text)} har utvecklats:</p>"
        f'<ul class="rb-guide">{items}</ul>'
    )


def _level_guide(vocabulary: OrgVocabulary) -> str:
    items = "".join(
        f"<li><strong>{escape(level)}</strong>: {LEVEL_MEANINGS[level]}</li>" for level in IndicatorLevel
    )
    indicator = vocabulary.name("indikator")
    return (
        f"<h3>KF och Nämnd</h3><p>Efter varje {escape(indicator.in_text)}s namn står vem som har "
        f'beslutat den:</p><ul class="rb-guide">{items}</ul>'
    )


def _economy_guide() -> str:
    return (
        "<h3>Ekonomi</h3><p>Belopp står i tusental kronor (tkr) om inget annat anges. Kostnader står med "
        "minustecken och intäkter utan. Avvikelsen är utfallet minus budgeten: ett plus betyder att det "
        "gick bättre än budgeterat (lägre kostnader eller högre intäkter, ett överskott), ett minus att "
        "det gick sämre (ett underskott).</p>"
    )


def reading_guide_html(report: Report) -> str:
    """How to read the book, in the organisation's words: assessments, trends, KF/Nämnd, the signs."""
    vocabulary = report_vocabulary(report)
    economy = ECONOMY_CHAPTER not in report.meta.left_out_chapters
    return (
        "<h2>Så läser du rapporten</h2>"
        + _assessment_guide(vocabulary)
        + _trend_guide(vocabulary)
        + _level_guide(vocabulary)
        + (_economy_guide() if economy else "")
    )


def sources_html(report: Report) -> str:
    """Where the figures come from."""
    meta = report.meta
    return (
        "<h2>Källor</h2><p>Tabeller, diagram och siffror i texten kommer från "
        f"{escape(meta.organisation)}s uppföljning av {meta.year}: utfall, mål, bedömningar, ekonomi och "
        "personal som nämnden redovisar. Varje diagram har sina siffror i en tabell intill.</p>"
    )


def about_body(report: Report) -> str:
    """The page's content as HTML (without its title), for the web and the PDF alike."""
    meta = report.meta
    parts = (responsible_html(meta, report_contact(report)), decision_html(meta), reading_guide_html(report))
    return "".join(parts) + sources_html(report)


def technical_html() -> str:
    """The last section on the web: what the machine-readable file holds (the link follows it)."""
    return (
        f'<div class="{WEB_ONLY}"><h2>Teknisk information</h2><p>För den som vill kontrollera utgåvan '
        "finns uppgifter om hur den framställdes (programversion, kontrollsummor för årets datafiler) i en "
        "maskinläsbar fil:</p></div>"
    )


def provenance_document(
    report: Report, files: list[DataFile], versions: dict[str, str], provenance: str
) -> str:
    """The machine-readable provenance (JSON, stable order): the build's line, every data file with its
    rows and SHA-256, and the program versions."""
    value = {
        "rapport": f"{report.meta.organisation} {report.meta.report_type} {report.year}",
        "framstallning": provenance,
        "datafiler": [{"fil": item.name, "rader": item.rows, "sha256": item.sha256} for item in files],
        "program": versions,
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
