"""The front page: the year in brief computed from the year's data, each figure linking to its chapter."""

from __future__ import annotations

import pytest

from rapportbok.core.formatting import format_mnkr, format_percent
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.views.forsida import front_page_body, key_figures
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


def test_the_year_in_brief_is_counted_from_the_data(report: Report) -> None:
    """Goals fulfilled of all, assignments completed, net deviation, sick leave: all from the tables."""
    goals, assignments, deviation, sick_leave = key_figures(report)
    assessed = report.inriktningsmal["bedomning"]
    assert goals.value == f"{(assessed == 'Uppfyllt').sum()} av {len(assessed)}"
    done = report.uppdrag["status"] == "Slutförd"
    assert assignments.value == f"{done.sum()} av {len(report.uppdrag)}"
    net = report.drift.set_index("post_id").loc["summa", "avvikelse"]
    assert deviation.value == "+" + format_mnkr(net) and deviation.note == "överskott"
    year = report.sjukfranvaro_ar.set_index("grupp")["procent"]
    assert sick_leave.value == format_percent(year["Nämnden"])
    assert sick_leave.note == f"hela kommunen: {format_percent(year['Kommunen'])}"
    assert [figure.chapter for figure in key_figures(report)] == [
        "maluppfyllelse",
        "mal-indikatorer-uppdrag",
        "ekonomi",
        "arbetsgivare",
    ]


def test_a_deficit_is_called_one(report: Report) -> None:
    """A negative net deviation is shown with its sign and called underskott."""
    changed = report.drift.copy()
    changed.loc[changed["post_id"] == "summa", "avvikelse"] = -1267
    other = Report(report.meta, report.book, {**report.tables, "drift": changed})
    figure = key_figures(other)[2]
    assert figure.value == format_mnkr(-1267) and figure.note == "underskott"


def test_the_front_page_links_each_figure_and_chapter(report: Report) -> None:
    """Each figure is one link to its chapter; the chapters follow in book order; text is escaped."""
    chapters = [("Mål", "maluppfyllelse"), ("Uppdrag", "mal-indikatorer-uppdrag"), ("Ekonomi", "ekonomi")]
    chapters += [("Arbetsgivare", "arbetsgivare"), ("<Kapitel>", "x")]
    html = front_page_body(report, chapters, "chapters")
    assert html.count('<a class="rb-key-figure" href="chapters/') == 4
    assert '<a class="rb-key-figure" href="chapters/arbetsgivare.html">' in html
    assert '<li><a href="chapters/ekonomi.html">Ekonomi</a></li>' in html
    assert "&lt;Kapitel&gt;" in html and "<Kapitel>" not in html
    assert "Året i korthet" in html and "Kommunstyrelsekontoret, Norrtälje kommun." in html


def test_a_book_without_a_figures_chapter_shows_no_such_figure(report: Report) -> None:
    """An organisation whose book has no economy, staff or assignment chapter (its own table of
    contents) gets only the figures of the chapters it has, and no link to a page that is not there."""
    html = front_page_body(report, [("Nämndmål", "maluppfyllelse"), ("Besök", "besok")], "chapters")
    assert html.count('class="rb-key-figure"') == 1
    assert 'href="chapters/maluppfyllelse.html"' in html
    for missing in ("ekonomi", "arbetsgivare", "mal-indikatorer-uppdrag"):
        assert f"chapters/{missing}.html" not in html, missing
    without = front_page_body(report, [("Besök", "besok")], "chapters")
    assert "Året i korthet" not in without and 'href="chapters/besok.html"' in without
