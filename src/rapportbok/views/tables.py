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
) -> HtmlBlock:
    """Render `frame` as a house-style table; the first column holds row headers.

    `emphasis` marks rows (e.g. totals) shown in bold. All text from data is escaped.
    """
    ident = table_id or slug(caption)
    head = "".join(
        f'<th scope="col" class="{column.classes}">{escape(column.heading)}</th>' for column in columns
    )
    body = []
    flags = list(emphasis) if emphasis is not None else [False] * len(frame)
    for flag, (_, row) in zip(flags, frame.iterrows(), strict=True):
        cells = []
        for position, column in enumerate(columns):
            tag = '<th scope="row"' if position == 0 else "<td"
            cells.append(f'{tag} class="{column.classes}">{column.cell_html(row[column.key])}</{tag[1:3]}>')
        row_class = ' class="rb-total"' if flag else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    html = (
        f'<div class="rb-table-scroll" role="region" tabindex="0" aria-labelledby="{ident}-caption">'
        f'<table class="rb-table" id="{ident}">'
        f'<caption id="{ident}-caption">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    return HtmlBlock(html)
