"""The accessibility statement (tillgänglighetsredogörelse), generated from tillganglighet.yml."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.data.report import Report
from rapportbok.exceptions import ConfigError, Problem

STATEMENT_PAGE = "tillganglighet"
STATEMENT_TITLE = "Tillgänglighetsredogörelse"
CONFIG_FILE = "tillganglighet.yml"


def statement_config(root: Path) -> dict[str, Any]:
    path = root / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(
            Problem(CONFIG_FILE, "filen saknas", allowed="den behövs för tillgänglighetsredogörelsen")
        )
    content = read_yaml_mapping(path, CONFIG_FILE)
    if not content.get("kontakt"):
        raise ConfigError(
            Problem(CONFIG_FILE, "värde saknas", column="kontakt", allowed="vem man rapporterar brister till")
        )
    return content


def statement_body(root: Path, report: Report) -> str:
    """The statement's content as HTML (without its title); values from the file are escaped."""
    config = statement_config(root)
    meta = report.meta
    shortcomings = "".join(
        f"<li>{escape(' '.join(str(item).split()))}</li>" for item in config.get("kanda_brister", [])
    )
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
