"""Colours and matplotlib settings shared by every chart (one house style)."""

from __future__ import annotations

import math

import matplotlib as mpl

# Charts are drawn for a white surface, on the page in both colour schemes and in the PDF.
SURFACE = "#ffffff"
# Okabe–Ito colours: distinguishable with the common forms of colour blindness; both have at least
# 3:1 contrast against the surface as graphical objects (WCAG 1.4.11), and so do the axes and the
# grid lines. Text stays near-black.
BLUE = "#0072B2"
VERMILION = "#D55E00"
TEXT = "#1a1a1a"
GRID = "#8c8c8c"
SERIES = (BLUE, VERMILION)
HATCHES = ("", "//")  # a second cue besides colour
MARKERS = ("o", "s")
LINESTYLES = ("-", "--")

# Charts are drawn for the phone: the page scales a chart down to its column, 356 CSS px inside the
# image's border at a 390 px wide screen, and its text must stay at least 11 CSS px there (a point of
# the drawing is then 356 / width px). One drawing serves the desktop (natural size, text 13 px), the
# phone and the print edition (natural size on the page, or scaled to a grid column: ≥ 8 pt).
FONT_POINTS = 10
PHONE_COLUMN_PX = 356
MIN_PHONE_TEXT_PX = 11
FIGURE_WIDTH = math.floor(FONT_POINTS * PHONE_COLUMN_PX / MIN_PHONE_TEXT_PX / 72 * 10) / 10  # inches: 4.4

RC_PARAMS = {
    "font.family": "DejaVu Sans",
    "font.size": FONT_POINTS,  # the smallest text of every chart: ticks, legend, axis labels
    "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "text.color": TEXT,
    "figure.facecolor": SURFACE,
    "axes.facecolor": SURFACE,
    "svg.fonttype": "none",
    "svg.hashsalt": "rapportbok",  # stable ids in SVG output
    "axes.formatter.use_locale": False,
}


def apply_house_style() -> None:
    """Set matplotlib defaults for every chart."""
    mpl.rcParams.update(RC_PARAMS)
