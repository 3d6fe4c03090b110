"""The Jupyter Book configuration of one year: _config.yml plus the year's title and substitutions."""

from __future__ import annotations

import copy
from html import escape
from pathlib import Path
from typing import Any

import yaml

from rapportbok.core.markup import markdown_literal
from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.data.report import Report
from rapportbok.pdf.cover import logo_source

DRAFT_BANNER = "UTKAST – uppgifter saknas ännu. Rapporten är inte publicerad."


def year_substitutions(report: Report) -> dict[str, str]:
    """Values that authored pages and notebook headings can use as {{ name }} (MyST substitutions).

    The values as they are; `year_config` hands them to MyST as Markdown text (markdown_literal), so
    that no value can be parsed as a directive, role, link or HTML.
    """
    meta = report.meta
    return {
        "organisation": meta.organisation,
        "kommun": meta.kommun,
        "ar": str(meta.year),
        "rapporttyp": meta.report_type,
        "period_slut": meta.period_end.isoformat(),
    }


def year_config(base: dict[str, Any], report: Report, pdf_name: str | None = None) -> dict[str, Any]:
    """`_config.yml` with the report's title, author and substitutions, and the link to the PDF."""
    meta = report.meta
    config = copy.deepcopy(base)
    config["title"] = f"{meta.report_type} {meta.year} – {meta.organisation}"
    config["author"] = f"{meta.organisation}, {meta.kommun}"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    substitutions = sphinx_config.setdefault("myst_substitutions", {})
    substitutions.update(
        {name: markdown_literal(value) for name, value in year_substitutions(report).items()}
    )
    theme_options = sphinx_config.setdefault("html_theme_options", {})  # set here: _config.yml has its own
    if report.draft:
        theme_options["announcement"] = DRAFT_BANNER
    logo = logo_source(meta, report.book.root)  # the cover's logo, in the web header too (issue 28)
    if logo:
        theme_options["logo"] = logo

    substitutions["pdf_lank"] = (
        f'<a class="rb-pdf-link" href="{escape(pdf_name, quote=True)}">Ladda ner som PDF</a> '
        "(hela rapporten för utskrift, tillgänglighetsanpassad PDF)"
        if pdf_name
        else ""
    )
    return config


def write_year_config(root: Path, report: Report, target: Path, pdf_name: str | None = None) -> Path:
    """Write the year's configuration to `target` and return it."""
    base = read_yaml_mapping(root / "_config.yml", "_config.yml")
    target.parent.mkdir(parents=True, exist_ok=True)
    config = year_config(base, report, pdf_name)
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
