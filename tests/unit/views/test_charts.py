"""Charts: honest axes, the target at its own year, readable text, colours with enough contrast."""

from __future__ import annotations

import base64
import re

from matplotlib.colors import to_rgb

from rapportbok.model.indicators import IndicatorHistory
from rapportbok.views.charts import figure_html, history_chart, line_chart
from rapportbok.views.style import GRID, SERIES, SURFACE, TEXT


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_colours_have_3_to_1_contrast_with_their_surface() -> None:
    """WCAG 1.4.11: series, axes and grid lines against the white surface the charts are shown on."""
    for colour in (*SERIES, TEXT, GRID):
        assert contrast(colour, SURFACE) >= 3, colour


def test_a_history_chart_starts_at_zero_and_marks_the_target_at_its_year() -> None:
    """Percentages between 18 and 24 are drawn from zero; the target is one marker at its year."""
    figure = history_chart(
        _history([2021, 2022, 2023, 2024], [18.0, 22.5, None, 24.0], target=20.0, unit="%", decimals=1),
        target_year=2024,
    )
    axes = figure.axes[0]
    assert axes.get_ylim()[0] == 0
    outcome, target = axes.get_lines()[:2]
    assert list(outcome.get_xdata()) == [2021, 2022, 2024]
    assert list(target.get_xdata()) == [2024] and list(target.get_ydata()) == [20.0]
    assert target.get_label() == "Mål 2024"
    assert axes.get_title() == ""  # the caption names the indicator in full, never cut


def test_an_outcome_at_its_target_is_drawn_over_the_target_diamond() -> None:
    """2 083 against a target of 2 100, the only outcome: the point is on top, not hidden by the diamond."""
    figure = history_chart(
        _history(
            [2021, 2022, 2023, 2024], [None, None, None, 2083.0], target=2100.0, unit="antal", decimals=0
        ),
        target_year=2024,
    )
    outcome, target = figure.axes[0].get_lines()[:2]
    assert outcome.get_zorder() > target.get_zorder()
    assert list(outcome.get_ydata()) == [2083.0]


def test_negative_values_keep_zero_in_view_with_a_zero_line() -> None:
    """A deviation of −12 to −5 percent is drawn down from zero, which is marked."""
    figure = history_chart(
        _history([2022, 2023], [-12.4, -5.7], target=-5.7, unit="%", decimals=1), target_year=2023
    )
    low, high = figure.axes[0].get_ylim()
    assert low < -12.4 and high == 0
    assert any(list(line.get_ydata()) == [0, 0] for line in figure.axes[0].get_lines())


def test_chart_text_is_at_least_ten_points() -> None:
    """The SVG's smallest text is 10 pt, which the page shows at 11 CSS px or more on a desktop."""
    figure = line_chart(["Jan", "Feb"], {"A": [1.0, 2.0], "B": [2.0, 1.5]}, value_label="%")
    html = figure_html(figure, alt="Prov", caption="Prov.").html
    svg = base64.b64decode(html.split("base64,")[1].split('"')[0]).decode()
    sizes = [float(size) for size in re.findall(r"font-size: ([0-9.]+)px", svg)]
    assert sizes and min(sizes) >= 10


def test_a_caption_can_stand_above_its_chart() -> None:
    """A chart without a title of its own gets its caption first."""
    figure = history_chart(_history([2024], [1.0], target=None, unit=None, decimals=0), target_year=2024)
    html = figure_html(figure, alt="Prov", caption="Indikatorns namn.", caption_above=True, tight=False).html
    assert html.index("<figcaption>") < html.index("<img")


def _history(
    years: list[int], outcomes: list[float | None], *, target: float | None, unit: str | None, decimals: int
) -> IndicatorHistory:
    return IndicatorHistory("prov", "Prov", unit, decimals, years, outcomes, [None] * len(years), target)
