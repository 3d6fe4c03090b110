"""Swedish number format: `-305 285`, `22,4 mnkr`, `7,3 %`.

Thousands are grouped with a no-break space (so a number never wraps across lines, and Swedish Excel
reads it back when pasted), the decimal sign is a comma, and halves round away from zero, as in printed
reports.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from num2words import num2words

GROUP = "\u00a0"  # no-break space
MINUS = "-"
MONTHS = (  # the months as Swedish dates name them: 1 januari 2024
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA."""
    import pandas as pd  # loaded on first use: the command line's messages format counts without it

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def as_float(value: Any) -> float:
    """A number as float, and a missing value as NaN (charts leave it out)."""
    return float("nan") if is_missing(value) else float(value)


def is_value(value: Any, wanted: Any) -> bool:
    """value == wanted, where a missing value (None, NaN, NA) is never equal to anything."""
    return not is_missing(value) and value == wanted


def format_number(value: Any, decimals: int = 0, *, missing: str = "") -> str:
    """Format a number in Swedish: 1234567.891 → '1 234 567,9' with decimals=1."""
    if is_missing(value):
        return missing
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0"
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + GROUP.join(groups)
    return f"{text},{fraction}" if decimals > 0 else text


def format_signed(value: Any, decimals: int = 0, *, missing: str = "") -> str:
    """Like format_number, with an explicit plus sign for positive values: '+1 100'."""
    text = format_number(value, decimals, missing=missing)
    if not is_missing(value) and text and not text.startswith(MINUS) and Decimal(str(value)) != 0:
        return "+" + text
    return text


def format_percent(value: Any, decimals: int = 1, *, missing: str = "") -> str:
    """A value already in percent: 7.3 → '7,3 %'."""
    if is_missing(value):
        return missing
    return f"{format_number(value, decimals)}{GROUP}%"


def format_tkr(value: Any, *, signed: bool = False, missing: str = "") -> str:
    """Thousands of kronor: 1100 → '1 100 tkr' (or '+1 100 tkr' when signed)."""
    if is_missing(value):
        return missing
    number = format_signed(value) if signed else format_number(value)
    return f"{number}{GROUP}tkr"


def format_mnkr(value_tkr: Any, decimals: int = 1, *, missing: str = "") -> str:
    """Millions of kronor from tkr: 22355 → '22,4 mnkr'."""
    if is_missing(value_tkr):
        return missing
    millions = Decimal(str(value_tkr)) / 1000
    return f"{format_number(millions, decimals)}{GROUP}mnkr"


def number_in_words(value: Any, genus: str = "ett") -> str:
    """A whole number in Swedish words: 13 → 'tretton'; 1 → 'ett' (or 'en' with genus='en')."""
    number = int(value)
    if number == 1 and genus == "en":
        return "en"
    return num2words(number, lang="sv")


def count_text(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: '1 varning', '2 varningar', '0 varningar'."""
    return f"{count} {singular if count == 1 else plural}"
