"""The Jupyter Book configuration of one year: _config.yml plus the year's title and substitutions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from rapportbok.report import Report


def year_config(base: dict[str, Any], report: Report) -> dict[str, Any]:
    """`_config.yml` with the report's title, author and MyST substitutions for authored pages."""
    meta = report.meta
    config = copy.deepcopy(base)
    config["title"] = f"{meta.report_type} {meta.year} – {meta.organisation}"
    config["author"] = f"{meta.organisation}, {meta.kommun}"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    substitutions = sphinx_config.setdefault("myst_substitutions", {})
    substitutions.update(
        organisation=meta.organisation,
        kommun=meta.kommun,
        ar=str(meta.year),
        rapporttyp=meta.report_type,
        period_slut=meta.period_end.isoformat(),
    )
    return config


def write_year_config(root: Path, report: Report, target: Path) -> Path:
    """Write the year's configuration to `target` and return it."""
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        yaml.safe_dump(year_config(base, report), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return target
