"""Swedish for the interface strings that the Jupyter Book theme leaves in English.

Sphinx translates its own strings (language: sv); the theme has no Swedish catalogue for these. They
are replaced in the published copy of the site, where the exact markup is known.
"""

from __future__ import annotations

from pathlib import Path

REPLACEMENTS = {
    ">Skip to main content<": ">Hoppa till huvudinnehållet<",
    ">Back to top<": ">Till början av sidan<",
    'placeholder="Search..."': 'placeholder="Sök …"',
    'aria-label="Search..."': 'aria-label="Sök"',
    'title="Toggle primary sidebar"': 'title="Visa eller dölj menyn"',
    'aria-label="Toggle primary sidebar"': 'aria-label="Visa eller dölj menyn"',
    'title="System Settings"': 'title="Som i systemet"',
    'title="Light"': 'title="Ljust"',
    'title="Dark"': 'title="Mörkt"',
    'data-bs-title="Color mode"': 'data-bs-title="Färgläge"',
    'aria-label="Color mode"': 'aria-label="Färgläge"',
    'aria-label="Version warning"': 'aria-label="Versionsvarning"',
    'aria-label="Site navigation"': 'aria-label="Webbplatsens navigering"',
    'aria-label="Main"': 'aria-label="Huvudmeny"',
    'title="next page"': 'title="nästa sida"',
    'title="previous page"': 'title="föregående sida"',
    'title="Link to this heading"': 'title="Länk till rubriken"',
    'title="Index"': 'title="Register"',
    ">Index<": ">Register<",
}


def translate_ui(html_dir: Path) -> None:
    """Replace the theme's English interface strings in every page of a site copy."""
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        translated = text
        for english, swedish in REPLACEMENTS.items():
            translated = translated.replace(english, swedish)
        if translated != text:
            page.write_text(translated, encoding="utf-8")
