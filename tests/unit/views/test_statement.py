"""The accessibility statement's configuration (tillganglighet.yml): mistakes are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.exceptions import DataError
from rapportbok.views.tillganglighet import CONFIG_FILE, statement_config


def test_a_missing_contact_names_the_key(project_copy: Path) -> None:
    """Without `kontakt` the statement cannot say where to report problems."""
    (project_copy / CONFIG_FILE).write_text("tillsyn: DIGG\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        statement_config(project_copy)
    problem = raised.value.problems[0]
    assert (problem.file, problem.column) == ("tillganglighet.yml", "kontakt")


def test_broken_yaml_names_the_file_and_line(project_copy: Path) -> None:
    """A tab or stray colon gives the file and line, not a traceback."""
    (project_copy / CONFIG_FILE).write_text("kontakt: a@b.se\ntillsyn: [DIGG\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        statement_config(project_copy)
    assert raised.value.file == "tillganglighet.yml" and raised.value.problems[0].row == 3


STATEMENT = """kontakt: Kontaktcenter
kontakt_epost: kommun@exempel.se
kontakt_telefon: 0176-710 00
kontakt_lank: https://exempel.se/synpunkter
forenlighet: delvis
upprattad: 2025-01-31
senast_granskad: 2025-02-03
kanda_brister:
  - Diagrammen kan inte läsas punkt för punkt.
"""


def _statement_text(project: Path) -> str:
    from lxml import html as lxml_html

    from rapportbok.data.load import load_year
    from rapportbok.views.tillganglighet import statement_body

    report = load_year(2024, project / "data" / "kommunstyrelsekontoret")
    page = lxml_html.fragment_fromstring(statement_body(project, report), create_parent="div")
    return " ".join(page.text_content().split()), page


def test_the_statement_has_every_part_of_diggs_model(project_copy: Path) -> None:
    """Compliance, reporting (e-mail, phone, form), Digg's complaint form, known issues, how it was
    tested, the date of the last review and of the statement."""
    (project_copy / CONFIG_FILE).write_text(STATEMENT, encoding="utf-8")
    text, page = _statement_text(project_copy)
    headings = [" ".join(h.text_content().split()) for h in page.xpath("//h2")]
    assert headings == [
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Oskäligt betungande anpassning",
        "Innehåll som inte omfattas av lagkraven",
        "Hur vi testat webbplatsen",
    ]
    assert "är delvis förenliga med lagen om tillgänglighet till digital offentlig service" in text
    links = page.xpath("//a/@href")
    assert {"mailto:kommun@exempel.se", "tel:017671000", "https://exempel.se/synpunkter"} <= set(links)
    assert "https://www.digg.se/tdosanmalan" in links
    assert "Senaste bedömningen gjordes den 3 februari 2025." in text
    assert "Redogörelsen upprättades den 31 januari 2025." in text
    assert "Diagrammen kan inte läsas punkt för punkt." in text
    # Digg's model: what is exempted, even when nothing is (the file says nothing here).
    assert "Vi åberopar inte undantaget för oskäligt betungande anpassning i lagen" in text
    assert "Allt innehåll på webbplatsen och i PDF-filen omfattas av lagens krav." in text
    assert "uppdaterades senast" not in text  # no date of an update the file does not give


def test_an_exemption_and_the_last_update_come_from_the_file(project_copy: Path) -> None:
    """An organisation that claims an exemption says what and why; its words are shown, escaped."""
    extra = (
        "oskaligt_betungande: Filmer från 2019 <textas> inte; kostnaden står inte i proportion.\n"
        "utanfor_lagen: Kartor omfattas inte.\n"
        "uppdaterad: 2025-03-04\n"
    )
    (project_copy / CONFIG_FILE).write_text(STATEMENT + extra, encoding="utf-8")
    text, page = _statement_text(project_copy)
    assert "Filmer från 2019 <textas> inte; kostnaden står inte i proportion." in text
    assert not page.xpath("//textas")
    assert "Kartor omfattas inte." in text and "Allt innehåll" not in text
    assert "åberopar inte" not in text
    assert "Redogörelsen uppdaterades senast den 4 mars 2025." in text


def test_what_publishing_needs_is_a_todo_and_a_bad_value_an_error(project_copy: Path) -> None:
    """Without compliance, dates and an e-mail or phone, check lists to-dos (a draft is still built);
    an e-mail that is not one, or an unknown compliance, is an error located at its key."""
    from rapportbok.checks.check import check_year
    from rapportbok.data.load import book_of

    book = book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")
    (project_copy / CONFIG_FILE).write_text("kontakt: Kontaktcenter\n", encoding="utf-8")
    result = check_year(book)
    todo = {(item.file, item.column) for item in result.todo if item.code == "statement.todo"}
    assert todo == {
        (CONFIG_FILE, key) for key in ("forenlighet", "upprattad", "senast_granskad", "kontakt_epost")
    }
    assert not [item for item in result.problems if item.file == CONFIG_FILE]
    (project_copy / CONFIG_FILE).write_text(
        STATEMENT.replace("kommun@exempel.se", "kommun at exempel").replace("delvis", "ganska"),
        encoding="utf-8",
    )
    wrong = {(item.column, item.code) for item in check_year(book).problems if item.file == CONFIG_FILE}
    assert wrong == {("kontakt_epost", "statement.type"), ("forenlighet", "statement.type")}


def test_values_from_the_file_are_escaped_in_the_statement(project_copy: Path) -> None:
    (project_copy / CONFIG_FILE).write_text(
        STATEMENT.replace("Kontaktcenter", 'Kontakt <script>alert("x")</script>'), encoding="utf-8"
    )
    text, page = _statement_text(project_copy)
    assert not page.xpath("//script") and '<script>alert("x")</script>' in text
