"""Om rapporten is for readers: responsible, contact, a reading guide in the organisation's words; the
build's provenance is a machine-readable file, not page text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from rapportbok.data.inventory import data_files
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.pipeline.publishing.pages import PROVENANCE_LINK, generated_pages
from rapportbok.views.om_rapporten import PROVENANCE_FILE, about_body, provenance_document
from tests.conftest import ROOT
from tests.unit.data.vocabulary_example import ORG, project_with_vocabulary

HEX_DIGEST = re.compile(r"\b[0-9a-f]{12,}\b")


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


def _text(html: str) -> str:
    return " ".join(lxml_html.fragment_fromstring(html, create_parent="div").text_content().split())


def test_the_page_has_no_checksum_commit_or_file_name(report: Report) -> None:
    text = _text(about_body(report))
    assert not HEX_DIGEST.search(text) and "commit" not in text and ".csv" not in text
    assert "sha" not in text.casefold()


def test_the_reading_guide_lists_every_level_and_trend_of_the_vocabulary(report: Report) -> None:
    vocabulary = report_vocabulary(report)
    text = _text(about_body(report))
    for level in (*vocabulary.levels, vocabulary.no_value):
        assert f"{level.symbol} {level.label}" in text
    for word in vocabulary.trends.values():
        assert f"{word.symbol} {word.value}:" in text
    assert "KF: kommunfullmäktige" in text and "Nämnd: nämnden" in text
    assert "Kostnader står med minustecken" in text


def test_the_contact_falls_back_to_the_sites_contact(report: Report) -> None:
    """2024's rapport.yml has no `kontakt`: the reader is sent to tillganglighet.yml's contact."""
    assert "Frågor om rapporten: Kontaktcenter, Norrtälje kommun." in _text(about_body(report))


def test_another_vocabulary_gives_its_own_words(tmp_path: Path) -> None:
    """An organisation with its own scale: the guide names its goals and indicators and shows its levels
    (label and symbol), not Norrtälje's."""
    project = project_with_vocabulary(tmp_path)
    report = load_year(2024, project / "data" / ORG)
    text = _text(about_body(report))
    assert "varje nämndmål och varje nyckeltal" in text
    assert "● Målet är uppnått" in text and "? Kan inte mätas" in text and "↑ Förbättrad:" in text
    assert "Uppfyllt" not in text


def test_the_provenance_is_a_json_file_linked_from_the_web_page_and_not_printed(
    project_root: Path, report: Report
) -> None:
    document = json.loads(provenance_document(report, data_files(report), {"pandas": "3"}, "Byggd x."))
    assert document["framstallning"] == "Byggd x."
    names = [item["fil"] for item in document["datafiler"]]
    assert "data/kommunstyrelsekontoret/2024/indikator_utfall.csv" in names
    assert all(len(item["sha256"]) == 64 for item in document["datafiler"])
    about = next(
        page for page in generated_pages(project_root, report, "Byggd x.") if page.name == "om-rapporten"
    )
    assert dict(about.files)[PROVENANCE_FILE] and about.after == PROVENANCE_LINK
    assert PROVENANCE_FILE in about.after
    printed = about.print_chapter().html
    assert "Teknisk information" not in printed and "sha256" not in printed
