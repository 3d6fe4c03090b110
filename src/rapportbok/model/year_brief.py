"""The year in brief ("Året i korthet"): the key figures computed from the year's data, each naming
the chapter it comes from and compared with the year before where the data has it. The web's front
page (`views.forsida`) and the print edition (`pdf.document`) show the same figures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from html import escape

from rapportbok.core.formatting import format_mnkr, format_percent
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import StaffGroup
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.model.assignments import counts_by_kind
from rapportbok.model.goals import goal_counts
from rapportbok.model.overview import net_deviation, sick_leave
from rapportbok.model.previous_year import earlier_sick_leave, net_costs, previous_report

MISSING = "uppgift saknas"


@dataclass(frozen=True)
class KeyFigure:
    """One figure of "Året i korthet": the value, what it counts, a note, the chapter it comes from and
    the comparison with the year before ("jämfört med 2023: …"; empty where the data has none)."""

    value: str
    label: str
    chapter: str
    note: str = ""
    change: str = ""

    def html(self, href: str) -> str:
        notes = [(text, kind) for text, kind in ((self.note, ""), (self.change, " rb-key-change")) if text]
        note = "".join(f'<span class="rb-key-note{kind}">{escape(text)}</span>' for text, kind in notes)
        return (
            f'<li><a class="rb-key-figure" href="{escape(href, quote=True)}">'
            f'<span class="rb-key-value">{escape(self.value)}</span>'
            f'<span class="rb-key-label">{escape(self.label)}</span>{note}</a></li>'
        )


def _of(part: int, whole: int) -> str:
    return f"{part} av {whole}"


def _compared(report: Report, text: str) -> str:
    return f"jämfört med {report.year - 1}: {text}"


def goals_figure(report: Report) -> KeyFigure:
    """'13 av 18 inriktningsmål bedöms uppfyllda': the goals at a level that counts as fulfilled, named
    as the organisation's vocabulary names them."""
    counts = goal_counts(report)
    goals = report_vocabulary(report).name("mal").plural
    before = previous_report(report)
    earlier = goal_counts(before) if before is not None else None
    return KeyFigure(
        _of(counts["uppfyllt"], counts["antal"]),
        f"{goals} bedöms uppfyllda",
        "maluppfyllelse",
        f"{counts['ej_uppfyllt']} bedöms inte {'uppfyllt' if counts['ej_uppfyllt'] == 1 else 'uppfyllda'}",
        _compared(report, _of(earlier["uppfyllt"], earlier["antal"])) if earlier else "",
    )


def assignments_figure(report: Report) -> KeyFigure:
    kinds = counts_by_kind(report)
    done = kinds["uppdrag"]["slutford"] + kinds["namndinitiativ"]["slutford"]
    total = kinds["uppdrag"]["antal"] + kinds["namndinitiativ"]["antal"]
    before = previous_report(report)
    change = ""
    if before is not None:
        earlier = counts_by_kind(before)
        change = _compared(
            report,
            _of(
                earlier["uppdrag"]["slutford"] + earlier["namndinitiativ"]["slutford"],
                earlier["uppdrag"]["antal"] + earlier["namndinitiativ"]["antal"],
            ),
        )
    return KeyFigure(
        _of(done, total),
        "uppdrag och nämndinitiativ slutförda",
        "mal-indikatorer-uppdrag",
        f"uppdrag {_of(kinds['uppdrag']['slutford'], kinds['uppdrag']['antal'])}, nämndinitiativ "
        f"{_of(kinds['namndinitiativ']['slutford'], kinds['namndinitiativ']['antal'])}",
        change,
    )


def _signed_mnkr(value: float) -> str:
    return f"{'+' if value > 0 else ''}{format_mnkr(value)}"


def deviation_change(report: Report) -> str:
    """Last year's net deviation when last year's data is in data/; else the net cost of both years
    from the operating statement's own columns (utfall, utfall_foregaende_ar); "" without either."""
    before = previous_report(report)
    earlier = net_deviation(before) if before is not None else None
    if earlier is not None:
        return _compared(report, f"{_signed_mnkr(earlier)} i nettoavvikelse")
    costs = net_costs(report)
    if costs is None:
        return ""
    now, then = (format_mnkr(abs(value)) for value in costs)
    return f"nettokostnad {now}, {_compared(report, then)}"


def deviation_figure(report: Report) -> KeyFigure:
    """The net deviation of the operating statement (the 'summa' row): positive is a surplus."""
    value = net_deviation(report)
    change = deviation_change(report)
    if value is None:
        return KeyFigure(MISSING, "nettoavvikelse mot budget", "ekonomi", change=change)
    kind = "överskott" if value > 0 else "underskott" if value < 0 else "budget i balans"
    return KeyFigure(_signed_mnkr(value), "nettoavvikelse mot budget", "ekonomi", kind, change)


def sick_leave_figure(report: Report) -> KeyFigure:
    """The year's sick leave of the nämnd, compared with the whole municipality."""
    whole = sick_leave(report, StaffGroup.KOMMUNEN)
    note = "" if whole is None else f"hela kommunen: {format_percent(whole)}"
    earlier = earlier_sick_leave(report)
    return KeyFigure(
        format_percent(sick_leave(report), missing=MISSING),
        "sjukfrånvaro i nämnden",
        "arbetsgivare",
        note,
        "" if earlier is None else _compared(report, format_percent(earlier)),
    )


FIGURES = {  # each key figure and the chapter it comes from, in the order of Norrtälje's chapters
    "maluppfyllelse": goals_figure,
    "mal-indikatorer-uppdrag": assignments_figure,
    "ekonomi": deviation_figure,
    "arbetsgivare": sick_leave_figure,
}


def key_figures(report: Report, chapters: Collection[str] | None = None) -> list[KeyFigure]:
    """The year in brief: a figure for each of `chapters` (the book's chapter names; None: all) that has
    one, in the order above. A book without the chapter a figure links to shows no such figure (an
    organisation without an economy chapter gets no budget deviation, never a link to a missing page)."""
    return [figure(report) for name, figure in FIGURES.items() if chapters is None or name in chapters]
