"""The one value-axis rule of every chart: from zero (or the lowest negative value) to the highest value,
with headroom, so that every marker, target diamond and bar end is drawn whole inside the plot area."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from matplotlib.axes import Axes

from rapportbok.views.style import FIGURE_WIDTH, TEXT

HEADROOM = 0.12  # of the axis' span, beyond the highest value and beyond the lowest negative one
FOOT = 0.08  # of the span, below zero, when a marker sits on zero (it would be cut in half by the axis)
LABEL_WIDTH = 14  # characters per line of a category label that is wrapped
MAX_WRAPPED = 6  # more categories than this whose labels do not fit side by side are slanted instead
CHAR_POINTS = 6.4  # the width of a character of a 10 pt label, about
PLOT_POINTS = FIGURE_WIDTH * 72 - 60  # the width of the plot area, about (the figure less the value axis)


def honest_limits(values: Sequence[float], *, markers: bool = False) -> tuple[float, float]:
    """The value axis for `values`: zero always in view, headroom on the side away from zero; with
    `markers`, also room beyond zero for a marker drawn at (or near) zero."""
    drawn = [value for value in values if not math.isnan(value)]
    low, high = min([0.0, *drawn]), max([0.0, *drawn])
    if low == high:  # nothing but zeros (or nothing): an axis from zero all the same
        return (-FOOT if markers and drawn else 0.0, 1.0)
    span = high - low
    bottom = low - HEADROOM * span if low < 0 else 0.0
    top = high + HEADROOM * span if high > 0 else 0.0
    if markers:
        bottom, top = _room_at_zero(drawn, bottom, top, span)
    return bottom, top


def _room_at_zero(drawn: list[float], bottom: float, top: float, span: float) -> tuple[float, float]:
    """Room past zero for a marker on (or near) zero when zero is the edge of the axis."""
    if bottom == 0.0 and min(drawn) < FOOT * span:
        bottom = -FOOT * span
    if top == 0.0 and max(drawn) > -FOOT * span:
        top = FOOT * span
    return bottom, top


def value_axis(axes: Axes, values: Sequence[float], *, markers: bool, axis: str = "y") -> None:
    """Set the rule's limits on the value axis, and a zero line where the axis goes below zero."""
    bottom, top = honest_limits(values, markers=markers)
    if axis == "y":
        axes.set_ylim(bottom, top)
        if bottom < 0:
            axes.axhline(0, color=TEXT, linewidth=0.8)
    else:
        axes.set_xlim(bottom, top)
        if bottom < 0:
            axes.axvline(0, color=TEXT, linewidth=0.8)


def category_limits(axes: Axes, positions: Sequence[float]) -> None:
    """Half a category's width beyond the first and last: a marker at either end is drawn whole."""
    if positions:
        axes.set_xlim(min(positions) - 0.5, max(positions) + 0.5)


def category_ticks(axes: Axes, labels: Sequence[str], positions: Sequence[float]) -> None:
    """The categories under the chart: wrapped when few, slanted when too many to stand side by side."""
    widest = max((len(label) for label in labels), default=0)
    crowded = (widest + 1) * CHAR_POINTS > PLOT_POINTS / max(1, len(labels))  # a space between
    if crowded and (len(labels) > MAX_WRAPPED or widest <= LABEL_WIDTH):
        axes.set_xticks(list(positions), labels=list(labels), rotation=45, ha="right", rotation_mode="anchor")
    else:
        axes.set_xticks(list(positions), labels=[textwrap.fill(label, LABEL_WIDTH) for label in labels])
