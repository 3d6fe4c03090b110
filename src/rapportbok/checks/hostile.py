"""Narrative Markdown may not carry script (raw <script>, event-handler attributes, javascript: links),
nor links and images that the page would not show (see `narrative.markdown`).

The renderer already shows raw HTML as text and refuses such links; `check` still rejects such text
with file and line, so that it is removed from the data rather than silently neutralised.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from rapportbok.data.report import Report
from rapportbok.exceptions import Problem
from rapportbok.narrative.markdown import (
    IMAGE_RULE,
    LINK_RULE,
    MAX_IMAGES,
    book_pages,
    image_source,
    link_problem,
    link_targets,
    target_problem,
)
from rapportbok.narrative.markdown_bounds import markdown_bound_problem

# Each pattern is searched in time linear in the line: possessive repeats (*+, ++) never give back what
# they took, and a tag's attributes are looked for only after the last "<" before them ([^<>]), which
# finds the same lines as [^>]* without rescanning the rest of the line from every "<" (a line of
# 150 000 "<" took minutes).
PATTERNS = (
    (re.compile(r"<\s*+/?\s*+script\b", re.I), "innehåller <script>"),
    (re.compile(r"<[^<>]*\son[a-z]++\s*+=", re.I), "innehåller ett HTML-attribut som kör skript (on…=)"),
    (re.compile(r"(?:javascript|vbscript)\s*+:", re.I), "innehåller en javascript:-länk"),
    (
        re.compile(r"<\s*+(?:iframe|object|embed|style)\b", re.I),
        "innehåller inbäddad HTML (iframe, object, embed, style)",
    ),
)
ALLOWED = "ta bort koden; texten ska vara vanlig Markdown"
LINK_REFUSED = "link.refused"  # a target the page does not show (a script, a path out of the project)
LINK_NOT_A_CHAPTER = "link.chapter.missing"  # a page that is no chapter of this year's book
IMAGE_REFUSED = "link.image.refused"  # not an image of the year's folder the page can show
IMAGE_TOO_MANY = "link.image.too_many"
# Invisible characters that change what a reader (or a terminal) sees: C0/C1 controls other than tab and
# line breaks, and the bidirectional overrides and isolates ("Trojan Source").
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def script_problems(source: str, shown_as: str) -> list[Problem]:
    """Every line of `source` that tries to carry script, as located problems."""
    problems = []
    for number, line in enumerate(source.split("\n"), start=1):
        for pattern, what in PATTERNS:
            if pattern.search(line):
                problems.append(
                    Problem(shown_as, f"texten {what}", row=number, allowed=ALLOWED, code="text.script")
                )
        if invisible := INVISIBLE.search(line.rstrip("\r")):
            problems.append(
                Problem(
                    shown_as,
                    f"texten innehåller ett osynligt styrtecken (U+{ord(invisible.group()):04X})",
                    row=number,
                    allowed="ta bort tecknet",
                    code="text.invisible",
                )
            )
    return problems


def link_problems(markdown: str, shown_as: str, report: Report) -> list[Problem]:
    """Every link or image of `markdown` that the page would not show as one, with its line: the same
    rule the page applies (`target_problem` for a link, `image_source` for an image of the year's
    folder, `link_problem` for a link), so that a text `check` accepts is one the build shows and
    prints."""
    if too_much := markdown_bound_problem(markdown, shown_as):
        return [too_much]
    problems = []
    images = 0
    targets = link_targets(markdown)
    pages = book_pages(report) if any(not found.image for found in targets) else None  # read once
    for found in targets:
        images += found.image
        allowed = IMAGE_RULE if found.image else LINK_RULE
        if found.image:
            source = image_source(found.target, report.year_dir)
            reason, allowed, code = source.problem, source.allowed, IMAGE_REFUSED
            if reason is None and images > MAX_IMAGES:
                reason, code = f"är en bild för mycket (högst {MAX_IMAGES} bilder i en text)", IMAGE_TOO_MANY
        else:
            reason = link_problem(found.target, pages)
            code = LINK_REFUSED if target_problem(found.target, image=False) else LINK_NOT_A_CHAPTER
        if reason:
            what = "bilden" if found.image else "länken"
            target = unquote(found.target)  # as the author wrote it, not percent-encoded
            shown = target if len(target) <= 60 else target[:57] + "…"
            problems.append(
                Problem(shown_as, f'{what} "{shown}" {reason}', row=found.line, allowed=allowed, code=code)
            )
    return problems
