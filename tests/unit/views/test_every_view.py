"""Every view a chapter notebook calls, called directly: data is escaped, empty tables and long titles
work. Fast stand-ins for full builds (the e2e tests check the assembled pages)."""

from __future__ import annotations

import ast
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pandas as pd
import pytest

from rapportbok.data.load import load_year
from rapportbok.data.read_table import empty_frame
from rapportbok.data.report import Report
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.templates import text_keys
from rapportbok.views.maluppfyllelse import goal_ids
from rapportbok.views.tables import HtmlBlock
from tests.conftest import ROOT

# Closes an attribute and opens a tag: escaped, it is shown as text; unescaped, it would run.
ATTACK = '<img src=x onerror=alert(1)>" onmouseover="alert(2)'
RAW = ("<img src=x", '" onmouseover="')
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
# Views that show no text from the data files (only numbers, months and the schema's allowed values).
SHOWS_NO_FREE_TEXT = {"sick_leave_chart", "sick_leave_table", "sick_leave_year_table", "turnover_table"}
NOT_A_VIEW = {"start_chapter", "goal_ids"}  # loads the year; lists the goals (tested through goal_section)


def _notebook_views() -> list[tuple[str, str]]:
    """(module, function) for every name a chapter notebook imports from rapportbok.views."""
    found = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rapportbok.views"):
                    found |= {(node.module, alias.name) for alias in node.names}
    return sorted(item for item in found if item[1] not in NOT_A_VIEW)


VIEWS = _notebook_views()


def _outputs(name: str, view: Callable, report: Report) -> Iterator[str]:
    """The HTML of one view, called as its notebook calls it."""
    if name == "goal_section":
        for goal_id in goal_ids(report):
            yield view(report, goal_id, None).html
    elif name == "goal_sections":  # every goal, each its own output
        for block in view(report).blocks:
            yield block.html
    elif name == "show_text":
        for key in text_keys(report):
            yield view(report, key).html
    elif name == "show_heading":  # Markdown, which the book renders like the narrative's
        for source in _notebook_headings():
            yield markdown_to_html(view(report, source).markdown)
    else:
        result = view(report)
        assert isinstance(result, HtmlBlock), name
        yield result.html


def _notebook_headings() -> list[str]:
    """The heading sources of every show_heading(report, "…") call in the chapter notebooks."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "show_heading":
                    found.append(node.args[1].value)  # type: ignore[attr-defined]
    assert found
    return found


def _view(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


def _free_text_columns(table: str) -> list[str]:
    """Text columns that hold anything the analyst writes: not keys, not allowed values, no pattern."""
    schema = table_schema(table)
    keys = set(schema.descriptor.get("primaryKey", [])) | {f for k in schema.foreign_keys for f in k.fields}
    return [
        spec["name"]
        for spec in schema.descriptor["fields"]
        if spec.get("type", "string") == "string"
        and not {"enum", "pattern"} & set(spec.get("constraints", {}))
        and spec["name"] not in keys
    ]


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret")


@pytest.fixture(scope="module")
def hostile(report: Report) -> Report:
    """The 2024 report with markup in every free-text cell and in the organisation's name."""
    tables = {}
    for name in TABLE_NAMES:
        frame = report.tables[name].copy()
        for column in _free_text_columns(name):
            frame[column] = [ATTACK if pd.isna(value) else f"{ATTACK} {value}" for value in frame[column]]
        tables[name] = frame
    meta = replace(report.meta, organisation=f"{ATTACK} org", kommun=f"{ATTACK} kommun")
    return Report(meta=meta, book=report.book, tables=tables)


KEPT_WHEN_EMPTY = ("malomraden", "inriktningsmal")  # goals without indicators, assignments or figures


@pytest.fixture(scope="module")
def empty(report: Report) -> Report:
    """A draft where every table but the goals is empty, as a year can be while it is being filled in."""
    tables = {
        name: report.tables[name] if name in KEPT_WHEN_EMPTY else empty_frame(table_schema(name))
        for name in TABLE_NAMES
    }
    return Report(meta=report.meta, book=report.book, tables=tables, draft=True)


def test_the_notebooks_call_views_of_every_chapter() -> None:
    """The list below is the chapters' real calls, not a hand-picked few."""
    modules = {_view(module, name).__module__.rsplit(".", 1)[-1] for module, name in VIEWS}
    assert {"maluppfyllelse", "mal_indikatorer_uppdrag", "ekonomi", "arbetsgivare", "text"} <= modules
    assert len(VIEWS) >= 15


@pytest.mark.parametrize(("module", "name"), VIEWS, ids=[name for _, name in VIEWS])
def test_markup_in_the_data_is_shown_as_text(hostile: Report, module: str, name: str) -> None:
    """No view lets a value from the data files become a tag or an attribute."""
    html = "".join(_outputs(name, _view(module, name), hostile))
    assert html
    for raw in RAW:
        assert raw not in html, name
    if name not in SHOWS_NO_FREE_TEXT | {"show_text"}:
        assert ESCAPED in html, f"{name} shows no text from the data: add it to SHOWS_NO_FREE_TEXT"


@pytest.mark.parametrize(("module", "name"), VIEWS, ids=[name for _, name in VIEWS])
def test_a_year_with_empty_tables_gives_a_page(empty: Report, module: str, name: str) -> None:
    """Nothing to show is not a crash: each view returns (possibly empty) HTML without raw values."""
    outputs = list(_outputs(name, _view(module, name), empty))
    assert outputs, name
    for html in outputs:
        assert not re.search(r"\bnan\b|NaN|<NA>|None", html), name


def test_long_titles_are_kept_whole_in_text_and_shortened_only_in_charts(report: Report) -> None:
    """A 200-character goal title and indicator name are shown in full in headings, tables and alt texts;
    only the chart's own title is shortened."""
    from rapportbok.views.maluppfyllelse import goal_navigation, goal_section

    title = "Ett mycket långt inriktningsmål " * 6 + "slut"
    name = "En mycket lång indikator " * 8 + "slut"
    goals = report.inriktningsmal.copy()
    goals.loc[goals["mal_id"] == "3.3", "titel"] = title
    indicators = report.indikatorer.copy()
    first = indicators.index[indicators["mal_id"] == "3.3"][0]
    indicators.loc[first, "namn"] = name
    long = Report(
        report.meta, report.book, {**report.tables, "inriktningsmal": goals, "indikatorer": indicators}
    )
    section = goal_section(long, "3.3").html
    assert f"3.3. {title}</h2>" in section
    row_header = rf'<th scope="row" class="rb-text[^"]*"[^>]*>{name} \((KF|Nämnd)\)'
    assert re.search(row_header, section)  # the indicator table
    assert f'alt="Linjediagram över {name}' in section
    assert f"<figcaption>{name} Utfall och mål.</figcaption>" in section
    assert f"3.3. {title}</a>" in goal_navigation(long).html
