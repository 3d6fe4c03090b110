"""Narrative Markdown may not carry script: raw <script>, event-handler attributes or javascript: links.

The renderer already shows raw HTML as text and refuses javascript: links; `check` still rejects such
text with file and line, so that it is removed from the data rather than silently neutralised.
"""

from __future__ import annotations

import re

from rapportbok.exceptions import Problem

PATTERNS = (
    (re.compile(r"<\s*/?\s*script\b", re.I), "innehåller <script>"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "innehåller ett HTML-attribut som kör skript (on…=)"),
    (re.compile(r"(?:javascript|vbscript)\s*:", re.I), "innehåller en javascript:-länk"),
    (
        re.compile(r"<\s*(?:iframe|object|embed|style)\b", re.I),
        "innehåller inbäddad HTML (iframe, object, embed, style)",
    ),
)
ALLOWED = "ta bort koden; texten ska vara vanlig Markdown"


def script_problems(source: str, shown_as: str) -> list[Problem]:
    """Every line of `source` that tries to carry script, as located problems."""
    problems = []
    for number, line in enumerate(source.splitlines(), start=1):
        for pattern, what in PATTERNS:
            if pattern.search(line):
                problems.append(Problem(shown_as, f"texten {what}", row=number, allowed=ALLOWED))
    return problems
