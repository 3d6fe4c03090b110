"""Narrative Markdown as HTML, and where its links and images may point.

One parser for the page and for `check`: CommonMark with tables, raw HTML shown as text. A link or image
may point to an `https://` address (never fetched while building), a `mailto:` address (links only), an
anchor on the page (`#…`) or a relative path that stays inside the project (no `..`, no leading `/`).
Anything else (http:, file:, data:, javascript:, //host, /absolute, ../) is refused: `check` names its
file and line, and the page shows it as text, not as a link or image.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

LINK_RULE = (
    "länkar och bilder får peka på https://-adresser, mailto:-adresser (länkar), #ankare eller en "
    "relativ sökväg inom projektet"
)


def target_problem(target: str, *, image: bool) -> str | None:
    """Why a link or image target is refused, in Swedish; None when it is allowed."""
    decoded = unquote(target)  # what a browser or a file system would make of %2e%2e, %0a, %5c
    if any(ord(char) < 32 or ord(char) == 127 for char in decoded):
        return "innehåller styrtecken"
    if "\\" in decoded:
        return "innehåller bakåtsnedstreck (\\); skriv sökvägar med /"
    if target.startswith("#"):
        return None
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return None if parts.netloc else "är ingen fullständig https://-adress"
    if scheme == "mailto" and not image:
        return None
    if scheme or ":" in decoded.split("/", 1)[0]:
        kind = scheme or decoded.split(":", 1)[0]
        return f"pekar på en adress av typen {kind}:, som inte är tillåten"
    if target.startswith("//"):
        return "pekar på en annan webbplats utan https:"
    path = unquote(parts.path)
    if path.startswith("/"):
        return "pekar på en absolut sökväg utanför projektet"
    if ".." in path.split("/"):
        return "pekar uppåt (..) och kan lämna projektet"
    return None


def _allowed(url: str) -> bool:
    return target_problem(url, image=False) is None


def _image_or_text(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """An image whose source is refused (e.g. mailto:) is shown as its alt text."""
    token = tokens[index]
    if target_problem(str(token.attrGet("src") or ""), image=True):
        return escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    return self.image(tokens, index, options, env)


def _parser(validate: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.validateLink = _allowed if validate else (lambda url: True)  # type: ignore[method-assign]
    if validate:
        parser.add_render_rule("image", _image_or_text)
    return parser


def markdown_to_html(markdown: str) -> str:
    """Narrative Markdown as HTML. Raw HTML is shown as text; a refused link or image is shown as text."""
    return _parser(validate=True).render(markdown)


@dataclass(frozen=True)
class Target:
    """A link or image in a text: where it points, and the line it is on."""

    target: str
    image: bool
    line: int | None


def _inline_tokens(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    for block in tokens:
        for child in block.children or []:
            yield block, child


def link_targets(markdown: str) -> list[Target]:
    """Every link and image target of a text (also those the page would refuse), with its line."""
    lines = markdown.splitlines()
    found = []
    for block, token in _inline_tokens(_parser(validate=False).parse(markdown)):
        if token.type not in ("link_open", "image"):
            continue
        target = str(token.attrGet("href") if token.type == "link_open" else token.attrGet("src") or "")
        found.append(Target(target, token.type == "image", _line(block, target, lines)))
    return found


def _line(block: Token, target: str, lines: list[str]) -> int | None:
    """The line of `target` within its block (markdown-it only knows the block's first line)."""
    if block.map is None:
        return None
    first, last = block.map
    for number in range(first, last):
        line = lines[number].replace("\\", "")  # a filled-in value is backslash-escaped in the source
        if target and (target in line or unquote(target) in line):
            return number + 1
    return first + 1
