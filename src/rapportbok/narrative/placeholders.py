"""Finding the placeholders (`{{ … }}`) of a text in time linear in its length.

`re.compile(r"\\{\\{.*?\\}\\}", re.S).finditer` is quadratic on a text with many `{{` and no `}}` (each
`{{` scans to the end): "{{" × 250 000 took minutes. `PLACEHOLDER` finds the same matches (each `{{` up to
the first `}}` after it, leftmost first, not overlapping), and stops at the first `{{` without a `}}`
after it, since no later one has one either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_ONE = re.compile(r"\{\{.*?\}\}", re.S)  # applied only between a known `{{` and its `}}`


class Placeholders:
    """What `re.compile(r"\\{\\{.*?\\}\\}", re.S)` finds, as re.Match objects, in linear time."""

    pattern = _ONE.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every placeholder of `text`, in order."""
        position = 0
        while (start := text.find("{{", position)) >= 0:
            close = text.find("}}", start + 2)
            if close < 0:
                return
            match = _ONE.match(text, start, close + 2)
            if match is None:  # cannot happen: the span starts with {{ and ends with the first }}
                return
            yield match
            position = match.end()

    def sub(self, replace: Callable[[re.Match[str]], str], text: str) -> str:
        """`text` with each placeholder replaced by `replace(match)`."""
        parts, end = [], 0
        for match in self.finditer(text):
            parts += [text[end : match.start()], replace(match)]
            end = match.end()
        parts.append(text[end:])
        return "".join(parts)


PLACEHOLDER = Placeholders()
