"""Charts in the house style, returned as an accessible <figure>: SVG image, alt text, caption."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from html import escape

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from rapportbok.formatting import format_number
from rapportbok.style import GRID, HATCHES, SERIES, apply_house_style
from rapportbok.tables import HtmlBlock


def figure_html(figure: Figure, *, alt: str, caption: str) -> HtmlBlock:
    """Embed `figure` as SVG with an alt text that states what it shows."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return HtmlBlock(
        '<figure class="rb-figure">'
        f'<img src="data:image/svg+xml;base64,{encoded}" alt="{escape(alt, quote=True)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def grouped_bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    value_label: str,
) -> Figure:
    """Horizontal grouped bars, one group per category, one bar per series."""
    apply_house_style()
    height = 0.8 + 0.55 * len(categories) * max(1, len(series)) / 2
    figure, axes = plt.subplots(figsize=(7.5, height))
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
    axes.set_yticks(list(positions), labels=list(categories))
    axes.invert_yaxis()
    axes.set_title(title, loc="left")
    axes.set_xlabel(value_label)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, loc="lower right")
    figure.tight_layout()
    return figure
