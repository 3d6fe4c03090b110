"""Figures typed by hand in narrative (narrative.typed): what is reported and what is not."""

from __future__ import annotations

import pytest

from rapportbok.narrative.typed import typed_figures


def written(source: str) -> list[str]:
    return [figure.written for figure in typed_figures(source)]


def test_it_reports_amounts_percentages_and_number_words_with_their_line() -> None:
    source = "IT redovisar 11,3 mnkr.\nAv dem är tio uppdrag och 0,5%-enheter, 2 500 tkr och 7 %."
    found = typed_figures(source)
    assert [(f.written, f.line) for f in found] == [
        ("11,3 mnkr", 1),
        ("tio", 2),
        ("0,5%-enheter", 2),
        ("2 500 tkr", 2),
        ("7 %", 2),
    ]


def test_a_figure_broken_over_two_lines_is_written_as_one() -> None:
    assert written("ett överskott om cirka 1,4\nmnkr.") == ["1,4 mnkr"]


@pytest.mark.parametrize(
    "source",
    [
        "Under 2024 och 2021–2022, åren 2025 – 2030 och 2025/2026.",
        "Beslut den 6 maj, den 2 oktober 2024 och 2024-12-31.",
        "Mål 7.3, indikator 1.1-01, lagen (2018:1937), målområde 7 och projekt 24007.",
        "Se [rapporten](https://example.org/2024/rapport-11.pdf) eller <https://example.org/22>.",
        "Överskottet är {{ drift.summa.avvikelse | mnkr }} och {{ uppdrag.antal | ord }} uppdrag.",
        "U11 och N03 går över; ett par månader; de båda uppdragen; första kvartalet.",
        "Kontrollsumman (SHA-256), PDF/UA-1 och tecknet &#96;.",
    ],
)
def test_years_dates_ids_addresses_and_placeholders_are_not_typed_figures(source: str) -> None:
    assert written(source) == []


def test_a_number_after_an_id_word_with_a_unit_is_still_an_amount() -> None:
    assert written("Projekt 24007 kostade 75 tkr.") == ["75 tkr"]


def test_an_amount_with_a_decimal_point_is_still_an_amount() -> None:
    assert written("Mål 7.3 gav 11.3 mnkr och 7.3 %.") == ["11.3 mnkr", "7.3 %"]
