"""Charts in the house style, returned as an accessible <figure>: SVG image, alt text, caption."""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from html import escape

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from rapportbok.core.formatting import format_number
from rapportbok.model.indicators import IndicatorHistory
from rapportbok.views.chart_axes import category_limits, category_ticks, value_axis
from rapportbok.views.style import (
    FIGURE_WIDTH,
    GRID,
    HATCHES,
    LINESTYLES,
    MARKERS,
    SERIES,
    SURFACE,
    TEXT,
    apply_house_style,
)
from rapportbok.views.tables import HtmlBlock


def figure_html(
    figure: Figure,
    *,
    alt: str,
    caption: str,
    tight: bool = False,
    data: HtmlBlock | None = None,
    caption_above: bool = False,
) -> HtmlBlock:
    """Embed `figure` as SVG with an alt text that states what it shows.

    Every chart lays itself out inside its figure (constrained layout or fixed margins), so the SVG is
    exactly FIGURE_WIDTH wide, the width its text is sized for on a phone; `tight` would crop it to its
    content instead (one more rendering pass, and a width that follows the content).
    `caption_above` puts the caption first, as the title of a chart that has none.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    image = f'<img src="data:image/svg+xml;base64,{encoded}" alt="{escape(alt, quote=True)}">'
    figcaption = f"<figcaption>{escape(caption)}</figcaption>"
    parts = [figcaption, image] if caption_above else [image, figcaption]
    return HtmlBlock(f'<figure class="rb-figure">{"".join(parts)}{_data_details(data)}</figure>')


def _data_details(data: HtmlBlock | None) -> str:
    """The chart's data as a table the reader can open."""
    if data is None:
        return ""
    summary = "<summary>Visa diagrammets data som tabell</summary>"
    return f'<details class="rb-chart-data">{summary}{data.html}</details>'


CATEGORY_CHARACTERS = 16  # a bar's category label is wrapped to keep the plot area wide


def grouped_bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    value_label: str,
) -> Figure:
    """Horizontal grouped bars, one group per category, one bar per series. The chart has no title of
    its own: its caption, above it (`figure_html(caption_above=True)`), names it once."""
    apply_house_style()
    height = 1.3 + 0.4 * len(categories) * max(1, len(series)) / 2
    figure, axes = plt.subplots(figsize=(FIGURE_WIDTH, height), layout="constrained")
    bar_height = 0.8 / len(series)
    positions = range(len(categories))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p + (index - (len(series) - 1) / 2) * bar_height for p in positions]
        axes.barh(
            offsets,
            values,
            height=bar_height,
            label=name,
            color=SERIES[index % len(SERIES)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="white",
            linewidth=0.5,
        )
    labels = [textwrap.fill(category, CATEGORY_CHARACTERS) for category in categories]
    axes.set_yticks(list(positions), labels=labels)
    axes.invert_yaxis()
    axes.set_xlabel(value_label)
    value_axis(axes, [value for values in series.values() for value in values], markers=False, axis="x")
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4))  # room for the labels of large amounts
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
    axes.grid(axis="x", color=GRID, linewidth=0.6, linestyle=":")
    axes.set_axisbelow(True)
    figure.legend(frameon=False, loc="outside lower center", ncol=len(series))  # never over a bar or line
    return figure


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    value_label: str,
    decimals: int = 1,
) -> Figure:
    """Lines with markers over ordered categories (e.g. months), one line per series; no title of its
    own, as grouped_bar_chart."""
    apply_house_style()
    figure, axes = plt.subplots(figsize=(FIGURE_WIDTH, 3.4), layout="constrained")
    positions = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        axes.plot(
            positions,
            values,
            label=name,
            color=SERIES[index % len(SERIES)],
            marker=MARKERS[index % len(MARKERS)],
            linestyle=LINESTYLES[index % len(LINESTYLES)],
        )
    category_ticks(axes, list(labels), positions)
    category_limits(axes, positions)
    axes.set_ylabel(value_label)
    value_axis(axes, [value for values in series.values() for value in values], markers=True)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, decimals)))
    axes.grid(axis="y", color=GRID, linewidth=0.6, linestyle=":")
    axes.set_axisbelow(True)
    figure.legend(frameon=False, loc="outside lower center", ncol=len(series))  # never over a bar or line
    return figure


def history_chart(history: IndicatorHistory, *, target_year: int) -> Figure:
    """A small chart of one indicator: outcomes per year, and the target as a marker at its own year;
    the axis in the indicator's unit and decimals.

    The chart has no title of its own: the figure's caption names the indicator in full.
    """
    years, values, target = history.years, history.outcomes, history.target
    apply_house_style()
    figure, axes = plt.subplots(figsize=(FIGURE_WIDTH, 2.7))
    points = [(year, value) for year, value in zip(years, values, strict=True) if value is not None]
    if points:
        axes.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=SERIES[0],
            marker="o",
            markeredgecolor=SURFACE,  # a ring that sets the point off from a target diamond beneath it
            label="Utfall",
            zorder=3,  # over the target: an outcome close to its target is never hidden by the diamond
        )
    if target is not None:
        axes.plot(
            [target_year],
            [target],
            color=SERIES[1],
            marker="D",
            markersize=9,
            linestyle="none",
            markeredgecolor=TEXT,
            markeredgewidth=0.8,
            label=f"Mål {target_year}",
        )
    axes.set_xticks(list(years), labels=[str(year) for year in years])
    category_limits(axes, years)
    axes.set_ylabel(history.unit or "")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, history.decimals)))
    axes.grid(axis="y", color=GRID, linewidth=0.6, linestyle=":")
    axes.set_axisbelow(True)
    value_axis(axes, [value for _, value in points] + ([target] if target is not None else []), markers=True)
    if points or target is not None:
        axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, 1.16), ncol=2)
    # Fixed margins instead of tight_layout: the small charts all look alike and render twice as fast.
    figure.subplots_adjust(left=0.21, right=0.97, top=0.86, bottom=0.1)
    return figure
