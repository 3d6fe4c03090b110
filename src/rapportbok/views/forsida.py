"""The front page: who reports for which period, the year in brief (key figures computed from the
year's data, each linking to its chapter), and the chapters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from rapportbok.core.formatting import format_mnkr, format_percent
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import StaffGroup
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.model.assignments import counts_by_kind
from rapportbok.model.goals import goal_counts
from rapportbok.model.overview import net_deviation, sick_leave

MISSING = "uppgift saknas"


@dataclass(frozen=True)
class KeyFigure:
    """One figure of "Året i korthet": the value, what it counts, a note, and the chapter it comes from."""

    value: str
    label: str
    chapter: str
    note: str = ""

    def html(self, href: str) -> str:
        note = f'<span class="rb-key-note">{escape(self.note)}</span>' if self.note else ""
        return (
            f'<li><a class="rb-key-figure" href="{escape(href, quote=True)}">'
            f'<span class="rb-key-value">{escape(self.value)}</span>'
            f'<span class="rb-key-label">{escape(self.label)}</span>{note}</a></li>'
        )


def _of(part: int, whole: int) -> str:
    return f"{part} av {whole}"


def goals_figure(report: Report) -> KeyFigure:
    """'13 av 18 inriktningsmål bedöms uppfyllda': the goals at a level that counts as fulfilled, named
    as the organisation's vocabulary names them."""
    counts = goal_counts(report)
    goals = report_vocabulary(report).name("mal").plural
    return KeyFigure(
        _of(counts["uppfyllt"], counts["antal"]),
        f"{goals} bedöms uppfyllda",
        "maluppfyllelse",
        f"{counts['ej_uppfyllt']} bedöms inte {'uppfyllt' if counts['ej_uppfyllt'] == 1 else 'uppfyllda'}",
    )


def assignments_figure(report: Report) -> KeyFigure:
    kinds = counts_by_kind(report)
    done = kinds["uppdrag"]["slutford"] + kinds["namndinitiativ"]["slutford"]
    total = kinds["uppdrag"]["antal"] + kinds["namndinitiativ"]["antal"]
    return KeyFigure(
        _of(done, total),
        "uppdrag och nämndinitiativ slutförda",
        "mal-indikatorer-uppdrag",
        f"uppdrag {_of(kinds['uppdrag']['slutford'], kinds['uppdrag']['antal'])}, nämndinitiativ "
        f"{_of(kinds['namndinitiativ']['slutford'], kinds['namndinitiativ']['antal'])}",
    )


def deviation_figure(report: Report) -> KeyFigure:
    """The net deviation of the operating statement (the 'summa' row): positive is a surplus."""
    value = net_deviation(report)
    if value is None:
        return KeyFigure(MISSING, "nettoavvikelse mot budget", "ekonomi")
    sign = "+" if value > 0 else ""
    kind = "överskott" if value > 0 else "underskott" if value < 0 else "budget i balans"
    return KeyFigure(f"{sign}{format_mnkr(value)}", "nettoavvikelse mot budget", "ekonomi", kind)


def sick_leave_figure(report: Report) -> KeyFigure:
    """The year's sick leave of the nämnd, compared with the whole municipality."""
    whole = sick_leave(report, StaffGroup.KOMMUNEN)
    note = "" if whole is None else f"hela kommunen: {format_percent(whole)}"
    return KeyFigure(
        format_percent(sick_leave(report), missing=MISSING), "sjukfrånvaro i nämnden", "arbetsgivare", note
    )


def key_figures(report: Report) -> list[KeyFigure]:
    """The year in brief, in the order of the report's chapters."""
    figures = (goals_figure, assignments_figure, deviation_figure, sick_leave_figure)
    return [figure(report) for figure in figures]


def front_page_body(report: Report, chapters: Sequence[tuple[str, str]], chapter_folder: str) -> str:
    """The front page as HTML (without its title). `chapters` are (title, name) in book order."""
    meta = report.meta
    figures = "".join(
        figure.html(f"{chapter_folder}/{figure.chapter}.html") for figure in key_figures(report)
    )
    contents = "".join(
        f'<li><a href="{escape(chapter_folder)}/{escape(name, quote=True)}.html">{escape(title)}</a></li>'
        for title, name in chapters
    )
    return (
        f'<p class="rb-front-meta">{escape(meta.organisation)}, {escape(meta.kommun)}. '
        f"Räkenskapsåret {meta.year}, perioden till och med {meta.period_end.isoformat()}.</p>"
        f'<section aria-labelledby="aret-i-korthet"><h2 id="aret-i-korthet">Året i korthet</h2>'
        f'<ul class="rb-key-figures">{figures}</ul></section>'
        f'<section aria-labelledby="kapitel"><h2 id="kapitel">Kapitel</h2>'
        f'<ol class="rb-chapter-list">{contents}</ol></section>'
    )
