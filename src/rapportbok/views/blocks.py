"""The blocks a chapter notebook is made of, from one place: `from rapportbok.views.blocks import ...`.

A chapter notebook is `report = start_chapter(...)` followed by one block per cell; each block renders for
the web and the print edition. `BLOCKS` is the registry: every block's stable name, its function, its
group and a one-line description in Swedish for analysts. The handbook's list of blocks (docs/block.md)
is written from it and tested against it, so that the list and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from rapportbok.core.toc import chapter_names
from rapportbok.data.load import previous_year
from rapportbok.data.report import Report
from rapportbok.views.arbetsgivare import (
    sick_leave_chart,
    sick_leave_table,
    sick_leave_year_table,
    turnover_table,
)
from rapportbok.views.chapter import start_chapter
from rapportbok.views.ekonomi import (
    activity_comments,
    activity_table,
    budget_chart,
    investments_table,
    operating_table,
)
from rapportbok.views.forsida import key_figures
from rapportbok.views.generic_chart import chart
from rapportbok.views.generic_table import table
from rapportbok.views.mal_indikatorer_uppdrag import (
    assignment_summary_table,
    carry_over_table,
    goals_not_fulfilled,
    struck_table,
)
from rapportbok.views.maluppfyllelse import (
    goal_ids,
    goal_navigation,
    goal_section,
    indicator_charts,
    indicator_table,
)
from rapportbok.views.tables import HtmlBlock
from rapportbok.views.text import show_heading, show_text


@dataclass(frozen=True)
class BlockSequence:
    """Several blocks shown one after the other, each its own output (as `display` in a loop shows them)."""

    blocks: tuple[HtmlBlock, ...]

    def _ipython_display_(self) -> None:
        from IPython.display import display  # the kernel's display; only a notebook shows blocks

        for block in self.blocks:
            display(block)

    def _repr_html_(self) -> str:
        return "".join(block.html for block in self.blocks)

    def __repr__(self) -> str:
        return f"BlockSequence({len(self.blocks)} block)"


def goal_sections(report: Report) -> BlockSequence:
    """Every goal of the year in report order, each as `goal_section` shows it, with last year's report
    for revised outcomes."""
    previous = previous_year(report)
    return BlockSequence(tuple(goal_section(report, goal_id, previous) for goal_id in goal_ids(report)))


def year_in_brief(report: Report) -> HtmlBlock:
    """The front page's key figures ("Året i korthet") in a chapter, each linking to its chapter (only
    the figures of chapters this book has)."""
    toc = report.book.toc
    left_out = report.meta.left_out_chapters
    in_book = [name for name in chapter_names(toc) if name not in left_out] if toc.is_file() else None
    items = "".join(figure.html(f"{figure.chapter}.html") for figure in key_figures(report, in_book))
    return HtmlBlock(f'<ul class="rb-key-figures" aria-label="{escape("Året i korthet")}">{items}</ul>')


@dataclass(frozen=True)
class Block:
    """One block of the registry: its stable name, function, group, description and an example call."""

    name: str
    function: Callable[..., Any]
    group: str
    description: str
    example: str


def _block(function: Callable[..., Any], group: str, description: str, arguments: str = "") -> Block:
    call = f"{function.__name__}(report{', ' + arguments if arguments else ''})"
    return Block(function.__name__, function, group, description, call)


TEXT = "Text"
GOALS = "Mål och bedömningar"
INDICATORS = "Indikatorer"
ASSIGNMENTS = "Uppdrag och initiativ"
ECONOMY = "Ekonomi"
STAFF = "Personal"
KEY_FIGURES = "Nyckeltal för framsidan"
ANY_TABLE = "Valfri tabell och diagram"
GROUPS = (TEXT, GOALS, INDICATORS, ASSIGNMENTS, ECONOMY, STAFF, KEY_FIGURES, ANY_TABLE)

# Every block, in the order of GROUPS; the handbook lists them in this order.
BLOCKS: tuple[Block, ...] = (
    _block(show_text, TEXT, "En text ur årets textmapp, ifylld och som HTML.", '"ekonomi/driftredovisning"'),
    _block(
        show_heading,
        TEXT,
        "En rubrik med platshållare, t.ex. kommunens namn.",
        '"## {{ kommun }} som arbetsgivare"',
    ),
    _block(goal_navigation, GOALS, "En lista med länkar till varje inriktningsmål och dess bedömning."),
    _block(
        goal_sections,
        GOALS,
        "Varje inriktningsmål i tur och ordning: bedömning, trend, analys, indikatorer och uppdrag.",
    ),
    _block(
        goal_section, GOALS, "Ett inriktningsmål: bedömning, trend, analys, indikatorer och uppdrag.", '"1.1"'
    ),
    _block(goals_not_fulfilled, GOALS, "Inriktningsmålen som inte bedöms uppfyllas, med skälet till varje."),
    _block(
        indicator_table,
        INDICATORS,
        "Ett måls indikatorer: utfall för fyra år, mål, bedömning, trend och senaste kommentar.",
        '"1.1"',
    ),
    _block(
        indicator_charts,
        INDICATORS,
        "Ett litet diagram per indikator för ett mål: utfallen mot årets mål.",
        '"1.1"',
    ),
    _block(
        assignment_summary_table,
        ASSIGNMENTS,
        "Sammanställning av uppdrag och nämndinitiativ per status, räknad ur uppdragen.",
    ),
    _block(carry_over_table, ASSIGNMENTS, "Uppdrag och initiativ som går över till nästa år, med orsak."),
    _block(struck_table, ASSIGNMENTS, "Initiativ som stryks, med orsak."),
    _block(operating_table, ECONOMY, "Driftredovisningen: intäkter, kostnader och summa mot budget."),
    _block(activity_table, ECONOMY, "Driftredovisning per verksamhet, med summan sist."),
    _block(budget_chart, ECONOMY, "Stapeldiagram: nettokostnad per verksamhet, budget mot utfall."),
    _block(activity_comments, ECONOMY, "Varje verksamhets avvikelse mot budget med analytikerns förklaring."),
    _block(investments_table, ECONOMY, "Investeringar per projekt med summorna per område."),
    _block(sick_leave_chart, STAFF, "Linjediagram: sjukfrånvaro per månad, nämnden och kommunen."),
    _block(sick_leave_table, STAFF, "Sjukfrånvaro per månad i en tabell, nämnden och kommunen."),
    _block(sick_leave_year_table, STAFF, "Sjukfrånvaro för helåret, nämnden och kommunen."),
    _block(turnover_table, STAFF, "Extern och intern personalomsättning, ackumulerad för året."),
    _block(
        year_in_brief,
        KEY_FIGURES,
        "Årets nyckeltal (Året i korthet på framsidan), var och ett med länk till sitt kapitel.",
    ),
    _block(
        table,
        ANY_TABLE,
        "Valfri tabell med schema (rapportbokens eller organisationens egen): rubriker, enheter och tal "
        "ur schemat.",
        '"volymer", columns=["ar", "brukare"]',
    ),
    _block(
        chart,
        ANY_TABLE,
        "Linje- eller stapeldiagram över numeriska kolumner i valfri tabell, med mål som markörer.",
        '"volymer", x="ar", y=["brukare"], kind="bar", target="mal"',
    ),
)

__all__ = ["BLOCKS", "GROUPS", "Block", "BlockSequence", "start_chapter", *(block.name for block in BLOCKS)]
