"""The blocks a chapter notebook calls (rapportbok.views.blocks): the registry, and the generic `table` and
`chart` of any table with a schema, here one the organisation declares itself."""

from __future__ import annotations

import base64
import inspect
import re
import shutil
from dataclasses import replace

import pytest

from rapportbok.core.book import BookId
from rapportbok.data.load import load_book
from rapportbok.data.report import Report
from rapportbok.exceptions import DataError
from rapportbok.views import blocks
from rapportbok.views.blocks import BLOCKS, GROUPS, BlockSequence, chart, table
from rapportbok.views.chart_axes import honest_limits
from rapportbok.views.generic_chart import chart_data, chart_figure
from tests.conftest import ROOT

ORG = "kommunstyrelsekontoret"
SCHEMA = """\
title: Volymer inom hemtjänsten
fields:
  - name: ar
    title: År
    type: integer
  - name: verksamhet
    title: Verksamhet
    type: string
  - name: brukare
    title: Antal brukare
    type: integer
    unit: st
  - name: timmar
    title: Beviljade timmar
    type: number
    unit: timmar
  - name: mal
    title: Mål för antal brukare
    type: integer
    unit: st
  - name: andel
    title: Andel nöjda
    type: number
    unit: "%"
primaryKey: [ar, verksamhet]
"""
CSV = (
    "ar,verksamhet,brukare,timmar,mal,andel\n"
    '2022,"<script>alert(1)</script> & co",1412,151234.5,1500,81.25\n'
    "2023,Hemtjänst,1398,149000,1500,\n"
    "2024,Hemtjänst,1520,160123.75,1450,83.5\n"
)

DECISIONS = """\
title: Beslut
fields:
  - {name: arende, title: Ärende, type: string}
  - {name: beviljat, title: Beviljat, type: boolean}
  - {name: datum, title: Beslutsdatum, type: date}
"""
DECISIONS_CSV = "arende,beviljat,datum\nA,true,2024-03-01\nB,false,\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The real 2024 year with a declared table `volymer` (a hostile text in one cell)."""
    root = tmp_path_factory.mktemp("blocks")
    shutil.copytree(ROOT / "data" / ORG / "2024", root / "data" / ORG / "2024")
    (root / "data" / ORG / "tabeller").mkdir()
    (root / "data" / ORG / "tabeller" / "volymer.yaml").write_text(SCHEMA, encoding="utf-8")
    (root / "data" / ORG / "2024" / "volymer.csv").write_text(CSV, encoding="utf-8")
    (root / "data" / ORG / "tabeller" / "beslut.yaml").write_text(DECISIONS, encoding="utf-8")
    (root / "data" / ORG / "2024" / "beslut.csv").write_text(DECISIONS_CSV, encoding="utf-8")
    return load_book(BookId(ORG, 2024, root))


def _problem_codes(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


def _svg(html: str) -> str:
    return base64.b64decode(html.split("base64,")[1].split('"')[0]).decode()


# The registry


def test_every_block_is_registered_once_in_a_known_group_with_a_swedish_description() -> None:
    names = [entry.name for entry in BLOCKS]
    assert len(names) == len(set(names))
    assert [entry.group for entry in BLOCKS] == sorted(
        (entry.group for entry in BLOCKS), key=GROUPS.index
    )  # listed group by group, in the order of GROUPS
    for entry in BLOCKS:
        assert getattr(blocks, entry.name) is entry.function
        assert entry.description.endswith(".") and "\n" not in entry.description
        assert entry.example.startswith(f"{entry.name}(report")
        assert next(iter(inspect.signature(entry.function).parameters)) == "report"


def test_the_module_exports_exactly_the_registered_blocks_and_start_chapter() -> None:
    """What a notebook may import from the blocks module is what the handbook lists (and start_chapter)."""
    exported = set(blocks.__all__) - {"BLOCKS", "GROUPS", "Block", "BlockSequence", "start_chapter"}
    assert exported == {entry.name for entry in BLOCKS}


def test_every_existing_view_a_chapter_notebook_calls_is_a_block() -> None:
    """The chapter notebooks import their views from the blocks module only."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        source = path.read_text(encoding="utf-8")
        assert "rapportbok.views.blocks import" in source, path.name
        assert not re.search(r"from rapportbok\.views\.(?!blocks\b)\w+ import", source), path.name


def test_goal_sections_shows_each_goal_as_its_own_output(report: Report) -> None:
    sections = blocks.goal_sections(report)
    assert isinstance(sections, BlockSequence)
    assert len(sections.blocks) == len(report.inriktningsmal)
    assert sections.blocks[0].html.startswith('<section class="rb-goal" id="mal-')


def test_a_sequence_of_blocks_is_displayed_as_one_output_per_block(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the chapter's former loop of display() calls: the book gets the same outputs."""
    shown: list[object] = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    sections = blocks.goal_sections(report)
    sections._ipython_display_()
    assert shown == list(sections.blocks)


def test_year_in_brief_links_each_key_figure_to_its_chapter(report: Report) -> None:
    html = blocks.year_in_brief(report).html
    assert 'href="maluppfyllelse.html"' in html and 'href="ekonomi.html"' in html


# table


def test_a_declared_table_has_its_schemas_titles_units_and_swedish_numbers(report: Report) -> None:
    html = table(report, "volymer").html
    assert '<caption id="tabell-volymer-caption">Volymer inom hemtjänsten</caption>' in html
    assert '<th scope="col" class="rb-num">Antal brukare (st)</th>' in html
    assert '<th scope="col" class="rb-num">Andel nöjda (%)</th>' in html
    assert '<th scope="row" class="rb-num">2022</th>' in html  # the first column holds the row headers
    assert '<td class="rb-num">1\u00a0412</td>' in html  # integers: space thousands, no decimals
    # numbers: comma decimals, as many as the column's values need (here two)
    assert "151\u00a0234,50" in html and "160\u00a0123,75" in html and "149\u00a0000,00" in html
    assert "81,25" in html and '<td class="rb-num"></td>' in html  # an empty value stays empty


def test_table_cell_text_is_escaped(report: Report) -> None:
    html = table(report, "volymer").html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_table_shows_the_chosen_columns_in_the_chosen_order(report: Report) -> None:
    html = table(report, "volymer", columns=["verksamhet", "brukare"], caption="Brukare", table_id="b").html
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    assert headers == ["Verksamhet", "Antal brukare (st)"]
    assert '<caption id="b-caption">Brukare</caption>' in html and "timmar" not in html


def test_table_renders_a_package_table_from_its_schema(report: Report) -> None:
    html = table(report, "sjukfranvaro_ar").html
    assert "Sjukfrånvaro (%)" in html and 'aria-labelledby="tabell-sjukfranvaro-ar-caption"' in html


def test_an_unknown_table_or_column_is_a_located_swedish_error(report: Report) -> None:
    with pytest.raises(DataError) as unknown_table:
        table(report, "volymr")
    assert _problem_codes(unknown_table) == ["block.table.unknown"]
    assert str(unknown_table.value.problems[0]).startswith(
        f'data/{ORG}/2024/volymr.csv: tabellen "volymr" finns inte (tabellerna är: malomraden,'
    )
    assert "volymer" in str(unknown_table.value)
    with pytest.raises(DataError) as unknown_column:
        table(report, "volymer", columns=["verksamhet", "kunder"])
    assert _problem_codes(unknown_column) == ["block.column.unknown"]
    assert str(unknown_column.value.problems[0]) == (
        f'data/{ORG}/2024/volymer.csv: tabellen "volymer" har ingen kolumn "kunder" '
        "(kolumnerna är: ar, verksamhet, brukare, timmar, mal, andel)"
    )


# chart


def test_a_bar_chart_starts_at_zero_with_headroom_over_bars_and_targets(report: Report) -> None:
    data = chart_data(report, "volymer", "ar", ("brukare",), "mal")
    figure = chart_figure(replace(data, kind="bar"))
    axes = figure.axes[0]
    low, high = axes.get_ylim()
    assert low == 0 and high > 1520
    assert axes.get_ylabel() == "st"
    target = next(line for line in axes.get_lines() if line.get_label() == "Mål för antal brukare")
    assert list(target.get_ydata()) == [1500, 1500, 1450]
    assert [tick.get_text() for tick in axes.get_xticklabels()] == ["2022", "2023", "2024"]


def test_line_chart_markers_lie_inside_the_plot_area(report: Report) -> None:
    """Every point and target marker, in display coordinates, is inside the axes (none clipped)."""
    data = chart_data(report, "volymer", "ar", ("brukare",), "mal")
    figure = chart_figure(replace(data, kind="line"))
    figure.canvas.draw()
    axes = figure.axes[0]
    box = axes.get_window_extent()
    radius = max(line.get_markersize() for line in axes.get_lines()) * figure.dpi / 72 / 2
    for line in axes.get_lines():
        for x, y in axes.transData.transform(line.get_xydata()):
            assert box.x0 + radius <= x <= box.x1 - radius
            assert box.y0 <= y <= box.y1 - radius


def test_honest_limits_keep_zero_and_room_above_the_highest_and_below_negative_values() -> None:
    assert honest_limits([10.0, 20.0]) == (0.0, pytest.approx(22.4))
    low, high = honest_limits([-5.0, 15.0])
    assert low < -5 and high > 15
    assert honest_limits([]) == (0.0, 1.0)  # nothing to draw: still an axis from zero


def test_chart_has_a_generated_alt_text_a_caption_and_its_data_table(report: Report) -> None:
    html = chart(report, "volymer", x="ar", y="brukare", kind="bar", target="mal", title="Brukare").html
    alt = re.search(r'alt="([^"]*)"', html)[1]
    assert alt == (
        "Stapeldiagram över Brukare (st). Antal brukare: 2022: 1\u00a0412 st, 2023: 1\u00a0398 st, "
        "2024: 1\u00a0520 st. Mål för antal brukare: 2022: 1\u00a0500 st, 2023: 1\u00a0500 st, "
        "2024: 1\u00a0450 st."
    )
    assert html.index("<figcaption>Brukare.</figcaption>") < html.index("<img")
    details = html[html.index('<details class="rb-chart-data">') :]
    assert "Diagrammets data: Brukare" in details and "Mål för antal brukare (st)" in details
    assert "<text" in _svg(html)  # the SVG keeps its text as text


def test_a_chart_of_columns_with_different_units_or_text_is_refused(report: Report) -> None:
    with pytest.raises(DataError) as units:
        chart(report, "volymer", x="ar", y=["brukare", "timmar"])
    assert _problem_codes(units) == ["block.chart.units"]
    with pytest.raises(DataError) as text:
        chart(report, "volymer", x="ar", y=["verksamhet"])
    assert _problem_codes(text) == ["block.column.not_numeric"]
    with pytest.raises(DataError) as kind:
        chart(report, "volymer", x="ar", y=["brukare"], kind="pie")
    assert _problem_codes(kind) == ["block.chart.kind"]
    with pytest.raises(DataError) as many:
        chart(report, "volymer", x="ar", y=["brukare", "mal", "brukare", "mal", "brukare"])
    assert _problem_codes(many) == ["block.chart.series"]
    with pytest.raises(DataError) as column:
        chart(report, "volymer", x="year", y=["brukare"], target="goal")
    assert _problem_codes(column) == ["block.column.unknown", "block.column.unknown"]


def test_a_missing_value_is_named_in_the_alt_text_and_not_drawn_as_zero_on_a_line(report: Report) -> None:
    html = chart(report, "volymer", x="ar", y="andel").html
    alt = re.search(r'alt="([^"]*)"', html)[1]
    assert "2022: 81,25 %" in alt
    assert "Värde saknas för 1 av 3." in alt


def test_the_value_axis_writes_its_ticks_with_the_decimals_they_need(report: Report) -> None:
    """Values with two decimals on an axis of whole tens: the ticks read 80, not 80,00."""
    data = chart_data(report, "volymer", "ar", ("andel",), None)
    figure = chart_figure(replace(data, kind="line"))
    figure.canvas.draw()
    ticks = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert "0" in ticks and "80" in ticks and not any("," in tick for tick in ticks)


def test_hostile_category_text_is_escaped_in_the_alt_text_and_the_data_table(report: Report) -> None:
    html = chart(report, "volymer", x="verksamhet", y="brukare", kind="bar").html
    assert "<script>" not in html
    alt = re.search(r'alt="([^"]*)"', html)[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co: 1\u00a0412 st" in alt
    assert '<th scope="row" class="rb-text">&lt;script&gt;' in html


def test_yes_no_and_dates_are_written_in_words_and_iso_form(report: Report) -> None:
    html = table(report, "beslut").html
    cells = re.findall(r"<t[hd] scope=\"row\"[^>]*>([^<]*)</th>|<td[^>]*>([^<]*)</td>", html)
    assert ["".join(cell) for cell in cells] == ["A", "Ja", "2024-03-01", "B", "Nej", ""]


def test_many_long_categories_are_slanted_and_a_few_stand_upright(report: Report) -> None:
    months = [f"Månad nummer {number}" for number in range(1, 13)]
    series = [(report.declared["volymer"].field("brukare"), [float(number) for number in range(12)])]
    few = chart_figure(replace(chart_data(report, "volymer", "ar", ("brukare",), None), kind="line"))
    assert all(label.get_rotation() == 0 for label in few.axes[0].get_xticklabels())  # three years
    data = replace(chart_data(report, "volymer", "ar", ("brukare",), None), labels=months, series=series)
    slanted = chart_figure(replace(data, kind="line")).axes[0].get_xticklabels()
    assert {label.get_rotation() for label in slanted} == {45}
