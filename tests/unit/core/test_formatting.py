"""Swedish number format."""

from __future__ import annotations

import pandas as pd
import pytest

from rapportbok.core.formatting import (
    GROUP,
    format_mnkr,
    format_number,
    format_percent,
    format_signed,
    format_tkr,
)


def plain(text: str) -> str:
    return text.replace(GROUP, " ")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (-305285, 0, "-305 285"),
        (1234.5, 1, "1 234,5"),
        (999, 0, "999"),
        (1000, 0, "1 000"),
        (1234567.891, 2, "1 234 567,89"),
        (0.05, 1, "0,1"),
        (-0.04, 1, "0,0"),
        (22.35, 1, "22,4"),
    ],
)
def test_it_formats_numbers_the_swedish_way(value: float, decimals: int, expected: str) -> None:
    """It groups thousands with a space, uses a decimal comma and rounds halves up."""
    assert plain(format_number(value, decimals)) == expected


def test_it_uses_a_no_break_space_between_thousands() -> None:
    """It never lets a number wrap across two lines."""
    assert format_number(305285) == f"305{GROUP}285"


def test_it_formats_money_and_percent() -> None:
    """It formats 22 355 tkr as '22,4 mnkr', 7.3 as '7,3 %', and signs deviations."""
    assert plain(format_mnkr(22355)) == "22,4 mnkr"
    assert plain(format_mnkr(-1267)) == "-1,3 mnkr"
    assert plain(format_percent(7.3)) == "7,3 %"
    assert plain(format_tkr(1100, signed=True)) == "+1 100 tkr"
    assert plain(format_tkr(-137, signed=True)) == "-137 tkr"
    assert format_signed(0) == "0"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_it_shows_missing_values_as_empty(missing: object) -> None:
    """It prints nothing (or the given text) for a value the data does not have."""
    assert format_number(missing) == ""
    assert format_mnkr(missing, missing="–") == "–"
