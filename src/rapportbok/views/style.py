"""Colours and matplotlib settings shared by every chart (one house style)."""

from __future__ import annotations

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

RC_PARAMS = {
    "font.family": "DejaVu Sans",
    "font.size": 10,  # points; the pages show charts at least at natural size on a desktop (≥ 11 CSS px)
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
