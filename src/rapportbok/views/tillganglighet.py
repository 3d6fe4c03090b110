"""The accessibility statement (tillgänglighetsredogörelse), generated from tillganglighet.yml and, for a
year that keeps printed values, the places where the printed text differs from the data (computed)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from rapportbok.data.report import Report
from rapportbok.data.statement import CONFIG_FILE, read_statement
from rapportbok.exceptions import DataError
from rapportbok.narrative.templates import render_text, text_keys

STATEMENT_TITLE = "Tillgänglighetsredogörelse"


def statement_config(root: Path) -> dict[str, Any]:
    """The checked settings of tillganglighet.yml (see data.statement); `check` reports the same problems."""
    content, problems = read_statement(root)
    if content is None:
        raise DataError(problems, heading=f"{CONFIG_FILE} behövs för tillgänglighetsredogörelsen:")
    return content


def _position(order: list[str], chapter: str) -> int:
    return order.index(chapter) if chapter in order else len(order)


def printed_disagreements(report: Report, chapter_titles: Mapping[str, str]) -> str | None:
    """The known shortcoming of a year that keeps printed values (rapport.yml `tryckta_varden`): each
    place where the text shows the printed wording and the data gives another value, computed from the
    year's texts. None when the year keeps no printed values or none differs."""
    if report.meta.printed_values is None:
        return None
    order = list(chapter_titles)
    keys = sorted(text_keys(report), key=lambda key: (_position(order, key.split("/", 1)[0]), key))
    places = []
    for key in keys:
        found = render_text(report, key).disagreements
        chapter = chapter_titles.get(key.split("/", 1)[0], key.split("/", 1)[0])
        places += [f'"{item.printed}" i kapitlet {chapter} där data ger {item.computed}' for item in found]
    if not places:
        return None
    return (
        f"Den tryckta {report.meta.report_type.lower()}n för {report.year} innehåller avvikelser mellan "
        f"text och tabeller ({'; '.join(places)}); värdena visas som de trycktes."
    )


def statement_body(root: Path, report: Report, chapter_titles: Mapping[str, str] | None = None) -> str:
    """The statement's content as HTML (without its title); values from the file are escaped.

    `chapter_titles` ({text folder: chapter title}) names where a printed value differs from the data.
    """
    config = statement_config(root)
    meta = report.meta
    items = [" ".join(str(item).split()) for item in config.get("kanda_brister", [])]
    computed = printed_disagreements(report, chapter_titles or {})
    shortcomings = "".join(f"<li>{escape(item)}</li>" for item in items + ([computed] if computed else []))
    return (
        f"<p>{escape(meta.organisation)}, {escape(meta.kommun)}, står bakom webbplatsen och PDF-filen med "
        f"{escape(meta.report_type.lower())}n för {meta.year}. Vi vill att så många som möjligt ska kunna "
        "använda dem. Här beskriver vi hur de uppfyller lagen om tillgänglighet till digital offentlig "
        "service, kända brister och hur du kan rapportera problem.</p>"
        "<h2>Hur tillgänglig är webbplatsen?</h2>"
        "<p>Webbplatsen och PDF-filen är delvis förenliga med lagen: de brister vi känner till står "
        "nedan.</p>"
        f"<h2>Kända brister</h2><ul>{shortcomings}</ul>"
        f"<h2>Rapportera brister</h2><p>{escape(str(config.get('kontakt_text', '')))}</p>"
        f"<p>Kontakt: {escape(str(config['kontakt']))}.</p>"
        f"<h2>Tillsyn</h2><p>{escape(str(config.get('tillsyn', '')))}</p>"
        f"<h2>Hur vi testat</h2><p>{escape(str(config.get('testmetod', '')))}</p>"
    )
