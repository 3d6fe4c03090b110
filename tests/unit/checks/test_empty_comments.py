"""Comments of only "." (the source system's empty field) never reach the page, and `check` says where."""

from __future__ import annotations

import csv
from pathlib import Path

from rapportbok.checks.comments import EMPTY_COMMENT_CODE, empty_comments
from rapportbok.data.comments import is_empty_comment
from rapportbok.data.load import load_year
from rapportbok.views.mal_indikatorer_uppdrag import TOTAL_LABEL, assignment_summary_table
from rapportbok.views.maluppfyllelse import comment_html, indicator_table
from tests.conftest import ROOT


def test_a_comment_of_a_dot_or_spaces_is_empty_and_words_are_not() -> None:
    assert all(is_empty_comment(text) for text in (".", " . ", "", "  ", None, float("nan"), "-"))
    assert not any(is_empty_comment(text) for text in ("Ok.", "3", "Se ovan."))


def test_an_empty_comment_shows_neither_its_date_nor_its_dot() -> None:
    from datetime import date

    assert comment_html(".", date(2024, 12, 31)) == ""
    assert comment_html("Klart.", date(2024, 12, 31)).endswith("Klart.")


def test_check_locates_every_empty_comment_of_2024() -> None:
    """The 2024 data has indicator comments of only "."; each is found by file, line and column."""
    report = load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")
    found = empty_comments(report)
    frame = report.indikatorer
    dots = frame.index[frame["kommentar"].fillna("").str.strip() == "."]
    assert len(found) == len(dots) > 0
    assert {item.code for item in found} == {EMPTY_COMMENT_CODE}
    assert {(item.file, item.column) for item in found} == {
        ("data/kommunstyrelsekontoret/2024/indikatorer.csv", "kommentar")
    }
    path = ROOT / "data/kommunstyrelsekontoret/2024/indikatorer.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))  # row 1 is the header, as in every message
    assert all(rows[item.row - 2]["kommentar"] == "." for item in found)


def test_the_page_shows_no_empty_comment(tmp_path: Path) -> None:
    """Goal 7.3's only indicator has the comment "." in 2024: its table has no "2024-12-31: ."."""
    report = load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")
    html = indicator_table(report, "7.3").html
    assert ":</span> ." not in html and f"{report.meta.period_end.isoformat()}:" not in html


def test_the_summary_names_its_total_row_for_readers_not_as_the_source_system() -> None:
    report = load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")
    html = assignment_summary_table(report).html
    assert "Total Summa" not in html and "Total summa" not in html
    assert html.count(TOTAL_LABEL) == 2  # the column and the last row
