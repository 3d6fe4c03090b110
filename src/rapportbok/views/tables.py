"""The house style for tables: escaped, captioned, numbers right-aligned, scrolling in their own box.

Hand-built HTML rather than pandas' Styler because the accessible structure matters here: a
<caption>, header cells with scope, row headers, and a focusable, labelled scroll region.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from rapportbok.core.formatting import format_number, format_percent, is_missing
from rapportbok.core.slug import slug

Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    """One column of a displayed table."""

    key: str
    header: str
    unit: str | None = None
    numeric: bool = False
    formatter: Formatter | None = None
    markup: bool = False  # the formatter returns HTML and escapes data itself
    css: str = ""

    @property
    def heading(self) -> str:
        return f"{self.header} ({self.unit})" if self.unit else self.header

    @property
    def classes(self) -> str:
        return " ".join(filter(None, ["rb-num" if self.numeric else "rb-text", self.css]))

    def cell_html(self, value: Any) -> str:
        """The cell's content as HTML: data escaped unless the column renders markup itself."""
        if self.formatter is not None:
            text = self.formatter(value)
        elif self.numeric:
            text = format_number(value)
        else:
            text = "" if is_missing(value) else str(value)
        return text if self.markup else escape(text)


def text_column(key: str, header: str) -> Column:
    return Column(key, header)


def tkr_column(key: str, header: str) -> Column:
    return Column(key, header, unit="tkr", numeric=True)


def percent_column(key: str, header: str, decimals: int = 0) -> Column:
    return Column(key, header, numeric=True, formatter=lambda value: format_percent(value, decimals))


@dataclass(frozen=True)
class HtmlBlock:
    """Raw HTML that Jupyter shows as HTML (and myst-nb passes to the page)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "HtmlBlock(…)"  # the HTML itself is the rich output, not the plain-text one


def html_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    caption: str,
    emphasis: Sequence[bool] | None = None,
    table_id: str | None = None,
    detail: Column | None = None,
) -> HtmlBlock:
    """Render `frame` as a house-style table; the first column holds row headers.

    `emphasis` marks rows (e.g. totals) shown in bold. `detail` is a long text (a comment, a reason)
    shown on its own full-width row under its row, labelled with the column's header and tied to the
    row's header cell, so that the columns a reader compares stay narrow. All text from data is escaped.
    """
    ident = table_id or slug(caption)
    head = "".join(
        f'<th scope="col" class="{column.classes}">{escape(column.heading)}</th>' for column in columns
    )
    body = []
    flags = list(emphasis) if emphasis is not None else [False] * len(frame)
    for number, (flag, (_, row)) in enumerate(zip(flags, frame.iterrows(), strict=True), start=1):
        detail_html = detail.cell_html(row[detail.key]) if detail is not None else ""
        row_id = f"{ident}-rad-{number}"
        cells = []
        for position, column in enumerate(columns):
            content = column.cell_html(row[column.key])
            if position == 0:
                named = f' id="{row_id}"' if detail_html else ""
                cells.append(f'<th scope="row" class="{column.classes}"{named}>{content}</th>')
            else:
                cells.append(f'<td class="{column.classes}">{content}</td>')
        marks = ["rb-total" if flag else "", "rb-has-detail" if detail_html else ""]
        row_class = f' class="{" ".join(filter(None, marks))}"' if any(marks) else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
        if detail is not None and detail_html:
            label = f'<span class="rb-detail-label">{escape(detail.heading)}:</span> '
            classes = " ".join(filter(None, ["rb-text rb-detail-cell", detail.css]))
            body.append(
                f'<tr class="rb-detail"><td colspan="{len(columns)}" headers="{row_id}" '
                f'class="{classes}">{label}{detail_html}</td></tr>'
            )
    html = (
        f'<div class="rb-table-scroll" role="region" tabindex="0" aria-labelledby="{ident}-caption">'
        f'<table class="rb-table" id="{ident}">'
        f'<caption id="{ident}-caption">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    return HtmlBlock(html)
