"""Whether a year is ready to publish, and what `build` says when it is not.

A year is complete when its check has no errors and nothing required left to fill in (CheckResult.ok):
what a published book needs. A year just started by `new-year` is not: `build` then stops with one
screen (the year's to-do counted by file, where to see it item by item, and the two ways on) instead
of every missing cell, and a `build` without --year builds the latest complete year instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapportbok.checks.check import CheckResult, check_year
from rapportbok.checks.todo import todo_list
from rapportbok.core.book import BookId
from rapportbok.core.formatting import count_text
from rapportbok.data.years import data_years


@dataclass(frozen=True)
class Unfilled:
    """A year with required to-dos and no errors: the build stops with `stop_text`."""

    book: BookId
    result: CheckResult


def unfilled(book: BookId, checked: CheckResult | None = None) -> Unfilled | None:
    """The year as Unfilled when its only obstacle to publishing is what is left to fill in; None when it
    has errors (the build's own message names them) or nothing is missing. `checked`: the year's check
    when the caller has it (the build's), else the year is checked here."""
    result = checked if checked is not None else check_year(book)
    if result.problems or not result.todo:
        return None
    return Unfilled(book, result)


def latest_complete_year(book: BookId) -> int | None:
    """The latest year of the book's organisation before `book.year` whose check is complete."""
    for year in reversed([y for y in data_years(book.org_dir) if y < book.year]):
        if check_year(replace(book, year=year)).ok:
            return year
    return None


def stop_text(found: Unfilled, complete_year: int | None, options: str) -> str:
    """One screen: the year's to-do by file with counts, the command that lists every item, and the two
    ways on (a draft of this year, or the latest complete year). `options` names the organisation in a
    command line ('--org x ' or '')."""
    book, result = found.book, found.result
    lines = [
        f"{book.label} är inte ifyllt än: "
        f"{count_text(len(result.todo), 'uppgift saknas', 'uppgifter saknas')}, "
        f"{len(result.to_verify)} att kontrollera. Boken publiceras inte förrän det som krävs är ifyllt.",
    ]
    for group in todo_list(result, book.label):
        counts = [count_text(len(group.items), "post", "poster")]
        if group.required:
            counts.append(count_text(group.required, "uppgift saknas", "uppgifter saknas"))
        if group.to_verify:
            counts.append(f"{group.to_verify} att kontrollera")
        lines.append(f"  {group.file} ({', '.join(counts)})")
    lines.append(f"Hela listan, post för post: rapportbok check {options}--year {book.year}")
    lines.append("Så går du vidare:")
    lines.append(
        f"  rapportbok build {options}--year {book.year} --draft   ett utkast av {book.year}: det som "
        "saknas visas som saknat och varje sida märks UTKAST"
    )
    if complete_year is not None:
        make = f"make report {'ORG=' + book.organisation + ' ' if options else ''}YEAR={complete_year}"
        lines.append(
            f"  rapportbok build {options}--year {complete_year}   (eller {make}) bygg {complete_year}, "
            "det senaste året som är ifyllt"
        )
    else:
        lines.append("  fyll i det som saknas och kör bygget igen (det finns inget tidigare år att bygga)")
    return "\n".join(lines)
