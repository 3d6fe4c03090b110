"""The chapter Mål, indikatorer, uppdrag och initiativ: goals not fulfilled, the assignment summary,
and what carries over to next year or is struck."""

from __future__ import annotations

from html import escape

from rapportbok.data.report import Report
from rapportbok.data.required_texts import GOAL_NOT_FULFILLED
from rapportbok.data.vocabulary import Decision, Forecast, SummaryRow
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.model.assignments import summary
from rapportbok.narrative.templates import render_text
from rapportbok.views.maluppfyllelse import goal_anchor, goal_heading
from rapportbok.views.tables import Column, HtmlBlock, html_table, text_column
from rapportbok.views.text import markdown_to_html

GOAL_PAGE = "maluppfyllelse.html"
TOTAL_LABEL = "Totalt"


def goals_not_fulfilled(report: Report) -> HtmlBlock:
    """Each goal assessed as not fulfilled (a level that counts so in the organisation's vocabulary),
    linked to its section, with the reason given."""
    goals = report.inriktningsmal
    not_fulfilled = goals["bedomning"].isin(report_vocabulary(report).not_fulfilled)
    sections = []
    for goal_id in goals.loc[not_fulfilled, "mal_id"]:
        reason = markdown_to_html(render_text(report, GOAL_NOT_FULFILLED.key(goal_id)).markdown, report)
        sections.append(
            f'<section class="rb-goal-reason"><h4><a href="{GOAL_PAGE}#{goal_anchor(goal_id)}">'
            f"{escape(goal_heading(report, goal_id))}</a></h4>{reason}</section>"
        )
    return HtmlBlock("".join(sections))


def assignment_summary_table(report: Report) -> HtmlBlock:
    """Uppdrag/nämndinitiativ × status × enligt plan / avvikelse, computed from the assignments."""
    frame = summary(report)
    # The source system's name of its total row ("Total Summa") is not a word for readers.
    frame["typ"] = frame["typ"].replace({SummaryRow.TOTAL: TOTAL_LABEL})
    columns = [
        text_column("typ", "Uppdrag/Nämndinitiativ"),
        text_column("status", "Status"),
        Column("enligt_plan", Forecast.ON_PLAN, numeric=True, formatter=lambda v: str(v) if v else ""),
        Column("avvikelse", Forecast.OFF_PLAN, numeric=True, formatter=lambda v: str(v) if v else ""),
        Column("total", TOTAL_LABEL, numeric=True, formatter=str),
    ]
    caption = (
        f"Sammanställning av nämndens uppdrag och initiativ. Organisation: {report.meta.organisation}, "
        f"period: {report.meta.period_end.isoformat()}"
    )
    return html_table(
        frame,
        columns,
        caption=caption,
        emphasis=[False] * (len(frame) - 1) + [True],
        table_id="sammanstallning-uppdrag",
    )


def _decision_table(
    report: Report, decision: str, first_header: str, caption: str, table_id: str
) -> HtmlBlock:
    decisions = report.uppdrag_nasta_ar
    frame = decisions[decisions["beslut"] == decision].copy()
    frame["orsak_html"] = [escape(text).replace("\n", "<br>") for text in frame["orsak"]]
    columns = [
        text_column("titel_i_tabellen", first_header),
        Column("orsak_html", "Orsak", markup=True, css="rb-comment-cell"),
    ]
    return html_table(frame, columns, caption=caption, table_id=table_id)


def carry_over_table(report: Report) -> HtmlBlock:
    """Assignments and initiatives that go over to next year, with the reason."""
    return _decision_table(
        report,
        Decision.CARRIES_OVER,
        "Uppdrag/initiativ som går över till nästa år",
        f"Uppdrag och initiativ som går över till {report.year + 1}",
        "overgar-till-nasta-ar",
    )


def struck_table(report: Report) -> HtmlBlock:
    """Initiatives that are struck, with the reason."""
    return _decision_table(
        report, Decision.STRUCK, "Initiativ som stryks", "Initiativ som stryks", "initiativ-som-stryks"
    )
