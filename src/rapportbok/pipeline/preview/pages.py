"""The pages the live preview shows instead of the book: what is wrong (file, row, column, what to fix),
or that the first build is still running. Every value comes from the analyst's files: all escaped."""

from __future__ import annotations

from html import escape

from rapportbok.exceptions import RapportbokError, visible

LAST_GOOD = "senaste"  # ?senaste on a page's address shows its last good version while an error lasts
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; color: #8a1c1c; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #767676; padding: .4rem .6rem; text-align: left; vertical-align: top; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 1rem; }
a { color: #0b4f9c; }
@media (prefers-color-scheme: dark) {
  body { color: #f0f0f0; background: #161616; } h1 { color: #ff9b9b; } pre { background: #262626; }
  a { color: #9cc8ff; }
}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _cell(value: object | None) -> str:
    return "" if value is None else escape(visible(str(value)))


def error_page(error: RapportbokError, last_good: bool) -> str:
    """The message page for an error: one table row per located problem (file, row, column, what is
    wrong and what is allowed), else the message as it is. `last_good`: a good version exists."""
    if error.problems:
        rows = "\n".join(
            f"<tr><td>{_cell(p.file)}</td><td>{_cell(p.row)}</td><td>{_cell(p.column)}</td>"
            f"<td>{_cell(p.message)}{_cell(f' ({p.allowed})' if p.allowed else None)}</td></tr>"
            for p in error.problems
        )
        heading = escape(visible(str(error).splitlines()[0]))
        details = (
            f"<p>{heading}</p>\n<table>\n<caption>Fel att rätta</caption>\n"
            '<thead><tr><th scope="col">Fil</th><th scope="col">Rad</th><th scope="col">Kolumn</th>'
            f'<th scope="col">Fel</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>'
        )
    else:
        details = f"<pre>{escape(visible(str(error)))}</pre>"
    notes = "".join(f"<p>{escape(visible(note))}</p>" for note in getattr(error, "__notes__", []))
    back = (
        f'<p><a href="?{LAST_GOOD}">Visa den senast fungerande versionen av sidan</a></p>'
        if last_good
        else "<p>Ingen version av boken har byggts ännu.</p>"
    )
    body = (
        "<h1>Boken kan inte byggas</h1>\n"
        "<p>Rätta felet och spara filen: sidan laddas om av sig själv.</p>\n"
        f"{details}\n{notes}\n{back}"
    )
    return _page("Fel – förhandsvisning", body)


def building_page() -> str:
    """Shown until the first build of the preview is done; the page reloads by itself then."""
    return _page(
        "Förhandsvisningen byggs",
        "<h1>Förhandsvisningen byggs …</h1>\n<p>Sidan laddas om av sig själv när boken är klar.</p>",
    )
