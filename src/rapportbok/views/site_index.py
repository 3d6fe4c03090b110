"""The front page of the multi-book site: the municipality overview (one row per organisation, its
latest year) and every organisation's published books, each with its PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources

from rapportbok.core.formatting import format_percent, format_signed
from rapportbok.core.toc import STATEMENT_PAGE
from rapportbok.model.overview import OverviewFigures

MISSING = "uppgift saknas"
SWEDISH_LAST_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z, in Swedish order


@dataclass(frozen=True)
class SiteBook:
    """One published book of the site: whose it is, which year, and where it lies in the site."""

    organisation: str  # the organisation's id (its folder in data/ and in the site)
    name: str  # the organisation's name in the year's rapport.yml
    kommun: str
    report_type: str
    year: int
    pdf_name: str

    @property
    def folder(self) -> str:
        """The book's folder relative to the site's root, e.g. 'kommunstyrelsekontoret/2024'."""
        return f"{self.organisation}/{self.year}"

    @property
    def title(self) -> str:
        return f"{self.report_type} {self.year}"


def swedish_order(text: str) -> str:
    """A sort key that puts å, ä and ö after z, as in a Swedish dictionary."""
    return text.casefold().translate(SWEDISH_LAST_LETTERS)


def plural(report_type: str) -> str:
    """The plural of a Swedish report type: 'Verksamhetsberättelse' → 'Verksamhetsberättelser',
    'Årsredovisning' → 'Årsredovisningar', 'Rapport' → 'Rapporter'; otherwise '<type>, alla år'."""
    lowered = report_type.lower()
    if lowered.endswith("e"):
        return report_type + "r"
    if lowered.endswith("ing"):
        return report_type + "ar"
    if lowered.endswith("rapport"):
        return report_type + "er"
    return f"{report_type}, alla år"


def by_organisation(books: Sequence[SiteBook]) -> list[list[SiteBook]]:
    """The books grouped per organisation, organisations by their latest name in Swedish order, each
    organisation's books newest first."""
    groups: dict[str, list[SiteBook]] = {}
    for book in books:
        groups.setdefault(book.organisation, []).append(book)
    ordered = [sorted(group, key=lambda book: book.year, reverse=True) for group in groups.values()]
    return sorted(ordered, key=lambda group: (swedish_order(group[0].name), group[0].organisation))


def _of(part: int, whole: int) -> str:
    return f"{part}\u00a0av\u00a0{whole}"  # never broken across lines


COLUMNS = (
    "Organisation",
    "År",
    "Inriktningsmål uppfyllda",
    "Uppdrag och nämndinitiativ slutförda",
    "Nettoavvikelse mot budget, tkr",
    "Sjukfrånvaro i nämnden",
)


GOALS_COLUMN = "Mål uppfyllda"  # the heading when the organisations call their goals differently


def _named(rows: Sequence[tuple[SiteBook, OverviewFigures]]) -> bool:
    """Whether an organisation calls its goals otherwise than inriktningsmål: then each count names them."""
    return any(figures.goals_name != OverviewFigures.goals_name for _, figures in rows)


def overview_row(book: SiteBook, figures: OverviewFigures, named: bool = False) -> str:
    """One organisation's row: its name links to its book. `named`: the goal count says what it counts
    ('8 av 12 nämndmål'), under the heading GOALS_COLUMN."""
    goals = _of(figures.goals_fulfilled, figures.goals_total)
    values = (
        str(book.year),
        f"{goals} {figures.goals_name}" if named else goals,
        _of(figures.assignments_completed, figures.assignments_total),
        format_signed(figures.net_deviation, missing=MISSING),
        format_percent(figures.sick_leave, missing=MISSING),
    )
    labels = _columns(named)[1:]
    cells = "".join(
        f'<td role="cell" data-label="{escape(label, quote=True)}">{escape(value)}</td>'
        for label, value in zip(labels, values, strict=True)
    )
    return (
        f'<tr role="row"><th role="rowheader" scope="row">'
        f'<a href="{escape(book.folder, quote=True)}/index.html">{escape(book.name)}</a></th>{cells}</tr>'
    )


def _columns(named: bool) -> tuple[str, ...]:
    return (*COLUMNS[:2], GOALS_COLUMN, *COLUMNS[3:]) if named else COLUMNS


def overview_table(rows: Sequence[tuple[SiteBook, OverviewFigures]]) -> str:
    """The municipality overview: one row per organisation (its latest published year), in the order
    of `rows`. ARIA roles keep the table a table when a narrow screen shows each row as a block."""
    named = _named(rows)
    head = "".join(f'<th role="columnheader" scope="col">{escape(name)}</th>' for name in _columns(named))
    body = "".join(overview_row(book, figures, named) for book, figures in rows)
    return (
        '<table class="rb-overview" role="table">'
        "<caption>Det senaste publicerade året för varje organisation. Nettoavvikelsen är "
        "driftredovisningens summa; plus är ett överskott.</caption>"
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{body}</tbody></table>'
    )


def books_list(books: Sequence[SiteBook]) -> str:
    """Every organisation with its books, newest first, each with its PDF."""
    parts = []
    for group in by_organisation(books):
        latest = group[0]
        items = "".join(
            f'<li><a href="{escape(book.folder, quote=True)}/index.html">{escape(book.title)}</a> '
            f'(<a href="{escape(book.folder, quote=True)}/{escape(book.pdf_name, quote=True)}">PDF</a>)</li>'
            for book in group
        )
        parts.append(f"<h3>{escape(latest.name)}</h3><ul>{items}</ul>")
    return "".join(parts)


def statement_link(books: Sequence[SiteBook]) -> str:
    """The site-relative link to the accessibility statement: the newest book's (the statement covers
    the whole site, from the project's tillganglighet.yml)."""
    newest = max(books, key=lambda book: (book.year, book.organisation))
    return f"{newest.folder}/{STATEMENT_PAGE}.html"


def _style() -> str:
    return resources.files("rapportbok.views.assets").joinpath("site-index.css").read_text(encoding="utf-8")


def site_index_page(
    books: Sequence[SiteBook], overview: Sequence[tuple[SiteBook, OverviewFigures]], search_page: str
) -> str:
    """The whole front page. `search_page` is the site-relative path of a book's search page (every
    book's search searches all books)."""
    latest = max(books, key=lambda book: book.year)
    heading = escape(plural(latest.report_type))
    municipalities = sorted({book.kommun for book in books}, key=swedish_order)
    who = escape(", ".join(municipalities))
    statement = escape(statement_link(books), quote=True)
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{heading} – {who}</title>
<style>
{_style()}</style>
</head>
<body>
<a class="rb-skip" href="#innehall">Hoppa till innehållet</a>
<header class="rb-site-header">
<p class="rb-site-name">{who}</p>
<nav aria-label="Webbplatsen"><a href="{statement}">Tillgänglighetsredogörelse</a></nav>
</header>
<main id="innehall">
<h1>{heading}</h1>
<p class="rb-lead">{who}: {heading.lower()} för varje organisation och år, att läsa här eller som PDF.</p>
<form class="rb-site-search" role="search" action="{escape(search_page, quote=True)}" method="get">
<label for="rb-sok-alla">Sök i alla rapporter</label>
<input id="rb-sok-alla" type="search" name="q" autocomplete="off" spellcheck="false">
<button type="submit">Sök</button>
</form>
<section aria-labelledby="oversikt">
<h2 id="oversikt">Översikt</h2>
{overview_table(overview)}
</section>
<section aria-labelledby="rapporter">
<h2 id="rapporter">Alla rapporter</h2>
{books_list(books)}
</section>
</main>
<footer class="rb-site-footer">
<p>{who} · <a href="{statement}">Tillgänglighetsredogörelse</a></p>
</footer>
</body>
</html>
"""
