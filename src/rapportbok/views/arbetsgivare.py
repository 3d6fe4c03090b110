"""The chapter Kommunen som arbetsgivare: sick leave per month and for the year, staff turnover."""

from __future__ import annotations

import pandas as pd

from rapportbok.core.formatting import as_float, format_number, format_percent
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import StaffGroup
from rapportbok.model.periods import MONTHS
from rapportbok.views.charts import figure_html, line_chart
from rapportbok.views.tables import Column, HtmlBlock, html_table, text_column

GROUPS = tuple(StaffGroup)  # nämnden, then kommunen: the columns of the table and the lines of the chart


def _percent_column(key: str, header: str, decimals: int = 1) -> Column:
    return Column(key, header, unit="%", numeric=True, formatter=lambda value: format_number(value, decimals))


def sick_leave_frame(report: Report) -> pd.DataFrame:
    """One row per month with the nämnd's and the municipality's sick leave in percent."""
    monthly = report.sjukfranvaro[report.sjukfranvaro["ar"] == report.year]
    wide = monthly.pivot(index="manad", columns="grupp", values="procent")
    wide = wide.reindex(index=range(1, 13), columns=list(GROUPS))  # every month and group, even if empty
    wide.insert(0, "manad_namn", [MONTHS[month - 1].capitalize() for month in wide.index])
    return wide.reset_index()


def sick_leave_table(report: Report) -> HtmlBlock:
    """Sick leave per month, nämnden and kommunen side by side."""
    frame = sick_leave_frame(report)
    columns = [
        text_column("manad_namn", "Månad"),
        *[_percent_column(group, f"{group} {report.year}") for group in GROUPS],
    ]
    return html_table(
        frame,
        columns,
        caption=f"Sjukfrånvaro per månad {report.year}, procent av tillgänglig tid",
        table_id="sjukfranvaro-per-manad",
    )


def sick_leave_chart(report: Report) -> HtmlBlock:
    """Monthly sick leave as two lines, with an alt text that states the comparison."""
    frame = sick_leave_frame(report)
    figure = line_chart(
        list(frame["manad_namn"]),
        {f"{group}": [as_float(v) for v in frame[group]] for group in GROUPS},
        value_label="Sjukfrånvaro (%)",
    )
    return figure_html(
        figure,
        alt=sick_leave_alt(report),
        caption=f"Sjukfrånvaro per månad {report.year}, procent.",
        caption_above=True,  # the chart's only title
    )


def sick_leave_alt(report: Report) -> str:
    """The chart's finding in words: which group was lower, and the highest and lowest months."""
    frame = sick_leave_frame(report)
    if frame[list(GROUPS)].isna().any().any():
        return f"Linjediagram över sjukfrånvaron per månad {report.year}. Uppgifter saknas ännu."
    lower = int((frame[StaffGroup.NAMNDEN] < frame[StaffGroup.KOMMUNEN]).sum())
    parts = [f"Linjediagram över sjukfrånvaron per månad {report.year} för nämnden och för hela kommunen."]
    parts.append(f"Nämndens sjukfrånvaro var lägre än kommunens {lower} av 12 månader.")
    for group in GROUPS:
        high = frame.loc[frame[group].idxmax()]
        low = frame.loc[frame[group].idxmin()]
        parts.append(
            f"{group}: högst i {high['manad_namn'].lower()} ({format_percent(high[group])}), "
            f"lägst i {low['manad_namn'].lower()} ({format_percent(low[group])})."
        )
    return " ".join(parts)


def sick_leave_year_table(report: Report) -> HtmlBlock:
    """The year's sick leave for the nämnd and the whole municipality."""
    frame = report.sjukfranvaro_ar[report.sjukfranvaro_ar["ar"] == report.year]
    columns = [text_column("grupp", "Grupp"), _percent_column("procent", f"Sjukfrånvaro {report.year}")]
    return html_table(
        frame, columns, caption=f"Sjukfrånvaro för helåret {report.year}", table_id="sjukfranvaro-ar"
    )


def turnover_table(report: Report) -> HtmlBlock:
    """External and internal staff turnover, accumulated for the year."""
    frame = report.personalomsattning[report.personalomsattning["ar"] == report.year].copy()
    frame["rubrik"] = frame["typ"] + " personalomsättning"
    columns = [text_column("rubrik", "Personalomsättning"), _percent_column("procent", str(report.year), 2)]
    return html_table(
        frame, columns, caption=f"Ackumulerad personalomsättning {report.year}", table_id="personalomsattning"
    )
