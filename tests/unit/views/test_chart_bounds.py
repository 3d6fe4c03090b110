"""Every chart of the 2024 report shows every point, target diamond and bar whole, inside its plot area,
and all its text inside the drawing: measured with matplotlib's transforms after layout (data → display
coordinates against the axes' window extent, each marker's own extent included), the way the SVG that
the web page and the PDF show is drawn. The charts are the ones the chapters' views make."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.data.schema import FieldSpec
from rapportbok.model.indicators import history_years, indicator_histories
from rapportbok.views import arbetsgivare, charts, ekonomi, maluppfyllelse
from rapportbok.views.chart_axes import honest_limits
from rapportbok.views.generic_chart import ChartData, chart_figure
from rapportbok.views.style import FIGURE_WIDTH, FONT_POINTS, MIN_PHONE_TEXT_PX, PHONE_COLUMN_PX
from tests.conftest import ROOT

TOLERANCE = 0.5  # display pixels: anti-aliasing, not a cut
# The charts the issue names as clipped, and the indicators with negative values and a target of zero.
NAMED = ("utbildningsplatser", "kundnöjdhet", "Engagemang", "Uppklarning", "bevakningskameror")
EDGE_CASES = (*NAMED, "Budgetföljsamhet")


@dataclass
class Drawn:
    """One chart as a view made it: what its caption says, and the figure after layout."""

    caption: str
    figure: Figure
    problems: list[str]  # measured before figure_html closes the figure
    above: bool = False  # the caption above the chart (the chart's only title)


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


@pytest.fixture(scope="module")
def drawn(report: Report) -> list[Drawn]:
    """Every chart the chapter views of 2024 make, caught on its way to the page (after layout)."""
    found: list[Drawn] = []
    original = charts.figure_html

    def catch(figure: Figure, **options: object) -> object:
        figure.canvas.draw()
        above = bool(options.get("caption_above"))
        found.append(Drawn(str(options["caption"]), figure, _problems(figure), above))
        return original(figure, **options)

    with pytest.MonkeyPatch.context() as patch:
        for module in (ekonomi, arbetsgivare, maluppfyllelse):
            patch.setattr(module, "figure_html", catch)
        ekonomi.budget_chart(report)
        arbetsgivare.sick_leave_chart(report)
        for goal_id in maluppfyllelse.goal_ids(report):
            maluppfyllelse.indicator_charts(report, goal_id)
    return found


def _marker_extent(line: Line2D, dpi: float) -> tuple[float, float]:
    """Half the width and half the height of one of the line's markers, edge included, in pixels."""
    style = MarkerStyle(line.get_marker())
    if style.get_path() is None or line.get_marker() in ("None", "", " ", None):
        return 0.0, 0.0
    extents = style.get_path().transformed(style.get_transform()).get_extents()
    scale = line.get_markersize() * dpi / 72
    edge = line.get_markeredgewidth() * dpi / 72 / 2
    return (
        max(abs(extents.x0), abs(extents.x1)) * scale + edge,
        max(abs(extents.y0), abs(extents.y1)) * scale + edge,
    )


def _is_reference(line: Line2D, axes: Axes) -> bool:
    """The zero line (axhline/axvline), drawn in axes coordinates across the plot: not a data point."""
    return line.get_transform() != axes.transData


def _points_outside(axes: Axes, box: Bbox, dpi: float) -> Iterator[str]:
    for line in axes.get_lines():
        if _is_reference(line, axes):
            continue
        half_width, half_height = _marker_extent(line, dpi)
        for (x, y), (data_x, data_y) in zip(
            axes.transData.transform(line.get_xydata()), line.get_xydata(), strict=True
        ):
            if math.isnan(x) or math.isnan(y):
                continue
            inside = (
                box.x0 - TOLERANCE <= x - half_width
                and x + half_width <= box.x1 + TOLERANCE
                and box.y0 - TOLERANCE <= y - half_height
                and y + half_height <= box.y1 + TOLERANCE
            )
            if not inside:
                yield f"{line.get_label()} ({data_x}, {data_y})"


def _bars_outside(axes: Axes, box: Bbox) -> Iterator[str]:
    for patch in axes.patches:
        if isinstance(patch, Rectangle):
            extent = patch.get_window_extent()
            if not (
                box.x0 - TOLERANCE <= extent.x0
                and extent.x1 <= box.x1 + TOLERANCE
                and box.y0 - TOLERANCE <= extent.y0
                and extent.y1 <= box.y1 + TOLERANCE
            ):
                yield f"stapel {patch.get_label()} {patch.get_width():.0f}×{patch.get_height():.0f}"


def _text_outside(figure: Figure) -> Iterator[str]:
    """Anything drawn (text above all) beyond the edge of the drawing, where the saved SVG would cut it."""
    drawn = figure.get_tightbbox(figure.canvas.get_renderer())  # inches, every artist that is drawn
    page = figure.bbox_inches
    slack = 1 / figure.dpi
    if drawn.x0 < page.x0 - slack or drawn.x1 > page.x1 + slack or drawn.y1 > page.y1 + slack:
        yield f"utanför bilden: {drawn.bounds} av {page.bounds}"
    if drawn.y0 < page.y0 - slack:
        yield f"utanför bilden nedtill: {drawn.bounds} av {page.bounds}"


def _problems(figure: Figure) -> list[str]:
    """Every point, marker or bar outside its plot area, and every text outside the drawing."""
    found = []
    for axes in figure.axes:
        box = axes.get_window_extent()
        found += [*_points_outside(axes, box, figure.dpi), *_bars_outside(axes, box)]
    return found + list(_text_outside(figure))


def test_every_chart_of_the_2024_report_is_measured(drawn: list[Drawn], report: Report) -> None:
    histories = sum(
        len(indicator_histories(report, goal_id, history_years(report)))
        for goal_id in maluppfyllelse.goal_ids(report)
    )
    assert len(drawn) == histories + 2  # the Ekonomi bar chart and the sick leave chart
    captions = " ".join(chart.caption for chart in drawn)
    for named in NAMED:
        assert named in captions, named  # the charts the issue names as clipped


def test_every_point_target_and_bar_of_every_chart_lies_inside_its_plot_area(drawn: list[Drawn]) -> None:
    outside = {chart.caption: chart.problems for chart in drawn if chart.problems}
    assert outside == {}


def test_every_value_axis_includes_zero(drawn: list[Drawn]) -> None:
    for chart in drawn:
        axes = chart.figure.axes[0]
        bars = chart.caption.startswith("Nettokostnad per verksamhet")  # values along the x axis
        low, high = axes.get_xlim() if bars else axes.get_ylim()
        assert low <= 0 <= high, chart.caption


def _field(name: str, title: str, unit: str | None) -> FieldSpec:
    return FieldSpec(name, "number", title, unit, "", False, None)


def test_the_2024_indicators_drawn_by_the_generic_chart_block_lie_inside_too(report: Report) -> None:
    """The block `chart` (any table with a schema) follows the same axis rule: the named 2024 indicators
    and those with negative values and a zero target, as line and as bar charts with their targets."""
    histories = [
        history
        for goal_id in maluppfyllelse.goal_ids(report)
        for history in indicator_histories(report, goal_id, history_years(report))
        if any(name in history.name for name in EDGE_CASES)
    ]
    assert len(histories) >= len(EDGE_CASES)
    for history in histories:
        outcomes = [np.nan if value is None else value for value in history.outcomes]
        target = [np.nan] * (len(outcomes) - 1) + [np.nan if history.target is None else history.target]
        for kind in ("line", "bar"):
            data = ChartData(
                title=history.name,
                kind=kind,
                labels=[str(year) for year in history.years],
                series=[(_field("utfall", "Utfall", history.unit), outcomes)],
                target=(_field("mal", "Mål", history.unit), target),
                unit=history.unit,
                decimals=history.decimals,
            )
            figure = chart_figure(data)
            figure.canvas.draw()
            assert _problems(figure) == [], (history.name, kind)
            plt.close(figure)


@pytest.mark.parametrize(
    "values",
    [[2083.0], [0.0, 0.0], [0.0, 12.0], [80.0, 90.0, 95.0], [-12.4, -5.7], [-3.0, 0.0, 4.0]],
    ids=["one-maximum", "zeros", "target-zero", "high-values", "negative", "both-signs"],
)
def test_the_axis_rule_leaves_room_beyond_the_highest_and_lowest_marker(values: list[float]) -> None:
    low, high = honest_limits(values, markers=True)
    span = high - low
    assert low <= 0 <= high
    assert (high - max(values)) / span >= 0.07 or max(values) < 0  # headroom above the highest marker
    assert (min(values) - low) / span >= 0.06 or min(values) > 0.08 * span


def test_chart_text_is_at_least_11_css_px_on_a_phone_by_the_figure_width() -> None:
    """A chart is drawn FIGURE_WIDTH wide, so a 10 pt text is ≥ 11 CSS px in the phone's column."""
    assert FONT_POINTS * PHONE_COLUMN_PX / (FIGURE_WIDTH * 72) >= MIN_PHONE_TEXT_PX


def test_each_chart_is_named_once_by_its_caption_above_it(drawn: list[Drawn]) -> None:
    """No chart repeats its caption as a title inside the drawing (issue 28: the title was in the SVG
    and again in the figure's caption): the figure and its axes have no title, the caption stands first."""
    for chart in drawn:
        suptitle = chart.figure.get_suptitle()
        assert suptitle == "", f"{chart.caption}: title {suptitle!r} inside the chart"
        assert all(axes.get_title() == "" for axes in chart.figure.axes), chart.caption
        assert chart.above, f"{chart.caption}: the caption is not above the chart"
