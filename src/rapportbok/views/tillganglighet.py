"""The accessibility statement (tillgänglighetsredogörelse), generated from tillganglighet.yml and, for a
year that keeps printed values, the places where the printed text differs from the data (computed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from rapportbok.data.report import Report
from rapportbok.data.statement import COMPLIANCE, COMPLIANCE_KEY, CONFIG_FILE, read_statement
from rapportbok.exceptions import DataError
from rapportbok.narrative.sandbox import PRINTED_FORMAT
from rapportbok.narrative.templates import read_source, render_text, text_keys
from rapportbok.views.om_rapporten import long_date

STATEMENT_TITLE = "Tillgänglighetsredogörelse"
DIGG_FORM = "https://www.digg.se/tdosanmalan"  # Digg's form for complaints under DOS-lagen
LAW = "lagen om tillgänglighet till digital offentlig service"
# The two parts of Digg's model that say what is exempted; what the page says when the file is silent.
NO_BURDEN_CLAIM = (
    f"Vi åberopar inte undantaget för oskäligt betungande anpassning i {LAW} för något innehåll."
)
ALL_COVERED = "Allt innehåll på webbplatsen och i PDF-filen omfattas av lagens krav."


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
        source = read_source(report, key)
        if PRINTED_FORMAT not in source:  # only tryckt(…) reports a disagreement
            continue
        found = render_text(report, key, source=source).disagreements
        chapter = chapter_titles.get(key.split("/", 1)[0], key.split("/", 1)[0])
        places += [f'"{item.printed}" i kapitlet {chapter} där data ger {item.computed}' for item in found]
    if not places:
        return None
    return (
        f"Den tryckta {report.meta.report_type.lower()}n för {report.year} innehåller avvikelser mellan "
        f"text och tabeller ({'; '.join(places)}); värdena visas som de trycktes."
    )


def _channels(config: Mapping[str, Any]) -> str:
    """The ways to reach the organisation: e-mail and phone as links, a web form, the contact."""
    items = []
    if config.get("kontakt_epost"):
        address = str(config["kontakt_epost"]).strip()
        items.append(f'E-post: <a href="mailto:{escape(address, quote=True)}">{escape(address)}</a>')
    if config.get("kontakt_telefon"):
        phone = str(config["kontakt_telefon"]).strip()
        dial = "".join(char for char in phone if char.isdigit() or char == "+")
        items.append(f'Telefon: <a href="tel:{escape(dial, quote=True)}">{escape(phone)}</a>')
    if config.get("kontakt_lank"):
        link = str(config["kontakt_lank"]).strip()
        items.append(f'Webbformulär: <a href="{escape(link, quote=True)}">{escape(link)}</a>')
    items.append(f"Kontakt: {escape(str(config['kontakt']))}")
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _compliance(config: Mapping[str, Any]) -> str:
    """'delvis förenliga', or '' when a draft's file does not say yet."""
    sentence = COMPLIANCE.get(str(config.get(COMPLIANCE_KEY, "")), "")
    return f"{sentence}a" if sentence else ""  # plural: the site and the PDF


def _dated(config: Mapping[str, Any], key: str, sentence: str) -> str:
    value = config.get(key)
    return f"<p>{sentence} {long_date(value)}.</p>" if isinstance(value, date) else ""


def _exemptions(config: Mapping[str, Any]) -> str:
    """Digg's model: content exempted as a disproportionate burden (with why) and content outside the
    law; each from the file, or the sentence that nothing is."""
    burden = " ".join(str(config.get("oskaligt_betungande") or NO_BURDEN_CLAIM).split())
    outside = " ".join(str(config.get("utanfor_lagen") or ALL_COVERED).split())
    return (
        f"<h2>Oskäligt betungande anpassning</h2><p>{escape(burden)}</p>"
        f"<h2>Innehåll som inte omfattas av lagkraven</h2><p>{escape(outside)}</p>"
    )


def statement_body(root: Path, report: Report, chapter_titles: Mapping[str, str] | None = None) -> str:
    """The statement's content as HTML (without its title), in the parts of Digg's model statement;
    values from the file are escaped.

    `chapter_titles` ({text folder: chapter title}) names where a printed value differs from the data.
    """
    config = statement_config(root)
    meta = report.meta
    items = [" ".join(str(item).split()) for item in config.get("kanda_brister", [])]
    computed = printed_disagreements(report, chapter_titles or {})
    shortcomings = "".join(f"<li>{escape(item)}</li>" for item in items + ([computed] if computed else []))
    compliance = _compliance(config)
    known = " på grund av de brister som står under Innehåll som inte är tillgängligt" if shortcomings else ""
    status = (
        f"<p>Webbplatsen och PDF-filen är {compliance} med lagen om tillgänglighet till digital offentlig "
        f"service{known}.</p>"
        if compliance
        else ""
    )
    channels = _channels(config)
    return (
        f"<p>{escape(meta.organisation)}, {escape(meta.kommun)}, står bakom webbplatsen och PDF-filen med "
        f"{escape(meta.report_type.lower())}n för {meta.year}. Vi vill att så många som möjligt ska kunna "
        "använda dem. Här beskriver vi hur de uppfyller lagen om tillgänglighet till digital offentlig "
        "service, kända brister och hur du kan rapportera problem.</p>"
        f"<h2>Hur tillgänglig är webbplatsen?</h2>{status}"
        "<h2>Vad kan du göra om du inte kan använda delar av webbplatsen?</h2>"
        f"<p>{escape(str(config.get('kontakt_text', '')))}</p>{channels}"
        "<h2>Rapportera brister i webbplatsens tillgänglighet</h2>"
        "<p>Om du upptäcker problem som inte står på den här sidan, eller om du anser att vi inte uppfyller "
        "lagens krav, meddela oss så att vi får veta att problemet finns.</p>"
        f"{channels}"
        f"<h2>Tillsyn</h2><p>{escape(str(config.get('tillsyn', '')))}</p>"
        "<p>Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Myndigheten för "
        f'digital förvaltning (Digg) och påtala det: <a href="{DIGG_FORM}">Diggs formulär för att anmäla '
        "brister i tillgängligheten</a>.</p>"
        f"<h2>Teknisk information om webbplatsens tillgänglighet</h2>{status}"
        f"<h2>Innehåll som inte är tillgängligt</h2><ul>{shortcomings}</ul>"
        + _exemptions(config)
        + f"<h2>Hur vi testat webbplatsen</h2><p>{escape(str(config.get('testmetod', '')))}</p>"
        + _dated(config, "senast_granskad", "Senaste bedömningen gjordes den")
        + _dated(config, "upprattad", "Redogörelsen upprättades den")
        + _dated(config, "uppdaterad", "Redogörelsen uppdaterades senast den")
    )
