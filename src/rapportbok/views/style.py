"""Colours and matplotlib settings shared by every chart (one house style)."""

from __future__ import annotations

import matplotlib as mpl

# Okabe–Ito colours: distinguishable with the common forms of colour blindness; both have at least
# 3:1 contrast against white as graphical objects (WCAG 1.4.11). Text stays near-black.
BLUE = "#0072B2"
VERMILION = "#D55E00"
TEXT = "#1a1a1a"
GRID = "#c8c8c8"
SERIES = (BLUE, VERMILION)
HATCHES = ("", "//")  # a second cue besides colour
MARKERS = ("o", "s")
LINESTYLES = ("-", "--")

RC_PARAMS = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "text.color": TEXT,
    "svg.fonttype": "none",
    "svg.hashsalt": "rapportbok",  # stable ids in SVG output
    "axes.formatter.use_locale": False,
}


def apply_house_style() -> None:
    """Set matplotlib defaults for every chart."""
    mpl.rcParams.update(RC_PARAMS)
