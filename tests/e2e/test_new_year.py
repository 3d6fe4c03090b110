"""A new fiscal year: start it, see what is missing, build a draft, fill it, publish both years side by
side.

2024 comes from the session's built book (its chapters are reused, not rebuilt); 2025 is started with
`new-year`, checked and built as a draft, then filled with generated values and built by `site`."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest

from rapportbok.core.formatting import format_number
from tests.e2e.conftest import copy_built, page, rapportbok, visible_text
from tests.fill_year import fill_year

pytestmark = pytest.mark.e2e


DRAFT_CHAPTERS = ("ekonomi", "maluppfyllelse", "arbetsgivare")


def _revise(data: Path, year: int, indicator: str, revised_year: int, value: str) -> None:
    path = data / str(year) / "indikator_utfall.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        if row[0] == indicator and row[1] == str(revised_year):
            row[2] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def started(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The built 2024 book with 2025 started by new-year: `check` of the unfilled year, then a draft
    built without PDF (its chapter pages kept), then 2025 filled with generated values and the site
    built. One project, in the order an analyst goes (the unfilled year's stop without --draft is
    tested in tests/unit/cli/test_unfilled_year.py)."""
    project = copy_built(built, tmp_path_factory.mktemp("new-year") / "project")
    started = rapportbok(project, "new-year", "2025")
    assert started.returncode == 0, started.stderr
    to_do = rapportbok(project, "check", "--year", "2025")
    draft = rapportbok(project, "build", "--year", "2025", "--draft", "--no-pdf", "--jobs", "2")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    draft_pages = {name: page(project, name, 2025) for name in DRAFT_CHAPTERS}
    fill_year(project / "data" / "kommunstyrelsekontoret", 2025, 2024)
    _revise(project / "data" / "kommunstyrelsekontoret", 2025, "6.3-02", 2024, "370000")
    site = rapportbok(project, "site", "--jobs", "2")  # checks the filled year before building it
    assert site.returncode == 0, site.stdout + site.stderr
    assert (
        "kommunstyrelsekontoret 2024: oförändrad, byggdes inte om" in site.stdout
    )  # the session's build, reused
    return {"project": project, "to_do": to_do, "draft_pages": draft_pages}


@pytest.fixture(scope="module")
def two_years(started: dict) -> Path:
    """The project with both years built and published as a site."""
    return started["project"]


def test_the_new_year_shows_its_values_and_the_carried_history(two_years: Path) -> None:
    """2025 outcomes appear in the tables; 2021–2024 history in the charts; the change column."""
    page = (two_years / "_build/site/kommunstyrelsekontoret/2025/chapters/maluppfyllelse.html").read_text(
        encoding="utf-8"
    )
    text = visible_text(page)
    assert "Utfall dec 2025" in text and "Mål 2025" in text and "Förändring mot 2024" in text
    rows = csv.DictReader(
        io.StringIO(
            (two_years / "data/kommunstyrelsekontoret/2025/indikator_utfall.csv").read_text(encoding="utf-8")
        )
    )
    value = next(
        float(row["utfall"]) for row in rows if row["indikator_id"] == "1.1-01" and row["ar"] == "2025"
    )
    shown = format_number(value, 1).replace("\u00a0", " ")
    assert f"7,3 {shown}" in text  # 1.1-01: the 2024 outcome carried over, then the generated 2025 one
    assert "Utfall (procent): 2021: 6,0, 2022: 17,0, 2023: 11,7, 2024: 7,3, 2025: " + shown in unescape(
        page
    ).replace("\u00a0", " ")
    assert "Bedömning ✓ Uppfyllt" in text


def test_a_revised_outcome_is_reported(two_years: Path) -> None:
    """Guest nights 2024 changed in the 2025 data: the goal says so, with both values."""
    text = visible_text(
        (two_years / "_build/site/kommunstyrelsekontoret/2025/chapters/maluppfyllelse.html").read_text(
            encoding="utf-8"
        )
    )
    assert "Reviderade utfall jämfört med verksamhetsberättelsen 2024:" in text
    assert "2024: publicerat 361 133, nu 370 000" in text


def test_carried_assignments_and_templates(two_years: Path) -> None:
    """Only what goes over to next year is carried, with its status reset; finished ones are gone."""
    uppdrag = (two_years / "data/kommunstyrelsekontoret/2025/uppdrag.csv").read_text(encoding="utf-8")
    ids = [row["uppdrag_id"] for row in csv.DictReader(io.StringIO(uppdrag))]
    assert sorted(ids) == ["N03", "N08", "N13", "N14", "U11"]
    assert "Kvarstående" in uppdrag and "Slutförd" not in uppdrag


def test_the_site_has_every_year_and_a_switcher(two_years: Path) -> None:
    """_build/site lists the years; each page's year menu links to the same page of the other year;
    the PDFs are there."""
    site = two_years / "_build/site"
    book = site / "kommunstyrelsekontoret"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="kommunstyrelsekontoret/2025/index.html">Verksamhetsberättelse 2025</a>' in index
    assert '<a href="kommunstyrelsekontoret/2024/index.html">Verksamhetsberättelse 2024</a>' in index
    for year in (2024, 2025):
        assert (book / str(year) / f"kommunstyrelsekontoret-verksamhetsberattelse-{year}.pdf").is_file()
    chapter = (book / "2024/chapters/ekonomi.html").read_text(encoding="utf-8")
    years = chapter.split('<details class="rb-switcher rb-switcher-year">')[1].split("</details>")[0]
    assert '<a href="../../../kommunstyrelsekontoret/2025/chapters/ekonomi.html">2025</a>' in years
    assert (
        '<a href="../../../kommunstyrelsekontoret/2024/chapters/ekonomi.html" aria-current="page">2024</a>'
        in years
    )
    front = (book / "2025/index.html").read_text(encoding="utf-8")
    assert '<a href="../../kommunstyrelsekontoret/2024/index.html">2024</a>' in front
    assert '<a href="../../index.html">Alla organisationer och år, översikt</a>' in front


def test_an_unchanged_year_is_not_rebuilt(two_years: Path) -> None:
    """Running site again rebuilds nothing; changing 2025's data rebuilds 2025 only."""
    again = rapportbok(two_years, "site")
    assert again.returncode == 0, again.stderr
    assert "kommunstyrelsekontoret 2024: oförändrad, byggdes inte om" in again.stdout
    assert "kommunstyrelsekontoret 2025: oförändrad, byggdes inte om" in again.stdout
    text = two_years / "data/kommunstyrelsekontoret/2025/text/arbetsgivare/inledning.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    changed = rapportbok(two_years, "site", "--jobs", "2")
    assert "kommunstyrelsekontoret 2024: oförändrad, byggdes inte om" in changed.stdout
    assert "kommunstyrelsekontoret 2025: byggd (1 kapitel körda, 6 återanvända)" in changed.stdout


def test_new_year_refuses_to_overwrite(two_years: Path) -> None:
    """An existing year is never overwritten; a bad year never becomes a path."""
    again = rapportbok(two_years, "new-year", "2025")
    assert again.returncode == 1 and "data/kommunstyrelsekontoret/2025 finns redan" in again.stderr
    outside = rapportbok(two_years, "new-year", "../2026")
    assert outside.returncode == 1 and "fyra siffror" in outside.stderr
    assert not (two_years / "2026").exists() and not (two_years / "data/kommunstyrelsekontoret/2026").exists()


def test_check_lists_what_is_missing_grouped_by_file(started: dict) -> None:
    """Right after new-year, check gives a to-do list by file, including texts to rewrite."""
    checked = started["to_do"]
    assert checked.returncode == 1
    out = checked.stdout
    assert re.search(
        r"Att göra i data/kommunstyrelsekontoret/2025: \d+ uppgifter saknas, \d+ att kontrollera\n", out
    )
    assert "  data/kommunstyrelsekontoret/2025/inriktningsmal.csv (18 poster, " in out
    assert "    [krävs] Mål 1.1 En ekonomi i balans: bedömning, trend saknas; analys (text/" in out
    assert "    [kontrollera] Indikator 1.1-01 Budgetföljsamhet" in out
    assert "(2025): utfall, mål saknas (fyll i värdet, eller lämna tomt om det inte finns)" in out
    assert (
        "    [krävs] sammanfattning/mal.md: märkt [SKRIV OM] – skriv texten och ta bort märkningen\n" in out
    )
    assert re.search(
        r"data/kommunstyrelsekontoret/2025: 0 fel, \d+ uppgifter saknas, \d+ att kontrollera, 0 varningar\.",
        out,
    )


def test_the_draft_is_marked_on_every_chapter(started: dict) -> None:
    """A draft built while values are missing says UTKAST on its pages and marks what is missing."""
    for chapter, html in started["draft_pages"].items():
        assert "UTKAST" in html, chapter
    assert "saknas" in visible_text(started["draft_pages"]["maluppfyllelse"])
