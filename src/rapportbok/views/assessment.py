"""Assessments and trends as symbol *and* text (never colour alone), in the organisation's words.

Norrtälje's scale (the default vocabulary) is coloured by the classes of rapportbok.css. Another scale's
badge carries its colours itself: `color: light-dark(<light>, <dark>)`, which follows the colour scheme
the page is in (the site sets `color-scheme` for light, dark and the reader's choice); a browser without
light-dark() drops the declaration and shows the text colour, readable in both schemes (symbol and words
still tell the levels apart). The print edition takes the light colours from the badge's class
(pdf/typst/document.py).
"""

from __future__ import annotations

from html import escape

from rapportbok.core.formatting import is_missing
from rapportbok.core.slug import slug
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, Level, OrgVocabulary
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


def colour_style(level: Level | None) -> str:
    """The style attribute that colours a badge of another vocabulary ('' without colours)."""
    if level is None or level.light is None or level.dark is None:
        return ""
    return f' style="color: light-dark({level.light}, {level.dark})"'


def _vocabulary_badge(value: object, kind: str, label: str, symbol: str, colour: Level | None) -> str:
    if is_missing(value):
        return '<span class="rb-missing">saknas</span>'
    mark = f'<span class="rb-symbol" aria-hidden="true">{escape(symbol)}</span> ' if symbol else ""
    css = f"rb-{kind}-{slug(str(value))}"
    return f'<span class="rb-badge {css}"{colour_style(colour)}>{mark}{escape(label)}</span>'


def assessment_html(value: object, vocabulary: OrgVocabulary = DEFAULT_VOCABULARY) -> str:
    """'✓ Uppfyllt' with a class for colour; the symbol is hidden from screen readers. In another
    vocabulary: its level's symbol, label and colours."""
    if vocabulary.is_default:
        return _badge(value, ASSESSMENT_SYMBOLS, "bedomning")
    level = vocabulary.level(value)
    if level is None:
        return _vocabulary_badge(value, "bedomning", str(value), "", None)
    return _vocabulary_badge(value, "bedomning", level.label, level.symbol, level)


def trend_html(value: object, vocabulary: OrgVocabulary = DEFAULT_VOCABULARY) -> str:
    """'↗ Positiv' with a class for colour; the symbol is hidden from screen readers."""
    if vocabulary.is_default:
        return _badge(value, TREND_SYMBOLS, "trend")
    word = next((word for word in vocabulary.trends.values() if word.value == value), None)
    symbol = "" if word is None else word.symbol
    return _vocabulary_badge(value, "trend", str(value), symbol, vocabulary.trend_colours().get(str(value)))
