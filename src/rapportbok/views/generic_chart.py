"""The block `chart`: a line or bar chart of numeric columns of any table that has a schema, with honest
axes (from zero; every point and target marker whole, with headroom), the unit from the schema on the
axis, target markers, an alt text written from the data and the data as a table behind the chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from rapportbok.core.formatting import as_float, format_number, is_missing
from rapportbok.core.slug import slug
from rapportbok.data.block_names import BlockNames, as_names
from rapportbok.data.report import Report
from rapportbok.data.schema import FieldSpec
from rapportbok.exceptions import DataError, Problem
from rapportbok.views.chart_axes import category_limits, category_ticks, value_axis
from rapportbok.views.charts import figure_html
from rapportbok.views.generic_table import BLOCK_ERROR, decimals_of, field_column, require_names
from rapportbok.views.style import FIGURE_WIDTH, GRID, SERIES, TEXT, apply_house_style
from rapportbok.views.tables import HtmlBlock, html_table

# Four series at most, each told apart by colour, marker and line style (or hatch). The two colours added
# to the house's are Okabe–Ito's bluish green and reddish purple: ≥ 3:1 against the white surface.
COLOURS = (*SERIES, "#009E73", "#CC79A7")
MARKERS = ("o", "s", "^", "v")
LINESTYLES = ("-", "--", "-.", ":")
HATCHES = ("", "//", "..", "xx")
KINDS = {"line": "Linjediagram", "bar": "Stapeldiagram"}
ALT_POINTS = 12  # a series with more points is summed up by its highest and lowest in the alt text
MAX_TICK_DECIMALS = 6  # tick positions are rounded this far before their decimals are counted
LEGEND_COLUMNS = 3  # legend entries side by side above the chart; more go on a new row


@dataclass(frozen=True)
class ChartData:
    """What one chart draws: category labels, one series per column, the target, units and decimals."""

    title: str
    kind: str
    labels: list[str]
    series: list[tuple[FieldSpec, list[float]]]
    target: tuple[FieldSpec, list[float]] | None
    unit: str | None
    decimals: int


def _label(spec: FieldSpec, value: object) -> str:
    """A category as the chart writes it: whole numbers (years) without grouping, dates in ISO."""
    if is_missing(value):
        return "(saknas)"
    if spec.type == "integer":
        return str(int(value))  # a year is 2024, not 2 024
    if spec.type == "number":
        return format_number(value, decimals_of(pd.Series([value])))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def chart_problem(report: Report, name: str, message: str, allowed: str, code: str) -> list[Problem]:
    """Why a chart cannot be drawn as asked, located at its table's file."""
    shown = f"{report.shown_folder}/{name}.csv"
    return [Problem(shown, message, allowed=allowed, code=f"block.chart.{code}")]


def _unit(report: Report, name: str, specs: list[FieldSpec]) -> str | None:
    """The one unit of every drawn column (one value axis), or a DataError when they differ."""
    units = {spec.unit for spec in specs}
    if len(units) > 1:
        shown = ", ".join(f"{spec.name}: {spec.unit or 'ingen enhet'}" for spec in specs)
        raise DataError(
            chart_problem(
                report,
                name,
                f"kolumnerna i diagrammet har olika enheter ({shown})",
                "ett diagram har en värdeaxel: rita kolumner med samma enhet, eller ett diagram var",
                "units",
            ),
            heading=BLOCK_ERROR,
        )
    return units.pop()


def chart_data(report: Report, name: str, x: str, y: Sequence[str], target: str | None) -> ChartData:
    """Read the columns a chart draws, after checking that they exist and hold numbers."""
    names = BlockNames(name, (x,), (*y, *as_names(target)))
    schema = require_names(report, names)
    if not y or len(y) > len(COLOURS):
        raise DataError(
            chart_problem(
                report,
                name,
                f"ett diagram ritar 1–{len(COLOURS)} kolumner, inte {len(y)}",
                "dela upp kolumnerna på flera diagram",
                "series",
            ),
            heading=BLOCK_ERROR,
        )
    frame = report.tables[name]
    specs = {spec.name: spec for spec in schema.fields}
    drawn = [specs[column] for column in names.numeric]
    series = [(specs[column], [as_float(value) for value in frame[column]]) for column in y]
    goal = (specs[target], [as_float(value) for value in frame[target]]) if target else None
    return ChartData(
        title=schema.title,
        kind="",
        labels=[_label(specs[x], value) for value in frame[x]],
        series=series,
        target=goal,
        unit=_unit(report, name, drawn),
        decimals=max((decimals_of(frame[spec.name]) for spec in drawn), default=0),
    )


def _values(data: ChartData) -> list[float]:
    drawn = [*data.series, *([data.target] if data.target else [])]
    return [value for _, values in drawn for value in values if not pd.isna(value)]


def _draw_lines(axes: Axes, data: ChartData, positions: list[float]) -> None:
    for index, (spec, values) in enumerate(data.series):
        axes.plot(
            positions,
            values,
            label=spec.title,
            color=COLOURS[index],
            marker=MARKERS[index],
            linestyle=LINESTYLES[index],
        )


def _draw_bars(axes: Axes, data: ChartData, positions: list[float]) -> None:
    width = 0.8 / len(data.series)
    for index, (spec, values) in enumerate(data.series):
        offset = (index - (len(data.series) - 1) / 2) * width
        axes.bar(
            [position + offset for position in positions],
            [0.0 if pd.isna(value) else value for value in values],
            width=width,
            label=spec.title,
            color=COLOURS[index],
            hatch=HATCHES[index],
            edgecolor="white",
            linewidth=0.5,
        )


def _draw_target(axes: Axes, data: ChartData, positions: list[float]) -> None:
    if data.target is None:
        return
    spec, values = data.target
    axes.plot(
        positions,
        values,
        color=TEXT,
        marker="D",
        markersize=8,
        markerfacecolor="white",
        markeredgewidth=1.5,
        linestyle="none",
        label=spec.title,
        zorder=3,
    )


def chart_figure(data: ChartData) -> Figure:
    """The chart in the house style: categories along the horizontal axis, values from zero upwards."""
    apply_house_style()
    figure, axes = plt.subplots(figsize=(FIGURE_WIDTH, 3.4), layout="constrained")  # room for the legend
    positions = [float(position) for position in range(len(data.labels))]
    (_draw_lines if data.kind == "line" else _draw_bars)(axes, data, positions)
    _draw_target(axes, data, positions)
    category_ticks(axes, data.labels, positions)
    category_limits(axes, positions)  # the first and last point inside the plot
    markers = data.kind == "line" or data.target is not None
    value_axis(axes, _values(data), markers=markers)
    axes.set_ylabel(data.unit or "")
    ticks = decimals_of(pd.Series(axes.get_yticks()).round(MAX_TICK_DECIMALS))  # 80, not 80,00
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, ticks)))
    axes.grid(axis="y", color=GRID, linewidth=0.6, linestyle=":")
    axes.set_axisbelow(True)
    entries = len(data.series) + (data.target is not None)
    figure.legend(frameon=False, loc="outside upper center", ncol=min(entries, LEGEND_COLUMNS))
    return figure


def _series_words(spec: FieldSpec, values: list[float], data: ChartData) -> str:
    unit = f" {data.unit}" if data.unit else ""
    points = [(label, value) for label, value in zip(data.labels, values, strict=True) if not pd.isna(value)]
    missing = len(values) - len(points)
    if not points:
        return f"{spec.title}: värden saknas."
    if len(points) <= ALT_POINTS:
        listed = ", ".join(f"{label}: {format_number(value, data.decimals)}{unit}" for label, value in points)
    else:
        high = max(points, key=lambda point: point[1])
        low = min(points, key=lambda point: point[1])
        listed = (
            f"{len(points)} värden, högst {high[0]} ({format_number(high[1], data.decimals)}{unit}), "
            f"lägst {low[0]} ({format_number(low[1], data.decimals)}{unit})"
        )
    gap = f" Värde saknas för {missing} av {len(values)}." if missing else ""
    return f"{spec.title}: {listed}.{gap}"


def chart_alt(data: ChartData) -> str:
    """The chart in words: its kind and subject, then each series' values (or highest and lowest)."""
    parts = [f"{KINDS[data.kind]} över {data.title}{f' ({data.unit})' if data.unit else ''}."]
    parts += [_series_words(spec, values, data) for spec, values in data.series]
    if data.target is not None:
        parts.append(_series_words(*data.target, data))
    return " ".join(parts)


def chart_table(report: Report, name: str, x: str, data: ChartData) -> HtmlBlock:
    """The chart's data: the category column and every drawn column, formatted as the table block does."""
    frame = report.tables[name]
    drawn = [spec for spec, _ in data.series] + ([data.target[0]] if data.target else [])
    specs = {spec.name: spec for spec in require_names(report, BlockNames(name)).fields}
    return html_table(
        frame,
        [field_column(specs[x], frame[x]), *[field_column(spec, frame[spec.name]) for spec in drawn]],
        caption=f"Diagrammets data: {data.title}",
        table_id=f"diagramdata-{slug(name)}-{'-'.join(slug(spec.name) for spec in drawn)}",
    )


def chart(
    report: Report,
    name: str,
    *,
    x: str,
    y: str | Sequence[str],
    kind: str = "line",
    target: str | None = None,
    title: str | None = None,
) -> HtmlBlock:
    """A line or bar chart of numeric columns of the table `name`, one category per row, e.g.
    chart(report, "volymer", x="ar", y=["brukare"], kind="bar", target="mal").

    `x` names the categories (years, activities), `y` one to four numeric columns of one unit, `target`
    a numeric column drawn as a marker per category; `title` defaults to the schema's title.
    """
    if kind not in KINDS:
        raise DataError(
            chart_problem(
                report,
                name,
                f'okänt slags diagram "{kind}"',
                'kind="line" (linjediagram) eller kind="bar" (stapeldiagram)',
                "kind",
            ),
            heading=BLOCK_ERROR,
        )
    data = chart_data(report, name, x, as_names(y), target)
    data = replace(data, kind=kind, title=title or data.title)
    return figure_html(
        chart_figure(data),
        alt=chart_alt(data),
        caption=f"{data.title}.",
        caption_above=True,
        data=chart_table(report, name, x, data),
    )
