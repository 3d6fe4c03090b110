"""The front page: who reports for which period, the year in brief (key figures computed from the
year's data, each linking to its chapter, compared with the year before where the data has it:
`model.year_brief`), and the chapters."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rapportbok.data.report import Report
from rapportbok.model.year_brief import (
    KeyFigure,
    assignments_figure,
    deviation_figure,
    goals_figure,
    key_figures,
    sick_leave_figure,
)

__all__ = [
    "KeyFigure",
    "assignments_figure",
    "deviation_figure",
    "front_page_body",
    "goals_figure",
    "key_figures",
    "sick_leave_figure",
]


def front_page_body(report: Report, chapters: Sequence[tuple[str, str]], chapter_folder: str) -> str:
    """The front page as HTML (without its title). `chapters` are (title, name) in book order."""
    meta = report.meta
    in_book = [name for _, name in chapters]
    figures = "".join(
        figure.html(f"{chapter_folder}/{figure.chapter}.html") for figure in key_figures(report, in_book)
    )
    contents = "".join(
        f'<li><a href="{escape(chapter_folder)}/{escape(name, quote=True)}.html">{escape(title)}</a></li>'
        for title, name in chapters
    )
    return (
        f'<p class="rb-front-meta">{escape(meta.organisation)}, {escape(meta.kommun)}. '
        f"Räkenskapsåret {meta.year}, perioden till och med {meta.period_end.isoformat()}.</p>"
        + (
            f'<section aria-labelledby="aret-i-korthet"><h2 id="aret-i-korthet">Året i korthet</h2>'
            f'<ul class="rb-key-figures">{figures}</ul></section>'
            if figures
            else ""
        )
        + '<section aria-labelledby="kapitel"><h2 id="kapitel">Kapitel</h2>'
        f'<ol class="rb-chapter-list">{contents}</ol></section>'
    )
