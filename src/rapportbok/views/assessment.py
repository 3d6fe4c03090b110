"""Assessments and trends as symbol *and* text (never colour alone)."""

from __future__ import annotations

from html import escape

from rapportbok.core.formatting import is_missing
from rapportbok.core.slug import slug

ASSESSMENT_SYMBOLS = {
    "Uppfyllt": "✓",
    "Delvis uppfyllt": "◐",
    "Ej uppfyllt": "✗",
    "Inget värde angivet": "–",
}
TREND_SYMBOLS = {"Positiv": "↗", "Oförändrad": "→", "Negativ": "↘", "Ej utvärderad": "–"}


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
