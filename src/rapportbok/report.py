"""The typed, validated content of one fiscal year's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Metadata:
    """Who reports, for which period (data/<year>/rapport.yml)."""

    organisation: str
    kommun: str
    year: int
    period_end: date
    report_type: str = "Verksamhetsberättelse"


@dataclass(frozen=True)
class Report:
    """Everything the chapters need: metadata and one DataFrame per table."""

    meta: Metadata
    data_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.meta.year

    @property
    def drift(self) -> pd.DataFrame:
        """The operating statement, one row per post (intäkter, kostnader, …, summa)."""
        return self.tables["drift"]

    @property
    def drift_verksamhet(self) -> pd.DataFrame:
        """The operating statement per activity (verksamhet)."""
        return self.tables["drift_verksamhet"]

    @property
    def investeringar(self) -> pd.DataFrame:
        """Investment projects and the published totals per area."""
        return self.tables["investeringar"]

    @property
    def text_dir(self) -> Path:
        """The folder with the narrative Markdown of the year."""
        return self.data_dir / "text"
