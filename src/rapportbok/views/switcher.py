"""The organisation and year switcher at the top of every page of a book in the multi-book site.

Two disclosure menus (`<details>`), plain links inside: they open and work by keyboard and without
JavaScript (rapportbok.js only closes an open menu on Escape, on a click outside it, or when the other
one opens).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Choice:
    """One link of a switcher menu: its text, where it goes, and whether it is the page's own book."""

    label: str
    href: str
    current: bool = False

    def html(self) -> str:
        mark = ' aria-current="page"' if self.current else ""
        return f'<li><a href="{escape(self.href, quote=True)}"{mark}>{escape(self.label)}</a></li>'


def _menu(kind: str, label: str, value: str, choices: Sequence[Choice], extra: str = "") -> str:
    return (
        f'<details class="rb-switcher rb-switcher-{kind}">'
        f'<summary><span class="rb-switcher-label">{escape(label)}</span> '
        f'<span class="rb-switcher-value">{escape(value)}</span></summary>'
        f'<div class="rb-switcher-panel"><ul>{"".join(choice.html() for choice in choices)}</ul>{extra}</div>'
        "</details>"
    )


def switchers_html(
    organisation: str, year: int, organisations: Sequence[Choice], years: Sequence[Choice], site_index: str
) -> str:
    """The switchers of one page: `organisation` and `year` name its book; `site_index` is the link to
    the site's front page (every organisation and year, and the overview)."""
    overview = (
        f'<p class="rb-switcher-all"><a href="{escape(site_index, quote=True)}">'
        "Alla organisationer och år, översikt</a></p>"
    )
    return (
        '<nav class="rb-switchers" aria-label="Välj organisation och år">'
        + _menu("organisation", "Organisation", organisation, organisations, overview)
        + _menu("year", "År", str(year), years, overview)
        + "</nav>"
    )
