"""WCAG 2 contrast between two colours written '#RRGGBB'."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}", re.ASCII)
TEXT_CONTRAST = 4.5  # WCAG 1.4.3: text, including text coloured to carry a meaning
GRAPHIC_CONTRAST = 3.0  # WCAG 1.4.11: symbols and other graphics that carry a meaning


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#RRGGBB'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21, order does not matter)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
