"""Assessments and trends as symbol *and* text (never colour alone)."""

from __future__ import annotations

from html import escape

from rapportbok.core.formatting import is_missing
from rapportbok.core.slug import slug
from rapportbok.data.vocabulary import Assessment, Trend

ASSESSMENT_SYMBOLS = {
    Assessment.FULFILLED: "✓",
    Assessment.PARTLY_FULFILLED: "◐",
    Assessment.NOT_FULFILLED: "✗",
    Assessment.NO_VALUE: "–",
}
TREND_SYMBOLS = {Trend.POSITIVE: "↗", Trend.UNCHANGED: "→", Trend.NEGATIVE: "↘", Trend.NOT_EVALUATED: "–"}


def _badge(value: object, symbols: dict[str, str], kind: str) -> str:
    if is_missing(value):
        return '<span class="rb-missing">saknas</span>'
    text = str(value)
    symbol = symbols.get(text, "")
    mark = f'<span class="rb-symbol" aria-hidden="true">{symbol}</span> ' if symbol else ""
    return f'<span class="rb-badge rb-{kind}-{slug(text)}">{mark}{escape(text)}</span>'


def assessment_html(value: object) -> str:
    """'✓ Uppfyllt' with a class for colour; the symbol is hidden from screen readers."""
    return _badge(value, ASSESSMENT_SYMBOLS, "bedomning")


def trend_html(value: object) -> str:
    """'↗ Positiv' with a class for colour; the symbol is hidden from screen readers."""
    return _badge(value, TREND_SYMBOLS, "trend")
