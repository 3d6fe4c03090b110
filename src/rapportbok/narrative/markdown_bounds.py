"""What a narrative text may contain before it reaches the Markdown parser (markdown-it).

markdown-it keeps every unmatched emphasis mark of a paragraph (`*`, `_`) and its work and memory grow
with their square: a 480 kB text of "*a _b " repeated ran out of memory. A paragraph (text between
blank lines) may hold at most MAX_EMPHASIS_MARKS of them; a text with more is refused with its line,
before it is parsed, by `check` and by the build alike. Nesting (block quotes, lists) is bounded by
markdown-it itself (maxNesting), and the size of a text by data.files.MAX_TEXT_BYTES.
"""

from __future__ import annotations

from rapportbok.core.formatting import format_number
from rapportbok.exceptions import Problem

MAX_EMPHASIS_MARKS = 2000  # per paragraph; a paragraph of the 2024 report has at most a dozen
EMPHASIS_MARKS = "*_"


def markdown_bound_problem(markdown: str, shown_as: str) -> Problem | None:
    """A located problem for the first paragraph of `markdown` with too many emphasis marks, or None.

    Every `*` and `_` counts, also an escaped one: an estimate that errs on the safe side.
    """
    marks, first_line = 0, 1
    for number, line in enumerate(markdown.split("\n"), start=1):
        if not line.strip():
            marks, first_line = 0, number + 1
            continue
        marks += sum(line.count(mark) for mark in EMPHASIS_MARKS)
        if marks > MAX_EMPHASIS_MARKS:
            limit = format_number(MAX_EMPHASIS_MARKS)
            return Problem(
                shown_as,
                f"stycket har för många tecken * och _ (högst {limit} per stycke)",
                row=first_line,
                allowed="dela upp stycket med tomma rader, eller ta bort tecken * och _ som inte behövs",
            )
    return None
