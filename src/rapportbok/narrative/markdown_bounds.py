"""What a narrative text may contain before it reaches the Markdown parser (markdown-it).

markdown-it's work grows with the square of two things within one paragraph (text between blank lines):
- unmatched emphasis marks (`*`, `_`): it keeps every one, and a 480 kB text of "*a _b " repeated ran
  out of memory; a paragraph may hold at most MAX_EMPHASIS_MARKS of them;
- lines that begin with `[` (after blanks and block-quote `>`): each may be a link reference definition
  (`[a]: https://…`), and each is tried against the rest of the paragraph, so 1 400 such lines took 30 s;
  a paragraph may have at most MAX_BRACKET_LINES of them.
A text beyond either is refused with its line, before it is parsed, by `check` and by the build alike.
Within these limits markdown-it's work is linear in the text. Nesting (block quotes, lists) is bounded by
markdown-it itself (maxNesting), and the size of a text by data.files.MAX_TEXT_BYTES.
"""

from __future__ import annotations

from rapportbok.core.formatting import format_number
from rapportbok.exceptions import Problem

MAX_EMPHASIS_MARKS = 2000  # per paragraph; a paragraph of the 2024 report has at most a dozen
MAX_BRACKET_LINES = 10  # per paragraph; a list of links ("- [x](…)") does not count, its lines begin with -
EMPHASIS_MARKS = "*_"
SPLIT = "dela upp stycket med tomma rader"


def markdown_bound_problem(markdown: str, shown_as: str) -> Problem | None:
    """A located problem for the first paragraph of `markdown` beyond a limit, or None.

    Every `*` and `_` counts, also an escaped one: an estimate that errs on the safe side.
    """
    marks = brackets = 0
    first_line = 1
    for number, line in enumerate(markdown.split("\n"), start=1):
        if not line.strip():
            marks = brackets = 0
            first_line = number + 1
            continue
        marks += sum(line.count(mark) for mark in EMPHASIS_MARKS)
        brackets += line.lstrip(" \t>").startswith("[")
        if marks > MAX_EMPHASIS_MARKS:
            limit = format_number(MAX_EMPHASIS_MARKS)
            return Problem(
                shown_as,
                f"stycket har för många tecken * och _ (högst {limit} per stycke)",
                row=first_line,
                allowed=f"{SPLIT}, eller ta bort tecken * och _ som inte behövs",
                code="text.markdown.emphasis",
            )
        if brackets > MAX_BRACKET_LINES:
            return Problem(
                shown_as,
                f"stycket har för många rader som börjar med [ (högst {MAX_BRACKET_LINES} per stycke)",
                row=first_line,
                allowed=f"{SPLIT}, eller gör raderna till en lista (- [länk](…))",
                code="text.markdown.brackets",
            )
    return None
