"""Narrative Markdown may not carry script (raw <script>, event-handler attributes, javascript: links),
nor links and images that point outside the project or to anything but https://.

The renderer already shows raw HTML as text and refuses such links; `check` still rejects such text
with file and line, so that it is removed from the data rather than silently neutralised.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from rapportbok.exceptions import Problem
from rapportbok.narrative.markdown import LINK_RULE, link_targets, target_problem
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
# Invisible characters that change what a reader (or a terminal) sees: C0/C1 controls other than tab and
# line breaks, and the bidirectional overrides and isolates ("Trojan Source").
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def script_problems(source: str, shown_as: str) -> list[Problem]:
    """Every line of `source` that tries to carry script, as located problems."""
    problems = []
    for number, line in enumerate(source.split("\n"), start=1):
        for pattern, what in PATTERNS:
            if pattern.search(line):
                problems.append(Problem(shown_as, f"texten {what}", row=number, allowed=ALLOWED))
        if invisible := INVISIBLE.search(line.rstrip("\r")):
            problems.append(
                Problem(
                    shown_as,
                    f"texten innehåller ett osynligt styrtecken (U+{ord(invisible.group()):04X})",
                    row=number,
                    allowed="ta bort tecknet",
                )
            )
    return problems


def link_problems(markdown: str, shown_as: str) -> list[Problem]:
    """Every link or image of `markdown` that points where narrative may not point, with its line; a
    text beyond what the Markdown parser is given (narrative.markdown_bounds) is that one problem."""
    if too_much := markdown_bound_problem(markdown, shown_as):
        return [too_much]
    problems = []
    for found in link_targets(markdown):
        reason = target_problem(found.target, image=found.image)
        if reason:
            what = "bilden" if found.image else "länken"
            target = unquote(found.target)  # as the author wrote it, not percent-encoded
            shown = target if len(target) <= 60 else target[:57] + "…"
            problems.append(
                Problem(shown_as, f'{what} "{shown}" {reason}', row=found.line, allowed=LINK_RULE)
            )
    return problems
