"""What the first chapter of a process pays for once: a chart drawn and a table typed.

Matplotlib finds and loads its fonts and the SVG writer at the first chart, and Frictionless builds its
field types and models at the first table; every chapter kernel paid this (about 0.2 CPU-seconds) before
it drew or typed anything of its own. A build's zygote (pipeline/processes/fork_server.py) calls
`warm_up` once, so every kernel forked from it starts with both done.

Nothing a chapter can see changes: the chart is a `Figure` of its own (pyplot and the notebook's inline
backend never hear of it), matplotlib's settings are restored, and the table is read from memory, not
from data/, and kept nowhere.
"""

from __future__ import annotations

import io

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from rapportbok.core.formatting import format_number
from rapportbok.data.read_table import warm_up as warm_up_tables
from rapportbok.views.style import FIGURE_WIDTH, SERIES, apply_house_style


def warm_up() -> None:
    """Draw one chart in the house style to SVG and type one table row, leaving no trace."""
    with mpl.rc_context():
        apply_house_style()
        figure = Figure(figsize=(FIGURE_WIDTH, 3.4), layout="constrained")
        axes = figure.add_subplot()
        axes.bar([0, 1], [1.5, 2.5], color=SERIES[0], label="stapel")
        axes.plot([0, 1], [2.0, 1.0], color=SERIES[1], marker="o", label="linje")
        axes.set_xticks([0, 1], ["Å", "ö"])
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
        figure.legend(frameon=False, loc="outside lower center", ncol=2)
        figure.savefig(io.BytesIO(), format="svg", metadata={"Date": None})
    warm_up_tables()
