"""Chapter views: counts and texts computed from data, symbols with text, escaping."""

from __future__ import annotations

import pytest

from rapportbok.core.formatting import number_in_words
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.model.assignments import counts_by_kind, summary
from rapportbok.model.goals import goal_figures
from rapportbok.views.arbetsgivare import sick_leave_alt
from rapportbok.views.assessment import assessment_html, trend_html
from rapportbok.views.ekonomi import budget_chart_alt
from rapportbok.views.maluppfyllelse import goal_section
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


def test_assessment_and_trend_have_a_symbol_and_words() -> None:
    """Never colour alone: the text is always there, the symbol is hidden from screen readers."""
    assert assessment_html("Ej uppfyllt") == (
        '<span class="rb-badge rb-bedomning-ej-uppfyllt"><span class="rb-symbol" aria-hidden="true">✗</span> '
        "Ej uppfyllt</span>"
    )
    assert "↗</span> Positiv" in trend_html("Positiv")
    assert "&lt;b&gt;" in assessment_html("<b>")


def test_numbers_in_words_follow_swedish_gender() -> None:
    """13 → tretton, 1 → ett (neuter, as in 'ett uppdrag') or en ('en indikator')."""
    assert [number_in_words(n) for n in (1, 4, 5, 13, 17, 18)] == [
        "ett",
        "fyra",
        "fem",
        "tretton",
        "sjutton",
        "arton",
    ]
    assert number_in_words(1, "en") == "en"


def test_goal_figures_count_indicators_and_assignments(report: Report) -> None:
    """Goal 1.1: nine indicators, eight fulfilled; goal 6.1: two nämndinitiativ finished."""
    figures = goal_figures(report)
    assert (figures["1.1"]["indikatorer"], figures["1.1"]["indikatorer_uppfyllda"]) == (9, 8)
    assert figures["6.1"]["namndinitiativ_slutforda"] == 2
    assert (figures["3.1"]["indikatorer_matta"], figures["3.1"]["indikatorer_utan_varde"]) == (1, 2)


def test_the_summary_follows_the_assignments(report: Report) -> None:
    """Changing one assignment's status moves it in the computed summary (nothing is hard-coded)."""
    before = summary(report).set_index(["typ", "status"])
    changed = report.uppdrag.copy()
    changed.loc[changed["uppdrag_id"] == "U01", "status"] = "Kvarstående"
    altered = Report(report.meta, report.book, {**report.tables, "uppdrag": changed})
    after = summary(altered).set_index(["typ", "status"])
    assert after.loc[("Uppdrag", "Slutförd"), "total"] == before.loc[("Uppdrag", "Slutförd"), "total"] - 1
    assert after.loc[("Uppdrag", "Kvarstående"), "total"] == 1
    assert counts_by_kind(report)["namndinitiativ"] == {
        "antal": 18,
        "slutford": 13,
        "stangs": 3,
        "kvarstaende": 1,
        "struken": 1,
        "gar_over": 4,
    }


def test_alt_texts_state_the_finding(report: Report) -> None:
    """Alt texts say what the chart shows, computed from the data."""
    budget = budget_chart_alt(report).replace("\u00a0", " ")
    assert "6 av 7 verksamheter hade lägre nettokostnad än budget." in budget
    assert "Högre än budget: HR-avdelning (-137 tkr)." in budget
    assert "Störst avvikelse hade IT, +13 450 tkr." in budget
    sick = sick_leave_alt(report).replace("\u00a0", " ")
    assert "Nämndens sjukfrånvaro var lägre än kommunens 11 av 12 månader." in sick
    assert "Kommunen: högst i feb (9,2 %), lägst i jul (2,5 %)." in sick


def test_a_goal_section_is_navigable_and_complete(report: Report) -> None:
    """Each goal section has an anchor, heading, assessment in words, tables with captions and charts."""
    html = goal_section(report, "3.3").html
    assert '<section class="rb-goal" id="mal-3-3"' in html
    assert '<h2 id="mal-3-3-rubrik">3.3. Säkerställa en god kommunal servicenivå' in html
    assert "<caption" in html and html.count("<figure") == 5
    assert 'alt="Linjediagram över Tid från larm till framkomst till skadeplats' in html
    assert "Nämndinitiativ för inriktningsmål 3.3" in html
