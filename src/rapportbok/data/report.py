"""The typed, validated content of one fiscal year's report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapportbok.core.book import BookId
from rapportbok.data.schema import TableSchema
from rapportbok.data.tracking import NO_RECORDING, ReadRecorder

if TYPE_CHECKING:  # the tables are pandas frames; the metadata alone is read without pandas
    import pandas as pd


@dataclass(frozen=True)
class PrintedValues:
    """rapport.yml `tryckta_varden`: the year keeps published wordings that differ from data, and why.

    Only a year that reproduces a printed report declares it; elsewhere a `tryckt(…)` that disagrees with
    the data is an error.
    """

    decision: str  # "bevara": keep the printed wording
    reason: str


@dataclass(frozen=True)
class Metadata:
    """Who reports, for which period (data/<year>/rapport.yml)."""

    organisation: str
    kommun: str
    year: int
    period_end: date
    report_type: str = "Verksamhetsberättelse"
    logo: Path | None = None  # an image file inside the project (for the print edition)
    accent_colour: str | None = None  # "#RRGGBB" (for the print edition)
    printed_values: PrintedValues | None = None  # tryckta_varden: keep printed wordings, with a reason
    left_out_chapters: tuple[str, ...] = ()  # utelamnade_kapitel: chapters of _toc.yml this book leaves out
    contact: str | None = None  # kontakt: whom a reader asks about the report (Om rapporten)
    decision_body: str | None = None  # beslutande_organ: who decided the report, e.g. the nämnd
    decision_date: date | None = None  # beslutsdatum: when it was decided
    case_number: str | None = None  # diarienummer: the decision's case number


@dataclass(frozen=True)
class Report:
    """Everything the chapters need: metadata and one DataFrame per table."""

    meta: Metadata
    book: BookId  # the project, the organisation and the year: every folder of the book
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    draft: bool = False  # values may still be missing; the book marks them and says UTKAST
    # The schemas of the tables the organisation declares itself (data/<org>/tabeller/), by name; their
    # frames are in `tables` after the package's.
    declared: Mapping[str, TableSchema] = field(default_factory=dict, compare=False, repr=False)
    # Where a chapter notes the data files it reads (tables, texts): given by the build, else nowhere.
    reads: ReadRecorder = field(default=NO_RECORDING, compare=False, repr=False)
    # Values computed from the tables by upper layers, kept for the life of this report (see
    # model.figures.key_figures); a replaced report starts with an empty memo.
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def year(self) -> int:
        return self.meta.year

    @property
    def year_dir(self) -> Path:
        """The year's folder, data/<org>/<year>."""
        return self.book.year_dir

    @property
    def org_dir(self) -> Path:
        """The organisation's folder, data/<org> (the year's folder is in it)."""
        return self.book.org_dir

    @property
    def shown_folder(self) -> str:
        """The year's folder as messages name it: 'data/kommunstyrelsekontoret/2024'."""
        return self.book.label

    @property
    def malomraden(self) -> pd.DataFrame:
        """Goal areas (målområden) with their names where the report gives them."""
        return self.tables["malomraden"]

    @property
    def inriktningsmal(self) -> pd.DataFrame:
        """Goals with assessment and trend."""
        return self.tables["inriktningsmal"]

    @property
    def indikatorer(self) -> pd.DataFrame:
        """Indicators with assessment, trend and latest comment."""
        return self.tables["indikatorer"]

    @property
    def indikator_utfall(self) -> pd.DataFrame:
        """Indicator outcomes and targets, one row per indicator and year."""
        return self.tables["indikator_utfall"]

    @property
    def uppdrag(self) -> pd.DataFrame:
        """Assignments (uppdrag) and committee initiatives (nämndinitiativ)."""
        return self.tables["uppdrag"]

    @property
    def uppdrag_nasta_ar(self) -> pd.DataFrame:
        """What carries over to next year and what is struck, with the reason."""
        return self.tables["uppdrag_nasta_ar"]

    @property
    def uppdrag_sammanstallning(self) -> pd.DataFrame:
        """The published summary of assignments (empty when the year has none)."""
        return self.tables["uppdrag_sammanstallning"]

    @property
    def sjukfranvaro(self) -> pd.DataFrame:
        """Sick leave per month, nämnden and kommunen."""
        return self.tables["sjukfranvaro"]

    @property
    def sjukfranvaro_ar(self) -> pd.DataFrame:
        """Sick leave for the whole year, nämnden and kommunen."""
        return self.tables["sjukfranvaro_ar"]

    @property
    def personalomsattning(self) -> pd.DataFrame:
        """Staff turnover, external and internal."""
        return self.tables["personalomsattning"]

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
        return self.year_dir / "text"
