"""The Ekonomi chapter: operating statement, per activity, deviation comments and investments."""

from __future__ import annotations

from html import escape

import pandas as pd

from rapportbok.core.formatting import as_float, format_tkr
from rapportbok.data.report import Report
from rapportbok.data.required_texts import ACTIVITY_COMMENT
from rapportbok.data.vocabulary import InvestmentRow, OperatingPost
from rapportbok.model.periods import period_end_label, period_label
from rapportbok.narrative.templates import render_text
from rapportbok.views.charts import figure_html, grouped_bar_chart
from rapportbok.views.tables import Column, HtmlBlock, html_table, percent_column, text_column, tkr_column
from rapportbok.views.text import markdown_to_html

DEVIATION_HEADING = "Avvikelse budget och utfall för perioden, {amount}:"


def _amount_columns(report: Report, first: Column) -> list[Column]:
    this_year, last_year = period_label(report), period_label(report, report.year - 1)
    return [
        first,
        tkr_column("budget", f"Budget {this_year}"),
        tkr_column("utfall", f"Utfall {this_year}"),
        tkr_column("avvikelse", f"Avvikelse {this_year}"),
        tkr_column("utfall_foregaende_ar", f"Utfall {last_year}"),
    ]


def operating_table(report: Report) -> HtmlBlock:
    """The operating statement: Intäkter, Kostnader, varav kapitalkostnader, Summa."""
    frame = report.drift
    return html_table(
        frame,
        _amount_columns(report, text_column("post", "Post")),
        caption=f"Driftredovisning {report.meta.organisation} {report.year}",
        emphasis=list(frame["post_id"] == OperatingPost.TOTAL),
        table_id="driftredovisning",
    )


def activity_frame(report: Report) -> pd.DataFrame:
    """The activities followed by the organisation's total (the published 'summa' row)."""
    total = report.drift[report.drift["post_id"] == OperatingPost.TOTAL].copy()
    total["verksamhet"] = report.meta.organisation
    columns = ["verksamhet", "budget", "utfall", "avvikelse", "utfall_foregaende_ar"]
    return pd.concat([report.drift_verksamhet[columns], total[columns]], ignore_index=True)


def activity_table(report: Report) -> HtmlBlock:
    """Budget, outcome and deviation per activity, with the total last."""
    frame = activity_frame(report)
    return html_table(
        frame,
        _amount_columns(report, text_column("verksamhet", "Verksamhet")),
        caption=f"Driftredovisning per verksamhet {report.year}",
        emphasis=[position == len(frame) - 1 for position in range(len(frame))],  # the total, last
        table_id="driftredovisning-per-verksamhet",
    )


def budget_chart(report: Report) -> HtmlBlock:
    """Net cost per activity, budget against outcome, with an alt text that states the finding."""
    frame = report.drift_verksamhet
    names = list(frame["verksamhet"])
    budget = [-as_float(value) for value in frame["budget"]]
    outcome = [-as_float(value) for value in frame["utfall"]]
    figure = grouped_bar_chart(
        names,
        {"Budget": budget, "Utfall": outcome},
        value_label="Nettokostnad (tkr)",
    )
    data = html_table(
        pd.DataFrame({"verksamhet": names, "budget": budget, "utfall": outcome}),
        [
            text_column("verksamhet", "Verksamhet"),
            tkr_column("budget", "Budget, nettokostnad"),
            tkr_column("utfall", "Utfall, nettokostnad"),
        ],
        caption=f"Diagrammets data: nettokostnad per verksamhet {report.year}",
        table_id="diagramdata-nettokostnad",
    )
    return figure_html(
        figure,
        alt=budget_chart_alt(report),
        caption=f"Nettokostnad per verksamhet {period_label(report)}: budget och utfall, tkr.",
        caption_above=True,  # the chart's only title
        data=data,
    )


def budget_chart_alt(report: Report) -> str:
    """What the chart shows, in words: who spent less than budget, who more, and the largest gap."""
    frame = report.drift_verksamhet
    if frame["avvikelse"].isna().any() or frame.empty:
        return (
            f"Liggande stapeldiagram över nettokostnad per verksamhet {report.year}, budget och "
            "utfall i tkr. Uppgifter saknas ännu."
        )
    under = frame[frame["avvikelse"] > 0]
    over = frame[frame["avvikelse"] < 0]
    largest = frame.loc[frame["avvikelse"].abs().idxmax()]
    parts = [
        f"Liggande stapeldiagram över nettokostnad per verksamhet {report.year}, budget och utfall i tkr.",
        f"{len(under)} av {len(frame)} verksamheter hade lägre nettokostnad än budget.",
    ]
    if len(over):
        parts.append(
            "Högre än budget: "
            + ", ".join(
                f"{row.verksamhet} ({format_tkr(row.avvikelse, signed=True)})" for row in over.itertuples()
            )
            + "."
        )
    parts.append(
        f"Störst avvikelse hade {largest['verksamhet']}, {format_tkr(largest['avvikelse'], signed=True)}."
    )
    return " ".join(parts)


def activity_comments(report: Report) -> HtmlBlock:
    """Each activity's heading, its deviation in tkr, and the analyst's explanation."""
    sections = []
    for row in report.drift_verksamhet.itertuples():
        text = render_text(report, ACTIVITY_COMMENT.key(row.verksamhet_id)).markdown
        amount = format_tkr(row.avvikelse, signed=True)
        sections.append(
            f'<section class="rb-comment"><h4>{escape(row.kommentar_rubrik)}</h4>'
            f"<p>{escape(DEVIATION_HEADING.format(amount=amount))}</p>"
            f"{markdown_to_html(text, report)}</section>"
        )
    return HtmlBlock("".join(sections))


def investments_frame(report: Report) -> pd.DataFrame:
    """The investments table in display order, project number and name in one column."""
    frame = report.investeringar.copy()
    numbers = frame["projekt_nr"].fillna("")
    frame["projekt_text"] = (numbers + " " + frame["projekt"]).str.strip()
    return frame


def investments_table(report: Report) -> HtmlBlock:
    """Investments per project with the published area totals."""
    frame = investments_frame(report)
    previous = report.year - 1
    columns = [
        text_column("projekt_text", "Projekt"),
        tkr_column("total_budget", "Totalt budget*"),
        tkr_column("total_prognos", "Total prognos"),
        percent_column("avvikelse_procent", "Avvikelse"),
        tkr_column("ack_utfall", f"Ack. utfall t.o.m. {period_end_label(report)} (alla år)"),
        tkr_column("utfall_foregaende_ar", f"Utfall {previous}"),
        tkr_column("utfall", f"Utfall {period_label(report)}"),
        tkr_column("budget_ar", f"Budget {report.year}"),
    ]
    return html_table(
        frame,
        columns,
        caption=f"Investeringar {report.year}",
        emphasis=list(frame["typ"] == InvestmentRow.TOTAL),
        table_id="investeringar",
    )
