"""Back-tests on the built 2024 book: every goal, indicator, assignment and figure on the right page."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from rapportbok.core.formatting import format_number
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from tests.e2e.conftest import page, visible_text

pytestmark = pytest.mark.e2e
SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture(scope="module")
def report(built: Path) -> Report:
    return load_year(2024, built / "data" / "kommunstyrelsekontoret")


def test_every_goal_title_and_its_analysis_is_on_the_goal_page(built: Path, report: Report) -> None:
    """Each of the 18 goals has its heading, assessment in words and analysis."""
    text = visible_text(page(built, "maluppfyllelse"))
    for goal in report.inriktningsmal.itertuples():
        assert f"{goal.mal_id}. {goal.titel}" in text
    assert text.count("Bedömning ✓ Uppfyllt") == 13
    assert text.count("Bedömning ✗ Ej uppfyllt") == 5
    assert "Bedömningen görs utifrån att åtta av nio indikatorer når uppsatta målvärden." in text


def test_every_indicator_outcome_is_shown_in_swedish_format(built: Path, report: Report) -> None:
    """Every indicator with a 2024 outcome shows it with its decimals, e.g. 7,3 and 361 133."""
    html = page(built, "maluppfyllelse")
    cells = {
        unescape(cell).replace("\u00a0", " ") for cell in re.findall(r'<td class="rb-num">([^<]*)</td>', html)
    }
    outcomes = report.indikator_utfall[report.indikator_utfall["ar"] == 2024].set_index("indikator_id")
    decimals = report.indikatorer.set_index("indikator_id")["decimaler"]
    shown = 0
    for indicator, row in outcomes.iterrows():
        if not pd.isna(row["utfall"]):
            assert format_number(row["utfall"], int(decimals[indicator])).replace("\u00a0", " ") in cells
            shown += 1
    assert shown == 28  # 32 indicators; no 2024 outcome for 1.1-03 (*), 3.1-01, 3.1-02, 6.2-01
    assert "361 133" in cells and "7,3" in cells and "11,23" in cells and "*" in cells


def test_every_assignment_title_and_status_is_on_its_goal(built: Path, report: Report) -> None:
    """All 36 uppdrag and nämndinitiativ appear with their status and latest comment."""
    text = visible_text(page(built, "maluppfyllelse"))
    for task in report.uppdrag.itertuples():
        assert task.titel in text, task.uppdrag_id
        row = f"{task.titel} {task.ansvarig_avdelning} {task.prognos} {task.slutdatum.isoformat()}"
        assert f"{row} {task.status}" in text, task.uppdrag_id


def test_the_summary_chapter_counts_come_from_data(built: Path) -> None:
    """The assignment summary table is computed and the goals not fulfilled are listed with reasons."""
    text = visible_text(page(built, "mal-indikatorer-uppdrag"))
    assert "Uppdrag Slutförd 11 6 17" in text
    assert "Nämndinitiativ Slutförd 10 3 13" in text
    assert "Totalt 21 15 36" in text
    assert "Totalt tretton inriktningsmål bedöms nå måluppfyllelse och fem inriktningsmål" in text
    for goal in ("2.1.", "3.1.", "3.2.", "3.3.", "6.3."):
        assert f'href="maluppfyllelse.html#mal-{goal[:-1].replace(".", "-")}"' in page(
            built, "mal-indikatorer-uppdrag"
        )
    assert "Trygghetskameror ska sättas upp på fler utsatta eller potentiellt utsatta platser." in text
    assert (
        "Ta fram förslag på ny vision för Norrtälje kommun samt en implementeringsplan för införande." in text
    )


def test_sick_leave_per_month_and_turnover(built: Path, report: Report) -> None:
    """The monthly values of both groups, the yearly figures and the turnover are on the page."""
    text = visible_text(page(built, "arbetsgivare"))
    for month, name in ((1, "Jan"), (7, "Jul"), (12, "Dec")):
        values = report.sjukfranvaro.set_index(["grupp", "manad"])["procent"]
        nämnd = format_number(values[("Nämnden", month)], 1)
        kommun = format_number(values[("Kommunen", month)], 1)
        assert f"{name} {nämnd} {kommun}".replace("\u00a0", " ") in text
    assert "Nämnden 3,8 Kommunen 5,6" in text
    assert "Extern personalomsättning 7,19 Intern personalomsättning 4,94" in text
    assert "Sjukfrånvaron för kommunstyrelsekontoret under året var 3,8 %." in text
    assert 'alt="Linjediagram över sjukfrånvaron per månad 2024' in page(built, "arbetsgivare")


def test_summary_and_narrative_chapters(built: Path) -> None:
    """Sammanfattning keeps the published 22,3 mnkr; the heading takes the municipality from data."""
    text = visible_text(page(built, "sammanfattning"))
    assert "en positiv nettoavvikelse om 22,3 mnkr mot årets budget" in text
    assert "Norrtälje kommun som arbetsgivare" in text
    assert "Riskanalys" in visible_text(page(built, "viktiga-handelser"))
    assert "Nämndinitiativet föredrogs för kommunstyrelsen den 9 september." in visible_text(
        page(built, "tjanstegarantier")
    )


def _table_structure(html: str, table_id: str) -> dict[str, object]:
    table = re.search(rf'<table class="rb-table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    headers = [visible_text(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)]
    rows = [
        [visible_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.S)[0].split("</tr>")
        if "<t" in row
    ]
    return {
        "caption": visible_text(re.search(r"<caption[^>]*>(.*?)</caption>", table).group(1)),
        "headers": headers,
        "rows": rows,
    }


def test_one_goal_table_matches_its_snapshot(built: Path) -> None:
    """Goal 3.3's indicator table has the expected structure and content (tests/e2e/snapshots)."""
    structure = _table_structure(page(built, "maluppfyllelse"), "mal-3-3-indikatorer")
    expected = json.loads((SNAPSHOTS / "mal-3-3-indikatorer.json").read_text(encoding="utf-8"))
    assert structure == expected
