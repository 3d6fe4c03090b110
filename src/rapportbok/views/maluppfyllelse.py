"""The chapter Måluppfyllelse per inriktningsmål: one section per goal, with navigation between them."""

from __future__ import annotations

from html import escape

import pandas as pd

from rapportbok.core.formatting import format_number, is_missing
from rapportbok.core.slug import slug
from rapportbok.data.comments import is_empty_comment
from rapportbok.data.org_vocabulary import DEFAULT_NAMES
from rapportbok.data.report import Report
from rapportbok.data.required_texts import GOAL_ANALYSIS
from rapportbok.data.vocabulary import AssignmentKind
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.model.indicators import (
    IndicatorHistory,
    history_years,
    indicator_frame,
    indicator_histories,
    revisions,
    shown_years,
)
from rapportbok.model.periods import period_end_label
from rapportbok.narrative.templates import render_text
from rapportbok.views.assessment import assessment_html, trend_html
from rapportbok.views.charts import figure_html, history_chart
from rapportbok.views.computed_notes import computed_notes
from rapportbok.views.tables import Column, HtmlBlock, html_table, text_column
from rapportbok.views.text import markdown_to_html


def goal_ids(report: Report) -> list[str]:
    """The goals of the year, in report order."""
    return [str(goal) for goal in report.inriktningsmal["mal_id"]]


def goal_anchor(goal_id: str) -> str:
    return f"mal-{slug(goal_id)}"


def goal_heading(report: Report, goal_id: str) -> str:
    title = report.inriktningsmal.set_index("mal_id").loc[goal_id, "titel"]
    title = "" if is_missing(title) else title
    return f"{goal_id}. {title}"


def goal_navigation(report: Report) -> HtmlBlock:
    """A list of links to every goal on the page, with its assessment."""
    goals = report.inriktningsmal.set_index("mal_id")
    vocabulary = report_vocabulary(report)
    items = "".join(
        f'<li><a href="#{goal_anchor(goal_id)}">{escape(goal_heading(report, goal_id))}</a> '
        f"{assessment_html(goals.loc[goal_id, 'bedomning'], vocabulary)}</li>"
        for goal_id in goal_ids(report)
    )
    label = escape(vocabulary.name("mal").plural_title, quote=True)
    nav = f'<nav class="rb-goal-nav" id="inriktningsmal-lista" aria-label="{label}">'
    return HtmlBlock(f"{nav}<ul>{items}</ul></nav>")


def comment_html(text: object, date: object) -> str:
    """'ÅÅÅÅ-MM-DD: text' with paragraphs kept; empty when there is no comment or one without words
    (the source system's "."), so that neither its date nor its mark reaches the page."""
    if is_empty_comment(text):
        return ""
    dated = f'<span class="rb-date">{escape(date.isoformat())}:</span> ' if not is_missing(date) else ""
    paragraphs = [escape(part) for part in str(text).split("\n") if part.strip()]
    return dated + "<br>".join(paragraphs)


def _comment_column() -> Column:
    return Column("kommentar_html", "Senaste kommentar", markup=True, css="rb-comment-cell")


def indicator_cell_html(name: object, level: object, department: object, unit: object) -> str:
    """'Name (level)' with the responsible department and the unit on a line of their own."""
    meta = [f"Ansvarig avdelning: {escape(str(department))}"] if not is_missing(department) else []
    if not is_missing(unit) and str(unit):
        meta.append(f"Enhet: {escape(str(unit))}")
    details = f'<span class="rb-meta">{". ".join(meta)}</span>' if meta else ""
    return f"{escape(str(name))} ({escape(str(level))}){details}"


def indicator_table(report: Report, goal_id: str) -> HtmlBlock | None:
    """Utfall for four years, the target, assessment and trend of each indicator, its latest comment
    on a full-width row beneath it: narrow year columns, so that everything fits a desktop page."""
    frame = indicator_frame(report, goal_id)
    if frame.empty:
        return None
    frame["kommentar_html"] = [
        comment_html(text, date)
        for text, date in zip(frame["kommentar"], frame["kommentar_datum"], strict=True)
    ]
    described = zip(frame["namn"], frame["niva"], frame["ansvarig_avdelning"], frame["enhet"], strict=True)
    frame["indikator_html"] = [indicator_cell_html(*values) for values in described]
    notes = computed_notes(report, goal_id, f"{goal_anchor(goal_id)}-indikatorer")
    ids = list(report.indikatorer.loc[report.indikatorer["mal_id"] == goal_id, "indikator_id"])
    vocabulary = report_vocabulary(report)
    frame["bedomning_html"] = [
        assessment_html(value, vocabulary) + notes.mark(ident, trend=False)
        for value, ident in zip(frame["bedomning"], ids, strict=True)
    ]
    frame["trend_html"] = [
        trend_html(value, vocabulary) + notes.mark(ident, trend=True)
        for value, ident in zip(frame["trend"], ids, strict=True)
    ]
    years = shown_years(report)
    indicator, goal = vocabulary.name("indikator"), vocabulary.name("mal")
    columns = [
        Column("indikator_html", f"{indicator.singular} (nivå)", markup=True, css="rb-indicator"),
        *[Column(f"utfall_{year}", f"Utfall {year}", numeric=True, formatter=str) for year in years[:-1]],
        Column(f"utfall_{years[-1]}", f"Utfall {period_end_label(report)}", numeric=True, formatter=str),
        Column("mal", f"Mål {report.year}", numeric=True, formatter=str),
        Column("forandring", f"Förändring mot {report.year - 1}", numeric=True, formatter=str),
        Column("bedomning_html", "Bedömning", markup=True, formatter=str),
        Column("trend_html", "Trend", markup=True, formatter=str),
    ]
    table = html_table(
        frame,
        columns,
        caption=f"{indicator.plural_title} för {goal.in_text} {goal_id}",
        table_id=notes.table_id,
        detail=_comment_column(),
    )
    return HtmlBlock(table.html + notes.html())


def _history_alt(history: IndicatorHistory, report: Report, assessment: str) -> str:
    """'Linjediagram över X. Utfall (procent): <år>: 6,0, … Målet för <år> är 0,0 procent. Bedömning: …'"""
    unit_label = f" ({history.unit})" if history.unit else ""
    unit_suffix = f" {history.unit}" if history.unit else ""
    values = ", ".join(
        f"{year}: {history.formatted(value, note) or 'värde saknas'}"
        for year, value, note in zip(history.years, history.outcomes, history.notes, strict=True)
    )
    if history.target is None:
        target = f"Inget mål för {report.year}."
    else:
        target = f"Målet för {report.year} är {format_number(history.target, history.decimals)}{unit_suffix}."
    return f"Linjediagram över {history.name} Utfall{unit_label}: {values}. {target} Bedömning: {assessment}."


def _history_table(history: IndicatorHistory, report: Report) -> HtmlBlock:
    """The chart's data: the outcome of every year and the year's target."""
    rows = [
        {"ar": str(year), "utfall": history.formatted(value, note)}
        for year, value, note in zip(history.years, history.outcomes, history.notes, strict=True)
    ]
    rows.append({"ar": f"Mål {report.year}", "utfall": history.formatted(history.target)})
    unit = f" ({history.unit})" if history.unit else ""
    return html_table(
        pd.DataFrame(rows),
        [text_column("ar", "År"), Column("utfall", f"Värde{unit}", numeric=True, formatter=str)],
        caption=f"Diagrammets data: {history.name}",
        table_id=f"diagramdata-{slug(history.indicator_id)}",
    )


def indicator_charts(report: Report, goal_id: str) -> HtmlBlock | None:
    """A small chart per indicator: its history against the year's target."""
    histories = indicator_histories(report, goal_id, history_years(report))
    if not histories:
        return None
    assessed = report.indikatorer.set_index("indikator_id")["bedomning"]
    figures = []
    for history in histories:
        figure = history_chart(history, target_year=report.year)
        figures.append(
            figure_html(
                figure,
                alt=_history_alt(history, report, assessed[history.indicator_id]),
                caption=f"{history.name} Utfall och mål.",
                caption_above=True,
                tight=False,
                data=_history_table(history, report),
            ).html
        )
    return HtmlBlock(f'<div class="rb-chart-grid">{"".join(figures)}</div>')


def assignment_table(
    report: Report, frame: pd.DataFrame, kind: str, caption: str, table_id: str
) -> HtmlBlock:
    """Uppdrag or nämndinitiativ with responsible department, forecast, end date, status and comment."""
    shown = frame.copy()
    shown["kommentar_html"] = [
        comment_html(text, date)
        for text, date in zip(shown["kommentar"], shown["kommentar_datum"], strict=True)
    ]
    shown["slutdatum_text"] = [date.isoformat() for date in shown["slutdatum"]]
    columns = [
        text_column("titel", kind),
        text_column("ansvarig_avdelning", "Ansvarig avdelning"),
        text_column("prognos", "Prognos för slutförande"),
        Column("slutdatum_text", "Slutdatum", css="rb-nowrap"),
        text_column("status", "Status"),
    ]
    return html_table(shown, columns, caption=caption, table_id=table_id, detail=_comment_column())


def revision_note(report: Report, previous: Report | None, goal_id: str) -> str:
    """A paragraph listing earlier outcomes that this year's data revises, if any."""
    found = revisions(report, previous, goal_id)
    if not found:
        return ""
    items = "".join(
        f"<li>{escape(item.name)} {item.year}: publicerat {escape(item.published)}, "
        f"nu {escape(item.now)}</li>"
        for item in found
    )
    return (
        f'<div class="rb-revisions"><p>Reviderade utfall jämfört med verksamhetsberättelsen '
        f"{previous.year}:</p><ul>{items}</ul></div>"
    )


def goal_section(report: Report, goal_id: str, previous: Report | None = None) -> HtmlBlock:
    """Everything about one goal: heading, assessment, analysis, indicators, charts, assignments."""
    goal = report.inriktningsmal.set_index("mal_id").loc[goal_id]
    anchor = goal_anchor(goal_id)
    analysis = markdown_to_html(render_text(report, GOAL_ANALYSIS.key(goal_id)).markdown, report)
    vocabulary = report_vocabulary(report)
    names = {key: vocabulary.name(key) for key in ("mal", "indikator")}
    the_goal = "inriktningsmålet" if names["mal"] == DEFAULT_NAMES["mal"] else "målet"
    parts = [
        f'<section class="rb-goal" id="{anchor}" aria-labelledby="{anchor}-rubrik">',
        f'<h2 id="{anchor}-rubrik">{escape(goal_heading(report, goal_id))}</h2>',
        '<dl class="rb-assessment">'
        f"<div><dt>Bedömning</dt><dd>{assessment_html(goal['bedomning'], vocabulary)}</dd></div>"
        f"<div><dt>Trend</dt><dd>{trend_html(goal['trend'], vocabulary)}</dd></div></dl>",
        f"<h3>Sammanfattande analys av {the_goal}</h3>",
        f'<div class="rb-text">{analysis}</div>',
    ]
    table = indicator_table(report, goal_id)
    if table is not None:
        heading = escape(names["indikator"].plural_title)
        parts += [f"<h3>{heading}</h3>", table.html, revision_note(report, previous, goal_id)]
        charts = indicator_charts(report, goal_id)
        parts.append(charts.html if charts else "")
    tasks = report.uppdrag[report.uppdrag["mal_id"] == goal_id]
    for kind in AssignmentKind:  # the kind's name is its heading
        subset = tasks[tasks["typ"] == kind]
        if not subset.empty:
            parts += [
                f"<h3>{kind}</h3>",
                assignment_table(
                    report,
                    subset,
                    kind,
                    f"{kind} för {names['mal'].in_text} {goal_id}",
                    f"{anchor}-{slug(kind)}",
                ).html,
            ]
    back = escape(f"Till listan över {names['mal'].plural}")
    parts.append(f'<p class="rb-back"><a href="#inriktningsmal-lista">{back}</a></p>')
    parts.append("</section>")
    return HtmlBlock("".join(parts))
