"""The page Om rapporten: what the book was built from (data files with checksums, tool versions)."""

from __future__ import annotations

from html import escape

import pandas as pd

from rapportbok.data.inventory import DataFile
from rapportbok.data.report import Report
from rapportbok.views.tables import Column, HtmlBlock, html_table, text_column

ABOUT_TITLE = "Om rapporten"
ABOUT_TEXT = (
    "Rapporten är byggd med rapportbok: varje tabell, diagram och siffra i texten kommer från årets "
    "datafiler nedan, och samma filer och samma programversioner ger samma webbplats och PDF, byte för "
    "byte. Kontrollsumman (SHA-256) visar att en fil är oförändrad. Under Bygget står vilken version "
    "av koden (git-commit) och vilka data boken byggdes från."
)


def data_files_table(report: Report, files: list[DataFile]) -> HtmlBlock:
    """Each data file of the year with its number of rows and SHA-256 checksum."""
    frame = pd.DataFrame([{"fil": item.name, "rader": item.rows, "sha256": item.sha256} for item in files])
    columns = [
        text_column("fil", "Fil"),
        Column("rader", "Rader", numeric=True, formatter=lambda v: "" if pd.isna(v) else str(int(v))),
        Column("sha256", "SHA-256", css="rb-checksum"),
    ]
    return html_table(frame, columns, caption=f"Datafilerna för {report.year}", table_id="datafiler")


def versions_table(versions: dict[str, str]) -> HtmlBlock:
    """The versions of rapportbok, Jupyter Book and pandas that built the book."""
    frame = pd.DataFrame([{"program": name, "version": number} for name, number in versions.items()])
    return html_table(
        frame,
        [text_column("program", "Program"), text_column("version", "Version")],
        caption="Programversioner",
        table_id="programversioner",
    )


def about_body(report: Report, files: list[DataFile], versions: dict[str, str], provenance: str) -> str:
    """The page's content as HTML (without its title): what the book was built from (commit, data
    fingerprint, versions), the data files and the program versions."""
    return (
        f'<p>{ABOUT_TEXT}</p><h2>Bygget</h2><p class="rb-provenance">{escape(provenance)}</p>'
        f"<h2>Datafiler</h2>{data_files_table(report, files).html}"
        f"<h2>Program</h2>{versions_table(versions).html}"
    )
